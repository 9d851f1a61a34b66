package vaultspay

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newTLSServer starts an HTTPS server on loopback whose TLS versions are capped at maxVersion, and
// returns it with a client for it that uses the SDK's default transport trusting its certificate.
func newTLSServer(t *testing.T, maxVersion uint16, h http.HandlerFunc) (*httptest.Server, *Client) {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{MaxVersion: maxVersion}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	c, err := NewClient(WithBaseURL(srv.URL), WithAppID(testAppID), WithEncryption(false), WithTokenSource(staticToken("tok")),
		WithRetryPolicy(fastRetry(2)))
	require.NoError(t, err)
	tr := c.http.HTTPClient.Transport.(*sealingTransport).next.(*http.Transport)
	t.Cleanup(tr.CloseIdleConnections)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	tr.TLSClientConfig.RootCAs = pool
	return srv, c
}

func TestDefaultTransportRequiresTLS12(t *testing.T) {
	t.Parallel()
	c, err := NewClient(WithCredentials(testClientID, testSecret), WithAppID(testAppID), WithPublicKey(&testKey(t).PublicKey))
	require.NoError(t, err)
	tr, ok := c.http.HTTPClient.Transport.(*sealingTransport).next.(*http.Transport)
	require.True(t, ok)
	require.NotNil(t, tr.TLSClientConfig)
	assert.Equal(t, uint16(tls.VersionTLS12), tr.TLSClientConfig.MinVersion)
	assert.NotSame(t, http.DefaultTransport, tr, "a clone: the process-wide transport is never changed")

	tests := []struct {
		name       string
		maxVersion uint16
		wantErr    bool
	}{
		{"TLS 1.1 server refused", tls.VersionTLS11, true},
		{"TLS 1.2 server accepted", tls.VersionTLS12, false},
		{"TLS 1.3 server accepted", tls.VersionTLS13, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			_, c := newTLSServer(t, tt.maxVersion, func(w http.ResponseWriter, _ *http.Request) {
				calls.Add(1)
				_, _ = io.WriteString(w, `{"data":"Service is up and running!"}`)
			})
			msg, err := c.Ping(context.Background())
			if tt.wantErr {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "protocol version")
				assert.Zero(t, calls.Load())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, PingMessage, msg)
		})
	}
}

func TestPlainHTTPOnlyToLoopback(t *testing.T) {
	t.Parallel()
	tests := []struct {
		base string
		ok   bool
	}{
		{"http://127.0.0.1:8080", true},
		{"http://127.9.9.9", true},
		{"http://[::1]:1", true},
		{"http://localhost:1", true},
		{"https://api.vaultspay.dev", true},
		{"http://api.vaultspay.dev", false},
		{"http://10.0.0.1:8080", false},
		{"http://localhost.example.com", false},
		{"http://127.0.0.1.nip.io", false},
		{"http://[::ffff:10.0.0.1]", false},
		{"ftp://127.0.0.1", false},
	}
	for _, tt := range tests {
		t.Run(tt.base, func(t *testing.T) {
			t.Parallel()
			_, err := NewClient(WithBaseURL(tt.base), WithCredentials(testClientID, testSecret), WithAppID(testAppID),
				WithPublicKey(&testKey(t).PublicKey))
			if tt.ok {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrInvalidConfig)
		})
	}
}

