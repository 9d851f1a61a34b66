package vaultspay_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

var (
	fakeKeyOnce sync.Once
	fakeKey     *rsa.PrivateKey
)

// newFake starts a fake sharing one RSA key per test binary, closed when the test ends. Its clients
// log into, and its wire feeds, the test's secret scan (secretscan_test.go).
func newFake(t testing.TB, opts ...vaultspaytest.Option) *vaultspaytest.Server {
	t.Helper()
	fakeKeyOnce.Do(func() {
		var err error
		fakeKey, err = rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
	})
	sink := newSecretSink(t)
	base := []vaultspaytest.Option{vaultspaytest.WithRSAKey(fakeKey), vaultspaytest.WithClientOptions(sink.clientOptions()...)}
	srv, err := vaultspaytest.NewUnstartedServer(append(base, opts...)...)
	require.NoError(t, err)
	srv.Config.Handler = trackInflight(srv, sink.wire(srv))
	require.NoError(t, srv.Start())
	t.Cleanup(func() {
		srv.Close()
		inflights.Delete(srv)
	})
	sink.secret(srv.ClientSecret(), "client secret")
	return srv
}

// fastRetries keeps retry tests quick.
var fastRetries = vaultspay.WithRetryPolicy(vaultspay.RetryPolicy{MaxRetries: 2, MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond})

const (
	loginPath   = "/as/api/v1/saas-login"
	refreshPath = "/as/api/v1/saas-refresh-token"
	pingPath    = "/v1/ping"
)

func TestFakeLoginAndPing(t *testing.T) {
	srv := newFake(t)
	client := srv.Client()
	ctx := context.Background()

	require.NoError(t, client.Login(ctx))
	var res vaultspay.Response
	msg, err := client.Ping(ctx, vaultspay.WithResponseInto(&res))
	require.NoError(t, err)
	assert.Equal(t, vaultspay.PingMessage, msg)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.NotEmpty(t, res.RequestID)
	assert.JSONEq(t, `{"data":"Service is up and running!"}`, string(res.Body))

	assert.Equal(t, 1, srv.CountRequests(http.MethodPost, loginPath))
	assert.Equal(t, 1, srv.CountRequests(http.MethodGet, pingPath))
}

// TestFakeSingleFlightRefresh: 1,000 goroutines whose token the server has expired cause exactly one
// refresh, and every call succeeds after its one replay.
func TestFakeSingleFlightRefresh(t *testing.T) {
	srv := newFake(t)
	client := srv.Client()
	ctx := context.Background()
	require.NoError(t, client.Login(ctx))
	require.NoError(t, srv.Advance(vaultspaytest.DefaultAccessTTL+time.Minute))

	const n = 1000
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := client.Ping(ctx)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 1, srv.CountRequests(http.MethodPost, refreshPath), "refreshes")
	assert.Equal(t, 1, srv.CountRequests(http.MethodPost, loginPath), "logins")
}

func TestFakeTokenLifecycle(t *testing.T) {
	tests := []struct {
		name              string
		advance           time.Duration
		logins, refreshes int
	}{
		{"token still valid", time.Minute, 1, 0},
		{"access expired, refresh valid", vaultspaytest.DefaultAccessTTL + time.Minute, 1, 1},
		{"refresh token expired: log in again", vaultspaytest.DefaultRefreshTTL + time.Hour, 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t)
			client := srv.Client()
			ctx := context.Background()
			require.NoError(t, client.Login(ctx))
			require.NoError(t, srv.Advance(tt.advance))

			_, err := client.Ping(ctx)
			require.NoError(t, err)
			assert.Equal(t, tt.logins, srv.CountRequests(http.MethodPost, loginPath), "logins")
			assert.Equal(t, tt.refreshes, srv.CountRequests(http.MethodPost, refreshPath), "refreshes")
		})
	}
}

