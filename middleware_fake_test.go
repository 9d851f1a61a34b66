package vaultspay_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// tape records what middleware is handed, through the fake's full encrypted pipeline.
type tape struct {
	mu       sync.Mutex
	calls    []vaultspay.Call
	errs     []error
	attempts []vaultspay.Attempt
	parents  []string // the ctx value the call middleware put, as each attempt saw it
}

type spanKey struct{}

func (tp *tape) middleware() vaultspay.Middleware {
	return vaultspay.Middleware{
		Call: func(next vaultspay.CallFunc) vaultspay.CallFunc {
			return func(ctx context.Context, c *vaultspay.Call) error {
				err := next(context.WithValue(ctx, spanKey{}, c.Operation.Name), c)
				tp.mu.Lock()
				tp.calls, tp.errs = append(tp.calls, *c), append(tp.errs, err)
				tp.mu.Unlock()
				return err
			}
		},
		Attempt: func(next vaultspay.AttemptFunc) vaultspay.AttemptFunc {
			return func(ctx context.Context, a *vaultspay.Attempt) error {
				err := next(ctx, a)
				parent, _ := ctx.Value(spanKey{}).(string)
				tp.mu.Lock()
				tp.attempts, tp.parents = append(tp.attempts, *a), append(tp.parents, parent)
				tp.mu.Unlock()
				return err
			}
		},
	}
}

// of returns the calls and attempts of operation name.
func (tp *tape) of(name string) (calls []vaultspay.Call, errs []error, attempts []vaultspay.Attempt, parents []string) {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	for i, c := range tp.calls {
		if c.Operation.Name == name {
			calls, errs = append(calls, c), append(errs, tp.errs[i])
		}
	}
	for i, a := range tp.attempts {
		if a.Operation.Name == name {
			attempts, parents = append(attempts, a), append(parents, tp.parents[i])
		}
	}
	return
}

// TestMiddlewareSeesCallsAndAttempts: the operation (name, method, template, rule), each attempt
// (number, status, code, request id, retry and reason) and the outcome, for a read retried after a 503,
// a transfer, and the login the first call needed; the call middleware's ctx reaches every attempt.
func TestMiddlewareSeesCallsAndAttempts(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	tp := &tape{}
	// Not srv.Client: the secret scan's options turn WithMiddlewareBodies on, and this call must run without.
	client, err := vaultspay.NewClient(vaultspay.WithBaseURL(srv.URL), vaultspay.WithCredentials(srv.ClientID(), srv.ClientSecret()),
		vaultspay.WithAppID(srv.AppID()), vaultspay.WithPublicKey(srv.PublicKey()), vaultspay.WithWireProfile(srv.WireProfile()),
		vaultspay.WithMiddleware(tp.middleware()), vaultspay.WithRetryPolicy(vaultspay.RetryPolicy{MaxRetries: 2}))
	require.NoError(t, err)
	ctx := context.Background()
	a := openAccount(t, srv, client, "5000.00")
	require.NoError(t, srv.InjectFault(vaultspaytest.Fault{Method: http.MethodGet, Path: "/be/api/v1/accounts/" + a.ID.String(),
		Kind: vaultspaytest.FaultStatus, Status: http.StatusServiceUnavailable, Body: "busy", Header: map[string]string{"X-Request-Id": "req_busy"}}))
	_, err = client.Wallets.Get(ctx, a.ID)
	require.NoError(t, err)

	calls, errs, attempts, parents := tp.of("Wallets.Get")
	require.Len(t, calls, 1)
	assert.NoError(t, errs[0])
	assert.Equal(t, vaultspay.Operation{Name: "Wallets.Get", Method: http.MethodGet, Template: "/be/api/v1/accounts/{id}",
		Retry: vaultspay.RetryRead}, calls[0].Operation)
	assert.Equal(t, 2, calls[0].Attempts)
	assert.Equal(t, http.StatusOK, calls[0].StatusCode)
	assert.Regexp(t, `^req_[0-9a-f]{16}$`, calls[0].RequestID)
	assert.Nil(t, calls[0].Result, "no result without WithMiddlewareBodies")
	require.Len(t, attempts, 2)
	assert.Equal(t, []string{"Wallets.Get", "Wallets.Get"}, parents, "each attempt runs under the call middleware's ctx")
	first, second := attempts[0], attempts[1]
	assert.Equal(t, 1, first.Number)
	assert.Equal(t, http.StatusServiceUnavailable, first.StatusCode)
	assert.Equal(t, "req_busy", first.RequestID)
	assert.True(t, first.Retry)
	assert.Equal(t, "server error without a VaultsPay code", first.Reason)
	assert.True(t, first.Sent)
	assert.Nil(t, first.Body)
	assert.Equal(t, 2, second.Number)
	assert.Equal(t, http.StatusOK, second.StatusCode)
	assert.False(t, second.Retry)
	assert.Equal(t, "answered", second.Reason)
	assert.Positive(t, second.Duration)

	logins, loginErrs, loginAttempts, _ := tp.of("Auth.Login")
	require.Len(t, logins, 1, "the first call's login is an operation too")
	assert.NoError(t, loginErrs[0])
	assert.Equal(t, "/as/api/v1/saas-login", logins[0].Operation.Template)
	assert.Len(t, loginAttempts, 1)

	// A transfer refused by the API: the outcome is the *APIError with its code and request id.
	c := newContact(t, client, "AE580300000002000007377")
	_, err = client.Transfers.Send(ctx, rent(a, c, "9999.00"))
	var apiErr *vaultspay.APIError
	require.ErrorAs(t, err, &apiErr)
	calls, errs, _, _ = tp.of("Transfers.Send")
	require.Len(t, calls, 1)
	assert.Equal(t, vaultspay.RetryNoReplay, calls[0].Operation.Retry)
	assert.Equal(t, "/tc/api/v1/direct-transfer", calls[0].Operation.Template)
	assert.Equal(t, apiErr.Code, calls[0].Code)
	assert.Equal(t, apiErr.RequestID, calls[0].RequestID)
	assert.ErrorAs(t, errs[0], &apiErr)
}

