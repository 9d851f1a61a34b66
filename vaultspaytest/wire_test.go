package vaultspaytest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/internal/envelope"
)

// TestEnvelopeFailures: a request whose envelope the fake cannot open gets HTTP 500 with the plain
// INVALID_HEADERS object, and its handler does not run.
func TestEnvelopeFailures(t *testing.T) {
	t.Parallel()
	_, other := testKeys(t)
	ciphertext := func(t *testing.T, g *golden) []byte {
		var obj struct{ EncryptedData string }
		require.NoError(t, json.Unmarshal(g.Body, &obj))
		ct, err := base64.StdEncoding.DecodeString(obj.EncryptedData)
		require.NoError(t, err)
		return ct
	}
	setCiphertext := func(t *testing.T, g *golden, ct []byte) {
		g.Body = mustJSON(t, map[string]string{"encryptedData": b64(ct)})
	}
	random := func(n int) []byte {
		b := make([]byte, n)
		_, _ = rand.Read(b)
		return b
	}
	tests := []struct {
		name   string
		ping   bool // break a GET /v1/ping instead of a login
		mutate func(t *testing.T, g *golden, srv *Server)
	}{
		{name: "missing nonce", mutate: func(_ *testing.T, g *golden, _ *Server) { delete(g.Header, "x-session-nonce") }},
		{name: "empty nonce", mutate: func(_ *testing.T, g *golden, _ *Server) { g.Header["x-session-nonce"] = "" }},
		{name: "nonce not Base64", mutate: func(_ *testing.T, g *golden, _ *Server) { g.Header["x-session-nonce"] = "not*base64*at*all" }},
		{name: "nonce URL-safe Base64", mutate: func(_ *testing.T, g *golden, _ *Server) {
			g.Header["x-session-nonce"] = strings.NewReplacer("+", "-", "/", "_").Replace(b64([]byte{0xfb, 0xff, 0xbf, 0xfb, 0xff, 0xbf, 0xfb, 0xff, 0xbf, 0xfb, 0xff, 0xbf}))
		}},
		{name: "nonce 16 bytes", mutate: func(_ *testing.T, g *golden, _ *Server) { g.Header["x-session-nonce"] = b64(random(16)) }},
		{name: "nonce 8 bytes", mutate: func(_ *testing.T, g *golden, _ *Server) { g.Header["x-session-nonce"] = b64(random(8)) }},
		{name: "nonce is another IV", mutate: func(_ *testing.T, g *golden, _ *Server) { g.Header["x-session-nonce"] = b64(random(12)) }},
		{name: "missing signature", mutate: func(_ *testing.T, g *golden, _ *Server) { delete(g.Header, "x-auth-signature") }},
		{name: "signature not Base64", mutate: func(_ *testing.T, g *golden, _ *Server) { g.Header["x-auth-signature"] = "%%%" }},
		{name: "signature too short", mutate: func(_ *testing.T, g *golden, _ *Server) { g.Header["x-auth-signature"] = b64(random(128)) }},
		{name: "signature wrapped with another RSA key", mutate: func(t *testing.T, g *golden, _ *Server) {
			w, err := rsa.EncryptPKCS1v15(rand.Reader, &other.PublicKey, g.key)
			require.NoError(t, err)
			g.Header["x-auth-signature"] = b64(w)
		}},
		{name: "signature wraps the key's Base64 text", mutate: func(t *testing.T, g *golden, srv *Server) {
			w, err := rsa.EncryptPKCS1v15(rand.Reader, srv.PublicKey(), []byte(b64(g.key)))
			require.NoError(t, err)
			g.Header["x-auth-signature"] = b64(w)
		}},
		{name: "signature wrapped with OAEP", mutate: func(t *testing.T, g *golden, srv *Server) {
			w, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, srv.PublicKey(), g.key, nil)
			require.NoError(t, err)
			g.Header["x-auth-signature"] = b64(w)
		}},
		{name: "signature wraps a 16-byte key", mutate: func(t *testing.T, g *golden, srv *Server) {
			w, err := rsa.EncryptPKCS1v15(rand.Reader, srv.PublicKey(), g.key[:16])
			require.NoError(t, err)
			g.Header["x-auth-signature"] = b64(w)
		}},
		{name: "bad GCM tag", mutate: func(t *testing.T, g *golden, _ *Server) {
			ct := ciphertext(t, g)
			ct[len(ct)-1] ^= 0x01
			setCiphertext(t, g, ct)
		}},
		{name: "flipped ciphertext bit", mutate: func(t *testing.T, g *golden, _ *Server) {
			ct := ciphertext(t, g)
			ct[0] ^= 0x80
			setCiphertext(t, g, ct)
		}},
		{name: "ciphertext shorter than a tag", mutate: func(t *testing.T, g *golden, _ *Server) {
			setCiphertext(t, g, ciphertext(t, g)[:8])
		}},
		{name: "body is plain JSON", mutate: func(t *testing.T, g *golden, srv *Server) {
			g.Body = mustJSON(t, loginBody(srv))
		}},
		{name: "body is Base64 text", mutate: func(t *testing.T, g *golden, _ *Server) { g.Body = []byte(b64(ciphertext(t, g))) }},
		{name: "body is a JSON string", mutate: func(t *testing.T, g *golden, _ *Server) { g.Body = mustJSON(t, b64(ciphertext(t, g))) }},
		{name: "encryptedData not a string", mutate: func(_ *testing.T, g *golden, _ *Server) { g.Body = []byte(`{"encryptedData":42}`) }},
		{name: "encryptedData not Base64", mutate: func(_ *testing.T, g *golden, _ *Server) { g.Body = []byte(`{"encryptedData":"***"}`) }},
		{name: "encryptedData with line breaks", mutate: func(t *testing.T, g *golden, _ *Server) {
			s := b64(ciphertext(t, g))
			g.Body = mustJSON(t, map[string]string{"encryptedData": s[:20] + "\n" + s[20:]})
		}},
		{name: "missing x-device-os", mutate: func(_ *testing.T, g *golden, _ *Server) { delete(g.Header, "x-device-os") }},
		{name: "x-device-os not SAAS", mutate: func(_ *testing.T, g *golden, _ *Server) { g.Header["x-device-os"] = "ANDROID" }},
		{name: "missing x-device-id", mutate: func(_ *testing.T, g *golden, _ *Server) { delete(g.Header, "x-device-id") }},
		{name: "x-device-id wrong", mutate: func(_ *testing.T, g *golden, _ *Server) { g.Header["x-device-id"] = "18" }},
		{name: "ping missing nonce", ping: true, mutate: func(_ *testing.T, g *golden, _ *Server) { delete(g.Header, "x-session-nonce") }},
		{name: "ping missing signature", ping: true, mutate: func(_ *testing.T, g *golden, _ *Server) { delete(g.Header, "x-auth-signature") }},
		{name: "ping x-device-id wrong", ping: true, mutate: func(_ *testing.T, g *golden, _ *Server) { g.Header["x-device-id"] = "1" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t)
			g := sealGolden(t, srv, http.MethodPost, pathLogin, mustJSON(t, loginBody(srv)))
			if tt.ping {
				g = sealGolden(t, srv, http.MethodGet, pathPing, nil)
			}
			tt.mutate(t, g, srv)
			res, raw := do(t, g.request(t, srv.URL))
			assert.Equal(t, http.StatusInternalServerError, res.StatusCode)
			assert.Equal(t, invalidHeadersBody, string(raw), "plain, exact body")
			assert.Equal(t, "application/json", res.Header.Get("Content-Type"))
			assert.Empty(t, res.Header.Get("x-session-nonce"))
			assert.Zero(t, tokenCount(srv, accessToken)+tokenCount(srv, refreshToken), "handler must not run")
			reqs := srv.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, http.StatusInternalServerError, reqs[0].Status)
		})
	}
}

