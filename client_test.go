package vaultspay

import (
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewClientConfig(t *testing.T) {
	t.Parallel()
	keys := testKeys(t)
	pub := &keys.rsa2048.PublicKey
	creds := WithCredentials(testClientID, testSecret)
	app := WithAppID(testAppID)
	key := WithRSAPublicKey(spkiBase64(t, pub))

	tests := []struct {
		name     string
		opts     []Option
		wantErr  string // substring of the error; "" means NewClient succeeds
		leak     string // a value the error must not contain (besides testSecret)
		wantBase string // checked on success
	}{
		// Credentials and app id.
		{name: "empty client ID", opts: []Option{WithCredentials("", testSecret), app, key}, wantErr: "client ID is empty"},
		{name: "empty secret", opts: []Option{WithCredentials(testClientID, ""), app, key}, wantErr: "client secret is empty"},
		{name: "no credentials at all", opts: []Option{app, key}, wantErr: "client ID is empty"},
		{
			name: "secret with whitespace", opts: []Option{WithCredentials(testClientID, "cs_has a-space-9f2"), app, key},
			wantErr: "client secret contains whitespace", leak: "cs_has a-space-9f2",
		},
		{
			name: "secret with newline", opts: []Option{WithCredentials(testClientID, testSecret+"\n"), app, key},
			wantErr: "client secret contains whitespace",
		},
		{
			name: "client ID with whitespace", opts: []Option{WithCredentials("client 4711", testSecret), app, key},
			wantErr: "client ID contains whitespace",
		},
		{name: "missing app id", opts: []Option{creds, key}, wantErr: "app id (x-device-id) is empty"},
		{name: "blank app id", opts: []Option{creds, WithAppID("   "), key}, wantErr: "app id (x-device-id) is empty"},
		{name: "token source replaces credentials", opts: []Option{WithTokenSource(staticToken("t")), app, key}, wantBase: string(UAT)},
		{name: "nil token source", opts: []Option{WithTokenSource(nil), app, key}, wantErr: "WithTokenSource: nil token source"},

		// The RSA public key.
		{name: "missing RSA key with encryption on", opts: []Option{creds, app}, wantErr: "RSA public key is required while encryption is on"},
		{name: "empty RSA key text", opts: []Option{creds, app, WithRSAPublicKey("  ")}, wantErr: "RSA public key is empty"},
		{name: "key not RSA (ECDSA SPKI)", opts: []Option{creds, app, WithRSAPublicKey(spkiBase64(t, keys.ec.Public()))}, wantErr: "not RSA"},
		{name: "key not RSA (ECDSA PEM)", opts: []Option{creds, app, WithRSAPublicKey(spkiPEM(t, keys.ec.Public()))}, wantErr: "not RSA"},
		{
			name: "RSA key 1024 bits", opts: []Option{creds, app, WithRSAPublicKey(spkiBase64(t, &keys.rsa1024.PublicKey))},
			wantErr: "1024 bits, need at least 2048",
		},
		{name: "RSA key 1024 bits (parsed)", opts: []Option{creds, app, WithPublicKey(&keys.rsa1024.PublicKey)}, wantErr: "1024 bits"},
		{name: "nil parsed key", opts: []Option{creds, app, WithPublicKey(nil)}, wantErr: "RSA public key is missing"},
		{name: "garbage key text", opts: []Option{creds, app, WithRSAPublicKey("this is not a key!")}, wantErr: "neither PEM nor standard Base64"},
		{name: "Base64 that is not SPKI", opts: []Option{creds, app, WithRSAPublicKey("aGVsbG8gd29ybGQ=")}, wantErr: "not an X.509 SubjectPublicKeyInfo"},
		{name: "malformed PEM", opts: []Option{creds, app, WithRSAPublicKey("-----BEGIN PUBLIC KEY-----\nnope\n")}, wantErr: "malformed PEM"},
		{name: "PEM PUBLIC KEY accepted", opts: []Option{creds, app, WithRSAPublicKey(spkiPEM(t, pub))}, wantBase: string(UAT)},
		{name: "PEM RSA PUBLIC KEY accepted", opts: []Option{creds, app, WithRSAPublicKey(pkcs1PEM(pub))}, wantBase: string(UAT)},
		{name: "Base64 SPKI accepted", opts: []Option{creds, app, key}, wantBase: string(UAT)},
		{
			name: "Base64 SPKI with line breaks accepted",
			opts: []Option{creds, app, WithRSAPublicKey(wrap64(spkiBase64(t, pub)))}, wantBase: string(UAT),
		},
		{name: "vendor sample key accepted", opts: []Option{creds, app, WithRSAPublicKey(vendorSampleKey)}, wantBase: string(UAT)},
		{name: "parsed key accepted", opts: []Option{creds, app, WithPublicKey(pub)}, wantBase: string(UAT)},

		// Base URL and the encryption switch.
		{
			name: "http:// non-loopback refused", opts: []Option{creds, app, key, WithBaseURL("http://api.vaultspay.dev")},
			wantErr: "plain http:// is refused except to loopback",
		},
		{name: "http://127.0.0.1 accepted", opts: []Option{creds, app, key, WithBaseURL("http://127.0.0.1:8080/")}, wantBase: "http://127.0.0.1:8080"},
		{name: "http://localhost accepted", opts: []Option{creds, app, key, WithBaseURL("http://localhost:9999")}, wantBase: "http://localhost:9999"},
		{name: "http://[::1] accepted", opts: []Option{creds, app, key, WithBaseURL("http://[::1]:1")}, wantBase: "http://[::1]:1"},
		{name: "not a URL", opts: []Option{creds, app, key, WithBaseURL("api.vaultspay.dev")}, wantErr: "not an absolute http(s) URL"},
		{name: "ftp scheme", opts: []Option{creds, app, key, WithBaseURL("ftp://api.vaultspay.dev")}, wantErr: "not an absolute http(s) URL"},
		{
			name: "user info refused and redacted", opts: []Option{creds, app, key, WithBaseURL("https://u:pw-Hunter2-x@api.vaultspay.dev")},
			wantErr: "must not carry user info", leak: "pw-Hunter2-x",
		},
		{name: "query refused", opts: []Option{creds, app, key, WithBaseURL("https://api.vaultspay.dev?x=1")}, wantErr: "must not carry"},
		{name: "production", opts: []Option{creds, app, key, WithEnvironment(Production)}, wantBase: string(Production)},
		{
			name: "encryption off against Production refused", opts: []Option{creds, app, key, WithEnvironment(Production), WithEncryption(false)},
			wantErr: "encryption cannot be switched off for rest.vaultspay.com",
		},
		{name: "encryption off against UAT allowed", opts: []Option{creds, app, WithEnvironment(UAT), WithEncryption(false)}, wantBase: string(UAT)},
		{
			name: "encryption off against https://example.com refused", opts: []Option{creds, app, key, WithBaseURL("https://example.com"), WithEncryption(false)},
			wantErr: "encryption cannot be switched off for example.com",
		},
		{name: "encryption off on loopback allowed", opts: []Option{creds, app, WithBaseURL("http://127.0.0.1:1"), WithEncryption(false)}, wantBase: "http://127.0.0.1:1"},

		// Retries, timeouts and other options.
		{name: "negative MaxRetries", opts: []Option{creds, app, key, WithRetryPolicy(RetryPolicy{MaxRetries: -1})}, wantErr: "WithRetryPolicy: need MaxRetries >= 0"},
		{name: "negative MinWait", opts: []Option{creds, app, key, WithRetryPolicy(RetryPolicy{MinWait: -time.Second})}, wantErr: "WithRetryPolicy"},
		{
			name: "MaxWait below MinWait", opts: []Option{creds, app, key, WithRetryPolicy(RetryPolicy{MinWait: time.Second, MaxWait: time.Millisecond})},
			wantErr: "WithRetryPolicy",
		},
		{name: "WithMaxRetries negative", opts: []Option{creds, app, key, WithMaxRetries(-1)}, wantErr: "WithMaxRetries: -1 is negative"},
		{name: "negative request timeout", opts: []Option{creds, app, key, WithRequestTimeout(-time.Second)}, wantErr: "WithRequestTimeout: -1s is negative"},
		{name: "negative refresh skew", opts: []Option{creds, app, key, WithTokenRefreshSkew(-time.Second)}, wantErr: "WithTokenRefreshSkew: -1s is negative"},
		{name: "nil HTTP client", opts: []Option{creds, app, key, WithHTTPClient(nil)}, wantErr: "WithHTTPClient: nil client"},
		{name: "unknown wire profile", opts: []Option{creds, app, key, WithWireProfile(WireProfile{KeyWrap: "rot13"})}, wantErr: `unknown key wrap "rot13"`},
		{name: "nil option ignored", opts: []Option{nil, creds, app, key}, wantBase: string(UAT)},
		{
			name: "zero retries and timeouts allowed",
			opts: []Option{creds, app, key, WithRetryPolicy(RetryPolicy{}), WithRequestTimeout(0), WithTokenRefreshSkew(0)}, wantBase: string(UAT),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := NewClient(tt.opts...)
			if tt.wantErr == "" {
				require.NoError(t, err)
				require.NotNil(t, c)
				assert.Equal(t, tt.wantBase, c.base)
				return
			}
			require.Error(t, err)
			assert.Nil(t, c)
			require.ErrorIs(t, err, ErrInvalidConfig)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.True(t, strings.HasPrefix(err.Error(), "vaultspay: invalid configuration: "), err.Error())
			assert.Equal(t, 1, strings.Count(err.Error(), "invalid configuration"), "ErrInvalidConfig is wrapped once: %s", err)
			assert.NotContains(t, err.Error(), testSecret)
			if tt.leak != "" {
				assert.NotContains(t, err.Error(), tt.leak)
			}
		})
	}
}