// TestMiddlewareSeesUnknownOutcome: a transfer whose answer is lost reaches the middleware as
// ErrOutcomeUnknown, after one attempt whose reason says why it was not retried.
func TestMiddlewareSeesUnknownOutcome(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	tp := &tape{}
	client := srv.Client(vaultspay.WithMiddleware(tp.middleware()))
	a := openAccount(t, srv, client, "5000.00")
	c := newContact(t, client, "AE580300000002000007377")
	require.NoError(t, srv.InjectFault(vaultspaytest.Fault{Method: http.MethodPost, Path: transferPath, Kind: vaultspaytest.FaultResetAfterHandler}))
	_, err := client.Transfers.Send(context.Background(), rent(a, c, "10.00"))
	require.ErrorIs(t, err, vaultspay.ErrOutcomeUnknown)
	calls, errs, attempts, _ := tp.of("Transfers.Send")
	require.Len(t, calls, 1)
	assert.ErrorIs(t, errs[0], vaultspay.ErrOutcomeUnknown)
	assert.Equal(t, 0, calls[0].StatusCode)
	require.Len(t, attempts, 1)
	assert.False(t, attempts[0].Retry)
	assert.Equal(t, "transport error after the request was written", attempts[0].Reason)
	assert.Error(t, attempts[0].Err)
	assert.Equal(t, 1, srv.CountRequests(http.MethodPost, transferPath))
}

// resend is call middleware that calls next a second time, as a buggy or hostile one might.
func resend(second *error) vaultspay.Middleware {
	return vaultspay.Middleware{Call: func(next vaultspay.CallFunc) vaultspay.CallFunc {
		return func(ctx context.Context, c *vaultspay.Call) error {
			err := next(ctx, c)
			*second = next(ctx, c)
			return err
		}
	}}
}

