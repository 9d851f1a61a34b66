package vaultspay

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sentTransferAnswer = `{"data":{"id":77,"transactionId":"6a1f","currencyCode":"AED","amount":100000,"status":"PENDING"}}`

// TestHTTP2ResetDoesNotReplayTransfer: a server that reads a transfer and then resets the HTTP/2 stream
// receives it once, whatever the reset code; the caller gets ErrOutcomeUnknown. A read is repeated.
func TestHTTP2ResetDoesNotReplayTransfer(t *testing.T) {
	t.Parallel()
	for _, code := range []uint32{h2CodeProtocol, h2CodeRefusedStream} {
		t.Run("code "+strconv.Itoa(int(code)), func(t *testing.T) {
			t.Parallel()
			s := newH2ResetServer(t, code, 1, sentTransferAnswer)
			c, err := NewClient(WithBaseURL(s.URL), WithAppID(testAppID), WithEncryption(false),
				WithTokenSource(staticToken("tok")), WithHTTPClient(s.Client()), WithRetryPolicy(fastRetry(2)))
			require.NoError(t, err)
			req := validTransfer()
			tr, err := c.Transfers.Send(context.Background(), &req)
			assert.Nil(t, tr)
			require.ErrorIs(t, err, ErrOutcomeUnknown)
			assert.Equal(t, 1, s.received(), "the server received the transfer once")

			s2 := newH2ResetServer(t, code, 1, `{"data":{"id":5,"userId":1,"currencyCode":"AED"}}`)
			c2, err := NewClient(WithBaseURL(s2.URL), WithAppID(testAppID), WithEncryption(false),
				WithTokenSource(staticToken("tok")), WithHTTPClient(s2.Client()), WithRetryPolicy(fastRetry(2)))
			require.NoError(t, err)
			a, err := c2.Wallets.Get(context.Background(), 5)
			require.NoError(t, err, "a read may be repeated")
			assert.Equal(t, ID(5), a.ID)
		})
	}
}

// TestTokenCodeOn429IsOutcomeUnknown: a token code replays a call only with its documented status
// (401 with 1003/1004, 400 with 1036); any other pairing on a money mover is an unknown outcome, sent once.
func TestTokenCodeOn429IsOutcomeUnknown(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		status int
		code   ErrorCode
	}{{429, 1003}, {429, 1004}, {429, 1036}, {500, 1003}, {401, 1036}, {400, 1003}} {
		t.Run(strconv.Itoa(tt.status)+"/"+strconv.Itoa(int(tt.code)), func(t *testing.T) {
			t.Parallel()
			body := `{"code":` + strconv.Itoa(int(tt.code)) + `,"message":"token","type":"UNAUTHENTICATED"}`
			c, mt := newRetryingWireClient(t, 3, func(*http.Request) (*http.Response, error) {
				return httpmock.NewStringResponse(tt.status, body), nil
			})
			req := validTransfer()
			_, err := c.Transfers.Send(context.Background(), &req)
			require.ErrorIs(t, err, ErrOutcomeUnknown)
			assert.Equal(t, 1, mt.GetTotalCallCount(), "Send is never replayed")
			_, err = c.Transfers.CreateContact(context.Background(), &CreateContactRequest{Title: "x", IBAN: "AE580300000002000007377"})
			require.ErrorIs(t, err, ErrOutcomeUnknown)
			assert.Equal(t, 2, mt.GetTotalCallCount(), "CreateContact is never replayed")
		})
	}
	t.Run("documented pair replays once", func(t *testing.T) {
		t.Parallel()
		n := 0
		c, mt := newRetryingWireClient(t, 3, func(*http.Request) (*http.Response, error) {
			if n++; n == 1 {
				return httpmock.NewStringResponse(401, `{"code":1003,"message":"expired","type":"UNAUTHENTICATED"}`), nil
			}
			return httpmock.NewStringResponse(200, sentTransferAnswer), nil
		})
		req := validTransfer()
		tr, err := c.Transfers.Send(context.Background(), &req)
		require.NoError(t, err)
		assert.Equal(t, ID(77), tr.ID)
		assert.Equal(t, 2, mt.GetTotalCallCount())
	})
}

// TestEmptySuccessIsOutcomeUnknown: a 2xx that does not prove what was created or moved is an unknown
// outcome for a create/move call and a malformed response for a read.
func TestEmptySuccessIsOutcomeUnknown(t *testing.T) {
	t.Parallel()
	bodies := []string{`null`, `{}`, `{"data":null}`, `{"data":{}}`, `{"data":{"status":"PENDING"}}`, `{"data":{"id":0}}`}
	for _, body := range bodies {
		t.Run(body, func(t *testing.T) {
			t.Parallel()
			c, mt := newRetryingWireClient(t, 2, func(*http.Request) (*http.Response, error) {
				return httpmock.NewStringResponse(200, body), nil
			})
			req := validTransfer()
			tr, err := c.Transfers.Send(context.Background(), &req)
			assert.Nil(t, tr)
			require.ErrorIs(t, err, ErrOutcomeUnknown)

			card, err := c.Cards.Create(context.Background(), &CreateCardRequest{CardTierID: 1, CustomerID: 2,
				CardType: CardTypeVirtual, AccountID: 3, CardHolderName: "JANE DOE"})
			assert.Nil(t, card)
			require.ErrorIs(t, err, ErrOutcomeUnknown)

			a, err := c.Wallets.Get(context.Background(), 5)
			assert.Nil(t, a)
			require.ErrorIs(t, err, ErrMalformedResponse)
			assert.NotErrorIs(t, err, ErrOutcomeUnknown)
			var re *ResponseError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, 3, mt.GetTotalCallCount(), "an answer that arrived is not asked again")
		})
	}
}

