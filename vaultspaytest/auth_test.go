package vaultspaytest

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoginGolden(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	g := sealGolden(t, srv, http.MethodPost, pathLogin,
		[]byte(`{"clientId":"`+srv.ClientID()+`","clientSecret":"`+srv.ClientSecret()+`"}`))
	before := time.Now()
	a := g.send(t, srv)

	require.Equal(t, http.StatusOK, a.Status, "body %s", a.Plain)
	assert.Equal(t, "application/json", a.Header.Get("Content-Type"))
	require.True(t, a.Encrypted, "a login answer is sealed: %s", a.Raw)
	var form map[string]any
	require.NoError(t, json.Unmarshal(a.Raw, &form))
	assert.Len(t, form, 1, "encrypted body has only encryptedData: %s", a.Raw)

	nonce := a.Header.Get("x-session-nonce")
	require.NotEmpty(t, nonce, "the fake sends a fresh response IV")
	assert.NotEqual(t, g.Header["x-session-nonce"], nonce, "response IV must differ from the request IV")
	assert.Len(t, nonce, 16, "12 bytes in standard Base64")

	var body map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(a.Plain, &body), "plaintext %s", a.Plain)
	assert.NotContains(t, body, "data", "the login answer is flat, as documented")
	assert.ElementsMatch(t, []string{"accessToken", "accessTokenExpiry", "refreshToken", "refreshTokenExpiry"},
		keysOf(body))

	var tk tokens
	require.NoError(t, json.Unmarshal(a.Plain, &tk))
	assert.NotEmpty(t, tk.AccessToken)
	assert.NotEmpty(t, tk.RefreshToken)
	assert.NotEqual(t, tk.AccessToken, tk.RefreshToken)
	assert.Regexp(t, expiryPattern, tk.AccessTokenExpiry)
	assert.Regexp(t, expiryPattern, tk.RefreshTokenExpiry)
	assertNear(t, before.Add(DefaultAccessTTL), tk.AccessTokenExpiry)
	assertNear(t, before.Add(DefaultRefreshTTL), tk.RefreshTokenExpiry)
}

func TestLoginExpiryFollowsFakeClock(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, WithClock(fixedClock), WithTokenTTL(time.Minute, time.Hour))
	require.NoError(t, srv.Advance(90*time.Second))
	tk := login(t, srv)
	assert.Equal(t, "2024-09-23T18:35:40.049+00:00", tk.AccessTokenExpiry)
	assert.Equal(t, "2024-09-23T19:34:40.049+00:00", tk.RefreshTokenExpiry)
}

func TestRefreshGolden(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, WithClock(fixedClock))
	first := login(t, srv)
	require.NoError(t, srv.Advance(time.Minute))

	g := sealGolden(t, srv, http.MethodPost, pathRefresh, []byte(`{"refreshToken":"`+first.RefreshToken+`"}`))
	a := g.send(t, srv)
	require.Equal(t, http.StatusOK, a.Status, "body %s", a.Plain)
	require.True(t, a.Encrypted)
	assert.NotEqual(t, g.Header["x-session-nonce"], a.Header.Get("x-session-nonce"))

	var wrapped map[string]map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(a.Plain, &wrapped), "plaintext %s", a.Plain)
	require.Len(t, wrapped, 1, "only data at the top: %s", a.Plain)
	data, ok := wrapped["data"]
	require.True(t, ok, "refresh answer is wrapped in data: %s", a.Plain)
	assert.ElementsMatch(t, []string{"accessToken", "accessTokenExpiry"}, keysOf(data), "no refreshToken key")

	var tk tokens
	require.NoError(t, json.Unmarshal(mustJSON(t, data), &tk))
	assert.NotEmpty(t, tk.AccessToken)
	assert.NotEqual(t, first.AccessToken, tk.AccessToken)
	assert.Equal(t, "2024-09-23T18:49:10.049+00:00", tk.AccessTokenExpiry, "now + DefaultAccessTTL")

	// Both access tokens work: refreshing does not revoke the earlier one.
	for _, at := range []string{first.AccessToken, tk.AccessToken} {
		assert.Equal(t, http.StatusOK, ping(t, srv, "Bearer "+at).Status)
	}
	// The refresh token is not rotated: it refreshes again.
	again := sealGolden(t, srv, http.MethodPost, pathRefresh, []byte(`{"refreshToken":"`+first.RefreshToken+`"}`)).send(t, srv)
	assert.Equal(t, http.StatusOK, again.Status)
}