// TestRedirectNeverCarriesAuthorization: a server that redirects to another origin (another port, or
// another host name for the same port) never sees the request there, with the default client or with
// a caller's client that follows redirects; the caller gets a typed error instead.
func TestRedirectNeverCarriesAuthorization(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var leaked []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		leaked = append(leaked, r.Method+" "+r.URL.Path+" Authorization="+r.Header.Get("Authorization"))
		mu.Unlock()
		_, _ = io.WriteString(w, okBody)
	}))
	t.Cleanup(other.Close)
	var origin *httptest.Server
	origin = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		target := other.URL + "/stolen"
		if r.URL.Path == "/v1/to-localhost" { // same port, another host name
			target = strings.Replace(origin.URL, "127.0.0.1", "localhost", 1) + "/stolen"
		}
		if r.URL.Path == "/stolen" {
			mu.Lock()
			leaked = append(leaked, "origin under another name: "+r.Header.Get("Authorization"))
			mu.Unlock()
		}
		http.Redirect(w, r, target, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(origin.Close)

	clients := map[string][]Option{
		"default client":                    nil,
		"caller's client follows redirects": {WithHTTPClient(&http.Client{})},
	}
	for name, opts := range clients {
		for _, path := range []string{"/v1/elsewhere", "/v1/to-localhost"} {
			for _, method := range []string{http.MethodGet, http.MethodPost} {
				t.Run(name+" "+method+path, func(t *testing.T) {
					base := []Option{WithBaseURL(origin.URL), WithAppID(testAppID), WithPublicKey(&testKey(t).PublicKey),
						WithTokenSource(staticToken("secret-bearer-token")), WithRetryPolicy(fastRetry(2))}
					c, err := NewClient(append(base, opts...)...)
					require.NoError(t, err)
					t.Cleanup(c.http.HTTPClient.CloseIdleConnections)
					var body any
					if method == http.MethodPost {
						body = map[string]int{"amount": 5}
					}
					err = c.Do(context.Background(), method, path, body, nil)
					var re *ResponseError
					require.ErrorAs(t, err, &re)
					assert.Equal(t, http.StatusTemporaryRedirect, re.StatusCode)
					assert.Contains(t, re.Reason, "redirect not followed")
					assert.NotContains(t, err.Error(), "secret-bearer-token")
					assert.Equal(t, method == http.MethodPost, errorsIsUnknown(err), "a write met by a redirect: outcome unknown")
				})
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	assert.Empty(t, leaked, "no request reached another origin")
}

func errorsIsUnknown(err error) bool {
	return err != nil && strings.Contains(err.Error(), ErrOutcomeUnknown.Error())
}

func TestSameOriginRedirectFollowsCallerPolicy(t *testing.T) {
	t.Parallel()
	var auth atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/old" {
			http.Redirect(w, r, "/v1/new", http.StatusFound)
			return
		}
		auth.Store(r.Header.Get("Authorization"))
		_, _ = io.WriteString(w, okBody)
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(WithBaseURL(srv.URL), WithAppID(testAppID), WithEncryption(false), WithTokenSource(staticToken("tok")),
		WithHTTPClient(&http.Client{}))
	require.NoError(t, err)
	t.Cleanup(c.http.HTTPClient.CloseIdleConnections)
	var out struct{ OK bool }
	require.NoError(t, c.Do(context.Background(), http.MethodGet, "/v1/old", nil, &out))
	assert.True(t, out.OK)
	assert.Equal(t, "Bearer tok", auth.Load(), "same origin: the caller's client policy applies")
}

func TestResponseSizeLimit(t *testing.T) {
	t.Parallel()
	c := newMockClient(t, httpmock.NewMockTransport())
	assert.EqualValues(t, DefaultMaxResponseSize, c.maxResp)

	const limit = 1 << 10
	big := `{"data":"` + strings.Repeat("x", limit) + `"}`
	tests := []struct {
		name          string
		contentLength int64 // -1: unknown (chunked)
	}{
		{"announced length over the limit", int64(len(big))},
		{"unannounced length over the limit", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mt := httpmock.NewMockTransport()
			var calls atomic.Int32
			mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
				calls.Add(1)
				resp := httpmock.NewStringResponse(http.StatusOK, big)
				resp.ContentLength = tt.contentLength
				return resp, nil
			})
			c := newMockClient(t, mt, WithMaxResponseSize(limit), WithRetryPolicy(fastRetry(3)))
			err := c.Do(context.Background(), http.MethodGet, "/v1/big", nil, nil)
			var re *ResponseError
			require.ErrorAs(t, err, &re)
			assert.ErrorIs(t, err, ErrMalformedResponse)
			assert.Contains(t, re.Reason, "1024-byte limit")
			assert.Empty(t, re.Snippet)
			assert.EqualValues(t, 1, calls.Load(), "an oversized answer is not retried")
		})
	}
	_, err := NewClient(WithMaxResponseSize(0))
	require.ErrorIs(t, err, ErrInvalidConfig)
}

// TestHeaderInjectionRefused: no option, id or token can put CR or LF (or other control bytes) in a
// header.
func TestHeaderInjectionRefused(t *testing.T) {
	t.Parallel()
	key := WithPublicKey(&testKey(t).PublicKey)
	creds := WithCredentials(testClientID, testSecret)
	tests := []struct {
		name string
		opts []Option
	}{
		{"app id with CRLF", []Option{creds, key, WithAppID("17\r\nX-Injected: 1")}},
		{"app id with LF", []Option{creds, key, WithAppID("17\nX: 1")}},
		{"app id with NUL", []Option{creds, key, WithAppID("17\x00")}},
		{"user agent with CRLF", []Option{creds, key, WithAppID(testAppID), WithUserAgent("app/1\r\nX-Injected: 1")}},
		{"user agent with DEL", []Option{creds, key, WithAppID(testAppID), WithUserAgent("app/1\x7f")}},
		{"user agent not ASCII", []Option{creds, key, WithAppID(testAppID), WithUserAgent("app/1 é")}},
		{"user agent too long", []Option{creds, key, WithAppID(testAppID), WithUserAgent(strings.Repeat("a", 257))}},
		{"client id with CRLF", []Option{key, WithAppID(testAppID), WithCredentials("id\r\nX: 1", testSecret)}},
		{"base URL with CRLF", []Option{creds, key, WithAppID(testAppID), WithBaseURL("https://api.vaultspay.dev\r\nX: 1")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewClient(tt.opts...)
			require.ErrorIs(t, err, ErrInvalidConfig)
		})
	}
	c, err := NewClient(creds, key, WithAppID(testAppID), WithUserAgent("shop/2.1 (+https://example.com)"))
	require.NoError(t, err)
	assert.Equal(t, "shop/2.1 (+https://example.com) vaultspay-go/"+Version, c.userAgent)

	t.Run("token with CRLF from a token source", func(t *testing.T) {
		t.Parallel()
		mt := httpmock.NewMockTransport()
		c := newMockClient(t, mt, WithTokenSource(staticToken("tok\r\nX-Injected: 1")))
		err := c.Do(context.Background(), http.MethodGet, "/v1/ping", nil, nil)
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "X-Injected")
		assert.Zero(t, mt.GetTotalCallCount(), "nothing sent")
	})
}
