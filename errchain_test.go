package vaultspay_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// TestErrorChainStrings: the exact text of representative error chains, through the fake: the
// "vaultspay: " prefix once, the request id of an API answer, and every wrapped error still matched by
// errors.Is and errors.As.
func TestErrorChainStrings(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	client := srv.Client()
	ctx := context.Background()
	a := openAccount(t, srv, client, "5000.00")
	c := newContact(t, client, "AE580300000002000007377")
	req := rent(a, c, "10.00")
	req.Description = "Rent March"
	transferHead := fmt.Sprintf("vaultspay: transfer of 10 AED from account %s to contact %s: ", a.ID, c.ID)
	fault := func(method, path string, status int, body string) {
		require.NoError(t, srv.InjectFault(vaultspaytest.Fault{Method: method, Path: path, Kind: vaultspaytest.FaultStatus,
			Status: status, Body: body, Header: map[string]string{"X-Request-Id": "req_0123"}}))
	}

	// A gateway's 502 to a transfer: unknown outcome, the unreadable answer as the cause.
	fault(http.MethodPost, transferPath, http.StatusBadGateway, "bad gateway")
	_, err := client.Transfers.Send(ctx, req)
	assert.Equal(t, transferHead+`outcome unknown, the request may have been processed: malformed response: HTTP 502: not JSON (body starts "bad gateway")`, err.Error())
	var unknown *vaultspay.TransferUnknownError
	assert.ErrorAs(t, err, &unknown)
	assert.ErrorIs(t, err, vaultspay.ErrOutcomeUnknown)
	assert.ErrorIs(t, err, vaultspay.ErrMalformedResponse)

	// A 500 with a code to a transfer: the API's answer, with its request id.
	fault(http.MethodPost, transferPath, http.StatusInternalServerError, `{"code":1010,"type":"BAD_REQUEST","message":"Insufficient balance"}`)
	_, err = client.Transfers.Send(ctx, req)
	assert.Equal(t, "vaultspay: HTTP 500 BAD_REQUEST (1010): Insufficient balance (request id req_0123)", err.Error())
	assert.True(t, vaultspay.IsInsufficientFunds(err))

	// A 429 to a transfer: not trusted, unknown outcome over the API error.
	fault(http.MethodPost, transferPath, http.StatusTooManyRequests, `{"code":1005,"type":"THROTTLE","message":"Too many requests"}`)
	_, err = client.Transfers.Send(ctx, req)
	assert.Equal(t, transferHead+"outcome unknown, the request may have been processed: HTTP 429 THROTTLE (1005): Too many requests (request id req_0123)", err.Error())
	assert.ErrorIs(t, err, vaultspay.ErrThrottled)

	// A read whose connection is reset before any answer: the method and path, then the transport error.
	require.NoError(t, srv.InjectFault(vaultspaytest.Fault{Method: http.MethodGet, Path: "/be/api/v1/accounts/" + a.ID.String(),
		Kind: vaultspaytest.FaultResetBeforeHandler, Times: 10}))
	_, err = client.Wallets.Get(ctx, a.ID, vaultspay.WithRetryLimit(0))
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "vaultspay: GET /be/api/v1/accounts/"+a.ID.String()+": Get \"http://"), err.Error())
	assert.Equal(t, 1, strings.Count(err.Error(), "vaultspay:"), err.Error())

	// A refused login behind a call: the call, "obtaining access token", then the API error.
	bad := vaultspaytest.NewServer(vaultspaytest.WithCredentials("id", "right-secret", "17"))
	t.Cleanup(bad.Close)
	wrong := bad.Client(vaultspay.WithCredentials("id", "wrong-secret"))
	_, err = wrong.Wallets.Get(ctx, 1)
	require.Error(t, err)
	var apiErr *vaultspay.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Regexp(t, `^vaultspay: GET /be/api/v1/accounts/1: obtaining access token: HTTP 401 UNAUTHENTICATED \(1002\): [^:]+ \(request id req_[0-9a-f]{16}\)$`, err.Error())

	// Every verb prints the same single-prefix text.
	for _, verb := range []string{"%v", "%+v", "%s", "%#v"} {
		assert.Equal(t, 1, strings.Count(fmt.Sprintf(verb, err), "vaultspay:"), verb)
	}
}
