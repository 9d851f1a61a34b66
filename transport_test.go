package vaultspay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scripted is one canned answer of a scripted responder.
type scripted struct {
	status int
	body   string
	header http.Header
	err    error // a transport error instead of an answer
}

// scriptResponder answers the i-th call with script[i] (the last entry repeats) and records each request's
// crypto headers and body.
type scriptResponder struct {
	script []scripted

	mu     sync.Mutex
	nonces []string
	sigs   []string
	bodies [][]byte
}

func (s *scriptResponder) calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.nonces)
}

func (s *scriptResponder) respond(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	s.mu.Lock()
	i := len(s.nonces)
	s.nonces = append(s.nonces, first(rawHeader(req.Header, headerNonce)))
	s.sigs = append(s.sigs, first(rawHeader(req.Header, headerSignature)))
	s.bodies = append(s.bodies, body)
	s.mu.Unlock()
	a := s.script[min(i, len(s.script)-1)]
	if a.err != nil {
		return nil, a.err
	}
	resp := httpmock.NewStringResponse(a.status, a.body)
	for k, v := range a.header {
		resp.Header[k] = v
	}
	return resp, nil
}

const okBody = `{"data":{"ok":true}}`

func TestRetryRules(t *testing.T) {
	t.Parallel()
	var (
		ok          = scripted{status: 200, body: okBody}
		empty503    = scripted{status: 503}
		html502     = scripted{status: 502, body: "<html>502 Bad Gateway</html>"}
		gw504       = scripted{status: 504, body: "upstream timed out"}
		html500     = scripted{status: 500, body: "<html>oops</html>"}
		coded500    = scripted{status: 500, body: `{"code":1010,"message":"Invalid IBAN","type":"BAD_REQUEST"}`}
		coded502    = scripted{status: 502, body: `{"code":1012,"message":"Account inactive","type":"ACCOUNT_STATUS"}`}
		tooMany     = scripted{status: 429, header: http.Header{"Retry-After": {"0"}}}
		throttled   = scripted{status: 400, body: `{"code":1005,"message":"Too many requests.","type":"THROTTLE"}`}
		notFound404 = scripted{status: 404, body: `{"code":1010,"message":"Invalid request.","type":"BAD_REQUEST"}`}
		dialErr     = scripted{err: errors.New("dial tcp: connection refused")}
	)
	tests := []struct {
		name      string
		method    string
		script    []scripted
		wantCalls int
		wantErr   error // nil: success
		unknown   bool  // the error wraps ErrOutcomeUnknown
	}{
		{name: "GET retried on 503 without a code", method: http.MethodGet, script: []scripted{empty503, ok}, wantCalls: 2},
		{name: "GET retried on 502 and 504", method: http.MethodGet, script: []scripted{html502, gw504, ok}, wantCalls: 3},
		{name: "GET gives up after MaxRetries", method: http.MethodGet, script: []scripted{empty503}, wantCalls: 4, wantErr: ErrMalformedResponse},
		{name: "GET retried on 429 with Retry-After 0", method: http.MethodGet, script: []scripted{tooMany, tooMany, ok}, wantCalls: 3},
		{name: "GET retried on 1005", method: http.MethodGet, script: []scripted{throttled, ok}, wantCalls: 2},
		{name: "GET retried on a transport error", method: http.MethodGet, script: []scripted{dialErr, ok}, wantCalls: 2},
		{name: "GET not retried on 500 with a VaultsPay code", method: http.MethodGet, script: []scripted{coded500, ok}, wantCalls: 1, wantErr: ErrBadRequest},
		{name: "GET not retried on 502 with a VaultsPay code", method: http.MethodGet, script: []scripted{coded502, ok}, wantCalls: 1, wantErr: ErrAccountStatus},
		{name: "GET retried on 500 without a code", method: http.MethodGet, script: []scripted{html500, ok}, wantCalls: 2},
		{name: "GET retried on 505 and 599 without a code", method: http.MethodGet, script: []scripted{{status: 505}, {status: 599}, ok}, wantCalls: 3},
		{name: "GET not retried on 501", method: http.MethodGet, script: []scripted{{status: 501, body: "Not Implemented"}, ok}, wantCalls: 1, wantErr: ErrMalformedResponse},
		{name: "GET not retried on 503 with a VaultsPay code", method: http.MethodGet,
			script: []scripted{{status: 503, body: `{"code":1010,"message":"Maintenance","type":"BAD_REQUEST"}`}, ok}, wantCalls: 1, wantErr: ErrBadRequest},
		{name: "GET not retried on 404", method: http.MethodGet, script: []scripted{notFound404, ok}, wantCalls: 1, wantErr: ErrBadRequest},

		{name: "POST not retried on 502", method: http.MethodPost, script: []scripted{html502, ok}, wantCalls: 1, wantErr: ErrMalformedResponse, unknown: true},
		{name: "POST not retried on empty 503", method: http.MethodPost, script: []scripted{empty503, ok}, wantCalls: 1, wantErr: ErrMalformedResponse, unknown: true},
		{name: "POST not retried on 500 without a code", method: http.MethodPost, script: []scripted{html500, ok}, wantCalls: 1, wantErr: ErrMalformedResponse, unknown: true},
		{name: "POST not retried on 500 with a code, outcome known", method: http.MethodPost, script: []scripted{coded500, ok}, wantCalls: 1, wantErr: ErrBadRequest},
		{name: "POST retried on 429", method: http.MethodPost, script: []scripted{tooMany, ok}, wantCalls: 2},
		{name: "POST retried on 1005", method: http.MethodPost, script: []scripted{throttled, throttled, ok}, wantCalls: 3},
		{name: "PUT follows the POST rule", method: http.MethodPut, script: []scripted{gw504, ok}, wantCalls: 1, wantErr: ErrMalformedResponse, unknown: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mt := httpmock.NewMockTransport()
			sr := &scriptResponder{script: tt.script}
			mt.RegisterResponder(tt.method, string(UAT)+"/tc/api/v1/direct-transfer", sr.respond)
			c := newMockClient(t, mt, WithRetryPolicy(fastRetry(3)))
			var body any
			if tt.method != http.MethodGet {
				body = map[string]string{"amount": "10.00"}
			}
			var res Response
			err := doWrite(c, context.Background(), tt.method, "/tc/api/v1/direct-transfer", body, nil, WithResponseInto(&res))
			assert.Equal(t, tt.wantCalls, sr.calls(), "attempts")
			if tt.wantErr == nil {
				require.NoError(t, err)
				assert.Equal(t, tt.wantCalls, res.Attempts)
			} else {
				require.ErrorIs(t, err, tt.wantErr)
			}
			assert.Equal(t, tt.unknown, errors.Is(err, ErrOutcomeUnknown), "ErrOutcomeUnknown: %v", err)

			// Every attempt was sealed afresh.
			assert.Len(t, distinct(sr.nonces), tt.wantCalls, "a fresh IV per attempt")
			assert.Len(t, distinct(sr.sigs), tt.wantCalls, "a fresh key per attempt")
		})
	}
}