func TestUnknownRouteAndWrongMethod(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method, path string
		status       int
		allow        string
	}{
		{http.MethodGet, "/nope", http.StatusNotFound, ""},
		{http.MethodPost, "/as/api/v1/unknown", http.StatusNotFound, ""},
		{http.MethodPost, pathLogin + "/", http.StatusNotFound, ""},
		{http.MethodGet, "/", http.StatusNotFound, ""},
		{http.MethodGet, pathLogin, http.StatusMethodNotAllowed, "POST"},
		{http.MethodDelete, pathRefresh, http.StatusMethodNotAllowed, "POST"},
		{http.MethodPost, pathPing, http.StatusMethodNotAllowed, "GET"},
	}
	for _, tt := range tests {
		for _, withHeaders := range []bool{false, true} {
			name := tt.method + " " + tt.path + " bare"
			if withHeaders {
				name = tt.method + " " + tt.path + " sealed"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				srv := newTestServer(t)
				req := plainRequest(t, tt.method, srv.URL+tt.path, nil, nil)
				if withHeaders {
					req = sealGolden(t, srv, tt.method, tt.path, []byte(`{}`)).request(t, srv.URL)
				}
				res, raw := do(t, req)
				assert.Equal(t, tt.status, res.StatusCode)
				assert.Equal(t, badRequestBody, string(raw), "plain, exact body")
				assert.Equal(t, tt.allow, res.Header.Get("Allow"))
				assert.Empty(t, res.Header.Get("x-session-nonce"))
				reqs := srv.Requests()
				require.Len(t, reqs, 1)
				assert.Equal(t, tt.status, reqs[0].Status)
			})
		}
	}
}

