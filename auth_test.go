package vaultspay

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTimeFormats(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 9, 23, 18, 33, 10, 49_000_000, time.UTC)
	sec := at.Truncate(time.Second)
	tests := []struct {
		name    string
		json    string
		want    time.Time
		wantErr bool
	}{
		{name: "ISO-8601 with +00:00 (documented)", json: `"2024-09-23T18:33:10.049+00:00"`, want: at},
		{name: "ISO-8601 with Z", json: `"2024-09-23T18:33:10.049Z"`, want: at},
		{name: "ISO-8601 with another offset", json: `"2024-09-23T22:33:10.049+04:00"`, want: at},
		{name: "ISO-8601 without fraction", json: `"2024-09-23T18:33:10Z"`, want: sec},
		{name: "ISO-8601 offset without colon", json: `"2024-09-23T18:33:10.049+0000"`, want: at},
		{name: "no zone is UTC", json: `"2024-09-23T18:33:10.049"`, want: at},
		{name: "space separator", json: `"2024-09-23 18:33:10.049"`, want: at},
		{name: "date only", json: `"2024-09-23"`, want: time.Date(2024, 9, 23, 0, 0, 0, 0, time.UTC)},
		{name: "epoch seconds number", json: fmt.Sprint(sec.Unix()), want: sec},
		{name: "epoch milliseconds number", json: fmt.Sprint(at.UnixMilli()), want: at},
		{name: "epoch seconds numeric string", json: fmt.Sprintf("%q", fmt.Sprint(sec.Unix())), want: sec},
		{name: "epoch milliseconds numeric string", json: fmt.Sprintf("%q", fmt.Sprint(at.UnixMilli())), want: at},
		{name: "null", json: `null`},
		{name: "empty string", json: `""`},
		{name: "garbage string", json: `"next tuesday"`, wantErr: true},
		{name: "boolean", json: `true`, wantErr: true},
		{name: "object", json: `{}`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var v Time
			err := json.Unmarshal([]byte(tt.json), &v)
			if tt.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.True(t, tt.want.Equal(v.Time), "got %s, want %s", v.Time, tt.want)
			if tt.want.IsZero() {
				assert.True(t, v.IsZero())
			}
		})
	}

	b, err := json.Marshal(Time{at})
	require.NoError(t, err)
	assert.Equal(t, `"2024-09-23T18:33:10.049+00:00"`, string(b), "sent in the documented form")
	b, err = json.Marshal(Time{})
	require.NoError(t, err)
	assert.Equal(t, `null`, string(b))
}

func TestTokenDecodesEveryExpiryForm(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 9, 23, 18, 33, 10, 49_000_000, time.UTC)
	rt := time.Date(2024, 9, 28, 8, 33, 10, 47_000_000, time.UTC)
	for _, body := range []string{
		`{"accessToken":"a","accessTokenExpiry":"2024-09-23T18:33:10.049+00:00","refreshToken":"r","refreshTokenExpiry":"2024-09-28T08:33:10.047+00:00"}`,
		`{"accessToken":"a","accessTokenExpiry":"2024-09-23T18:33:10.049Z","refreshToken":"r","refreshTokenExpiry":"2024-09-28T08:33:10.047Z"}`,
		fmt.Sprintf(`{"accessToken":"a","accessTokenExpiry":%d,"refreshToken":"r","refreshTokenExpiry":%d}`, at.UnixMilli(), rt.UnixMilli()),
		fmt.Sprintf(`{"accessToken":"a","accessTokenExpiry":"%d","refreshToken":"r","refreshTokenExpiry":"%d"}`, at.UnixMilli(), rt.UnixMilli()),
	} {
		var tok Token
		require.NoError(t, json.Unmarshal([]byte(body), &tok), body)
		assert.Equal(t, "a", tok.AccessToken.Reveal())
		assert.Equal(t, "r", tok.RefreshToken.Reveal())
		assert.True(t, at.Equal(tok.AccessTokenExpiry.Time), body)
		require.NotNil(t, tok.RefreshTokenExpiry)
		assert.True(t, rt.Equal(tok.RefreshTokenExpiry.Time), body)
	}
	var tok Token
	require.NoError(t, json.Unmarshal([]byte(fmt.Sprintf(`{"accessToken":"a","accessTokenExpiry":%d}`, at.Truncate(time.Second).Unix())), &tok))
	assert.True(t, at.Truncate(time.Second).Equal(tok.AccessTokenExpiry.Time), "epoch seconds")
	assert.Nil(t, tok.RefreshTokenExpiry, "refresh answers carry no refresh token")
}

