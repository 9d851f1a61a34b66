package vaultspay

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/vaultspay-go/vaultspay/internal/envelope"
)

// Credentials every test client uses. testSecret is long and distinctive so a leak is easy to find.
const (
	testClientID = "client-4711"
	testSecret   = "cs_Z9xQ-very-secret-value-7f3a"
	testAppID    = "17"
)

// vendorSampleKey is the RSA public key printed in the vendor's Java sample (02-encryption.md §8).
const vendorSampleKey = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAne7/zCQBaojWUqVOYrCyzVMubq2cBJhepEKPri+qW6uh1HGC" +
	"p7XZFXbl2T6XG0XJa4QFFjaQAo+BMAkCUo2JuL5cxyR7CsmaZgdeqtExteQ9rc92G0iMsI4qfSB9Hr3bqrmXqUEIMZJ7tboz51hyW1Mq4m1Y4bzlGwFT" +
	"0WNyBbUMU/mMbSRd/nU7Py9qoGJJVJRwdNq7E+s8FPMXeWdMQw49yR7IGWayGJ6Fqwy6hnpZesPHAqKmiRCk5DRPMYa6RVk1k/B1PJX6xt/87L9Me+lB" +
	"M/E5A30qg7f+oCbGZqVHeWBFJjZ6kpr5o9UtqzgdsHMGNln3wZw2C74klrVTBwIDAQAB"

// ---------------------------------------------------------------------------------------------------------------------
// Keys: generated once per test binary.
// ---------------------------------------------------------------------------------------------------------------------

type testKeySet struct {
	rsa2048 *rsa.PrivateKey
	rsa1024 *rsa.PrivateKey
	ec      *ecdsa.PrivateKey
}

var (
	testKeysOnce sync.Once
	testKeysVal  testKeySet
	testKeysErr  error
)

func testKeys(tb testing.TB) testKeySet {
	tb.Helper()
	testKeysOnce.Do(func() {
		var k testKeySet
		if k.rsa2048, testKeysErr = rsa.GenerateKey(rand.Reader, 2048); testKeysErr != nil {
			return
		}
		if k.rsa1024, testKeysErr = rsa.GenerateKey(rand.Reader, 1024); testKeysErr != nil {
			return
		}
		if k.ec, testKeysErr = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); testKeysErr != nil {
			return
		}
		testKeysVal = k
	})
	require.NoError(tb, testKeysErr)
	return testKeysVal
}

// testKey is the 2048-bit RSA key the test servers decrypt with.
func testKey(tb testing.TB) *rsa.PrivateKey { tb.Helper(); return testKeys(tb).rsa2048 }

// spkiBase64 is pub as Base64 of its X.509 SubjectPublicKeyInfo DER (the vendor's form).
func spkiBase64(tb testing.TB, pub any) string {
	tb.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	require.NoError(tb, err)
	return base64.StdEncoding.EncodeToString(der)
}

func spkiPEM(tb testing.TB, pub any) string {
	tb.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	require.NoError(tb, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

func pkcs1PEM(pub *rsa.PublicKey) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(pub)}))
}

// fastRetry is a retry policy whose waits cost nothing measurable.
func fastRetry(n int) RetryPolicy {
	return RetryPolicy{MaxRetries: n, MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond}
}

// staticToken is a TokenSource that always answers the same token.
type staticToken string

func (s staticToken) AccessToken(context.Context) (Secret, error) { return Secret(s), nil }

// ---------------------------------------------------------------------------------------------------------------------
// Independent implementation of the default wire profile (02-encryption.md §14), written with the standard library
// only, so the SDK's envelope is checked against a second implementation rather than against itself.
// ---------------------------------------------------------------------------------------------------------------------

var encryptedDataBody = regexp.MustCompile(`^\{"encryptedData":"([A-Za-z0-9+/]+={0,2})"\}$`)

// defaultSession is what a server recovers from a default-profile request: the AES key and the request IV.
type defaultSession struct {
	key, iv []byte
}