// plainHeaders are the device headers of a request sent with x-enable-encryption: false.
func plainHeaders(srv *Server) map[string]string {
	return map[string]string{
		"x-device-os":         "SAAS",
		"x-device-id":         srv.AppID(),
		"x-enable-encryption": "false",
		"Content-Type":        "application/json",
	}
}

func TestEncryptionSwitch(t *testing.T) {
	t.Parallel()
	t.Run("x-enable-encryption false", func(t *testing.T) {
		t.Parallel()
		srv := newTestServer(t)
		res, raw := do(t, plainRequest(t, http.MethodPost, srv.URL+pathLogin, plainHeaders(srv), mustJSON(t, loginBody(srv))))
		require.Equal(t, http.StatusOK, res.StatusCode, "body %s", raw)
		assert.Empty(t, res.Header.Get("x-session-nonce"))
		var tk tokens
		require.NoError(t, json.Unmarshal(raw, &tk), "plain flat answer: %s", raw)
		assert.NotEmpty(t, tk.AccessToken)
		assert.Regexp(t, expiryPattern, tk.RefreshTokenExpiry)

		h := plainHeaders(srv)
		h["Authorization"] = "Bearer " + tk.AccessToken
		res, raw = do(t, plainRequest(t, http.MethodGet, srv.URL+pathPing, h, nil))
		require.Equal(t, http.StatusOK, res.StatusCode)
		assert.JSONEq(t, `{"data":"Service is up and running!"}`, string(raw))

		// Errors are plain too.
		res, raw = do(t, plainRequest(t, http.MethodPost, srv.URL+pathLogin, plainHeaders(srv), []byte(`{}`)))
		e := requireAPIError(t, 422, 1000, res.StatusCode, raw)
		assert.Equal(t, []string{"clientId", "clientSecret"}, e.keys())
	})
	t.Run("x-enable-encryption false alongside crypto headers", func(t *testing.T) {
		t.Parallel()
		srv := newTestServer(t)
		g := sealGolden(t, srv, http.MethodPost, pathLogin, nil)
		g.Header["x-enable-encryption"] = "false"
		g.Body = mustJSON(t, loginBody(srv))
		a := g.send(t, srv)
		require.Equal(t, http.StatusOK, a.Status, "body %s", a.Raw)
		assert.False(t, a.Encrypted)
	})
	t.Run("device headers still required", func(t *testing.T) {
		t.Parallel()
		srv := newTestServer(t)
		for _, drop := range []string{"x-device-os", "x-device-id"} {
			h := plainHeaders(srv)
			delete(h, drop)
			res, raw := do(t, plainRequest(t, http.MethodPost, srv.URL+pathLogin, h, mustJSON(t, loginBody(srv))))
			assert.Equal(t, http.StatusInternalServerError, res.StatusCode, drop)
			assert.Equal(t, invalidHeadersBody, string(raw), drop)
		}
		assert.Zero(t, tokenCount(srv, accessToken))
	})
	t.Run("production mode refuses it", func(t *testing.T) {
		t.Parallel()
		srv := newTestServer(t, WithProductionMode())
		res, raw := do(t, plainRequest(t, http.MethodPost, srv.URL+pathLogin, plainHeaders(srv), mustJSON(t, loginBody(srv))))
		assert.Equal(t, http.StatusInternalServerError, res.StatusCode)
		assert.Equal(t, invalidHeadersBody, string(raw))
		assert.Zero(t, tokenCount(srv, accessToken))
		// The envelope itself still works in production mode.
		assert.NotEmpty(t, login(t, srv).AccessToken)
	})
	t.Run("WithoutEncryption answers plain", func(t *testing.T) {
		t.Parallel()
		srv := newTestServer(t, WithoutEncryption())
		assert.False(t, srv.Encryption())
		h := plainHeaders(srv)
		delete(h, "x-enable-encryption")
		res, raw := do(t, plainRequest(t, http.MethodPost, srv.URL+pathLogin, h, mustJSON(t, loginBody(srv))))
		require.Equal(t, http.StatusOK, res.StatusCode, "body %s", raw)
		assert.Empty(t, res.Header.Get("x-session-nonce"))
		var tk tokens
		require.NoError(t, json.Unmarshal(raw, &tk))
		assert.NotEmpty(t, tk.AccessToken)

		// Crypto headers are ignored: a GET that carries them still gets a plain answer.
		g := sealGolden(t, srv, http.MethodGet, pathPing, nil).withAuth("Bearer " + tk.AccessToken)
		a := g.send(t, srv)
		require.Equal(t, http.StatusOK, a.Status)
		assert.False(t, a.Encrypted)
		assert.JSONEq(t, `{"data":"Service is up and running!"}`, string(a.Raw))

		// Device headers are still checked.
		delete(h, "x-device-id")
		res, raw = do(t, plainRequest(t, http.MethodPost, srv.URL+pathLogin, h, mustJSON(t, loginBody(srv))))
		assert.Equal(t, http.StatusInternalServerError, res.StatusCode)
		assert.Equal(t, invalidHeadersBody, string(raw))
	})
}