// wrap64 breaks s into 64-character lines, as keys pasted from a PEM body often are.
func wrap64(s string) string {
	var b strings.Builder
	for len(s) > 64 {
		b.WriteString(s[:64] + "\n")
		s = s[64:]
	}
	b.WriteString(s)
	return b.String()
}

func TestNewClientDefaults(t *testing.T) {
	t.Parallel()
	c, err := NewClient(WithCredentials(testClientID, testSecret), WithAppID(" 17 "), WithRSAPublicKey(vendorSampleKey),
		WithUserAgent("acme-payouts/2.1"))
	require.NoError(t, err)
	assert.Equal(t, string(UAT), c.base)
	assert.Equal(t, "17", c.appID)
	assert.True(t, c.encrypt)
	require.NotNil(t, c.env)
	assert.Equal(t, WireProfile{KeyWrap: KeyWrapPKCS1v15, KeyEncoding: KeyEncodingRaw, Body: BodyJSONObject, ResponseIV: ResponseIVHeader},
		c.env.Profile())
	assert.Equal(t, "acme-payouts/2.1 vaultspay-go/"+Version, c.userAgent)
	assert.Equal(t, DefaultMaxRetries, c.defaults.maxRetries)
	assert.Equal(t, DefaultMinWait, c.http.RetryWaitMin)
	assert.Equal(t, DefaultMaxWait, c.http.RetryWaitMax)
	a := authOf(t, c)
	assert.Equal(t, DefaultRefreshSkew, a.skew)
	assert.Equal(t, testClientID, a.clientID)
}