func TestFakeBadCredentialsNeverRetried(t *testing.T) {
	srv := newFake(t)
	client := srv.Client(vaultspay.WithCredentials(srv.ClientID(), "wrong-secret"), fastRetries)

	_, err := client.Ping(context.Background())
	var apiErr *vaultspay.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, vaultspay.CodeUnauthenticated, apiErr.Code)
	assert.Equal(t, http.StatusUnauthorized, apiErr.StatusCode)
	assert.ErrorIs(t, err, vaultspay.ErrUnauthenticated)
	assert.NotContains(t, err.Error(), "wrong-secret")
	assert.Equal(t, 1, srv.CountRequests(http.MethodPost, loginPath))
	assert.Equal(t, 0, srv.CountRequests(http.MethodGet, pingPath))
}

func TestFakeEnvelopeRejected(t *testing.T) {
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	tests := []struct {
		name string
		opt  vaultspay.Option
	}{
		{"wrong app id", vaultspay.WithAppID("99")},
		{"key of another server", vaultspay.WithPublicKey(&other.PublicKey)},
		{"other key wrap", vaultspay.WithWireProfile(vaultspay.WireProfile{KeyWrap: vaultspay.KeyWrapOAEPSHA256})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t)
			err := srv.Client(tt.opt, fastRetries).Login(context.Background())
			var apiErr *vaultspay.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, vaultspay.CodeInvalidHeaders, apiErr.Code)
			assert.Equal(t, http.StatusInternalServerError, apiErr.StatusCode)
			assert.ErrorIs(t, err, vaultspay.ErrInvalidHeaders)
			assert.Equal(t, 1, srv.CountRequests(http.MethodPost, loginPath), "a 500 with a code is an answer, not retried")
		})
	}
}

// TestFakeEveryWireProfile runs login and ping end to end under every profile option.
func TestFakeEveryWireProfile(t *testing.T) {
	for _, kw := range []vaultspay.KeyWrap{vaultspay.KeyWrapPKCS1v15, vaultspay.KeyWrapOAEPSHA1, vaultspay.KeyWrapOAEPSHA256, vaultspay.KeyWrapOAEPSHA256MGF1SHA1} {
		for _, ke := range []vaultspay.KeyEncoding{vaultspay.KeyEncodingRaw, vaultspay.KeyEncodingBase64} {
			for _, body := range []vaultspay.BodyFormat{vaultspay.BodyJSONObject, vaultspay.BodyBase64Text, vaultspay.BodyJSONString} {
				for _, iv := range []vaultspay.ResponseIV{vaultspay.ResponseIVHeader, vaultspay.ResponseIVRequest} {
					p := vaultspay.WireProfile{KeyWrap: kw, KeyEncoding: ke, Body: body, ResponseIV: iv}
					t.Run(string(kw)+"/"+string(ke)+"/"+string(body)+"/"+string(iv), func(t *testing.T) {
						t.Parallel()
						srv := newFake(t, vaultspaytest.WithWireProfile(p))
						msg, err := srv.Client().Ping(context.Background())
						require.NoError(t, err)
						assert.Equal(t, vaultspay.PingMessage, msg)
					})
				}
			}
		}
	}
}

func TestFakeEncryptionSwitch(t *testing.T) {
	t.Run("plain server and client", func(t *testing.T) {
		srv := newFake(t, vaultspaytest.WithoutEncryption())
		msg, err := srv.Client().Ping(context.Background())
		require.NoError(t, err)
		assert.Equal(t, vaultspay.PingMessage, msg)
	})
	t.Run("encrypting server, client asks for plain", func(t *testing.T) {
		srv := newFake(t)
		var res vaultspay.Response
		msg, err := srv.Client(vaultspay.WithEncryption(false)).Ping(context.Background(), vaultspay.WithResponseInto(&res))
		require.NoError(t, err)
		assert.Equal(t, vaultspay.PingMessage, msg)
		assert.Empty(t, res.Header.Get("x-session-nonce"), "answered plain")
	})
	t.Run("production mode refuses plain", func(t *testing.T) {
		srv := newFake(t, vaultspaytest.WithProductionMode())
		err := srv.Client(vaultspay.WithEncryption(false)).Login(context.Background())
		require.ErrorIs(t, err, vaultspay.ErrInvalidHeaders)
	})
	t.Run("errors sent plain after the envelope opened", func(t *testing.T) {
		srv := newFake(t, vaultspaytest.WithPlainErrors())
		err := srv.Client(vaultspay.WithCredentials("nobody", "nothing")).Login(context.Background())
		require.ErrorIs(t, err, vaultspay.ErrUnauthenticated)
	})
}

