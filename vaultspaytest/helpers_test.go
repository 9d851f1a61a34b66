package vaultspaytest

// Test helpers for the fake's own tests. They speak plain net/http and build the default-profile
// envelope by hand with the standard library only (shared/api/02-encryption.md §14), so that the fake,
// internal/envelope and the SDK cannot quietly share a mistake (style guide §6.7).

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Routes under test.
const (
	pathLogin   = "/as/api/v1/saas-login"
	pathRefresh = "/as/api/v1/saas-refresh-token"
	pathPing    = "/v1/ping"
)

// invalidHeadersBody is the exact plain answer to an envelope the fake cannot open (§13, 02-encryption §14).
const invalidHeadersBody = `{"code":1018,"message":"Invalid HTTP headers.","type":"INVALID_HEADERS"}`

// badRequestBody is the exact plain answer to an unknown route or a wrong method.
const badRequestBody = `{"code":1010,"message":"Invalid request.","type":"BAD_REQUEST"}`

// expiryPattern is the documented timestamp form, "2024-09-23T18:33:10.049+00:00".
const expiryPattern = `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$`

// fixedNow is the base clock of tests that need exact times (the vendor's example login time).
var fixedNow = time.Date(2024, 9, 23, 18, 33, 10, 49_000_000, time.UTC)

func fixedClock() time.Time { return fixedNow }

// errorCatalogue is the golden message and type of every code these tests expect (03-errors.md §3).
var errorCatalogue = map[int][2]string{
	1000: {"Invalid payload. Please check your request.", "INVALID_PAYLOAD"},
	1002: {"You are not authenticated. Please login to continue.", "UNAUTHENTICATED"},
	1003: {"Your access token has expired. Please get a new token.", "TOKEN_EXPIRED"},
	1004: {"Your session has expired. Please login again.", "SESSION_EXPIRED"},
	1010: {"Invalid request.", "BAD_REQUEST"},
	1018: {"Invalid HTTP headers.", "INVALID_HEADERS"},
	1036: {"Invalid access token provided.", "INVALID_TOKEN"},
}

var (
	keysOnce          sync.Once
	serverKey, badKey *rsa.PrivateKey
	keysErr           error
)

// testKeys returns the RSA key every test server uses and a second, unrelated key (generated once per
// test binary: key generation is slow, more so under -race).
func testKeys(tb testing.TB) (server, other *rsa.PrivateKey) {
	tb.Helper()
	keysOnce.Do(func() {
		if serverKey, keysErr = rsa.GenerateKey(rand.Reader, 2048); keysErr == nil {
			badKey, keysErr = rsa.GenerateKey(rand.Reader, 2048)
		}
	})
	require.NoError(tb, keysErr)
	return serverKey, badKey
}

// newTestServer starts a fake with the shared key and closes it when the test ends.
func newTestServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	k, _ := testKeys(t)
	srv := NewServer(append([]Option{WithRSAKey(k)}, opts...)...)
	t.Cleanup(func() {
		srv.Close()
		assert.Empty(t, srv.ContractViolations(), "the fake's answers must keep to openapi/vaultspay.yaml")
	})
	return srv
}

// httpClient is a plain client without keep-alives: every request gets a fresh connection, so the
// transport never silently retries a request whose reused connection was reset by a fault.
func httpClient(t *testing.T) *http.Client {
	t.Helper()
	tr := &http.Transport{DisableKeepAlives: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 20 * time.Second}
}

// do sends req and requires a transport-level success; the body is read in full.
func do(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	res, err := httpClient(t).Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, raw
}

