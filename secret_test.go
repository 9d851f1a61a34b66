package vaultspay

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	leakAccess  = "at_LEAK-access-token-8c1e"
	leakRefresh = "rt_LEAK-refresh-token-2b9d"
)

// forms returns s as it would appear printed raw, hex-encoded, Base64-encoded or as fmt's decimal byte list.
func forms(s string) []string {
	b := []byte(s)
	return []string{s, hex.EncodeToString(b), strings.ToUpper(hex.EncodeToString(b)), base64.StdEncoding.EncodeToString(b),
		strings.Trim(fmt.Sprint(b), "[]")}
}

// render prints v with every fmt verb and through slog's text and JSON handlers.
func render(v any) map[string]string {
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X"} {
		out[verb] = fmt.Sprintf(verb, v)
	}
	out["Sprint"] = fmt.Sprint(v)
	out["Sprintln"] = fmt.Sprintln(v)
	// No time attribute: its nanoseconds could contain a short secret (a CVV, a PIN) by chance.
	noTime := &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 && a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}
	for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"slog text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, noTime) },
		"slog json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, noTime) },
	} {
		var b bytes.Buffer
		l := slog.New(h(&b))
		l.Info("value", slog.Any("v", v))
		l.Info("group", slog.Group("g", slog.Any("v", v)))
		l.With(slog.Any("v", v)).Info("with")
		l.Info("args", "v", v)
		out[name] = b.String()
	}
	return out
}

func assertNoLeak(t *testing.T, what string, v any, secrets ...string) {
	t.Helper()
	for how, s := range render(v) {
		for _, secret := range secrets {
			for _, form := range forms(secret) {
				assert.NotContains(t, s, form, "%s printed with %s leaks %q", what, how, secret)
			}
		}
	}
}

func TestSecretsNeverPrint(t *testing.T) {
	t.Parallel()
	var tok Token
	_, err := decodeData(&Response{StatusCode: 200, Body: []byte(fmt.Sprintf(
		`{"accessToken":%q,"accessTokenExpiry":"2030-01-02T03:14:05.000+00:00","refreshToken":%q,"refreshTokenExpiry":"2030-01-03T03:04:05.000+00:00"}`,
		leakAccess, leakRefresh))}, &tok)
	require.NoError(t, err)
	require.Equal(t, leakAccess, tok.AccessToken.Reveal(), "decoded as the SDK does, raw JSON included")
	require.NotEmpty(t, tok.RawJSON())

	apiErr := &APIError{
		StatusCode: 401, Code: CodeUnauthenticated, Type: TypeUnauthenticated, Message: "You are not authenticated.",
		Header: http.Header{"X-Echo": {testSecret}}, RequestID: "req-1",
		body: []byte(fmt.Sprintf(`{"code":1002,"message":"You are not authenticated.","type":"UNAUTHENTICATED","echo":%q}`, testSecret)),
	}

	env, err := newSealer(&testKey(t).PublicKey, WireProfile{})
	require.NoError(t, err)
	sealed, err := env.Seal([]byte(fmt.Sprintf(`{"clientId":%q,"clientSecret":%q}`, testClientID, testSecret)))
	require.NoError(t, err)
	aesKey := sessionKey(t, sealed)

	tests := []struct {
		name    string
		v       any
		secrets []string
	}{
		{name: "Secret", v: Secret(testSecret), secrets: []string{testSecret}},
		{name: "*Secret", v: func() *Secret { s := Secret(testSecret); return &s }(), secrets: []string{testSecret}},
		{name: "Token", v: tok, secrets: []string{leakAccess, leakRefresh}},
		{name: "*Token", v: &tok, secrets: []string{leakAccess, leakRefresh}},
		{name: "LoginRequest", v: LoginRequest{ClientID: testClientID, ClientSecret: testSecret}, secrets: []string{testSecret}},
		{name: "*LoginRequest", v: &LoginRequest{ClientID: testClientID, ClientSecret: testSecret}, secrets: []string{testSecret}},
		{name: "RefreshTokenRequest", v: RefreshTokenRequest{RefreshToken: leakRefresh}, secrets: []string{leakRefresh}},
		{name: "*RefreshTokenRequest", v: &RefreshTokenRequest{RefreshToken: leakRefresh}, secrets: []string{leakRefresh}},
		{name: "*APIError", v: apiErr, secrets: []string{testSecret}},
		{name: "wrapped *APIError", v: fmt.Errorf("call: %w", apiErr), secrets: []string{testSecret}},
		{name: "*sealedReq", v: sealed, secrets: []string{testSecret, sealed.Signature, string(aesKey), base64.StdEncoding.EncodeToString(aesKey)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertNoLeak(t, tt.name, tt.v, tt.secrets...)
		})
	}

	// The wire still carries the real values.
	b, err := json.Marshal(LoginRequest{ClientID: testClientID, ClientSecret: testSecret})
	require.NoError(t, err)
	assert.JSONEq(t, fmt.Sprintf(`{"clientId":%q,"clientSecret":%q}`, testClientID, testSecret), string(b))
	b, err = json.Marshal(RefreshTokenRequest{RefreshToken: leakRefresh})
	require.NoError(t, err)
	assert.JSONEq(t, fmt.Sprintf(`{"refreshToken":%q}`, leakRefresh), string(b))
	assert.Equal(t, "[redacted]", Secret("x").String())
	assert.Equal(t, "", Secret("").String())
	assert.Contains(t, fmt.Sprint(tok), "2030-01-02T03:14:05", "a token still prints its expiry")
}