// currentToken reads the authenticator's token under its lock.
func currentToken(a *authenticator) *Token {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.tok
}

// bearers lists the Authorization tokens of the requests to path.
func bearers(f *fakeAPI, path string) []string {
	var out []string
	for _, r := range f.requestsTo(path) {
		req := &http.Request{Header: r.Header}
		out = append(out, bearer(req))
	}
	return out
}

func TestLoginAnswerForms(t *testing.T) {
	t.Parallel()
	exp := fakeT0.Add(fakeAccessTTL)
	rexp := fakeT0.Add(fakeRefreshTTL)
	tests := []struct {
		name    string
		answer  string
		wantErr string
	}{
		{
			name:   "flat (documented)",
			answer: fmt.Sprintf(`{"accessToken":"at-flat","accessTokenExpiry":%q,"refreshToken":"rt-1","refreshTokenExpiry":%q}`, exp.Format(TimeLayout), rexp.Format(TimeLayout)),
		},
		{
			name:   "wrapped in data",
			answer: fmt.Sprintf(`{"data":{"accessToken":"at-flat","accessTokenExpiry":%q,"refreshToken":"rt-1","refreshTokenExpiry":%q}}`, exp.Format(time.RFC3339), rexp.Format(time.RFC3339)),
		},
		{
			name:   "flat with epoch milliseconds",
			answer: fmt.Sprintf(`{"accessToken":"at-flat","accessTokenExpiry":%d,"refreshToken":"rt-1","refreshTokenExpiry":%d}`, exp.UnixMilli(), rexp.UnixMilli()),
		},
		{
			name:   "wrapped with epoch seconds as strings",
			answer: fmt.Sprintf(`{"data":{"accessToken":"at-flat","accessTokenExpiry":"%d","refreshToken":"rt-1","refreshTokenExpiry":"%d"}}`, exp.Unix(), rexp.Unix()),
		},
		{name: "no access token", answer: `{"data":{"refreshToken":"rt-1"}}`, wantErr: "answer has no accessToken"},
		{name: "not JSON", answer: `welcome!`, wantErr: "malformed response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) {
				f.mux.HandleFunc("POST /as/api/v1/saas-login", func(w http.ResponseWriter, r *http.Request) {
					f.logins.Add(1)
					_, _ = w.Write([]byte(tt.answer))
				})
				f.mux.HandleFunc("GET /v1/me", echo)
			})
			c := f.client(t)
			_, ok := c.AccessTokenExpiry()
			assert.False(t, ok, "no token before login")
			err := c.Login(context.Background())
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				_, ok := c.AccessTokenExpiry()
				assert.False(t, ok, "no token after a failed login")
				return
			}
			require.NoError(t, err)
			got, ok := c.AccessTokenExpiry()
			require.True(t, ok)
			assert.True(t, exp.Equal(got), "AccessTokenExpiry %s", got)
			tok := currentToken(authOf(t, c))
			assert.Equal(t, "at-flat", tok.AccessToken.Reveal())
			assert.Equal(t, "rt-1", tok.RefreshToken.Reveal())
			assert.True(t, exp.Equal(tok.AccessTokenExpiry.Time), "access expiry %s", tok.AccessTokenExpiry.Time)
			require.NotNil(t, tok.RefreshTokenExpiry)
			assert.True(t, rexp.Equal(tok.RefreshTokenExpiry.Time))

			require.NoError(t, c.Do(context.Background(), http.MethodGet, "/v1/me", nil, nil))
			require.NoError(t, c.Login(context.Background()), "a valid token: no second login")
			assert.Equal(t, []string{"at-flat"}, bearers(f, "/v1/me"))
			assert.EqualValues(t, 1, f.logins.Load())
		})
	}
}