func profileName(p vaultspay.WireProfile) string {
	return string(p.KeyWrap) + "/" + string(p.KeyEncoding) + "/" + string(p.Body) + "/" + string(p.ResponseIV)
}

// TestEveryWireProfile: for each combination of the wire profile's options, a server speaking it
// accepts a login sealed under it (with internal/envelope) and answers in a form that opens under it.
func TestEveryWireProfile(t *testing.T) {
	t.Parallel()
	var profiles []vaultspay.WireProfile
	for _, kw := range []envelope.KeyWrap{envelope.KeyWrapPKCS1v15, envelope.KeyWrapOAEPSHA1, envelope.KeyWrapOAEPSHA256, envelope.KeyWrapOAEPSHA256MGF1SHA1} {
		for _, ke := range []envelope.KeyEncoding{envelope.KeyEncodingRaw, envelope.KeyEncodingBase64} {
			for _, bf := range []envelope.BodyFormat{envelope.BodyJSONObject, envelope.BodyBase64Text, envelope.BodyJSONString} {
				for _, ri := range []envelope.ResponseIV{envelope.ResponseIVHeader, envelope.ResponseIVRequest} {
					profiles = append(profiles, vaultspay.WireProfile{KeyWrap: kw, KeyEncoding: ke, Body: bf, ResponseIV: ri})
				}
			}
		}
	}
	require.Len(t, profiles, 48)
	for _, p := range profiles {
		t.Run(profileName(p), func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, WithWireProfile(p))
			assert.Equal(t, p, srv.WireProfile())

			sess, err := envelope.NewSession(nil)
			require.NoError(t, err)
			sig, err := sess.WrapKey(srv.PublicKey(), p)
			require.NoError(t, err)
			h := map[string]string{
				"x-session-nonce":  sess.Nonce(),
				"x-auth-signature": sig,
				"x-device-os":      "SAAS",
				"x-device-id":      srv.AppID(),
				"Content-Type":     "application/json",
			}
			body := sess.SealRequest(p, mustJSON(t, loginBody(srv)))
			res, raw := do(t, plainRequest(t, http.MethodPost, srv.URL+pathLogin, h, body))
			require.Equal(t, http.StatusOK, res.StatusCode, "raw answer %s", raw)
			require.True(t, envelope.IsEncrypted(p.Body, raw), "answer in the profile's form: %s", raw)

			respNonce := res.Header.Get("x-session-nonce")
			if p.ResponseIV == envelope.ResponseIVRequest {
				assert.Empty(t, respNonce, "the request IV is reused: no nonce header")
			} else {
				require.NotEmpty(t, respNonce)
				assert.NotEqual(t, sess.Nonce(), respNonce)
			}
			iv, err := sess.ResponseIV(p, respNonce)
			require.NoError(t, err)
			pt, err := sess.Open(p, iv, raw)
			require.NoError(t, err)
			var tk tokens
			require.NoError(t, json.Unmarshal(pt, &tk), "plaintext %s", pt)
			assert.NotEmpty(t, tk.AccessToken)

			// A default-profile golden request is refused unless the profile only differs in the
			// response IV, which the server alone decides.
			def, err := vaultspay.WireProfile{}.Normalize()
			require.NoError(t, err)
			res, raw = do(t, sealGolden(t, srv, http.MethodPost, pathLogin, mustJSON(t, loginBody(srv))).request(t, srv.URL))
			if p.KeyWrap == def.KeyWrap && p.KeyEncoding == def.KeyEncoding && p.Body == def.Body {
				assert.Equal(t, http.StatusOK, res.StatusCode, "raw answer %s", raw)
			} else {
				assert.Equal(t, http.StatusInternalServerError, res.StatusCode)
				assert.Equal(t, invalidHeadersBody, string(raw))
			}
		})
	}
}

func TestInvalidWireProfile(t *testing.T) {
	t.Parallel()
	k, _ := testKeys(t)
	for _, p := range []vaultspay.WireProfile{{KeyWrap: "nope"}, {KeyEncoding: "hex"}, {Body: "xml"}, {ResponseIV: "body"}} {
		_, err := NewUnstartedServer(WithRSAKey(k), WithWireProfile(p))
		assert.Error(t, err, profileName(p))
	}
}