// TestDoPostNotRetriedOn429: Do follows the money rule for anything but GET and HEAD, 429 included,
// unless the call opts in with WithRepeatable.
func TestDoPostNotRetriedOn429(t *testing.T) {
	t.Parallel()
	c, mt := newRetryingWireClient(t, 3, func(*http.Request) (*http.Response, error) {
		return httpmock.NewStringResponse(429, `{"code":1005,"message":"slow down","type":"THROTTLE"}`), nil
	})
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		before := mt.GetTotalCallCount()
		err := c.Do(context.Background(), m, "/x/api/v1/thing", map[string]int{"a": 1}, nil)
		require.ErrorIs(t, err, ErrOutcomeUnknown, m)
		assert.Equal(t, 1, mt.GetTotalCallCount()-before, "%s sent once", m)
	}
	before := mt.GetTotalCallCount()
	err := c.Do(context.Background(), http.MethodPost, "/x/api/v1/search", map[string]int{"a": 1}, nil, WithRepeatable())
	require.ErrorIs(t, err, ErrThrottled)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, 4, mt.GetTotalCallCount()-before, "opted in: retried like a read")
}

// TestDefaultRequestTimeout: every client bounds an attempt by default; against a server that never
// answers a call ends (ErrOutcomeUnknown for a money mover), and WithRequestTimeout(0) switches it off.
func TestDefaultRequestTimeout(t *testing.T) {
	t.Parallel()
	c, err := NewClient(WithBaseURL(wireBase), WithAppID(testAppID), WithEncryption(false), WithTokenSource(staticToken("t")))
	require.NoError(t, err)
	assert.Equal(t, DefaultRequestTimeout, c.defaults.timeout)
	off, err := NewClient(WithBaseURL(wireBase), WithAppID(testAppID), WithEncryption(false), WithTokenSource(staticToken("t")),
		WithRequestTimeout(0))
	require.NoError(t, err)
	assert.Zero(t, off.defaults.timeout)

	stop := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	t.Cleanup(hang.Close)
	t.Cleanup(func() { close(stop) })
	hc, err := NewClient(WithBaseURL(hang.URL), WithAppID(testAppID), WithEncryption(false), WithTokenSource(staticToken("t")),
		WithRetryPolicy(fastRetry(1)), WithRequestTimeout(20*time.Millisecond))
	require.NoError(t, err)
	req := validTransfer()
	_, err = hc.Transfers.Send(context.Background(), &req)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	_, err = hc.Wallets.Get(context.Background(), 5, WithAttemptTimeout(10*time.Millisecond))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	// A caller's deadline later than the attempt timeout does not replace it; an earlier one ends the call.
	for _, d := range []time.Duration{time.Hour, 10 * time.Millisecond} {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		_, err = hc.Wallets.Get(ctx, 5, WithAttemptTimeout(20*time.Millisecond))
		cancel()
		require.ErrorIs(t, err, context.DeadlineExceeded, "caller deadline %v", d)
	}
}

// TestAuthorizationFollowsTheTokenSource: each attempt carries the token the source gives at that
// moment, and a token that is not header-safe fails the call before I/O even after good ones.
func TestAuthorizationFollowsTheTokenSource(t *testing.T) {
	t.Parallel()
	var next atomic.Pointer[string]
	src := tokenFunc(func(context.Context) (Secret, error) { return Secret(*next.Load()), nil })
	c, mt, rec := setup(t, WithTokenSource(src))
	mt.RegisterNoResponder(rec.reply(http.StatusOK, `{"data":{"id":5}}`))
	for _, tc := range []struct{ token, err string }{
		{token: "token-a"}, {token: "token-a"}, {token: "token-b"}, {token: "token-a"},
		{token: "bad token", err: "not a header-safe token"}, {token: "", err: "not a header-safe token"},
		{token: "bad\ntoken", err: "not a header-safe token"}, {token: "token-b"},
	} {
		tok := tc.token
		next.Store(&tok)
		before := len(rec.all())
		_, err := c.Wallets.Get(context.Background(), 5)
		if tc.err != "" {
			require.ErrorContains(t, err, tc.err)
			assert.Len(t, rec.all(), before, "nothing sent with %q", tc.token)
			continue
		}
		require.NoError(t, err)
		calls := rec.all()
		require.Len(t, calls, before+1)
		assert.Equal(t, "Bearer "+tok, calls[before].header.Get("Authorization"))
	}
}