func distinct(v []string) map[string]bool {
	m := map[string]bool{}
	for _, s := range v {
		m[s] = true
	}
	return m
}

func TestRetryResealsEveryAttempt(t *testing.T) {
	t.Parallel()
	priv := testKey(t)
	mt := httpmock.NewMockTransport()
	sr := &scriptResponder{script: []scripted{{status: 429}, {status: 429, header: http.Header{"Retry-After": {"0"}}}, {status: 200, body: okBody}}}
	mt.RegisterResponder(http.MethodPost, string(UAT)+"/pcs/api/v1/cards", sr.respond)
	c := newMockClient(t, mt, WithRetryPolicy(fastRetry(3)))
	in := map[string]any{"cardTierId": 1, "customerId": 2}
	require.NoError(t, doWrite(c, context.Background(), http.MethodPost, "/pcs/api/v1/cards", in, nil))
	require.Equal(t, 3, sr.calls())
	assert.Len(t, distinct(sr.nonces), 3)
	bodies := map[string]bool{}
	for i := range sr.nonces {
		s := openDefaultHeaders(t, priv, sr.nonces[i], sr.sigs[i])
		assert.JSONEq(t, `{"cardTierId":1,"customerId":2}`, string(s.openBody(t, sr.bodies[i])), "attempt %d", i+1)
		bodies[string(sr.bodies[i])] = true
	}
	assert.Len(t, bodies, 3, "each attempt's ciphertext differs")
}

// failFirstTransport fails the first request to path with a dial error, before anything is written and without
// calling base.
type failFirstTransport struct {
	base   http.RoundTripper
	path   string
	failed atomic.Bool
}