// TestOptionsReusedConcurrently: an Option is a value callers keep in a variable and pass to many
// NewClient calls, from many goroutines; applying it must not change it (go test -race checks).
func TestOptionsReusedConcurrently(t *testing.T) {
	t.Parallel()
	opts := []Option{WithCredentials(testClientID, testSecret), WithAppID(" 17 "), WithRSAPublicKey(vendorSampleKey),
		WithUserAgent("  acme-payouts/2.1  "), WithRetryPolicy(RetryPolicy{MaxRetries: 1, MinWait: time.Millisecond, MaxWait: time.Millisecond})}
	var wg sync.WaitGroup
	clients := make([]*Client, 8)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			clients[i], _ = NewClient(opts...)
		}()
	}
	wg.Wait()
	for _, c := range clients {
		require.NotNil(t, c)
		assert.Equal(t, "acme-payouts/2.1 vaultspay-go/"+Version, c.userAgent)
		assert.Equal(t, 1, c.defaults.maxRetries)
	}
}

func TestWithHTTPClientIsCopied(t *testing.T) {
	t.Parallel()
	hc := &http.Client{Timeout: time.Hour}
	c, err := NewClient(WithCredentials(testClientID, testSecret), WithAppID(testAppID), WithRSAPublicKey(vendorSampleKey),
		WithHTTPClient(hc), WithRequestTimeout(time.Second))
	require.NoError(t, err)
	assert.Equal(t, time.Hour, hc.Timeout, "the caller's client is not modified")
	assert.Equal(t, time.Hour, c.http.HTTPClient.Timeout, "the copy keeps the caller's settings")
	assert.NotSame(t, hc, c.http.HTTPClient)
	assert.Equal(t, time.Second, c.defaults.timeout, "the per-attempt timeout is the SDK's own")
}

// clearVaultsPayEnv unsets every VAULTSPAY_* variable for the test, restoring them afterwards.
func clearVaultsPayEnv(t *testing.T) {
	for _, k := range []string{EnvBaseURL, EnvClientID, EnvClientSecret, EnvAppID, EnvRSAPublicKey} {
		t.Setenv(k, "") // registers the restore
		require.NoError(t, os.Unsetenv(k))
	}
}