func TestLoginFlatAndWrappedFromFake(t *testing.T) {
	t.Parallel()
	for _, wrapped := range []bool{false, true} {
		t.Run(fmt.Sprint("wrapped=", wrapped), func(t *testing.T) {
			t.Parallel()
			f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) {
				f.wrapLogin = wrapped
				f.mux.HandleFunc("GET /v1/me", echo)
			})
			c := f.client(t)
			require.NoError(t, c.Do(context.Background(), http.MethodGet, "/v1/me", nil, nil))
			assert.Equal(t, []string{f.issuedTokens()[0]}, bearers(f, "/v1/me"))
		})
	}
}

func TestRefreshBeforeExpiry(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		skew        time.Duration
		at          time.Duration // clock offset from fakeT0 at the second call
		wantRefresh bool
		wantLogin   bool
	}{
		{name: "fresh token is reused", skew: DefaultRefreshSkew, at: 5 * time.Minute},
		{name: "default skew: 31 s before expiry", skew: DefaultRefreshSkew, at: fakeAccessTTL - 31*time.Second},
		{name: "default skew: 29 s before expiry refreshes", skew: DefaultRefreshSkew, at: fakeAccessTTL - 29*time.Second, wantRefresh: true},
		{name: "2 min skew: 3 min before expiry", skew: 2 * time.Minute, at: fakeAccessTTL - 3*time.Minute},
		{name: "2 min skew: 119 s before expiry refreshes", skew: 2 * time.Minute, at: fakeAccessTTL - 119*time.Second, wantRefresh: true},
		{name: "zero skew: at expiry refreshes", skew: 0, at: fakeAccessTTL, wantRefresh: true},
		{name: "after expiry refreshes", skew: DefaultRefreshSkew, at: time.Hour, wantRefresh: true},
		{name: "refresh token expired: log in again", skew: DefaultRefreshSkew, at: fakeRefreshTTL, wantLogin: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) { f.mux.HandleFunc("GET /v1/me", echo) })
			c := f.client(t, WithTokenRefreshSkew(tt.skew))
			clock := newTestClock(fakeT0)
			authOf(t, c).now = clock.Now

			require.NoError(t, c.Do(context.Background(), http.MethodGet, "/v1/me", nil, nil))
			first := currentToken(authOf(t, c))
			clock.Set(fakeT0.Add(tt.at))
			require.NoError(t, c.Do(context.Background(), http.MethodGet, "/v1/me", nil, nil))

			wantLogins, wantRefreshes := int32(1), int32(0)
			if tt.wantRefresh {
				wantRefreshes = 1
			}
			if tt.wantLogin {
				wantLogins = 2
			}
			assert.Equal(t, wantLogins, f.logins.Load(), "logins")
			assert.Equal(t, wantRefreshes, f.refreshes.Load(), "refreshes")
			got := bearers(f, "/v1/me")
			require.Len(t, got, 2)
			assert.Equal(t, tt.wantRefresh || tt.wantLogin, got[0] != got[1], "second call uses a new token: %v", got)

			now := currentToken(authOf(t, c))
			if tt.wantRefresh {
				// The refresh answer is wrapped in data and carries no refresh token: the login's one is kept.
				assert.Equal(t, first.RefreshToken, now.RefreshToken)
				assert.Equal(t, first.RefreshTokenExpiry, now.RefreshTokenExpiry)
				assert.True(t, fakeT0.Add(2*fakeAccessTTL).Equal(now.AccessTokenExpiry.Time))
				refresh := f.requestsTo("/as/api/v1/saas-refresh-token")
				require.Len(t, refresh, 1)
				assert.JSONEq(t, fmt.Sprintf(`{"refreshToken":%q}`, first.RefreshToken.Reveal()), string(refresh[0].Plain))
				assert.Empty(t, refresh[0].Header.Get("Authorization"), "refresh is sent without a bearer token")
			}
		})
	}
}

// expiringAPI answers GET /v1/me with 401 1003 for the first n calls, then echoes.
func expiringAPI(n int32, calls *atomic.Int32) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= n {
			writeError(w, http.StatusUnauthorized, CodeTokenExpired, TypeTokenExpired, "Your access token has expired. Please get a new token.")
			return
		}
		echo(w, r)
	}
}