func (f *failFirstTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path == f.path && f.failed.CompareAndSwap(false, true) {
		if r.Body != nil {
			_ = r.Body.Close()
		}
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}
	}
	return f.base.RoundTrip(r)
}

func newBaseTransport(t *testing.T) *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

func TestPOSTRetriedWhenNeverSent(t *testing.T) {
	t.Parallel()
	const path = "/tc/api/v1/direct-transfer"
	tests := []struct {
		name      string
		login     bool // the first call must log in first
		transport func(t *testing.T) http.RoundTripper
	}{
		{
			name: "round tripper fails before writing",
			transport: func(t *testing.T) http.RoundTripper {
				return &failFirstTransport{base: newBaseTransport(t), path: path}
			},
		},
		{
			name:  "round tripper fails before writing, after a login on the same call",
			login: true,
			transport: func(t *testing.T) http.RoundTripper {
				return &failFirstTransport{base: newBaseTransport(t), path: path}
			},
		},
		{
			name: "first dial refused",
			transport: func(t *testing.T) http.RoundTripper {
				tr := newBaseTransport(t)
				var dialed atomic.Bool
				var d net.Dialer
				tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
					if dialed.CompareAndSwap(false, true) {
						return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("connection refused")}
					}
					return d.DialContext(ctx, network, addr)
				}
				return tr
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) { f.mux.HandleFunc("POST "+path, echo) })
			opts := []Option{WithHTTPClient(&http.Client{Transport: tt.transport(t)}), WithRetryPolicy(fastRetry(2))}
			if !tt.login {
				opts = append(opts, WithTokenSource(staticToken("tok")))
			}
			c := f.client(t, opts...)
			var out map[string]string
			var res Response
			err := c.Do(context.Background(), http.MethodPost, path, map[string]string{"amount": "5.00"}, &out, WithResponseInto(&res))
			require.NoError(t, err)
			assert.Equal(t, map[string]string{"amount": "5.00"}, out)
			assert.Len(t, f.requestsTo(path), 1, "the server saw the transfer once")
			assert.Equal(t, 2, res.Attempts)
		})
	}
}

func TestPOST502OutcomeUnknownOverRealConnection(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) {
		f.raw.HandleFunc("POST /tc/api/v1/direct-transfer", func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			_, _ = io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(w, "<html><h1>502 Bad Gateway</h1></html>")
		})
	})
	c := f.client(t, WithRetryPolicy(fastRetry(3)))
	err := c.Do(context.Background(), http.MethodPost, "/tc/api/v1/direct-transfer", map[string]string{"amount": "5.00"}, nil)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	require.ErrorIs(t, err, ErrMalformedResponse)
	var re *ResponseError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, http.StatusBadGateway, re.StatusCode)
	assert.EqualValues(t, 1, calls.Load())
}

// hijackOnce reads the whole request, then closes the connection without an answer (a reset after the server
// acted), for the first n requests; later ones get an echo.
func hijackOnce(n int32, calls *atomic.Int32) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if calls.Add(1) > n {
			_, _ = io.WriteString(w, okBody)
			return
		}
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			panic(err)
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // RST rather than FIN
		}
		_ = conn.Close()
	}
}

func TestConnectionResetAfterServerRead(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method    string
		wantCalls int32
		wantErr   bool
	}{
		{method: http.MethodPost, wantCalls: 1, wantErr: true},
		{method: http.MethodGet, wantCalls: 2},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) {
				f.raw.HandleFunc(tt.method+" /tc/api/v1/direct-transfer", hijackOnce(1, &calls))
			})
			c := f.client(t, WithTokenSource(staticToken("tok")), WithRetryPolicy(fastRetry(3)))
			var body any
			if tt.method == http.MethodPost {
				body = map[string]string{"amount": "5.00"}
			}
			err := c.Do(context.Background(), tt.method, "/tc/api/v1/direct-transfer", body, nil)
			assert.Equal(t, tt.wantCalls, calls.Load(), "attempts seen by the server")
			if !tt.wantErr {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrOutcomeUnknown)
			assert.NotErrorIs(t, err, context.Canceled)
			var apiErr *APIError
			assert.False(t, errors.As(err, &apiErr))
			assert.Contains(t, err.Error(), "vaultspay: outcome unknown, the request may have been processed: POST /tc/api/v1/direct-transfer: ")
		})
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	t.Parallel()
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) {
				f.raw.HandleFunc(method+" /v1/busy", func(w http.ResponseWriter, r *http.Request) {
					calls.Add(1)
					w.Header().Set("Retry-After", "3600")
					w.WriteHeader(http.StatusTooManyRequests)
				})
			})
			// An hour between attempts: only an honoured cancel lets this test finish.
			c := f.client(t, WithTokenSource(staticToken("tok")),
				WithRetryPolicy(RetryPolicy{MaxRetries: 5, MinWait: time.Hour, MaxWait: time.Hour}))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var waits atomic.Int32
			next := c.http.Backoff
			c.http.Backoff = func(minWait, maxWait time.Duration, n int, resp *http.Response) time.Duration {
				waits.Add(1)
				d := next(minWait, maxWait, n, resp)
				cancel() // the caller gives up while the client waits
				return d
			}
			var body any
			if method == http.MethodPost {
				body = map[string]string{"a": "b"}
			}
			err := doWrite(c, ctx, method, "/v1/busy", body, nil)
			require.ErrorIs(t, err, context.Canceled)
			assert.EqualValues(t, 1, waits.Load(), "cancelled during the first backoff")
			assert.EqualValues(t, 1, calls.Load(), "no attempt after the cancel")
		})
	}
}