func TestNewClientFromEnv(t *testing.T) {
	key := spkiBase64(t, &testKey(t).PublicKey)
	full := map[string]string{
		EnvClientID: testClientID, EnvClientSecret: testSecret, EnvAppID: testAppID, EnvRSAPublicKey: key,
	}
	tests := []struct {
		name     string
		env      map[string]string
		opts     []Option
		wantBase string
		wantErr  string
	}{
		{name: "base URL unset means UAT", env: full, wantBase: string(UAT)},
		{name: "uat", env: with(full, EnvBaseURL, "uat"), wantBase: string(UAT)},
		{name: "UAT upper case with spaces", env: with(full, EnvBaseURL, "  UAT "), wantBase: string(UAT)},
		{name: "production", env: with(full, EnvBaseURL, "production"), wantBase: string(Production)},
		{name: "prod", env: with(full, EnvBaseURL, "Prod"), wantBase: string(Production)},
		{name: "URL", env: with(full, EnvBaseURL, "http://127.0.0.1:4010/"), wantBase: "http://127.0.0.1:4010"},
		{name: "PEM key in env", env: with(full, EnvRSAPublicKey, spkiPEM(t, &testKey(t).PublicKey)), wantBase: string(UAT)},
		{name: "option overrides env", env: with(full, EnvBaseURL, "production"), opts: []Option{WithEnvironment(UAT)}, wantBase: string(UAT)},
		{name: "no env at all", env: nil, wantErr: "client ID is empty"},
		{name: "secret missing", env: without(full, EnvClientSecret), wantErr: "client secret is empty"},
		{name: "secret with whitespace", env: with(full, EnvClientSecret, testSecret+" x"), wantErr: "client secret contains whitespace"},
		{name: "app id missing", env: without(full, EnvAppID), wantErr: "app id (x-device-id) is empty"},
		{name: "key missing", env: without(full, EnvRSAPublicKey), wantErr: "RSA public key is required"},
		{name: "key garbage", env: with(full, EnvRSAPublicKey, "not-a-key"), wantErr: "neither PEM nor standard Base64"},
		{name: "http non-loopback", env: with(full, EnvBaseURL, "http://rest.vaultspay.com"), wantErr: "plain http:// is refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearVaultsPayEnv(t)
			assert.False(t, EnvConfigured())
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			assert.Equal(t, len(tt.env) > 0, EnvConfigured())
			c, err := NewClientFromEnv(tt.opts...)
			if tt.wantErr != "" {
				require.ErrorIs(t, err, ErrInvalidConfig)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.NotContains(t, err.Error(), testSecret)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantBase, c.base)
			assert.Equal(t, testAppID, c.appID)
			assert.Equal(t, testClientID, authOf(t, c).clientID)
			assert.Equal(t, testSecret, authOf(t, c).clientSecret.Reveal())
		})
	}
}

func with(m map[string]string, k, v string) map[string]string {
	out := make(map[string]string, len(m)+1)
	for mk, mv := range m {
		out[mk] = mv
	}
	out[k] = v
	return out
}

func without(m map[string]string, k string) map[string]string {
	out := with(m, k, "")
	delete(out, k)
	return out
}

func TestPingBodyForms(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"wrapped":     `{"data":"Service is up and running!"}`,
		"JSON string": `"Service is up and running!"`,
		"plain text":  "Service is up and running!\n",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) {
				f.mux.HandleFunc("GET /v1/ping", func(w http.ResponseWriter, r *http.Request) {
					_, _ = io.WriteString(w, body)
				})
			})
			c := f.client(t)
			msg, err := c.Ping(context.Background())
			require.NoError(t, err)
			assert.Equal(t, PingMessage, msg)
			ping := f.requestsTo("/v1/ping")
			require.Len(t, ping, 1)
			assert.True(t, ping[0].Encrypted, "ping uses the envelope like every call")
			assert.NotEmpty(t, ping[0].Header.Get("Authorization"), "ping proves the credentials")
		})
	}
}

func TestDoGuards(t *testing.T) {
	t.Parallel()
	c, err := NewClient(WithCredentials(testClientID, testSecret), WithAppID(testAppID), WithRSAPublicKey(vendorSampleKey))
	require.NoError(t, err)
	err = c.Do(context.Background(), http.MethodGet, "v1/ping", nil, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "must start with /")
	var nilCtx context.Context
	err = c.Do(nilCtx, http.MethodGet, "/v1/ping", nil, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nil context")
	err = c.Do(context.Background(), http.MethodPost, "/v1/x", map[string]any{"f": func() {}}, nil)
	require.Error(t, err, "a body that does not encode is refused before I/O")
	assert.Contains(t, err.Error(), "encoding POST /v1/x")
}