func TestTokenExpiredReplay(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		method      string
		rejections  int32
		wantCalls   int32
		wantRefresh int32
		wantErr     bool
	}{
		{name: "GET: one 1003 is replayed once after a refresh", method: http.MethodGet, rejections: 1, wantCalls: 2, wantRefresh: 1},
		{name: "POST: one 1003 is replayed once after a refresh", method: http.MethodPost, rejections: 1, wantCalls: 2, wantRefresh: 1},
		{name: "a second 1003 is returned, no loop", method: http.MethodGet, rejections: 100, wantCalls: 2, wantRefresh: 1, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) { f.mux.HandleFunc(tt.method+" /v1/me", expiringAPI(tt.rejections, &calls)) })
			c := f.client(t, WithRetryPolicy(fastRetry(3)))
			var body any
			if tt.method == http.MethodPost {
				body = map[string]int{"n": 1}
			}
			err := c.Do(context.Background(), tt.method, "/v1/me", body, nil)
			assert.Equal(t, tt.wantCalls, calls.Load(), "API calls")
			assert.Equal(t, tt.wantRefresh, f.refreshes.Load(), "refreshes")
			assert.EqualValues(t, 1, f.logins.Load(), "logins")
			got := bearers(f, "/v1/me")
			require.Len(t, got, int(tt.wantCalls))
			assert.NotEqual(t, got[0], got[1], "the replay carries the refreshed token")
			if tt.wantErr {
				require.ErrorIs(t, err, ErrTokenExpired)
				require.ErrorIs(t, err, ErrUnauthenticated)
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, http.StatusUnauthorized, apiErr.StatusCode)
				assert.NotErrorIs(t, err, ErrOutcomeUnknown)
				return
			}
			require.NoError(t, err)
		})
	}
}

func TestRefreshRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		status      int
		body        string
		wantLogins  int32
		wantRefresh int32
		wantErr     error
	}{
		{name: "1004 session expired: log in again", status: 401, body: `{"code":1004,"message":"Your session has expired. Please login again.","type":"SESSION_EXPIRED"}`, wantLogins: 2, wantRefresh: 1},
		{name: "1036 invalid token: log in again", status: 400, body: `{"code":1036,"message":"Invalid access token provided.","type":"INVALID_TOKEN"}`, wantLogins: 2, wantRefresh: 1},
		{name: "empty 503: no answer, no login", status: 503, body: ``, wantLogins: 1, wantRefresh: 3, wantErr: ErrMalformedResponse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) {
				f.mux.HandleFunc("POST /as/api/v1/saas-refresh-token", func(w http.ResponseWriter, r *http.Request) {
					f.refreshes.Add(1)
					w.WriteHeader(tt.status)
					_, _ = w.Write([]byte(tt.body))
				})
				f.mux.HandleFunc("GET /v1/me", expiringAPI(1, &calls))
			})
			c := f.client(t, WithRetryPolicy(fastRetry(2)))
			err := c.Do(context.Background(), http.MethodGet, "/v1/me", nil, nil)
			assert.Equal(t, tt.wantLogins, f.logins.Load(), "logins")
			assert.Equal(t, tt.wantRefresh, f.refreshes.Load(), "refreshes")
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				assert.EqualValues(t, 1, calls.Load(), "no replay without a token")
				return
			}
			require.NoError(t, err)
			got := bearers(f, "/v1/me")
			require.Len(t, got, 2)
			issued := f.issuedTokens()
			assert.Equal(t, issued[len(issued)-2], got[1], "the replay carries the second login's access token")
		})
	}
}

