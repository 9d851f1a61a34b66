package vaultspay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// LoginRequest is the body of POST /as/api/v1/saas-login.
type LoginRequest struct {
	ClientID     string `json:"clientId"`
	ClientSecret Secret `json:"clientSecret"` // redacted in %v and logs, sent as is
}

// LogValue logs the client ID only. Without it slog's JSONHandler would encode the struct with
// encoding/json, which sends the secret as is.
func (r LoginRequest) LogValue() slog.Value {
	return slog.GroupValue(slog.String("clientId", r.ClientID), slog.Any("clientSecret", r.ClientSecret))
}

// RefreshTokenRequest is the body of POST /as/api/v1/saas-refresh-token.
type RefreshTokenRequest struct {
	RefreshToken Secret `json:"refreshToken"`
}

// LogValue redacts the refresh token (see LoginRequest.LogValue).
func (r RefreshTokenRequest) LogValue() slog.Value {
	return slog.GroupValue(slog.Any("refreshToken", r.RefreshToken))
}

// Token is what saas-login returns (all four fields) and saas-refresh-token returns (the access
// token and its expiry only; the refresh token is not rotated). Expiries decode from ISO 8601 with
// offset, epoch seconds or epoch milliseconds. Token logs and prints without its secrets.
type Token struct {
	rawJSON
	AccessToken        Secret `json:"accessToken"`
	AccessTokenExpiry  Time   `json:"accessTokenExpiry"`
	RefreshToken       Secret `json:"refreshToken,omitempty"`
	RefreshTokenExpiry *Time  `json:"refreshTokenExpiry,omitempty"` // nil in refresh answers
}

// LogValue logs the expiries only.
func (t Token) LogValue() slog.Value {
	attrs := []slog.Attr{slog.Time("accessTokenExpiry", t.AccessTokenExpiry.Time)}
	if t.RefreshTokenExpiry != nil {
		attrs = append(attrs, slog.Time("refreshTokenExpiry", t.RefreshTokenExpiry.Time))
	}
	return slog.GroupValue(attrs...)
}

// String shows the expiries only; the tokens, and the raw JSON that holds them, never print.
func (t Token) String() string {
	var b strings.Builder
	b.WriteString("vaultspay.Token{AccessToken: " + t.AccessToken.String() + ", AccessTokenExpiry: " + formatExpiry(&t.AccessTokenExpiry))
	b.WriteString(", RefreshToken: " + t.RefreshToken.String() + ", RefreshTokenExpiry: " + formatExpiry(t.RefreshTokenExpiry) + "}")
	return b.String()
}

// Format prints String for every verb, so %s, %q and %x cannot reach the raw JSON.
func (t Token) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, t.String()) }

// GoString keeps %#v as safe as %v.
func (t Token) GoString() string { return t.String() }

func formatExpiry(t *Time) string {
	if t == nil || t.IsZero() {
		return "none"
	}
	return t.Format(TimeLayout)
}

// TokenSource supplies the bearer token for every authenticated call. The built-in one logs in with
// the client credentials; WithTokenSource installs another.
type TokenSource interface {
	// AccessToken returns a token that is valid now, honouring ctx while it waits.
	AccessToken(ctx context.Context) (Secret, error)
}

// TokenInvalidator is implemented by token sources that can be told the API rejected a token (codes
// 1003, 1004, 1036), so the next AccessToken call obtains a new one.
type TokenInvalidator interface {
	InvalidateToken(tok Secret)
}

// flightTimeout bounds one login or refresh, which runs detached from any single caller's ctx.
const flightTimeout = time.Minute

// authenticator is the built-in TokenSource: lazy login, refresh before expiry, single-flight.
type authenticator struct {
	c            *Client
	clientID     string
	clientSecret Secret
	skew         time.Duration
	now          func() time.Time

	// current is the token calls use without taking mu: published under mu whenever tok, stale or
	// noExp change, nil when there is none to use.
	current atomic.Pointer[usableToken]

	mu     sync.Mutex
	tok    *Token
	stale  bool // the API rejected tok.AccessToken
	noExp  bool // tok arrived already "expired" by our clock (clocks disagree): use it until rejected
	flight *flight
}

// flight is one login or refresh in progress. waiters and cancel are guarded by authenticator.mu.
type flight struct {
	done    chan struct{}
	tok     Secret
	err     error
	waiters int                // callers waiting for it
	cancel  context.CancelFunc // stops it once no caller waits any more
}

// usableToken is an access token and the instant from which it must be refreshed (zero: never, use it
// until the API rejects it).
type usableToken struct {
	access    Secret
	refreshAt time.Time
}

// publish makes the state under mu visible to the lock-free path of AccessToken; a.mu must be held.
func (a *authenticator) publish() {
	if a.tok == nil || a.stale || a.tok.AccessToken == "" {
		a.current.Store(nil)
		return
	}
	u := &usableToken{access: a.tok.AccessToken}
	if exp := a.tok.AccessTokenExpiry; !exp.IsZero() && !a.noExp {
		u.refreshAt = exp.Add(-a.skew)
	}
	a.current.Store(u)
}

func newAuthenticator(c *Client, id string, secret Secret, skew time.Duration) *authenticator {
	return &authenticator{c: c, clientID: id, clientSecret: secret, skew: skew, now: time.Now}
}

