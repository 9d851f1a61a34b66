package vaultspay

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// RequestOption adjusts one call. Every method takes them as its last parameter, opts. Where a client
// Option sets a default, the RequestOption that overrides it for one call is named for what it bounds:
//
//	client Option             RequestOption (one call)
//	WithRequestTimeout        WithAttemptTimeout
//	WithMaxRetries            WithRetryLimit
//	WithMiddleware            WithCallMiddleware
//	(none)                    WithHeader, WithResponseInto, WithRepeatable
//
// A RequestOption that cannot be applied (a protected header, a negative limit) makes the call return
// an error matching ErrValidation before anything is sent.
type RequestOption func(*callConfig)

// callConfig is one call's settings: the client's defaults (Client.defaults), then the call's
// RequestOptions in order. The transport reads it on every attempt.
type callConfig struct {
	timeout    time.Duration // bound on one attempt; 0 for none
	maxRetries int           // retries after the first attempt of a send
	repeatable bool          // Do only: the call may be repeated like a read
	into       *Response     // WithResponseInto
	paging     PagingLimits  // walks only: WithPagingLimits, WithMaxPages, WithMaxItems
	pagination *Pagination   // walks only: WithPaginationInto
	noToken    bool          // WithoutAccessToken
	x          *callExtra    // what few calls use; nil for the others, so the common call copies less
}

// callExtra is the part of a call's settings that only calls with extra headers, middleware or an
// option that could not be applied have. Each call has its own (options allocate it, see extra).
type callExtra struct {
	header   http.Header  // WithHeader and call middleware: added to every attempt
	mw       []Middleware // WithCallMiddleware, inside the client's
	err      error        // the first option that could not be applied; the call fails before I/O
	call     *Call        // the call as middleware sees it; nil without middleware
	attempts AttemptFunc  // the attempt chain of mw; nil when none
}

// extra returns the call's callExtra, allocating it on first use.
func (cfg *callConfig) extra() *callExtra {
	if cfg.x == nil {
		cfg.x = &callExtra{}
	}
	return cfg.x
}

// refused returns the first option error of the call, nil when none.
func (cfg *callConfig) refused() error {
	if cfg.x == nil {
		return nil
	}
	return cfg.x.err
}

func (c *Client) configure(opts []RequestOption) callConfig {
	if len(opts) == 0 {
		return c.defaults
	}
	cfg := c.defaults
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	return cfg
}

// refuse records the first option error of a call.
func (cfg *callConfig) refuse(err error) {
	if x := cfg.extra(); x.err == nil {
		x.err = err
	}
}

// WithResponseInto stores the HTTP response behind the call (status, headers, request id, decrypted
// body) in r, on success and on API errors alike.
func WithResponseInto(r *Response) RequestOption {
	return func(cfg *callConfig) { cfg.into = r }
}

// WithAttemptTimeout bounds each attempt of this call (connect, send, read the whole answer), replacing
// the client's WithRequestTimeout; 0 switches the bound off for this call. A timeout on a call that is
// not a read ends as ErrOutcomeUnknown once the request may have left. The call's ctx bounds all
// attempts together.
func WithAttemptTimeout(d time.Duration) RequestOption {
	return func(cfg *callConfig) { cfg.timeout = max(d, 0) }
}

// MaxRetryLimit is the most retries WithRetryLimit accepts.
const MaxRetryLimit = 10

// WithRetryLimit sets how many times this call may be retried after its first attempt, replacing the
// client's RetryPolicy.MaxRetries: 0 sends it once. Raising the limit above the client's never changes
// which failures are retried (the operation's RetryRule does): a transfer is still never sent again
// once it may have left. A limit below 0 or above MaxRetryLimit fails the call before I/O.
func WithRetryLimit(n int) RequestOption {
	return func(cfg *callConfig) {
		if n < 0 || n > MaxRetryLimit {
			cfg.refuse(fmt.Errorf("%w: WithRetryLimit(%d): need 0 to %d", ErrValidation, n, MaxRetryLimit))
			return
		}
		cfg.maxRetries = n
	}
}

// WithRepeatable tells Client.Do that this call changes nothing, so it may be repeated like a read
// (transport errors, 429, 5xx without a VaultsPay code). Methods the SDK models ignore it: their retry
// rule never changes.
func WithRepeatable() RequestOption {
	return func(cfg *callConfig) { cfg.repeatable = true }
}

// WithHeader adds a header to every attempt of this call (added to, never replacing, earlier values of
// the same name). The headers the SDK owns are refused, before anything is sent, with an error matching
// ErrValidation: Authorization, x-session-nonce, x-auth-signature, x-device-*, x-enable-encryption and
// the ones net/http manages (Host, Content-*, Transfer-Encoding, Accept, Accept-Encoding, User-Agent,
// Connection …). The value must be printable ASCII (no CR or LF) of at most 8 KiB.
func WithHeader(key, value string) RequestOption {
	return func(cfg *callConfig) {
		if err := checkExtraHeader(key, value); err != nil {
			cfg.refuse(err)
			return
		}
		x := cfg.extra()
		h := make(http.Header, len(x.header)+1) // a copy: an option may be applied to many calls at once
		for k, v := range x.header {
			h[k] = v
		}
		h.Add(key, value)
		x.header = h
	}
}

// checkExtraHeader refuses a header the SDK owns or one that is not a valid name and value.
func checkExtraHeader(key, value string) error {
	if !validHeaderName(key) {
		return fmt.Errorf("%w: header name %q is not an HTTP token", ErrValidation, truncate(key, 40))
	}
	if protectedHeader(key) {
		return fmt.Errorf("%w: header %s is set by the SDK and cannot be added", ErrValidation, key)
	}
	if err := checkHeaderValue("header "+key, value, 8<<10); err != nil {
		return fmt.Errorf("%w: %w", ErrValidation, err)
	}
	return nil
}

// checkExtraHeaders checks every header in h.
func checkExtraHeaders(h http.Header) error {
	for k, vs := range h {
		for _, v := range vs {
			if err := checkExtraHeader(k, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// protectedHeader reports whether name (any case) is a header the SDK or net/http owns.
func protectedHeader(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "authorization", "proxy-authorization", headerNonce, headerSignature, headerEncryption,
		"host", "content-type", "content-length", "content-encoding", "transfer-encoding", "te", "trailer",
		"connection", "keep-alive", "proxy-connection", "upgrade", "expect", "accept", "accept-encoding",
		"user-agent":
		return true
	}
	return strings.HasPrefix(n, "x-device-")
}

// validHeaderName reports whether s is an RFC 9110 token.
func validHeaderName(s string) bool {
	if s == "" || len(s) > 256 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0 {
			continue
		}
		return false
	}
	return true
}