// plainRequest builds a request with the given raw headers (names kept exactly as given) and body.
func plainRequest(t *testing.T, method, url string, header map[string]string, body []byte) *http.Request {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	require.NoError(t, err)
	for k, v := range header {
		req.Header[k] = []string{v}
	}
	return req
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func newGCM(t *testing.T, key []byte) cipher.AEAD {
	t.Helper()
	block, err := aes.NewCipher(key)
	require.NoError(t, err)
	aead, err := cipher.NewGCM(block) // 12-byte nonce, 16-byte tag appended
	require.NoError(t, err)
	return aead
}

// golden is one request sealed by hand under the default wire profile: AES-256-GCM with a fresh 32-byte
// key and 12-byte IV, the tag appended; the raw key wrapped with RSA PKCS#1 v1.5; standard Base64
// everywhere; body {"encryptedData":"<b64>"}. Header keys are the vendor's lower-case names, sent as is.
// Tests may change Header and Body before sending to build broken envelopes.
type golden struct {
	Method string
	Path   string
	Header map[string]string
	Body   []byte // nil: no body
	key    []byte
	iv     []byte
}

// sealGolden seals plaintext (nil: a request without a body, still carrying the crypto headers) for
// srv's public key and app id.
func sealGolden(t *testing.T, srv *Server, method, path string, plaintext []byte) *golden {
	t.Helper()
	return sealGoldenFor(t, srv.PublicKey(), srv.AppID(), method, path, plaintext)
}

func sealGoldenFor(t *testing.T, pub *rsa.PublicKey, appID, method, path string, plaintext []byte) *golden {
	t.Helper()
	g := &golden{Method: method, Path: path, key: make([]byte, 32), iv: make([]byte, 12)}
	_, err := rand.Read(g.key)
	require.NoError(t, err)
	_, err = rand.Read(g.iv)
	require.NoError(t, err)
	wrapped, err := rsa.EncryptPKCS1v15(rand.Reader, pub, g.key)
	require.NoError(t, err)
	g.Header = map[string]string{
		"x-session-nonce":  b64(g.iv),
		"x-auth-signature": b64(wrapped),
		"x-device-os":      "SAAS",
		"x-device-id":      appID,
	}
	if plaintext != nil {
		g.Header["Content-Type"] = "application/json"
		ct := newGCM(t, g.key).Seal(nil, g.iv, plaintext, nil)
		g.Body = mustJSON(t, map[string]string{"encryptedData": b64(ct)})
	}
	return g
}

// withAuth adds an Authorization header.
func (g *golden) withAuth(v string) *golden {
	g.Header["Authorization"] = v
	return g
}

func (g *golden) request(t *testing.T, baseURL string) *http.Request {
	t.Helper()
	return plainRequest(t, g.Method, baseURL+g.Path, g.Header, g.Body)
}

// answer is a response as the tests see it.
type answer struct {
	Status    int
	Header    http.Header
	Raw       []byte // the body as received
	Plain     []byte // the decrypted body, or Raw when the answer was plain
	Encrypted bool
}

// send sends g to srv and opens the answer; an encrypted answer that does not decrypt fails the test.
func (g *golden) send(t *testing.T, srv *Server) *answer {
	t.Helper()
	res, raw := do(t, g.request(t, srv.URL))
	a := &answer{Status: res.StatusCode, Header: res.Header, Raw: raw, Plain: raw}
	pt, encrypted, err := g.open(res.Header, raw)
	require.NoError(t, err, "opening the answer")
	a.Plain, a.Encrypted = pt, encrypted
	return a
}

// open decrypts raw if it is {"encryptedData": "<b64>"}: with the request key and the IV in the
// answer's x-session-nonce header (the request IV when there is none). A plain body comes back as is.
func (g *golden) open(h http.Header, raw []byte) (plaintext []byte, encrypted bool, err error) {
	var probe struct {
		EncryptedData *string `json:"encryptedData"`
	}
	if json.Unmarshal(raw, &probe) != nil || probe.EncryptedData == nil {
		return raw, false, nil
	}
	iv := g.iv
	if n := h.Get("x-session-nonce"); n != "" {
		if iv, err = base64.StdEncoding.Strict().DecodeString(n); err != nil {
			return nil, true, err
		}
		if len(iv) != 12 {
			return nil, true, errors.New("response nonce is not 12 bytes")
		}
	}
	ct, err := base64.StdEncoding.Strict().DecodeString(*probe.EncryptedData)
	if err != nil {
		return nil, true, err
	}
	block, err := aes.NewCipher(g.key)
	if err != nil {
		return nil, true, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, true, err
	}
	pt, err := aead.Open(nil, iv, ct, nil)
	return pt, true, err
}

// tokens is a login answer as the tests read it.
type tokens struct {
	AccessToken        string `json:"accessToken"`
	AccessTokenExpiry  string `json:"accessTokenExpiry"`
	RefreshToken       string `json:"refreshToken"`
	RefreshTokenExpiry string `json:"refreshTokenExpiry"`
}

func loginBody(srv *Server) map[string]string {
	return map[string]string{"clientId": srv.ClientID(), "clientSecret": srv.ClientSecret()}
}

// login logs in with srv's credentials over the golden envelope and returns the tokens.
func login(t *testing.T, srv *Server) tokens {
	t.Helper()
	a := sealGolden(t, srv, http.MethodPost, pathLogin, mustJSON(t, loginBody(srv))).send(t, srv)
	require.Equal(t, http.StatusOK, a.Status, "login: %s", a.Plain)
	var tk tokens
	require.NoError(t, json.Unmarshal(a.Plain, &tk))
	require.NotEmpty(t, tk.AccessToken)
	require.NotEmpty(t, tk.RefreshToken)
	return tk
}

// ping sends GET /v1/ping with the given Authorization ("" for none) over the golden envelope.
func ping(t *testing.T, srv *Server, authorization string) *answer {
	t.Helper()
	g := sealGolden(t, srv, http.MethodGet, pathPing, nil)
	if authorization != "" {
		g.withAuth(authorization)
	}
	return g.send(t, srv)
}

// apiErr is the error object on the wire.
type apiErr struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Type    string `json:"type"`
	Errors  []struct {
		Key    string `json:"key"`
		Reason string `json:"reason"`
	} `json:"errors"`
}

// requireAPIError checks status and that body is the catalogue's error object for code, and returns
// it for further checks.
func requireAPIError(t *testing.T, status, code int, gotStatus int, body []byte) apiErr {
	t.Helper()
	require.Equal(t, status, gotStatus, "status; body %s", body)
	var e apiErr
	require.NoError(t, json.Unmarshal(body, &e), "error body %s", body)
	want, ok := errorCatalogue[code]
	require.True(t, ok, "code %d missing from the test catalogue", code)
	assert.Equal(t, code, e.Code)
	assert.Equal(t, want[0], e.Message)
	assert.Equal(t, want[1], e.Type)
	return e
}

func (e apiErr) keys() []string {
	var out []string
	for _, f := range e.Errors {
		out = append(out, f.Key)
	}
	return out
}

// tokenCount counts the fake's live tokens of one kind (white-box: the state counts do not show tokens).
func tokenCount(srv *Server, kind tokenKind) int {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	n := 0
	for _, ti := range srv.st.tokens {
		if ti.kind == kind {
			n++
		}
	}
	return n
}

// control calls a /_fake/ route with a plain JSON body (nil: none) and returns status and body.
func control(t *testing.T, srv *Server, method, path string, body any) (int, []byte) {
	t.Helper()
	var b []byte
	if body != nil {
		if s, ok := body.(string); ok {
			b = []byte(s)
		} else {
			b = mustJSON(t, body)
		}
	}
	h := map[string]string{}
	if b != nil {
		h["Content-Type"] = "application/json"
	}
	res, raw := do(t, plainRequest(t, method, srv.URL+path, h, b))
	return res.StatusCode, raw
}