func TestCancelledBeforeSend(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) {
		f.raw.HandleFunc("/v1/x", func(w http.ResponseWriter, r *http.Request) { calls.Add(1) })
	})
	c := f.client(t, WithTokenSource(staticToken("tok")), WithRetryPolicy(fastRetry(3)))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		err := c.Do(ctx, method, "/v1/x", nil, nil)
		require.ErrorIs(t, err, context.Canceled)
	}
	assert.Zero(t, calls.Load())
}

func TestPerAttemptTimeout(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) {
		f.raw.HandleFunc("GET /v1/slow", func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) == 1 {
				<-r.Context().Done() // hang until the client gives up on this attempt
				return
			}
			_, _ = io.WriteString(w, okBody) // plain: no RSA work, so this attempt is quick
		})
	})
	c := f.client(t, WithTokenSource(staticToken("tok")), WithRequestTimeout(250*time.Millisecond), WithRetryPolicy(fastRetry(2)))
	var out struct{ OK bool }
	require.NoError(t, c.Do(context.Background(), http.MethodGet, "/v1/slow", nil, &out))
	assert.True(t, out.OK)
	assert.EqualValues(t, 2, calls.Load())
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	withHeader := func(v string) *http.Response { return &http.Response{Header: http.Header{"Retry-After": {v}}} }
	inAnHour := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	tests := []struct {
		name          string
		resp          *http.Response
		n             int
		min, max, cap time.Duration
		lo, hi        time.Duration
	}{
		{name: "Retry-After 0", resp: withHeader("0"), min: time.Second, max: time.Minute, cap: time.Minute, lo: 0, hi: 0},
		{name: "Retry-After seconds", resp: withHeader("7"), min: time.Second, max: time.Second, cap: time.Minute, lo: 7 * time.Second, hi: 7 * time.Second},
		{name: "Retry-After capped", resp: withHeader("86400"), min: time.Second, max: time.Second, cap: time.Minute, lo: time.Minute, hi: time.Minute},
		{name: "Retry-After capped by the option", resp: withHeader("30"), min: time.Second, max: time.Second, cap: 5 * time.Second, lo: 5 * time.Second, hi: 5 * time.Second},
		{name: "Retry-After HTTP date capped", resp: withHeader(inAnHour), min: time.Second, max: time.Second, cap: 2 * time.Second, lo: 2 * time.Second, hi: 2 * time.Second},
		{name: "Retry-After HTTP date in the past", resp: withHeader("Wed, 21 Oct 2015 07:28:00 GMT"), min: time.Second, max: time.Second, cap: time.Minute, lo: 0, hi: 0},
		{name: "Retry-After garbage ignored", resp: withHeader("soon"), n: 0, min: 100 * time.Millisecond, max: time.Second, lo: 0, hi: 100 * time.Millisecond},
		{name: "first retry: full jitter up to MinWait", n: 0, min: 100 * time.Millisecond, max: time.Second, lo: 0, hi: 100 * time.Millisecond},
		{name: "ceiling doubles", n: 2, min: 100 * time.Millisecond, max: time.Second, lo: 0, hi: 400 * time.Millisecond},
		{name: "ceiling capped at MaxWait", n: 10, min: 100 * time.Millisecond, max: time.Second, lo: 0, hi: time.Second},
		{name: "huge n does not overflow", n: 1000, min: time.Millisecond, max: 2 * time.Millisecond, lo: 0, hi: 2 * time.Millisecond},
		{name: "zero waits", n: 3, lo: 0, hi: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for i := 0; i < 50; i++ {
				d := backoff(tt.min, tt.max, tt.cap, tt.n, tt.resp)
				assert.GreaterOrEqual(t, d, tt.lo)
				assert.LessOrEqual(t, d, tt.hi)
			}
		})
	}
}