// TestMiddlewareCannotResendWrites: next sends a read again, never a transfer; and a middleware that
// drops the error cannot hide the outcome.
func TestMiddlewareCannotResendWrites(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	client := srv.Client()
	ctx := context.Background()
	a := openAccount(t, srv, client, "5000.00")
	c := newContact(t, client, "AE580300000002000007377")

	var second error
	_, err := client.Wallets.Get(ctx, a.ID, vaultspay.WithCallMiddleware(resend(&second)))
	require.NoError(t, err)
	require.NoError(t, second, "a read may be sent again")
	assert.Equal(t, 2, srv.CountRequests(http.MethodGet, "/be/api/v1/accounts/"+a.ID.String()))

	tr, err := client.Transfers.Send(ctx, rent(a, c, "10.00"), vaultspay.WithCallMiddleware(resend(&second)))
	require.NoError(t, err)
	assert.NotNil(t, tr)
	require.Error(t, second)
	assert.Equal(t, "vaultspay: Transfers.Send: middleware may send only a read again", second.Error())
	assert.Equal(t, 1, srv.CountRequests(http.MethodPost, transferPath), "the transfer reached the server once")
	assert.Equal(t, 1, srv.State().Transfers)

	swallow := vaultspay.Middleware{Call: func(next vaultspay.CallFunc) vaultspay.CallFunc {
		return func(ctx context.Context, c *vaultspay.Call) error { _ = next(ctx, c); return nil }
	}}
	_, err = client.Transfers.Send(ctx, rent(a, c, "99999.00"), vaultspay.WithCallMiddleware(swallow))
	var apiErr *vaultspay.APIError
	assert.ErrorAs(t, err, &apiErr, "the caller gets next's error whatever the middleware returns")
}

// TestMiddlewareStopsBeforeSending: a middleware that returns an error without next sends nothing; one
// that returns nil without next gets errNotSent, never a nil error with a nil result.
func TestMiddlewareStopsBeforeSending(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	client := srv.Client()
	require.NoError(t, client.Login(context.Background()))
	stop := errors.New("circuit open")
	for _, tt := range []struct {
		name string
		mw   vaultspay.Middleware
		want string
	}{
		{"call error", vaultspay.Middleware{Call: func(vaultspay.CallFunc) vaultspay.CallFunc {
			return func(context.Context, *vaultspay.Call) error { return stop }
		}}, "circuit open"},
		{"call nil", vaultspay.Middleware{Call: func(vaultspay.CallFunc) vaultspay.CallFunc {
			return func(context.Context, *vaultspay.Call) error { return nil }
		}}, "vaultspay: middleware returned without sending and without an error"},
		{"attempt error", vaultspay.Middleware{Attempt: func(vaultspay.AttemptFunc) vaultspay.AttemptFunc {
			return func(context.Context, *vaultspay.Attempt) error { return stop }
		}}, "vaultspay: GET /be/api/v1/accounts/1: circuit open"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := len(srv.Requests())
			acc, err := client.Wallets.Get(context.Background(), 1, vaultspay.WithCallMiddleware(tt.mw))
			require.Error(t, err)
			assert.Nil(t, acc)
			assert.Equal(t, tt.want, err.Error())
			assert.Len(t, srv.Requests(), before, "nothing was sent")
		})
	}
}

// TestMiddlewareHeaders: headers added by WithHeader and by middleware reach the server; protected
// ones are refused before any I/O, in any spelling.
func TestMiddlewareHeaders(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	var seen http.Header
	var mu sync.Mutex
	next := srv.Config.Handler
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/ping" {
			mu.Lock()
			seen = r.Header.Clone()
			mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
	client := srv.Client()
	ctx := context.Background()
	add := func(call, attempt string) vaultspay.Middleware {
		return vaultspay.Middleware{
			Call: func(next vaultspay.CallFunc) vaultspay.CallFunc {
				return func(ctx context.Context, c *vaultspay.Call) error {
					c.Header = http.Header{call: {"c"}}
					return next(ctx, c)
				}
			},
			Attempt: func(next vaultspay.AttemptFunc) vaultspay.AttemptFunc {
				return func(ctx context.Context, a *vaultspay.Attempt) error {
					a.Header = http.Header{attempt: {"a"}}
					return next(ctx, a)
				}
			},
		}
	}
	_, err := client.Ping(ctx, vaultspay.WithHeader("X-Tenant", "acme"), vaultspay.WithCallMiddleware(add("X-Call", "Traceparent")))
	require.NoError(t, err)
	mu.Lock()
	assert.Equal(t, "acme", seen.Get("X-Tenant"))
	assert.Equal(t, "c", seen.Get("X-Call"))
	assert.Equal(t, "a", seen.Get("Traceparent"))
	assert.NotEmpty(t, seen.Get("x-session-nonce"), "sealing still happens")
	mu.Unlock()

	before := len(srv.Requests())
	for _, name := range []string{"Authorization", "authorization", "X-Session-Nonce", "x-auth-signature", "x-device-id",
		"X-Device-Os", "x-device-anything", "x-enable-encryption", "Content-Type", "Host", "Accept-Encoding"} {
		_, err := client.Ping(ctx, vaultspay.WithHeader(name, "x"))
		assert.ErrorIs(t, err, vaultspay.ErrValidation, name)
		_, err = client.Ping(ctx, vaultspay.WithCallMiddleware(add(name, "X-Ok")))
		assert.ErrorIs(t, err, vaultspay.ErrValidation, "call middleware adding %s", name)
		_, err = client.Ping(ctx, vaultspay.WithCallMiddleware(add("X-Ok", name)))
		assert.ErrorIs(t, err, vaultspay.ErrValidation, "attempt middleware adding %s", name)
	}
	_, err = client.Ping(ctx, vaultspay.WithHeader("X-Evil", "a\r\nAuthorization: Bearer x"))
	assert.ErrorIs(t, err, vaultspay.ErrValidation)
	_, err = client.Ping(ctx, vaultspay.WithHeader("Bad Name", "x"))
	assert.ErrorIs(t, err, vaultspay.ErrValidation)
	assert.Len(t, srv.Requests(), before, "a refused header sends nothing")
}