// unwrapDefault unwraps x-auth-signature (PKCS#1 v1.5 of the raw 32 key bytes) and decodes x-session-nonce (12 bytes),
// both strict standard Base64. It reports problems as errors, so httpmock responders can use it.
func unwrapDefault(priv *rsa.PrivateKey, nonce, signature string) (defaultSession, error) {
	iv, err := base64.StdEncoding.Strict().DecodeString(nonce)
	if err != nil || len(iv) != 12 {
		return defaultSession{}, fmt.Errorf("x-session-nonce %q is not Base64 of 12 bytes (err %v)", nonce, err)
	}
	wrapped, err := base64.StdEncoding.Strict().DecodeString(signature)
	if err != nil || len(wrapped) != priv.Size() {
		return defaultSession{}, fmt.Errorf("x-auth-signature is not Base64 of %d bytes (got %d, err %v)", priv.Size(), len(wrapped), err)
	}
	key, err := rsa.DecryptPKCS1v15(nil, priv, wrapped)
	if err != nil {
		return defaultSession{}, fmt.Errorf("x-auth-signature is not PKCS#1 v1.5: %w", err)
	}
	if len(key) != 32 {
		return defaultSession{}, fmt.Errorf("wrapped key has %d bytes, want the raw 32", len(key))
	}
	return defaultSession{key: key, iv: iv}, nil
}

func openDefaultHeaders(tb testing.TB, priv *rsa.PrivateKey, nonce, signature string) defaultSession {
	tb.Helper()
	s, err := unwrapDefault(priv, nonce, signature)
	require.NoError(tb, err)
	return s
}

func (s defaultSession) aead() cipher.AEAD {
	block, err := aes.NewCipher(s.key)
	if err != nil {
		panic(err) // 32-byte key checked by unwrapDefault
	}
	g, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return g
}

// open checks the body is exactly {"encryptedData":"<Base64>"} and decrypts it with the request IV.
func (s defaultSession) open(body []byte) ([]byte, error) {
	m := encryptedDataBody.FindSubmatch(body)
	if m == nil {
		return nil, fmt.Errorf("body is not exactly {\"encryptedData\":\"<Base64>\"}: %.80s", body)
	}
	ct, err := base64.StdEncoding.Strict().DecodeString(string(m[1]))
	if err != nil {
		return nil, err
	}
	return s.aead().Open(nil, s.iv, ct, nil)
}

func (s defaultSession) openBody(tb testing.TB, body []byte) []byte {
	tb.Helper()
	pt, err := s.open(body)
	require.NoError(tb, err, "body opens with the unwrapped key and the request IV")
	return pt
}

// sealWithIV encrypts a response with the session key under iv, in the default body form.
func (s defaultSession) sealWithIV(iv, plaintext []byte) []byte {
	ct := s.aead().Seal(nil, iv, plaintext, nil)
	return []byte(`{"encryptedData":"` + base64.StdEncoding.EncodeToString(ct) + `"}`)
}

func freshIV() []byte {
	iv := make([]byte, 12)
	if _, err := rand.Read(iv); err != nil {
		panic(err)
	}
	return iv
}

// ---------------------------------------------------------------------------------------------------------------------
// fakeAPI: a small httptest server that opens the envelope with the test key (internal/envelope), hands the plaintext
// request to handlers registered on mux, and seals their answers. Handlers on raw see the wire request as it arrived
// and write the wire answer themselves (faults, hijacks, hand-made ciphertext).
// ---------------------------------------------------------------------------------------------------------------------

// seenRequest is one request as the fake received it.
type seenRequest struct {
	Method    string
	Path      string
	Query     string
	Header    http.Header // canonicalized by net/http
	Raw       []byte      // body as it arrived
	Plain     []byte      // body after opening (Raw when encryption was off)
	Encrypted bool
	RespNonce string // x-session-nonce sent back ("" when none)
}

// headerPlain, set by a mux handler, makes the fake send the answer unencrypted.
const headerPlain = "X-Test-Plain"

// Token times the fake issues; the clients under test use a clock that starts at fakeT0.
var fakeT0 = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

const (
	fakeAccessTTL  = 10 * time.Minute
	fakeRefreshTTL = 24 * time.Hour
)

type fakeAPI struct {
	*httptest.Server
	priv    *rsa.PrivateKey
	profile WireProfile
	mux     *http.ServeMux
	raw     *http.ServeMux

	// wrapLogin answers saas-login as {"data": …} instead of the documented flat object.
	wrapLogin bool

	logins    atomic.Int32
	refreshes atomic.Int32
	tokenSeq  atomic.Int32

	mu     sync.Mutex
	seen   []seenRequest
	issued []string // every access and refresh token handed out
}

