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
	DefaultMaxRetries      = 2
	DefaultMinWait         = 500 * time.Millisecond
	DefaultMaxWait         = 8 * time.Second
	DefaultMaxRetryAfter   = time.Minute // longest server Retry-After honoured
	DefaultRefreshSkew     = 30 * time.Second
	DefaultMaxResponseSize = 4 << 20 // bytes of one response body, as received (before decryption)

	// DefaultRequestTimeout bounds one attempt (connect, send, read the whole answer) when no
	// WithRequestTimeout is given. Sixty seconds is well above any answer the API documents (token,
	// card and transfer calls are synchronous and answer in seconds, 31-transfers.md), so a slow bank
	// rail is not cut off and turned into an unknown outcome, yet a server that accepts the connection
	// and never answers cannot hang a caller whose ctx has no deadline; stripe-go's 80 s is of the same
	// order. Retries and backoff are bounded separately (RetryPolicy) and by the call's ctx.
	DefaultRequestTimeout = 60 * time.Second
)

// Version is this SDK's version, sent in User-Agent.
const Version = "0.1.0"

// RetryPolicy bounds automatic retries. Which failures are retried depends on the endpoint (see each
// method's doc comment and the README's retry table); the policy only says how often and how long to
// wait.
//
// Backoff is exponential with full jitter: before retry n (0-based) the client waits a uniformly random
// duration in [0, min(MaxWait, MinWait·2ⁿ)]. A Retry-After header (seconds or an HTTP date) replaces
// that wait, capped at MaxRetryAfter. Every wait ends as soon as the call's ctx is done.
type RetryPolicy struct {
	MaxRetries    int           // retries after the first attempt; 0 disables retries
	MinWait       time.Duration // ceiling of the first wait; doubles per retry
	MaxWait       time.Duration // cap on the ceiling of the computed wait
	MaxRetryAfter time.Duration // cap on a server's Retry-After; 0 means DefaultMaxRetryAfter
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
	maxResponse      int64
	paging           PagingLimits
	middleware       []Middleware
	middlewareBodies bool
	detect           bool // WithWireProfileDetection
}

func defaultConfig() config {
	return config{
		baseURL:    string(UAT),
		encryption: true,
		retry: RetryPolicy{MaxRetries: DefaultMaxRetries, MinWait: DefaultMinWait, MaxWait: DefaultMaxWait,
			MaxRetryAfter: DefaultMaxRetryAfter},
		refreshSkew:    DefaultRefreshSkew,
		maxResponse:    DefaultMaxResponseSize,
		attemptTimeout: DefaultRequestTimeout,
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
		if p.MaxRetries < 0 || p.MinWait < 0 || p.MaxWait < p.MinWait || p.MaxRetryAfter < 0 {
			return fmt.Errorf("WithRetryPolicy: need MaxRetries >= 0, 0 <= MinWait <= MaxWait and MaxRetryAfter >= 0, got %+v", p)
		}
		c.retry = p // a copy: the option may be applied by many NewClient calls at once
		if c.retry.MaxRetryAfter == 0 {
			c.retry.MaxRetryAfter = DefaultMaxRetryAfter
		}
		return nil
	}
}

// WithMaxRetryAfter caps how long the client waits when a response carries Retry-After (default one
// minute), keeping the rest of the policy. Zero retries at once whatever the server asks.
func WithMaxRetryAfter(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("WithMaxRetryAfter: %s is negative", d)
		}
		c.retry.MaxRetryAfter = d
		return nil
	}
}

// WithPagingLimits bounds every walk over a list made with this client (each …Iter, ListCountries):
// at most l.MaxPages pages and l.MaxItems items, after which the walk yields a *PagingLimitError
// (ErrPagingLimit). Zero fields keep the defaults, DefaultMaxPages and DefaultMaxItems; negative ones
// are an error. WithMaxPages and WithMaxItems change them for one call.
func WithPagingLimits(l PagingLimits) Option {
	return func(c *config) error {
		if l.MaxPages < 0 || l.MaxItems < 0 {
			return fmt.Errorf("paging limits must not be negative: %+v", l)
		}
		c.paging = l
		return nil
	}
}

// WithMaxResponseSize caps the bytes read of one response body as received (default
// DefaultMaxResponseSize, 4 MiB). A larger answer fails with a *ResponseError matching
// ErrMalformedResponse and is not retried.
func WithMaxResponseSize(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("WithMaxResponseSize: %d is not positive", n)
		}
		c.maxResponse = n
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

// WithRequestTimeout bounds each attempt (connect, send, read the whole response); the default is
// DefaultRequestTimeout and zero switches the bound off. WithAttemptTimeout overrides it for one call.
// The ctx passed to a call bounds everything: all attempts, backoff and token refresh. A timeout on a
// call that is not a read, once the request may have left, ends as ErrOutcomeUnknown.
func WithRequestTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("WithRequestTimeout: %s is negative", d)
		}
		c.attemptTimeout = d
		return nil
	}
}

// WithLogger logs one line per attempt at Debug, and at Warn when it is retried: operation, method,
// path, attempt (counted over the whole call), requestId (empty when the answer carried none), the
// reason it was or was not retried and the duration, then status, code and error when there are any.
// No bodies or headers are logged. Without it nothing is logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { c.logger = l; return nil }
}

// WithUserAgent puts the caller's product token in front of "vaultspay-go/<Version>". It must be
// printable ASCII of at most 256 bytes: a CR or LF could inject headers.
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		v := strings.TrimSpace(ua) // ua itself is shared by every use of the option
		if err := checkHeaderValue("WithUserAgent", v, 256); err != nil {
			return err
		}
		c.userAgent = v
		return nil
	}
}

// checkHeaderValue refuses a value that is too long or holds anything but printable ASCII and spaces,
// so no option can inject a header line (CR, LF) or send bytes a proxy may mangle.
func checkHeaderValue(name, v string, maxLen int) error {
	if len(v) > maxLen {
		return fmt.Errorf("%s: longer than %d bytes", name, maxLen)
	}
	for i := 0; i < len(v); i++ {
		if v[i] < ' ' || v[i] > '~' {
			return fmt.Errorf("%s: byte %d is a control or non-ASCII character (0x%02x)", name, i, v[i])
		}
	}
	return nil
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
	EnvWireProfile  = "VAULTSPAY_WIRE_PROFILE" // WireProfile's String form; see ParseWireProfile
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
	if v, ok := os.LookupEnv(EnvWireProfile); ok {
		env = append(env, withWireProfileText(v))
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