// tokenFunc is a TokenSource from a function.
type tokenFunc func(context.Context) (Secret, error)

func (f tokenFunc) AccessToken(ctx context.Context) (Secret, error) { return f(ctx) }

// TestNilContextEverywhere: a nil ctx is an error, never a panic, on every kind of entry point.
func TestNilContextEverywhere(t *testing.T) {
	t.Parallel()
	c, mt := newRetryingWireClient(t, 0, func(*http.Request) (*http.Response, error) {
		return httpmock.NewStringResponse(200, `{"data":[]}`), nil
	})
	var nilCtx context.Context
	calls := map[string]func() error{
		"Login":               func() error { return c.Login(nilCtx) },
		"Ping":                func() error { _, err := c.Ping(nilCtx); return err },
		"Wallets.Get":         func() error { _, err := c.Wallets.Get(nilCtx, 1); return err },
		"Users.ListCountries": func() error { _, err := c.Users.ListCountries(nilCtx); return err },
		"Transfers.FindSent": func() error {
			_, err := c.Transfers.FindSent(nilCtx, TransferMatch{CurrencyCode: "AED", Amount: MustParseAmount("1")})
			return err
		},
		"Wallets.ListIter": func() error {
			for _, err := range c.Wallets.ListIter(nilCtx, nil) {
				return err
			}
			return nil
		},
		"Transactions.ListIter": func() error {
			for _, err := range c.Transactions.ListIter(nilCtx, nil) {
				return err
			}
			return nil
		},
		"Do": func() error { return c.Do(nilCtx, http.MethodGet, "/v1/ping", nil, nil) },
	}
	for name, f := range calls {
		var err error
		require.NotPanics(t, func() { err = f() }, name)
		require.ErrorIs(t, err, ErrNilContext, name)
	}
	assert.Zero(t, mt.GetTotalCallCount())
	login, err := NewClient(WithBaseURL(wireBase), WithAppID(testAppID), WithEncryption(false), WithCredentials("id", "secret"))
	require.NoError(t, err)
	require.NotPanics(t, func() { err = login.Login(nilCtx) })
	require.ErrorIs(t, err, ErrNilContext)
}

// TestRetryAfterOverflowClamped: any Retry-After (seconds however large, or a date past or future) waits
// at most the cap, never a negative duration.
func TestRetryAfterOverflowClamped(t *testing.T) {
	t.Parallel()
	const limit = 3 * time.Second
	for _, v := range []string{"9223372037", "9223372036854775807", "99999999999999999999999",
		time.Now().AddDate(500, 0, 0).UTC().Format(http.TimeFormat), "Mon, 01 Jan 3000 00:00:00 GMT"} {
		resp := &http.Response{Header: http.Header{"Retry-After": {v}}}
		assert.Equal(t, limit, backoff(time.Millisecond, time.Second, limit, 0, resp), v)
	}
	past := &http.Response{Header: http.Header{"Retry-After": {"Mon, 01 Jan 2001 00:00:00 GMT"}}}
	assert.Zero(t, backoff(time.Millisecond, time.Second, limit, 0, past))
	small := &http.Response{Header: http.Header{"Retry-After": {"2"}}}
	assert.Equal(t, 2*time.Second, backoff(time.Millisecond, time.Second, limit, 0, small))
}

var _ = errors.New

// TestNilRequestIsValidationError: a nil request is a *ValidationError on every method that takes one,
// and nothing is sent.
func TestNilRequestIsValidationError(t *testing.T) {
	t.Parallel()
	c, mt := newRetryingWireClient(t, 0, func(*http.Request) (*http.Response, error) {
		return httpmock.NewStringResponse(200, `{"data":{"id":1}}`), nil
	})
	ctx := context.Background()
	calls := map[string]func() error{
		"Transfers.Send":          func() error { _, err := c.Transfers.Send(ctx, nil); return err },
		"Transfers.CreateContact": func() error { _, err := c.Transfers.CreateContact(ctx, nil); return err },
		"Transfers.ValidateIBAN":  func() error { _, err := c.Transfers.ValidateIBAN(ctx, nil); return err },
		"Wallets.Create":          func() error { _, err := c.Wallets.Create(ctx, nil); return err },
		"Users.Create":            func() error { _, err := c.Users.Create(ctx, nil); return err },
		"Cards.Create":            func() error { _, err := c.Cards.Create(ctx, nil); return err },
		"KYC.CreatePersonal":      func() error { _, err := c.KYC.CreatePersonal(ctx, nil); return err },
		"KYC.CreateAddress":       func() error { _, err := c.KYC.CreateAddress(ctx, nil); return err },
		"KYC.UpdateAddress":       func() error { _, err := c.KYC.UpdateAddress(ctx, nil); return err },
		"KYC.UploadIdentification": func() error {
			_, err := c.KYC.UploadIdentification(ctx, nil)
			return err
		},
	}
	for name, f := range calls {
		var ve *ValidationError
		require.ErrorAs(t, f(), &ve, name)
		assert.Equal(t, "body", ve.Errors[0].Key, name)
	}
	assert.Zero(t, mt.GetTotalCallCount())
}
