package vaultspay

import (
	"crypto/rsa"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"
)

// Environment is a VaultsPay base URL.
type Environment string

// The two documented environments (shared/api/00-conventions.md §1).
const (
	UAT        Environment = "https://api.vaultspay.dev"  // test; encryption may be switched off
	Production Environment = "https://rest.vaultspay.com" // encryption mandatory
)

// Defaults used when no option says otherwise.
const (
	DefaultMaxRetries   = 2
	DefaultMinWait      = 500 * time.Millisecond
	DefaultMaxWait      = 8 * time.Second
	DefaultRefreshSkew  = 30 * time.Second
	maxServerRetryAfter = time.Minute
)

// Version is this SDK's version, sent in User-Agent.
const Version = "0.1.0"

// RetryPolicy bounds automatic retries. Which failures are retried depends on the endpoint (see each
// method's doc comment); the policy only says how often and how long to wait.
type RetryPolicy struct {
	MaxRetries int           // retries after the first attempt; 0 disables retries
	MinWait    time.Duration // first backoff; doubles per retry with up to 25 % jitter
	MaxWait    time.Duration // cap on the computed backoff; a server Retry-After is honoured up to 1 minute
}

// Option configures a Client. A bad value makes NewClient return an error naming the option.
type Option func(*config) error

type config struct {
	baseURL          string
	clientID         string
	clientSecret     Secret
	appID            string
	publicKey        *rsa.PublicKey
	profile          WireProfile
	encryption       bool
	cryptoHeadersOff bool // with encryption off: also omit x-session-nonce / x-auth-signature
	httpClient       *http.Client
	retry            RetryPolicy
	attemptTimeout   time.Duration
	logger           *slog.Logger
	userAgent        string
	tokenSource      TokenSource
	refreshSkew      time.Duration
}

func defaultConfig() config {
	return config{
		baseURL:     string(UAT),
		encryption:  true,
		retry:       RetryPolicy{MaxRetries: DefaultMaxRetries, MinWait: DefaultMinWait, MaxWait: DefaultMaxWait},
		refreshSkew: DefaultRefreshSkew,
	}
}

// WithEnvironment selects UAT or Production.
func WithEnvironment(e Environment) Option { return WithBaseURL(string(e)) }

// WithBaseURL sets any base URL (scheme and host, no path needed). Plain http:// is accepted only for
// loopback hosts such as a local vaultspaytest server.
func WithBaseURL(u string) Option {
	return func(c *config) error { c.baseURL = strings.TrimRight(strings.TrimSpace(u), "/"); return nil }
}

// WithCredentials sets the app's Client ID and Client Secret (Dashboard > API Keys > Apps).
func WithCredentials(clientID, clientSecret string) Option {
	return func(c *config) error {
		c.clientID, c.clientSecret = clientID, Secret(clientSecret)
		return nil
	}
}

// WithAppID sets the SaaS app id sent as x-device-id (decimal text in the vendor's example, "17").
func WithAppID(id string) Option {
	return func(c *config) error { c.appID = strings.TrimSpace(id); return nil }
}

// WithRSAPublicKey sets VaultsPay's RSA public key as PEM or Base64 SPKI; it is parsed once.
func WithRSAPublicKey(key string) Option {
	return func(c *config) error {
		k, err := ParseRSAPublicKey(key)
		if err != nil {
			return err
		}
		c.publicKey = k
		return nil
	}
}

// WithPublicKey sets VaultsPay's RSA public key as a parsed key.
func WithPublicKey(k *rsa.PublicKey) Option {
	return func(c *config) error {
		if err := checkRSAKey(k); err != nil {
			return err
		}
		c.publicKey = k
		return nil
	}
}

// WithWireProfile sets the envelope's wire profile (default: the zero WireProfile).
func WithWireProfile(p WireProfile) Option {
	return func(c *config) error {
		n, err := p.Normalize()
		if err != nil {
			return err
		}
		c.profile = n
		return nil
	}
}

// WithEncryption switches the envelope on (default) or off. Off sends x-enable-encryption: false with
// plain JSON bodies and is refused for any host but UAT and loopback.
func WithEncryption(on bool) Option {
	return func(c *config) error { c.encryption = on; return nil }
}