// AccessToken returns the current access token, or waits for the one login or refresh in flight
// (starting it if none is), however many callers ask at once. A caller whose ctx ends returns at once;
// when the last waiter has gone, the flight is stopped too, so it never outlives every caller.
func (a *authenticator) AccessToken(ctx context.Context) (Secret, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if u := a.current.Load(); u != nil && (u.refreshAt.IsZero() || a.now().Before(u.refreshAt)) {
		return u.access, nil // the hot path: no lock
	}
	a.mu.Lock()
	if a.valid() {
		t := a.tok.AccessToken
		a.mu.Unlock()
		return t, nil
	}
	f := a.flight
	if f == nil {
		// Detached from the caller: its cancellation must not fail the other waiters, and its values
		// (an httptrace of the caller's request among them) must not see the login's traffic.
		fctx, cancel := context.WithTimeout(context.Background(), flightTimeout)
		f = &flight{done: make(chan struct{}), cancel: cancel}
		a.flight = f
		go a.run(fctx, f)
	}
	f.waiters++
	a.mu.Unlock()
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		a.mu.Lock()
		if f.waiters--; f.waiters == 0 && a.flight == f {
			a.flight = nil // the next caller starts afresh
			f.cancel()
		}
		a.mu.Unlock()
		return "", ctx.Err()
	}
}

// valid reports whether the access token can be used now; a.mu must be held. A token without an
// expiry, or one that was already past its expiry by this machine's clock when it arrived (the server's
// clock is behind ours), is used until the API rejects it, rather than refreshed on every call.
func (a *authenticator) valid() bool {
	if a.tok == nil || a.stale || a.tok.AccessToken == "" {
		return false
	}
	exp := a.tok.AccessTokenExpiry
	return exp.IsZero() || a.noExp || a.now().Add(a.skew).Before(exp.Time)
}

// AccessTokenExpiry returns when the access token held by the built-in token source expires, for
// display (the CLI's login command); the token itself is never exposed. ok is false before the first
// login (call Login) and when WithTokenSource installed another source. A zero time with ok true means
// the API sent no expiry.
func (c *Client) AccessTokenExpiry() (exp time.Time, ok bool) {
	a, isBuiltIn := c.tokens.(*authenticator)
	if !isBuiltIn {
		return time.Time{}, false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.tok == nil {
		return time.Time{}, false
	}
	return a.tok.AccessTokenExpiry.Time, true
}

// InvalidateToken marks tok stale if it is still the current token; a later token is left alone.
func (a *authenticator) InvalidateToken(tok Secret) {
	a.mu.Lock()
	if a.tok != nil && a.tok.AccessToken == tok {
		a.stale = true
		a.publish()
	}
	a.mu.Unlock()
}

// run obtains a token for f under ctx (detached, bounded by flightTimeout, cancelled when f has no
// waiter left) and publishes it.
func (a *authenticator) run(ctx context.Context, f *flight) {
	defer f.cancel()
	tok, err := a.obtain(ctx)
	a.mu.Lock()
	if err == nil {
		a.tok, a.stale = tok, false
		a.noExp = !a.now().Add(a.skew).Before(tok.AccessTokenExpiry.Time)
		a.publish()
		f.tok = tok.AccessToken
	}
	f.err = err
	if a.flight == f {
		a.flight = nil
	}
	a.mu.Unlock()
	close(f.done)
}

// obtain refreshes while the refresh token is usable, and logs in when there is none, it has expired,
// or the API refuses it.
func (a *authenticator) obtain(ctx context.Context) (*Token, error) {
	a.mu.Lock()
	cur := a.tok
	a.mu.Unlock()
	if cur != nil && cur.RefreshToken != "" &&
		(cur.RefreshTokenExpiry == nil || cur.RefreshTokenExpiry.IsZero() || a.now().Add(a.skew).Before(cur.RefreshTokenExpiry.Time)) {
		t, err := a.refresh(ctx, cur.RefreshToken)
		if err == nil {
			if t.RefreshToken == "" { // not rotated: keep the one from login
				t.RefreshToken, t.RefreshTokenExpiry = cur.RefreshToken, cur.RefreshTokenExpiry
			}
			return t, nil
		}
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode >= 500 && apiErr.Code == 0 {
			return nil, err // the refresh did not get an answer; logging in would not either
		}
	}
	return a.login(ctx)
}

// login logs in, finding the wire profile first when WithWireProfileDetection asks (detect.go).
func (a *authenticator) login(ctx context.Context) (*Token, error) {
	if d := a.c.detect; d != nil && d.pinned.Load() == nil {
		return d.login(ctx, a)
	}
	return a.loginOnce(ctx)
}

func (a *authenticator) loginOnce(ctx context.Context) (*Token, error) {
	return a.tokenCall(ctx, opLogin, LoginRequest{ClientID: a.clientID, ClientSecret: a.clientSecret})
}

func (a *authenticator) refresh(ctx context.Context, rt Secret) (*Token, error) {
	return a.tokenCall(ctx, opRefresh, RefreshTokenRequest{RefreshToken: rt})
}

// tokenCall posts to login or refresh; the answer may be flat or wrapped in "data".
func (a *authenticator) tokenCall(ctx context.Context, op *Operation, body any) (*Token, error) {
	t, err := call[Token](ctx, a.c, op.at(), body, nil)
	if err != nil {
		return nil, err
	}
	if t.AccessToken == "" {
		return nil, errors.New("vaultspay: " + op.Template + ": answer has no accessToken")
	}
	return t, nil
}