func TestFakeUnknownRoute(t *testing.T) {
	srv := newFake(t)
	client := srv.Client()
	ctx := context.Background()

	err := client.Do(ctx, http.MethodGet, "/v1/nothing-here", nil, nil)
	var apiErr *vaultspay.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	assert.Equal(t, vaultspay.CodeBadRequest, apiErr.Code)

	err = client.Do(ctx, http.MethodPost, pingPath, map[string]string{}, nil)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusMethodNotAllowed, apiErr.StatusCode)
	assert.NotErrorIs(t, err, vaultspay.ErrOutcomeUnknown, "a 405 with a code is an answer")
}

// TestFakeFaults drives the retry rules through injected faults. Reads (ping) are retried after any
// transport failure; a write (POST through Client.Do) never is once its request may have arrived.
func TestFakeFaults(t *testing.T) {
	refreshBody := func(srv *vaultspaytest.Server, client *vaultspay.Client) any {
		// A real refresh token makes the POST succeed when it gets through.
		var tok vaultspay.Token
		require.NoError(t, client.Do(context.Background(), http.MethodPost, loginPath,
			vaultspay.LoginRequest{ClientID: srv.ClientID(), ClientSecret: vaultspay.Secret(srv.ClientSecret())}, &tok))
		return vaultspay.RefreshTokenRequest{RefreshToken: tok.RefreshToken}
	}
	tests := []struct {
		name      string
		fault     vaultspaytest.Fault
		write     bool // POST refresh through Client.Do instead of GET ping
		wantErr   []error
		wantCalls int // requests the fake logged on the faulted path
	}{
		{name: "read: reset before handler is retried", fault: vaultspaytest.Fault{Kind: vaultspaytest.FaultResetBeforeHandler}, wantCalls: 2},
		{name: "read: reset after handler is retried", fault: vaultspaytest.Fault{Kind: vaultspaytest.FaultResetAfterHandler}, wantCalls: 2},
		{name: "read: truncated body is retried", fault: vaultspaytest.Fault{Kind: vaultspaytest.FaultTruncateBody}, wantCalls: 2},
		{name: "read: 503 without a code is retried", fault: vaultspaytest.Fault{Kind: vaultspaytest.FaultStatus, Status: 503}, wantCalls: 2},
		{name: "read: corrupt ciphertext is not retried", fault: vaultspaytest.Fault{Kind: vaultspaytest.FaultCorruptCiphertext},
			wantErr: []error{vaultspay.ErrUndecryptable}, wantCalls: 1},
		{name: "read: 500 with a code is an answer", fault: vaultspaytest.Fault{Kind: vaultspaytest.FaultStatus, Status: 500,
			Body: `{"code":1012,"message":"Account status","type":"ACCOUNT_STATUS"}`}, wantErr: []error{vaultspay.ErrAccountStatus}, wantCalls: 1},
		{name: "read: delay past the attempt timeout is retried", fault: vaultspaytest.Fault{Kind: vaultspaytest.FaultDelay, MS: 2000}, wantCalls: 2},

		{name: "write: reset after handler is outcome unknown", write: true, fault: vaultspaytest.Fault{Kind: vaultspaytest.FaultResetAfterHandler},
			wantErr: []error{vaultspay.ErrOutcomeUnknown}, wantCalls: 1},
		{name: "write: reset before handler is outcome unknown", write: true, fault: vaultspaytest.Fault{Kind: vaultspaytest.FaultResetBeforeHandler},
			wantErr: []error{vaultspay.ErrOutcomeUnknown}, wantCalls: 1},
		{name: "write: truncated body is outcome unknown", write: true, fault: vaultspaytest.Fault{Kind: vaultspaytest.FaultTruncateBody},
			wantErr: []error{vaultspay.ErrOutcomeUnknown, vaultspay.ErrMalformedResponse}, wantCalls: 1},
		{name: "write: corrupt answer is outcome unknown", write: true, fault: vaultspaytest.Fault{Kind: vaultspaytest.FaultCorruptCiphertext},
			wantErr: []error{vaultspay.ErrOutcomeUnknown, vaultspay.ErrUndecryptable}, wantCalls: 1},
		{name: "write: 502 from a gateway is outcome unknown", write: true, fault: vaultspaytest.Fault{Kind: vaultspaytest.FaultStatus, Status: 502, Body: "<html>Bad Gateway</html>"},
			wantErr: []error{vaultspay.ErrOutcomeUnknown, vaultspay.ErrMalformedResponse}, wantCalls: 1},
		{name: "write: throttled is outcome unknown, Do never repeats a POST", write: true, fault: vaultspaytest.Fault{Kind: vaultspaytest.FaultStatus, Status: 429,
			Body: `{"code":1005,"message":"Too many requests. Please try again later.","type":"THROTTLE"}`},
			wantErr: []error{vaultspay.ErrOutcomeUnknown, vaultspay.ErrThrottled}, wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t)
			client := srv.Client(fastRetries, vaultspay.WithRequestTimeout(time.Second))
			ctx := context.Background()
			f := tt.fault
			f.Method, f.Path = http.MethodGet, pingPath
			var err error
			if tt.write {
				body := refreshBody(srv, client)
				f.Method, f.Path = http.MethodPost, refreshPath
				require.NoError(t, srv.InjectFault(f))
				var tok vaultspay.Token
				err = client.Do(ctx, http.MethodPost, refreshPath, body, &tok)
			} else {
				require.NoError(t, client.Login(ctx))
				require.NoError(t, srv.InjectFault(f))
				_, err = client.Ping(ctx)
			}
			if len(tt.wantErr) == 0 {
				require.NoError(t, err)
			}
			for _, want := range tt.wantErr {
				require.ErrorIs(t, err, want)
			}
			assert.Equal(t, tt.wantCalls, srv.CountRequests(f.Method, f.Path), "requests on %s %s", f.Method, f.Path)
		})
	}
}