func TestBadCredentials(t *testing.T) {
	t.Parallel()
	for _, via := range []string{"Login", "Do"} {
		t.Run(via, func(t *testing.T) {
			t.Parallel()
			f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) { f.mux.HandleFunc("GET /v1/me", echo) })
			const wrong = "cs_wrong-secret-value-XYZ"
			c := f.client(t, WithCredentials(testClientID, wrong), WithRetryPolicy(fastRetry(3)))
			var err error
			if via == "Login" {
				err = c.Login(context.Background())
			} else {
				err = c.Do(context.Background(), http.MethodGet, "/v1/me", nil, nil)
			}
			require.ErrorIs(t, err, ErrUnauthenticated)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, CodeUnauthenticated, apiErr.Code)
			assert.Equal(t, http.StatusUnauthorized, apiErr.StatusCode)
			assert.EqualValues(t, 1, f.logins.Load(), "bad credentials are never retried")
			assert.Empty(t, f.requestsTo("/v1/me"), "no call without a token")
			assert.NotContains(t, err.Error(), wrong)
			assert.NotContains(t, fmt.Sprintf("%+v %#v", err, err), wrong)
		})
	}
}

func TestLoginSingleFlight(t *testing.T) {
	t.Parallel()
	release, started := make(chan struct{}), make(chan struct{})
	var once sync.Once
	f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) {
		f.mux.HandleFunc("POST /as/api/v1/saas-login", func(w http.ResponseWriter, r *http.Request) {
			once.Do(func() { close(started) })
			<-release
			f.defaultLogin(w, r)
		})
	})
	c := f.client(t)
	const n = 1000
	var ready, done sync.WaitGroup
	tokens := make([]Secret, n)
	errs := make([]error, n)
	ready.Add(n)
	done.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			defer done.Done()
			ready.Done()
			if i%2 == 0 {
				errs[i] = c.Login(context.Background())
				tokens[i], _ = c.tokens.AccessToken(context.Background())
				return
			}
			tokens[i], errs[i] = c.tokens.AccessToken(context.Background())
		}()
	}
	ready.Wait()
	<-started
	close(release)
	done.Wait()

	assert.EqualValues(t, 1, f.logins.Load(), "exactly one login at the server")
	require.Len(t, f.issuedTokens(), 2)
	for i := range tokens {
		require.NoError(t, errs[i])
		require.Equal(t, f.issuedTokens()[0], tokens[i].Reveal(), "caller %d", i)
	}
}

func TestWaiterCancelDoesNotStopTheFlight(t *testing.T) {
	t.Parallel()
	release, started := make(chan struct{}), make(chan struct{})
	var once sync.Once
	f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) {
		f.mux.HandleFunc("POST /as/api/v1/saas-login", func(w http.ResponseWriter, r *http.Request) {
			once.Do(func() { close(started) })
			<-release
			f.defaultLogin(w, r)
		})
		f.mux.HandleFunc("GET /v1/me", echo)
	})
	c := f.client(t)

	// A starts the login, then gives up.
	ctxA, cancelA := context.WithCancel(context.Background())
	errA := make(chan error, 1)
	go func() { errA <- c.Do(ctxA, http.MethodGet, "/v1/me", nil, nil) }()
	<-started

	// B waits for the same flight.
	type result struct {
		tok Secret
		err error
	}
	resB := make(chan result, 1)
	go func() {
		tok, err := c.tokens.AccessToken(context.Background())
		resB <- result{tok, err}
	}()
	waitForWaiters(authOf(t, c), 2) // B has joined: the flight must go on for it when A leaves

	cancelA()
	require.ErrorIs(t, <-errA, context.Canceled, "the cancelled waiter returns its ctx error")

	// A waiter whose deadline has passed also returns at once.
	ctxC, cancelC := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancelC()
	_, err := c.tokens.AccessToken(ctxC)
	require.ErrorIs(t, err, context.DeadlineExceeded)

	close(release)
	b := <-resB
	require.NoError(t, b.err, "the flight went on for the others")
	assert.Equal(t, f.issuedTokens()[0], b.tok.Reveal())

	require.NoError(t, c.Do(context.Background(), http.MethodGet, "/v1/me", nil, nil))
	assert.EqualValues(t, 1, f.logins.Load(), "one login for everybody")
	assert.Equal(t, []string{f.issuedTokens()[0]}, bearers(f, "/v1/me"), "A never sent its call")
}