func TestPingAnswer(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	a := ping(t, srv, "Bearer "+login(t, srv).AccessToken)
	require.Equal(t, http.StatusOK, a.Status)
	require.True(t, a.Encrypted, "a GET with crypto headers gets a sealed answer")
	assert.JSONEq(t, `{"data":"Service is up and running!"}`, string(a.Plain))
}

// TestTokenValidation runs 00-conventions §13 on ping, refresh and login. Every row is run against a
// default server, whose errors are sealed once the envelope is open, and one with WithPlainErrors.
func TestTokenValidation(t *testing.T) {
	t.Parallel()
	type req struct {
		path string
		auth string // Authorization; "" for none
		body []byte // plaintext to seal; nil for none
	}
	pingWith := func(auth string) req { return req{path: pathPing, auth: auth} }
	refreshWith := func(rt string) req { return req{path: pathRefresh, body: []byte(`{"refreshToken":"` + rt + `"}`)} }
	loginWith := func(body string) req { return req{path: pathLogin, body: []byte(body)} }

	tests := []struct {
		name    string
		prepare func(t *testing.T, srv *Server) req
		status  int
		code    int      // 0 on success
		keys    []string // errors[].key, in order
	}{
		{name: "ping without Authorization", status: 200,
			prepare: func(*testing.T, *Server) req { return pingWith("") }},
		{name: "ping with valid token", status: 200,
			prepare: func(t *testing.T, srv *Server) req { return pingWith("Bearer " + login(t, srv).AccessToken) }},
		{name: "ping with Basic scheme", status: 400, code: 1036,
			prepare: func(*testing.T, *Server) req { return pingWith("Basic x") }},
		{name: "ping with empty bearer", status: 400, code: 1036,
			prepare: func(*testing.T, *Server) req { return pingWith("Bearer ") }},
		{name: "ping with unknown bearer", status: 400, code: 1036,
			prepare: func(*testing.T, *Server) req { return pingWith("Bearer at_0123456789") }},
		{name: "ping with refresh token as access token", status: 400, code: 1036,
			prepare: func(t *testing.T, srv *Server) req { return pingWith("Bearer " + login(t, srv).RefreshToken) }},
		{name: "ping with expired access token", status: 401, code: 1003,
			prepare: func(t *testing.T, srv *Server) req {
				tk := login(t, srv)
				require.NoError(t, srv.Advance(DefaultAccessTTL+time.Second))
				return pingWith("Bearer " + tk.AccessToken)
			}},
		{name: "ping just before expiry", status: 200,
			prepare: func(t *testing.T, srv *Server) req {
				tk := login(t, srv)
				require.NoError(t, srv.Advance(DefaultAccessTTL-time.Second))
				return pingWith("Bearer " + tk.AccessToken)
			}},
		{name: "ping after ExpireTokens", status: 401, code: 1003,
			prepare: func(t *testing.T, srv *Server) req {
				tk := login(t, srv)
				srv.ExpireTokens()
				return pingWith("Bearer " + tk.AccessToken)
			}},
		{name: "refresh after ExpireTokens", status: 200,
			prepare: func(t *testing.T, srv *Server) req {
				tk := login(t, srv)
				srv.ExpireTokens()
				return refreshWith(tk.RefreshToken)
			}},
		{name: "refresh with unknown token", status: 400, code: 1036,
			prepare: func(*testing.T, *Server) req { return refreshWith("rt_0123456789") }},
		{name: "refresh with access token", status: 400, code: 1036,
			prepare: func(t *testing.T, srv *Server) req { return refreshWith(login(t, srv).AccessToken) }},
		{name: "refresh with expired refresh token", status: 401, code: 1004,
			prepare: func(t *testing.T, srv *Server) req {
				tk := login(t, srv)
				require.NoError(t, srv.Advance(DefaultRefreshTTL+time.Second))
				return refreshWith(tk.RefreshToken)
			}},
		{name: "refresh with blank token", status: 422, code: 1000, keys: []string{"refreshToken"},
			prepare: func(*testing.T, *Server) req { return refreshWith("") }},
		{name: "login with wrong client secret", status: 401, code: 1002,
			prepare: func(_ *testing.T, srv *Server) req {
				return loginWith(`{"clientId":"` + srv.ClientID() + `","clientSecret":"wrong"}`)
			}},
		{name: "login with wrong client id", status: 401, code: 1002,
			prepare: func(_ *testing.T, srv *Server) req {
				return loginWith(`{"clientId":"wrong","clientSecret":"` + srv.ClientSecret() + `"}`)
			}},
		{name: "login with no body", status: 422, code: 1000, keys: []string{"body"},
			prepare: func(*testing.T, *Server) req { return req{path: pathLogin} }},
		{name: "login with sealed empty plaintext", status: 422, code: 1000, keys: []string{"body"},
			prepare: func(*testing.T, *Server) req { return loginWith("") }},
		{name: "login with non-JSON plaintext", status: 422, code: 1000, keys: []string{"body"},
			prepare: func(*testing.T, *Server) req { return loginWith("clientId=x") }},
		{name: "login with empty object", status: 422, code: 1000, keys: []string{"clientId", "clientSecret"},
			prepare: func(*testing.T, *Server) req { return loginWith("{}") }},
		{name: "login without secret", status: 422, code: 1000, keys: []string{"clientSecret"},
			prepare: func(_ *testing.T, srv *Server) req { return loginWith(`{"clientId":"` + srv.ClientID() + `"}`) }},
	}
	for _, plainErrors := range []bool{false, true} {
		mode := "sealed errors"
		if plainErrors {
			mode = "plain errors"
		}
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					t.Parallel()
					var opts []Option
					if plainErrors {
						opts = append(opts, WithPlainErrors())
					}
					srv := newTestServer(t, opts...)
					r := tt.prepare(t, srv)
					method := http.MethodPost
					if r.path == pathPing {
						method = http.MethodGet
					}
					g := sealGolden(t, srv, method, r.path, r.body)
					if r.auth != "" {
						g.withAuth(r.auth)
					}
					a := g.send(t, srv)
					if tt.code == 0 {
						require.Equal(t, tt.status, a.Status, "body %s", a.Plain)
						assert.True(t, a.Encrypted, "success answers are always sealed")
						return
					}
					assert.Equal(t, !plainErrors, a.Encrypted, "raw answer %s", a.Raw)
					if a.Encrypted {
						assert.NotEmpty(t, a.Header.Get("x-session-nonce"))
					}
					e := requireAPIError(t, tt.status, tt.code, a.Status, a.Plain)
					assert.Equal(t, tt.keys, e.keys())
					for _, f := range e.Errors {
						assert.NotEmpty(t, f.Reason, "key %s", f.Key)
					}
					if tt.keys == nil {
						var obj map[string]json.RawMessage
						require.NoError(t, json.Unmarshal(a.Plain, &obj))
						assert.NotContains(t, obj, "errors", "standard errors have no errors array")
					}
				})
			}
		})
	}
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// assertNear checks that the documented timestamp s is within 2 s of want.
func assertNear(t *testing.T, want time.Time, s string) {
	t.Helper()
	got, err := time.Parse(time.RFC3339Nano, s)
	require.NoError(t, err)
	assert.WithinDuration(t, want, got, 2*time.Second)
}