// TestRetryLimit: WithRetryLimit lowers and raises one call's retries; raising never retries a
// transfer whose request may have left.
func TestRetryLimit(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	client := srv.Client(vaultspay.WithRetryPolicy(vaultspay.RetryPolicy{MaxRetries: 1}))
	ctx := context.Background()
	var a *vaultspay.Account
	busy := func(path, method string) {
		require.NoError(t, srv.InjectFault(vaultspaytest.Fault{Method: method, Path: path, Kind: vaultspaytest.FaultStatus,
			Status: http.StatusServiceUnavailable, Body: "busy", Times: 10}))
	}
	for _, tt := range []struct {
		name  string
		opts  []vaultspay.RequestOption
		calls int
	}{
		{"client policy", nil, 2},
		{"lowered", []vaultspay.RequestOption{vaultspay.WithRetryLimit(0)}, 1},
		{"raised", []vaultspay.RequestOption{vaultspay.WithRetryLimit(3)}, 4},
	} {
		srv.Reset()
		a = openAccount(t, srv, client, "5000.00")
		path := "/be/api/v1/accounts/" + a.ID.String()
		busy(path, http.MethodGet)
		_, err := client.Wallets.Get(ctx, a.ID, tt.opts...)
		require.Error(t, err, tt.name)
		assert.Equal(t, tt.calls, srv.CountRequests(http.MethodGet, path), tt.name)
	}
	c := newContact(t, client, "AE580300000002000007377")
	busy(transferPath, http.MethodPost)
	_, err := client.Transfers.Send(ctx, rent(a, c, "10.00"), vaultspay.WithRetryLimit(5))
	require.ErrorIs(t, err, vaultspay.ErrOutcomeUnknown)
	assert.Equal(t, 1, srv.CountRequests(http.MethodPost, transferPath), "a raised limit never changes the rule")

	before := len(srv.Requests())
	for _, n := range []int{-1, vaultspay.MaxRetryLimit + 1} {
		_, err = client.Wallets.Get(ctx, a.ID, vaultspay.WithRetryLimit(n))
		assert.ErrorIs(t, err, vaultspay.ErrValidation)
	}
	assert.Len(t, srv.Requests(), before)
}

// TestMiddlewareBodies: the result and the decrypted answer reach middleware only with
// WithMiddlewareBodies, and never for the token calls.
func TestMiddlewareBodies(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	tp := &tape{}
	client := srv.Client(vaultspay.WithMiddleware(tp.middleware()), vaultspay.WithMiddlewareBodies())
	a := openAccount(t, srv, client, "5000.00")
	got, err := client.Wallets.Get(context.Background(), a.ID)
	require.NoError(t, err)
	calls, _, attempts, _ := tp.of("Wallets.Get")
	require.Len(t, calls, 1)
	assert.Same(t, got, calls[0].Result)
	require.Len(t, attempts, 1)
	assert.JSONEq(t, string(got.RawJSON()), string(attempts[0].Body[len(`{"data":`):len(attempts[0].Body)-1]))
	logins, _, loginAttempts, _ := tp.of("Auth.Login")
	require.Len(t, logins, 1)
	assert.Nil(t, logins[0].Result, "a token never reaches middleware")
	assert.Nil(t, loginAttempts[0].Body)
}