// waitForWaiters yields until the login or refresh in flight has n waiters.
func waitForWaiters(a *authenticator, n int) {
	for {
		a.mu.Lock()
		got := 0
		if a.flight != nil {
			got = a.flight.waiters
		}
		a.mu.Unlock()
		if got == n {
			return
		}
		runtime.Gosched()
	}
}

// TestFlightStopsWithItsLastWaiter: when every caller waiting for a login has given up, the login is
// cancelled (its request aborted) instead of running on for up to flightTimeout, and the next caller
// starts a new one.
func TestFlightStopsWithItsLastWaiter(t *testing.T) {
	t.Parallel()
	arrived, aborted := make(chan struct{}, 2), make(chan struct{}, 2)
	var hang atomic.Bool
	hang.Store(true)
	f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) {
		f.mux.HandleFunc("POST /as/api/v1/saas-login", func(w http.ResponseWriter, r *http.Request) {
			if hang.Load() {
				arrived <- struct{}{}
				<-r.Context().Done() // only an aborted request ends this
				aborted <- struct{}{}
				return
			}
			f.defaultLogin(w, r)
		})
	})
	c := f.client(t)
	a := authOf(t, c)
	ctx, cancel := context.WithCancel(context.Background())
	errs := make(chan error, 2)
	for range 2 {
		go func() { _, err := a.AccessToken(ctx); errs <- err }()
	}
	<-arrived
	waitForWaiters(a, 2)
	cancel()
	for range 2 {
		require.ErrorIs(t, <-errs, context.Canceled)
	}
	select {
	case <-aborted:
	case <-time.After(flightTimeout / 2): // a guard against a hang, not a timing assertion
		t.Fatal("the login went on after its last waiter left")
	}
	hang.Store(false)
	tok, err := a.AccessToken(context.Background())
	require.NoError(t, err, "a new caller starts a new flight")
	assert.NotEmpty(t, tok)
}

// rotatingSource is a caller's TokenSource that hands out ext-1, ext-2 … and moves on when told a token was rejected.
type rotatingSource struct {
	mu          sync.Mutex
	n           int
	invalidated []Secret
}

func (s *rotatingSource) AccessToken(context.Context) (Secret, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Secret(fmt.Sprintf("ext-%d", s.n+1)), nil
}

func (s *rotatingSource) InvalidateToken(tok Secret) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.invalidated = append(s.invalidated, tok)
	s.n++
}

func TestWithTokenSource(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) { f.mux.HandleFunc("GET /v1/me", expiringAPI(1, &calls)) })
	src := &rotatingSource{}
	c, err := NewClient(WithBaseURL(f.URL), WithAppID(testAppID), WithPublicKey(&f.priv.PublicKey), WithTokenSource(src))
	require.NoError(t, err, "no credentials needed")
	require.NoError(t, c.Do(context.Background(), http.MethodGet, "/v1/me", nil, nil))
	require.NoError(t, c.Login(context.Background()))
	_, ok := c.AccessTokenExpiry()
	assert.False(t, ok, "a custom token source has no expiry to show")

	assert.Zero(t, f.logins.Load())
	assert.Zero(t, f.refreshes.Load())
	assert.Equal(t, []string{"ext-1", "ext-2"}, bearers(f, "/v1/me"))
	assert.Equal(t, []Secret{"ext-1"}, src.invalidated)
}

func TestConcurrentRejectionsRefreshOnce(t *testing.T) {
	t.Parallel()
	var firstToken atomic.Value
	f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) {
		f.mux.HandleFunc("GET /v1/me", func(w http.ResponseWriter, r *http.Request) {
			if bearer(r) == firstToken.Load() {
				writeError(w, http.StatusUnauthorized, CodeTokenExpired, TypeTokenExpired, "expired")
				return
			}
			echo(w, r)
		})
	})
	c := f.client(t)
	require.NoError(t, c.Login(context.Background()))
	firstToken.Store(f.issuedTokens()[0])

	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			defer wg.Done()
			errs[i] = c.Do(context.Background(), http.MethodGet, "/v1/me", nil, nil)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	assert.EqualValues(t, 1, f.logins.Load())
	assert.EqualValues(t, 1, f.refreshes.Load(), "a late rejection of the old token does not discard the new one")
}