// WithoutCryptoHeadersWhenPlain omits x-session-nonce and x-auth-signature while encryption is off. By
// default they are still sent (a fresh key and IV), since the vendor does not say whether UAT needs them.
func WithoutCryptoHeadersWhenPlain() Option {
	return func(c *config) error { c.cryptoHeadersOff = true; return nil }
}

// WithHTTPClient sets the *http.Client whose Transport sends every attempt. The client is copied, never
// modified.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return fmt.Errorf("WithHTTPClient: nil client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithRetryPolicy sets how often and how long to retry.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *config) error {
		if p.MaxRetries < 0 || p.MinWait < 0 || p.MaxWait < p.MinWait {
			return fmt.Errorf("WithRetryPolicy: need MaxRetries >= 0 and 0 <= MinWait <= MaxWait, got %+v", p)
		}
		c.retry = p
		return nil
	}
}

// WithMaxRetries sets RetryPolicy.MaxRetries, keeping the waits.
func WithMaxRetries(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return fmt.Errorf("WithMaxRetries: %d is negative", n)
		}
		c.retry.MaxRetries = n
		return nil
	}
}

// WithRequestTimeout bounds one attempt (connect, send, read the whole response). The ctx passed to a
// call bounds everything: all attempts, backoff and token refresh. Zero means no per-attempt bound.
func WithRequestTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("WithRequestTimeout: %s is negative", d)
		}
		c.attemptTimeout = d
		return nil
	}
}

// WithLogger logs one line per attempt (method, path, status, code, attempt, duration) at Debug and
// retries at Warn. No bodies or headers are logged. Without it nothing is logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { c.logger = l; return nil }
}

// WithUserAgent puts the caller's product token in front of "vaultspay-go/<Version>".
func WithUserAgent(ua string) Option {
	return func(c *config) error { c.userAgent = strings.TrimSpace(ua); return nil }
}

// WithTokenSource replaces the built-in login/refresh with the caller's own token source. Credentials
// are then optional.
func WithTokenSource(ts TokenSource) Option {
	return func(c *config) error {
		if ts == nil {
			return fmt.Errorf("WithTokenSource: nil token source")
		}
		c.tokenSource = ts
		return nil
	}
}

// WithTokenRefreshSkew refreshes the access token this long before accessTokenExpiry (default 30 s).
func WithTokenRefreshSkew(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("WithTokenRefreshSkew: %s is negative", d)
		}
		c.refreshSkew = d
		return nil
	}
}

// Environment variables read by NewClientFromEnv.
const (
	EnvBaseURL      = "VAULTSPAY_BASE_URL"      // a URL, or "uat" / "production"
	EnvClientID     = "VAULTSPAY_CLIENT_ID"     // Client ID
	EnvClientSecret = "VAULTSPAY_CLIENT_SECRET" // Client Secret
	EnvAppID        = "VAULTSPAY_APP_ID"        // x-device-id
	EnvRSAPublicKey = "VAULTSPAY_RSA_PUBLIC_KEY"
)

// NewClientFromEnv is NewClient configured from the VAULTSPAY_* variables, then from opts. An unset
// variable leaves the default; VAULTSPAY_BASE_URL accepts "uat", "production" or a URL.
func NewClientFromEnv(opts ...Option) (*Client, error) {
	var env []Option
	if v, ok := os.LookupEnv(EnvBaseURL); ok {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "uat":
			env = append(env, WithEnvironment(UAT))
		case "production", "prod":
			env = append(env, WithEnvironment(Production))
		default:
			env = append(env, WithBaseURL(v))
		}
	}
	id, idOK := os.LookupEnv(EnvClientID)
	secret, secretOK := os.LookupEnv(EnvClientSecret)
	if idOK || secretOK {
		env = append(env, WithCredentials(id, secret))
	}
	if v, ok := os.LookupEnv(EnvAppID); ok {
		env = append(env, WithAppID(v))
	}
	if v, ok := os.LookupEnv(EnvRSAPublicKey); ok {
		env = append(env, WithRSAPublicKey(v))
	}
	return NewClient(append(env, opts...)...)
}

// EnvConfigured reports whether any VAULTSPAY_* connection variable is set.
func EnvConfigured() bool {
	for _, k := range []string{EnvBaseURL, EnvClientID, EnvClientSecret, EnvAppID, EnvRSAPublicKey} {
		if _, ok := os.LookupEnv(k); ok {
			return true
		}
	}
	return false
}
