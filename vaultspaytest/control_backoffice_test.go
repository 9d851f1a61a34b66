package vaultspaytest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
)

// TestControlTokensExpire: POST /_fake/tokens/expire is ExpireTokens: the access token in hand answers
// 1003 afterwards, the clock does not move.
func TestControlTokensExpire(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, WithClock(fixedClock))
	tk := login(t, srv)
	require.Equal(t, http.StatusOK, ping(t, srv, "Bearer "+tk.AccessToken).Status)
	status, raw := control(t, srv, http.MethodPost, "/_fake/tokens/expire", nil)
	require.Equal(t, http.StatusOK, status, "body %s", raw)
	assert.JSONEq(t, `{"data":{}}`, string(raw))
	a := ping(t, srv, "Bearer "+tk.AccessToken)
	requireAPIError(t, 401, 1003, a.Status, a.Plain)
	assert.True(t, fixedNow.Equal(srv.Now()), "the clock did not move")
}

// sentTransfer opens and funds an account, saves a contact and sends a transfer of 100.00 AED over
// the wire; it returns the account and transfer ids.
func sentTransfer(t *testing.T, srv *Server, tok tokens) (account, transfer int64) {
	t.Helper()
	account = openTestAccount(t, srv, tok)
	require.NoError(t, srv.FundAccount(vaultspay.ID(account), vaultspay.MustParseAmount("250.00")))
	var contact struct{ ID int64 }
	decodeData(t, apiJSON(t, srv, tok, http.MethodPost, "/be/api/v1/direct-payment-contact",
		map[string]any{"title": "Rent", "iban": TestIBANZand, "accountTitle": nil}), &contact)
	var tr struct{ ID int64 }
	decodeData(t, apiJSON(t, srv, tok, http.MethodPost, "/tc/api/v1/direct-transfer",
		map[string]any{"senderAccountId": fmt.Sprint(account), "currencyCode": "AED", "paymentContactId": fmt.Sprint(contact.ID),
			"purpose": "RENT", "description": "Rent", "amount": 10000}), &tr)
	return account, tr.ID
}

// TestControlTransferReverse: POST /_fake/transfers/{id}/reverse is ReverseTransfer: the money goes
// back, the transaction reads REVERSED, a second reversal and an unknown id are 400 1010.
func TestControlTransferReverse(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	tok := login(t, srv)
	account, transfer := sentTransfer(t, srv, tok)
	path := fmt.Sprintf("/_fake/transfers/%d/reverse", transfer)

	status, raw := control(t, srv, http.MethodPost, path, nil)
	require.Equal(t, http.StatusOK, status, "body %s", raw)
	var out struct {
		Data struct {
			ID     int64  `json:"id"`
			Status string `json:"status"`
		} `json:"data"`
	}
	require.NoError(t, json.Unmarshal(raw, &out))
	assert.Equal(t, transfer, out.Data.ID)
	assert.Equal(t, "REVERSED", out.Data.Status)
	var acct struct{ Balance json.Number }
	decodeData(t, apiJSON(t, srv, tok, http.MethodGet, fmt.Sprintf("/be/api/v1/accounts/%d", account), nil), &acct)
	assert.Equal(t, "250", acct.Balance.String(), "the 100.00 came back")

	for _, p := range []string{path, "/_fake/transfers/999999/reverse", "/_fake/transfers/x/reverse"} {
		status, raw = control(t, srv, http.MethodPost, p, nil)
		requireBadRequest(t, status, raw)
	}
}

// TestControlWebhooksEmit: POST /_fake/webhooks/emit is EmitWebhook: the event is delivered byte for
// byte as given; no URL is 400 1010, a body without an event object 422 on key event.
func TestControlWebhooksEmit(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, fastHooks)
	event, err := os.ReadFile("../testdata/spec/transfers/webhook-transaction-performed.reversed.json")
	require.NoError(t, err)
	body := append(append([]byte(`{"event": `), event...), '}')

	status, raw := control(t, srv, http.MethodPost, "/_fake/webhooks/emit", string(body))
	requireBadRequest(t, status, raw)

	hook := newHookReceiver(t, http.StatusOK)
	require.NoError(t, srv.SetWebhook(hook.URL, ""))
	status, raw = control(t, srv, http.MethodPost, "/_fake/webhooks/emit", string(body))
	require.Equal(t, http.StatusOK, status, "body %s", raw)
	assert.JSONEq(t, `{"data":{"eventId":"`+srv.WebhookDeliveries()[0].EventID+`","eventType":"TRANSACTION_PERFORMED"}}`, string(raw))
	waitHooks(t, srv)
	_, bodies := hook.received()
	require.Len(t, bodies, 1)
	assert.Equal(t, string(bytes.TrimSpace(event)), bodies[0], "sent byte for byte as given")

	for _, bad := range []string{`{}`, `{"event": 5}`, `{"event": [1]}`} {
		status, raw = control(t, srv, http.MethodPost, "/_fake/webhooks/emit", bad)
		assert.Equal(t, []string{"event"}, requireAPIError(t, http.StatusUnprocessableEntity, 1000, status, raw).keys(), bad)
	}
}

// TestControlFundCallsFundAccount: the fund route and FundAccount do the same thing (a Deposit and a
// ledger credit) and refuse the same things (1010 unknown account, 1000 on amount).
func TestControlFundCallsFundAccount(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	tok := login(t, srv)
	id := openTestAccount(t, srv, tok)
	status, raw := control(t, srv, http.MethodPost, fmt.Sprintf("/_fake/accounts/%d/fund", id), `{"amount": "250.00"}`)
	require.Equal(t, http.StatusOK, status, "body %s", raw)
	require.NoError(t, srv.FundAccount(vaultspay.ID(id), vaultspay.MustParseAmount("0.50")))
	var acct struct{ Balance json.Number }
	decodeData(t, apiJSON(t, srv, tok, http.MethodGet, fmt.Sprintf("/be/api/v1/accounts/%d", id), nil), &acct)
	assert.Equal(t, "250.5", acct.Balance.String())
	assert.Equal(t, 2, srv.State().Transactions, "two deposits")

	status, raw = control(t, srv, http.MethodPost, "/_fake/accounts/999999/fund", `{"amount": "1.00"}`)
	requireBadRequest(t, status, raw)
	status, raw = control(t, srv, http.MethodPost, fmt.Sprintf("/_fake/accounts/%d/fund", id), `{"amount": "-1.00"}`)
	assert.Equal(t, []string{"amount"}, requireAPIError(t, http.StatusUnprocessableEntity, 1000, status, raw).keys())
	assert.Error(t, srv.FundAccount(vaultspay.ID(id), vaultspay.MustParseAmount("-1.00")))
}

// requireBadRequest checks a 400 1010 BAD_REQUEST error object, whose message names the problem.
func requireBadRequest(t *testing.T, status int, raw []byte) {
	t.Helper()
	require.Equal(t, http.StatusBadRequest, status, "body %s", raw)
	var e apiErr
	require.NoError(t, json.Unmarshal(raw, &e), "body %s", raw)
	assert.Equal(t, 1010, e.Code)
	assert.Equal(t, "BAD_REQUEST", e.Type)
	assert.NotEmpty(t, e.Message)
}