// TestFakeResponseErrorIsSafe: a corrupted answer yields a typed error with the status and a
// redacted snippet, never the ciphertext or a token.
func TestFakeResponseErrorIsSafe(t *testing.T) {
	srv := newFake(t)
	client := srv.Client(fastRetries)
	ctx := context.Background()
	require.NoError(t, client.Login(ctx))
	require.NoError(t, srv.InjectFault(vaultspaytest.Fault{Method: "GET", Path: pingPath, Kind: vaultspaytest.FaultCorruptCiphertext}))

	_, err := client.Ping(ctx)
	var re *vaultspay.ResponseError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, http.StatusOK, re.StatusCode)
	assert.NotEmpty(t, re.Reason)
	assert.NotRegexp(t, `[A-Za-z0-9+/]{20,}`, err.Error(), "no Base64 blob in the error text")
	assert.True(t, errors.Is(err, vaultspay.ErrUndecryptable))
}

func TestFakeControlMethodsMirrorState(t *testing.T) {
	srv := newFake(t)
	client := srv.Client()
	ctx := context.Background()
	require.NoError(t, client.Login(ctx))
	before := srv.Now()
	require.NoError(t, srv.Advance(time.Hour))
	assert.WithinDuration(t, before.Add(time.Hour), srv.Now(), time.Minute)
	require.Error(t, srv.Advance(-time.Second))

	srv.Reset()
	assert.Empty(t, srv.Requests())
	assert.Equal(t, vaultspaytest.StateCounts{}, srv.State())
	// The client's token died with the reset: 1036, one fresh login, one replay.
	_, err := client.Ping(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, srv.CountRequests(http.MethodPost, loginPath))
	raw, err := json.Marshal(srv.State())
	require.NoError(t, err)
	assert.JSONEq(t, `{"users":0,"accounts":0,"paymentContacts":0,"transfers":0,"transactions":0,"cards":0,"webhookDeliveries":0}`, string(raw))
}