// newFakeAPI starts a fake with wire profile p; setup registers routes (on f.mux or f.raw) before it starts. Routes
// for saas-login and saas-refresh-token are added unless setup registered its own.
func newFakeAPI(t testing.TB, p WireProfile, setup func(f *fakeAPI)) *fakeAPI {
	t.Helper()
	np, err := p.Normalize()
	require.NoError(t, err)
	f := &fakeAPI{priv: testKey(t), profile: np, mux: http.NewServeMux(), raw: http.NewServeMux()}
	if setup != nil {
		setup(f)
	}
	for path, h := range map[string]http.HandlerFunc{
		"/as/api/v1/saas-login":         f.defaultLogin,
		"/as/api/v1/saas-refresh-token": f.defaultRefresh,
	} {
		if !f.routed(http.MethodPost, path) {
			f.mux.HandleFunc("POST "+path, h)
		}
	}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeAPI) routed(method, path string) bool {
	r := httptest.NewRequest(method, path, nil)
	_, p1 := f.mux.Handler(r)
	_, p2 := f.raw.Handler(r)
	return p1 != "" || p2 != ""
}

// client returns a Client wired to the fake with the same wire profile, fast retries and a clock at fakeT0.
func (f *fakeAPI) client(t testing.TB, opts ...Option) *Client {
	t.Helper()
	base := []Option{
		WithBaseURL(f.URL), WithCredentials(testClientID, testSecret), WithAppID(testAppID),
		WithPublicKey(&f.priv.PublicKey), WithWireProfile(f.profile), WithRetryPolicy(fastRetry(2)),
	}
	c, err := NewClient(append(base, opts...)...)
	require.NoError(t, err)
	if a, ok := c.tokens.(*authenticator); ok {
		a.now = func() time.Time { return fakeT0 }
	}
	return c
}

func (f *fakeAPI) requests() []seenRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seenRequest(nil), f.seen...)
}

// requestsTo lists the requests for one path (query ignored).
func (f *fakeAPI) requestsTo(path string) []seenRequest {
	var out []seenRequest
	for _, r := range f.requests() {
		if r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

func (f *fakeAPI) issuedTokens() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.issued...)
}

func (f *fakeAPI) record(r seenRequest) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen = append(f.seen, r)
	return len(f.seen) - 1
}

func (f *fakeAPI) setRespNonce(i int, nonce string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen[i].RespNonce = nonce
}

func writeInvalidHeaders(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = io.WriteString(w, `{"code":1018,"message":"Invalid HTTP headers.","type":"INVALID_HEADERS"}`)
}