// sessionKey digs the AES key out of a sealedReq (test only), to prove it never prints.
func sessionKey(t *testing.T, s *sealedReq) []byte {
	t.Helper()
	k := reflect.ValueOf(s.session).Elem().FieldByName("key")
	require.True(t, k.IsValid())
	out := make([]byte, k.Len())
	for i := range out {
		out[i] = byte(k.Index(i).Uint())
	}
	require.Len(t, out, 32)
	return out
}

// lockedBuffer is a bytes.Buffer safe for concurrent writers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestDebugLogNeverLeaks(t *testing.T) {
	t.Parallel()
	var meCalls, flaky atomic.Int32
	f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) {
		f.mux.HandleFunc("GET /v1/me", expiringAPI(1, &meCalls))
		f.mux.HandleFunc("GET /v1/flaky", func(w http.ResponseWriter, r *http.Request) {
			if flaky.Add(1) == 1 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			echo(w, r)
		})
		f.mux.HandleFunc("POST /v1/invalid", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 422, map[string]any{"code": 1000, "message": "Invalid payload.", "type": "INVALID_PAYLOAD",
				"errors": []map[string]string{{"key": "cvv", "reason": "123 is wrong"}}})
		})
	})
	var buf lockedBuffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := f.client(t, WithLogger(logger))
	clock := newTestClock(fakeT0)
	authOf(t, c).now = clock.Now
	ctx := context.Background()

	require.NoError(t, c.Login(ctx))
	require.NoError(t, c.Do(ctx, http.MethodGet, "/v1/me", nil, nil), "1003, refresh, replay")
	clock.Set(fakeT0.Add(time.Hour))
	require.NoError(t, c.Do(ctx, http.MethodGet, "/v1/flaky", nil, nil), "proactive refresh, 503, retry")
	err := c.Do(ctx, http.MethodPost, "/v1/invalid", map[string]string{"cvv": "123", "note": testSecret}, nil)
	require.ErrorIs(t, err, ErrInvalidPayload)
	logger.Debug("error", slog.Any("err", err))

	// A client with wrong credentials logs its failed login too.
	bad := f.client(t, WithLogger(logger), WithCredentials(testClientID, testSecret+"-wrong"))
	require.Error(t, bad.Login(ctx))

	out := buf.String()
	require.Contains(t, out, `"msg":"vaultspay request"`)
	require.Contains(t, out, `"msg":"vaultspay request, retrying"`)
	require.Contains(t, out, `"path":"/as/api/v1/saas-refresh-token"`)
	require.GreaterOrEqual(t, f.refreshes.Load(), int32(2))

	secrets := []string{testSecret}
	secrets = append(secrets, f.issuedTokens()...)
	for _, r := range f.requests() {
		secrets = append(secrets, r.Header.Get(headerSignature))
		if a := r.Header.Get("Authorization"); a != "" {
			secrets = append(secrets, a)
		}
	}
	require.Greater(t, len(secrets), 10)
	for _, s := range secrets {
		require.NotEmpty(t, s)
		assert.NotContains(t, out, s)
	}
}