// TestBackoffFullJitter: the waits of retry n spread over the whole of [0, ceiling], not a narrow band
// below it, so clients that failed together do not retry together.
func TestBackoffFullJitter(t *testing.T) {
	t.Parallel()
	const ceiling = 800 * time.Millisecond
	var low, high int
	for i := 0; i < 2000; i++ {
		d := backoff(100*time.Millisecond, time.Second, time.Minute, 3, nil)
		require.LessOrEqual(t, d, ceiling)
		if d < ceiling/4 {
			low++
		}
		if d > 3*ceiling/4 {
			high++
		}
	}
	// Uniform: about 500 in each quarter; 300 leaves a margin that random draws never miss.
	assert.Greater(t, low, 300, "waits in the lowest quarter")
	assert.Greater(t, high, 300, "waits in the highest quarter")
}

// TestRetryAfterCapOption: WithMaxRetryAfter and RetryPolicy.MaxRetryAfter reach the backoff; zero in a
// RetryPolicy means the default.
func TestRetryAfterCapOption(t *testing.T) {
	t.Parallel()
	resp := &http.Response{Header: http.Header{"Retry-After": {"3600"}}}
	tests := []struct {
		name string
		opts []Option
		want time.Duration
	}{
		{"default", nil, DefaultMaxRetryAfter},
		{"option", []Option{WithMaxRetryAfter(3 * time.Second)}, 3 * time.Second},
		{"policy without a cap", []Option{WithRetryPolicy(fastRetry(1))}, DefaultMaxRetryAfter},
		{"policy with a cap", []Option{WithRetryPolicy(RetryPolicy{MaxRetries: 1, MaxRetryAfter: time.Second})}, time.Second},
		{"option after policy", []Option{WithRetryPolicy(fastRetry(1)), WithMaxRetryAfter(0)}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newMockClient(t, httpmock.NewMockTransport(), tt.opts...)
			assert.Equal(t, tt.want, c.http.Backoff(c.http.RetryWaitMin, c.http.RetryWaitMax, 0, resp))
		})
	}
	_, err := NewClient(WithMaxRetryAfter(-time.Second))
	require.ErrorIs(t, err, ErrInvalidConfig)
	_, err = NewClient(WithRetryPolicy(RetryPolicy{MaxRetryAfter: -1}))
	require.ErrorIs(t, err, ErrInvalidConfig)
}

func TestRetryAfterHTTPDate(t *testing.T) {
	t.Parallel()
	d, ok := retryAfter(time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))
	require.True(t, ok)
	assert.Greater(t, d, 58*time.Minute)
	_, ok = retryAfter("-1")
	assert.False(t, ok)
	_, ok = retryAfter("")
	assert.False(t, ok)
}

func TestConcurrentCalls(t *testing.T) {
	t.Parallel()
	var seen sync.Map // plaintext body → throttled once already
	f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) {
		f.mux.HandleFunc("POST /v1/echo", func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			if _, again := seen.LoadOrStore(string(b), true); !again {
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(http.StatusTooManyRequests) // every call is throttled once, then answered
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(b))
			echo(w, r)
		})
	})
	c := f.client(t, WithRetryPolicy(fastRetry(5)))
	var wg sync.WaitGroup
	const workers, calls = 8, 5
	errs := make(chan error, workers*calls)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < calls; i++ {
				in := map[string]int{"worker": w, "call": i}
				var out map[string]int
				var res Response
				err := doWrite(c, context.Background(), http.MethodPost, "/v1/echo", in, &out, WithResponseInto(&res))
				switch {
				case err != nil:
					err = fmt.Errorf("attempts %d: %w", res.Attempts, err)
				case out["worker"] != w || out["call"] != i:
					err = fmt.Errorf("answer of another call: %v", out)
				case res.Attempts != 2:
					err = fmt.Errorf("%d attempts, want 2", res.Attempts)
				}
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.EqualValues(t, 1, f.logins.Load())
}