// session recovers the envelope session of a wire request (for raw handlers).
func (f *fakeAPI) session(r *http.Request) (*envelope.Session, error) {
	return envelope.Unwrap(f.priv, f.profile, r.Header.Get(headerNonce), r.Header.Get(headerSignature))
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	if h, pat := f.raw.Handler(r); pat != "" {
		h.ServeHTTP(w, r)
		return
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read: "+err.Error(), http.StatusBadRequest)
		return
	}
	seen := seenRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Raw: raw, Plain: raw}
	var sess *envelope.Session
	if r.Header.Get(headerEncryption) != "false" {
		seen.Encrypted = true
		if sess, err = f.session(r); err != nil {
			f.record(seen)
			writeInvalidHeaders(w)
			return
		}
		if len(raw) > 0 {
			if seen.Plain, err = sess.OpenRequest(f.profile, raw); err != nil {
				f.record(seen)
				writeInvalidHeaders(w)
				return
			}
		}
	}
	idx := f.record(seen)

	inner := r.Clone(r.Context())
	inner.Body = io.NopCloser(bytes.NewReader(seen.Plain))
	inner.ContentLength = int64(len(seen.Plain))
	rec := httptest.NewRecorder()
	f.mux.ServeHTTP(rec, inner)

	body := rec.Body.Bytes()
	plain := rec.Header().Get(headerPlain) != ""
	for k, v := range rec.Header() {
		if k != headerPlain && k != "Content-Length" {
			w.Header()[k] = v
		}
	}
	if sess != nil && !plain && len(body) > 0 {
		sealed, nonce, err := sess.SealResponse(f.profile, body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if nonce != "" {
			w.Header().Set(headerNonce, nonce)
			f.setRespNonce(idx, nonce)
		}
		body = sealed
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(body)
}

// issue returns a new token pair with the fake's fixed expiries.
func (f *fakeAPI) issue(kind string) string {
	tok := fmt.Sprintf("%s-%d-Q2xpZW50VG9rZW4", kind, f.tokenSeq.Add(1))
	f.mu.Lock()
	f.issued = append(f.issued, tok)
	f.mu.Unlock()
	return tok
}

func tokenJSON(access string, accessExp time.Time, refresh string, refreshExp time.Time) map[string]any {
	m := map[string]any{"accessToken": access, "accessTokenExpiry": accessExp.Format(TimeLayout)}
	if refresh != "" {
		m["refreshToken"] = refresh
		m["refreshTokenExpiry"] = refreshExp.Format(TimeLayout)
	}
	return m
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError writes a VaultsPay error object.
func writeError(w http.ResponseWriter, status int, code ErrorCode, typ, msg string) {
	writeJSON(w, status, map[string]any{"code": int(code), "message": msg, "type": typ})
}

func (f *fakeAPI) defaultLogin(w http.ResponseWriter, r *http.Request) {
	f.logins.Add(1)
	var in struct{ ClientID, ClientSecret string }
	if json.NewDecoder(r.Body).Decode(&in) != nil || in.ClientID != testClientID || in.ClientSecret != testSecret {
		writeError(w, http.StatusUnauthorized, CodeUnauthenticated, TypeUnauthenticated, "You are not authenticated. Please login to continue.")
		return
	}
	tok := tokenJSON(f.issue("at"), fakeT0.Add(fakeAccessTTL), f.issue("rt"), fakeT0.Add(fakeRefreshTTL))
	if f.wrapLogin {
		writeJSON(w, http.StatusOK, map[string]any{"data": tok})
		return
	}
	writeJSON(w, http.StatusOK, tok)
}

func (f *fakeAPI) defaultRefresh(w http.ResponseWriter, r *http.Request) {
	f.refreshes.Add(1)
	var in struct{ RefreshToken string }
	if json.NewDecoder(r.Body).Decode(&in) != nil || !f.wasIssued(in.RefreshToken) {
		writeError(w, http.StatusBadRequest, CodeInvalidToken, TypeInvalidToken, "Invalid access token provided.")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": tokenJSON(f.issue("at"), fakeT0.Add(2*fakeAccessTTL), "", time.Time{})})
}

func (f *fakeAPI) wasIssued(tok string) bool {
	for _, t := range f.issuedTokens() {
		if t == tok {
			return true
		}
	}
	return false
}

// bearer returns the token of an Authorization header ("" when absent).
func bearer(r *http.Request) string {
	const p = "Bearer "
	if v := r.Header.Get("Authorization"); len(v) > len(p) && v[:len(p)] == p {
		return v[len(p):]
	}
	return ""
}

// echo answers {"data": <the request body>} (or {"data": {}} for none) and, for GETs, the query.
func echo(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	if len(b) == 0 {
		b = []byte(`{}`)
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = fmt.Fprintf(w, `{"data":%s}`, b)
}

// testClock is a settable clock for the authenticator's now field.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock(t time.Time) *testClock { return &testClock{t: t} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// authOf returns the built-in token source of c.
func authOf(tb testing.TB, c *Client) *authenticator {
	tb.Helper()
	a, ok := c.tokens.(*authenticator)
	require.True(tb, ok, "client uses the built-in authenticator")
	return a
}

// rawHeader reads a header by its exact map key: the SDK sets the vendor's lower-case names verbatim,
// which http.Header.Get (canonical keys) would not find on the client side.
func rawHeader(h http.Header, key string) []string { return h[key] }

// decodeStrict decodes data into v refusing unknown fields and trailing data: every field of a spec
// example must be modelled.
func decodeStrict[B ~string | ~[]byte](data B, v any) error {
	dec := json.NewDecoder(bytes.NewReader([]byte(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the example")
	}
	return nil
}

// doWrite is Client.Do under the write rule (RetryIfUnsent) for anything but GET and HEAD: the rule of
// the SDK's create calls, which Do itself no longer applies.
func doWrite(c *Client, ctx context.Context, method, path string, body, out any, opts ...RequestOption) error {
	rule := RetryIfUnsent
	if method == http.MethodGet || method == http.MethodHead {
		rule = RetryRead
	}
	return c.doEndpoint(ctx, endpoint{op: doOperation(method, path, rule), path: path}, body, out, opts)
}
