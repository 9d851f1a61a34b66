package vaultspay

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Header names exactly as the vendor writes them (lower-case); they are set verbatim on the wire.
const (
	headerNonce      = "x-session-nonce"
	headerSignature  = "x-auth-signature"
	headerDeviceOS   = "x-device-os"
	headerDeviceID   = "x-device-id"
	headerEncryption = "x-enable-encryption"
	deviceOS         = "SAAS"
)

// newRetryClient builds the sender: go-retryablehttp runs the attempts, asks afterAttempt whether to go
// again and waits; every attempt goes through one sealingTransport. The request retryablehttp holds has
// no body, so nothing below the SDK can replay one. The *http.Client under retryablehttp is a copy of
// the caller's (WithHTTPClient) with its Transport wrapped, following a redirect only for a read and only
// to the same origin (scheme, host and port), or else a client over a clone of http.DefaultTransport
// that speaks TLS 1.2 or later and follows no redirect.
func newRetryClient(cfg config, c *Client) *retryablehttp.Client {
	var hc http.Client
	var next http.RoundTripper
	if cfg.httpClient != nil {
		hc = *cfg.httpClient
		next = hc.Transport
		if next == nil {
			next = http.DefaultTransport
		}
		hc.CheckRedirect = readsOnly(sameOriginRedirects(hc.CheckRedirect))
	} else {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		next = tr
		// The API documents no redirects; following one could replay a write elsewhere.
		hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	hc.Transport = &sealingTransport{c: c, next: next}
	retryAfterCap := cfg.retry.MaxRetryAfter
	return &retryablehttp.Client{
		HTTPClient:   &hc,
		RetryMax:     max(cfg.retry.MaxRetries, MaxRetryLimit), // each call stops at its own limit (decide)
		RetryWaitMin: cfg.retry.MinWait,
		RetryWaitMax: cfg.retry.MaxWait,
		CheckRetry:   c.afterAttempt,
		Backoff: func(minWait, maxWait time.Duration, n int, resp *http.Response) time.Duration {
			return backoff(minWait, maxWait, retryAfterCap, n, resp)
		},
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
}

// readsOnly never follows a redirect of a call that is not a read: following one sends it again.
func readsOnly(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if x, ok := req.Context().Value(exchangeKey{}).(*exchange); !ok || x.ep.op.Retry != RetryRead {
			return http.ErrUseLastResponse
		}
		return next(req, via)
	}
}

// sameOriginRedirects wraps a caller's redirect policy: a redirect to another scheme, host or port is
// never followed (the 3xx comes back to the SDK, which reports it); others go to next, or to
// net/http's default limit of 10 when next is nil.
func sameOriginRedirects(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) > 0 && (req.URL.Scheme != via[0].URL.Scheme || req.URL.Host != via[0].URL.Host) {
			return http.ErrUseLastResponse
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
}

type exchangeKey struct{}

// exchange is one send as the transport sees it. ep, body, cfg and base are fixed before the first
// attempt; n and sent are written by sealingTransport alone (retryablehttp runs attempts one after
// another).
type exchange struct {
	ep   endpoint
	body []byte // plaintext JSON; nil for none
	cfg  callConfig
	base int  // attempts of the call's earlier send (the one before a token replay)
	n    int  // attempts started
	sent bool // some attempt may have reached the server
}

// sealingTransport does the work of one attempt: the current token, a fresh key and IV, seal and sign,
// headers, a request net/http cannot replay unless the endpoint is a read, whether any byte of it was
// written, the size cap and opening the answer. What it learnt travels to afterAttempt as the
// response's Body (*attempt) or the error (*attemptFailed).
type sealingTransport struct {
	c    *Client
	next http.RoundTripper
}

// CloseIdleConnections closes the idle connections of the transport below.
func (t *sealingTransport) CloseIdleConnections() {
	if ci, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

// attempt is what one attempt learnt. As a response body it reads the plaintext answer.
type attempt struct {
	bytes.Reader
	x      *exchange
	n      int        // 1-based
	start  time.Time  // when sealing began
	token  Secret     // the access token sent (empty for login and refresh)
	sealed *sealedReq // this attempt's envelope, nil without crypto headers
	wrote  bool       // this attempt may have reached the server
	res    *Response  // nil when no answer arrived
	failed error      // transport error, or an answer that could not be read or opened
	setup  bool       // failed before any I/O (token, sealing, middleware): never retried
	code   ErrorCode  // VaultsPay code of an error answer, 0 when none
	retry  bool       // another attempt follows (decided by decide)
	reason string     // why it was or was not retried
	redact redactor   // what its answer's errors must not repeat (Response.redact points here)
}

func (a *attempt) Close() error { return nil }

// attemptFailed carries an attempt that ended without an answer through net/http's *url.Error.
type attemptFailed struct{ *attempt }

func (e attemptFailed) Error() string { return e.failed.Error() }
func (e attemptFailed) Unwrap() error { return e.failed }

// attemptOf returns what the attempt behind resp or err learnt, nil when it never reached the transport.
func attemptOf(resp *http.Response, err error) *attempt {
	if resp != nil {
		if a, ok := resp.Body.(*attempt); ok {
			return a
		}
	}
	var f attemptFailed
	if errors.As(err, &f) {
		return f.attempt
	}
	return nil
}

// RoundTrip runs one attempt, through the attempt middleware when there is any, and decides whether
// another follows (afterAttempt reads the decision).
func (t *sealingTransport) RoundTrip(outer *http.Request) (*http.Response, error) {
	x, ok := outer.Context().Value(exchangeKey{}).(*exchange)
	if !ok {
		return nil, errors.New("vaultspay: request sent outside the pipeline")
	}
	x.n++
	chain := t.c.attempts
	if chain == nil && x.cfg.x != nil && x.cfg.x.attempts != nil {
		chain = attemptEnd
	}
	if chain == nil {
		a := &attempt{x: x, n: x.n, start: time.Now()}
		resp, err := t.attempt(outer.Context(), outer, a, nil)
		t.c.decide(outer.Context(), a)
		return resp, err
	}
	return t.wrapped(chain, outer, x)
}

// wrapped runs the attempt a through the attempt middleware chain.
func (t *sealingTransport) wrapped(chain AttemptFunc, outer *http.Request, x *exchange) (*http.Response, error) {
	st := &attemptState{Attempt: Attempt{Operation: *x.ep.op, Host: t.c.host, Number: x.base + x.n},
		t: t, outer: outer, attempt: attempt{x: x, n: x.n, start: time.Now()}}
	if x.cfg.x != nil {
		st.Attempt.local = x.cfg.x.attempts
	}
	a := &st.attempt
	st.Attempt.run = st
	mwErr := chain(outer.Context(), &st.Attempt)
	if !st.Attempt.ran {
		if mwErr == nil {
			mwErr = errNotSent
		}
		a.failed, a.setup = mwErr, true
		t.c.decide(outer.Context(), a)
		return nil, attemptFailed{a}
	}
	return st.resp, st.err
}

// attemptState is one attempt through middleware, in one allocation: the Attempt middleware sees, the
// pipeline's own attempt, and what running it returns.
type attemptState struct {
	Attempt
	attempt attempt
	t       *sealingTransport
	outer   *http.Request
	resp    *http.Response
	err     error
}

// runAttempt sends the attempt: the end of every attempt chain.
func (st *attemptState) runAttempt(ctx context.Context, at *Attempt) error {
	if at.ran {
		return errors.New("vaultspay: " + at.Operation.Name + ": middleware may send an attempt only once")
	}
	at.ran = true
	a := &st.attempt
	if cerr := checkExtraHeaders(at.Header); cerr != nil {
		a.failed, a.setup = cerr, true
		st.resp, st.err = nil, attemptFailed{a}
	} else {
		st.resp, st.err = st.t.attempt(ctx, st.outer, a, at.Header)
	}
	st.t.c.decide(st.outer.Context(), a)
	at.record(a, st.t.c.mwBodies)
	return a.failed
}

// attempt seals and sends a under ctx (bounded by the attempt timeout) with the extra headers of the
// call and of this attempt, and reads the answer.
func (t *sealingTransport) attempt(ctx context.Context, outer *http.Request, a *attempt, extra http.Header) (*http.Response, error) {
	x := a.x
	if x.cfg.timeout > 0 && !deadlineWithin(ctx, x.cfg.timeout) {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, x.cfg.timeout)
		defer cancel() // the whole answer is read before RoundTrip returns
	}
	req, wrote, err := t.c.sealedRequest(ctx, outer, a, extra)
	if err != nil {
		a.failed, a.setup = err, true
		return nil, attemptFailed{a}
	}
	resp, err := t.next.RoundTrip(req)
	// A response proves the request left, even through a RoundTripper that reports no httptrace event.
	a.wrote = err == nil || wrote == nil || wrote.Load()
	x.sent = x.sent || a.wrote
	if err != nil {
		a.failed = err
		return nil, attemptFailed{a}
	}
	t.c.open(resp, a)
	resp.Body = a
	return resp, nil
}

// deadlineWithin reports whether ctx ends within d anyway, so that a timer for d would never fire first.
func deadlineWithin(ctx context.Context, d time.Duration) bool {
	end, ok := ctx.Deadline()
	return ok && time.Until(end) <= d
}

// sealedRequest builds this attempt's request to outer's method and URL: current token, body sealed
// under a fresh key and IV, headers. Only a read gets GetBody, so net/http and HTTP/2 cannot rewind the body of anything else
// (an empty body included). wrote reports whether the headers were written; it is nil for a read,
// which may be repeated anyway.
func (c *Client) sealedRequest(ctx context.Context, outer *http.Request, a *attempt, extra http.Header) (*http.Request, *atomic.Bool, error) {
	ep := a.x.ep
	var auth []string
	if !ep.op.public && !a.x.cfg.noToken {
		tok, err := c.tokens.AccessToken(ctx)
		if err != nil {
			return nil, nil, chain("obtaining access token", err)
		}
		if auth, err = c.authorization(tok); err != nil {
			return nil, nil, err
		}
		a.token = tok
	}
	var sealed *sealedReq
	wire := a.x.body
	if env := c.envelopeFor(ctx); env != nil {
		var pt []byte
		if c.encrypt {
			pt = a.x.body
		}
		s, err := env.Seal(pt)
		if err != nil {
			return nil, nil, err
		}
		sealed = s
		if c.encrypt {
			wire = s.Body
		}
	}
	var wrote *atomic.Bool
	if ep.op.Retry != RetryRead {
		wrote = new(atomic.Bool)
		ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteHeaders: func() { wrote.Store(true) }})
	}
	req := outer.WithContext(ctx) // a shallow copy: outer is never changed
	var callHeader http.Header
	if a.x.cfg.x != nil {
		callHeader = a.x.cfg.x.header
	}
	req.Header = make(http.Header, 8+len(callHeader)+len(extra))
	for k, v := range callHeader { // checked when added; the SDK's own headers below come last
		req.Header[k] = v
	}
	for k, v := range extra {
		req.Header[k] = append(req.Header[k][:len(req.Header[k]):len(req.Header[k])], v...)
	}
	req.Body, req.GetBody, req.ContentLength = nil, nil, 0
	switch {
	case ep.op.Retry == RetryRead && wire != nil:
		req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(wire)), int64(len(wire))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(wire)), nil }
	case ep.op.Retry != RetryRead:
		// Never http.NoBody and never GetBody: both let net/http and HTTP/2 send it again.
		req.Body, req.ContentLength = oneShot{bytes.NewReader(wire)}, int64(len(wire))
	}
	h := req.Header
	h["Accept"] = c.fixed.accept
	if wire != nil {
		h["Content-Type"] = c.fixed.accept
	}
	h["User-Agent"] = c.fixed.userAgent
	if auth != nil {
		h["Authorization"] = auth
	}
	if sealed != nil {
		h[headerNonce] = []string{sealed.Nonce}
		h[headerSignature] = []string{sealed.Signature}
	}
	h[headerDeviceOS] = c.fixed.deviceOS
	h[headerDeviceID] = c.fixed.deviceID
	if !c.encrypt {
		h[headerEncryption] = c.fixed.plain
	}
	a.sealed = sealed
	return req, wrote, nil
}

// oneShot is a request body net/http cannot recognise as rewindable.
type oneShot struct{ *bytes.Reader }

func (oneShot) Close() error { return nil }

// errResponseTooLarge is the cause of a ResponseError for a body over the size limit.
var errResponseTooLarge = errors.New("response body over the size limit")

// open reads the whole answer up to the size limit, opens it when it is sealed, and records the
// plaintext and the VaultsPay code of an error answer in a.
func (c *Client) open(resp *http.Response, a *attempt) {
	defer resp.Body.Close()
	sealed := a.sealed
	res := &Response{StatusCode: resp.StatusCode, Header: resp.Header, RequestID: requestID(resp.Header), Attempts: a.n,
		redact: &a.redact}
	a.redact = redactor{token: a.token, tokens: c.tokens, body: a.x.body}
	a.res = res
	limit := c.maxResp
	if resp.ContentLength > limit {
		a.failed = newResponseError(ErrMalformedResponse, res, fmt.Sprintf("body of %d bytes is over the %d-byte limit",
			resp.ContentLength, limit), nil, errResponseTooLarge)
		return
	}
	raw, err := readBody(resp.Body, resp.ContentLength, limit)
	res.Body = raw
	switch {
	case err != nil:
		a.failed = newResponseError(ErrMalformedResponse, res, "body truncated: "+err.Error(), raw, err)
	case int64(len(raw)) > limit:
		res.Body = nil
		a.failed = newResponseError(ErrMalformedResponse, res, fmt.Sprintf("body over the %d-byte limit", limit), nil, errResponseTooLarge)
	case sealed != nil && sealed.IsEncrypted(raw):
		pt, oerr := sealed.Open(headerValue(resp.Header, headerNonce), raw)
		if oerr != nil {
			a.failed = newResponseError(ErrUndecryptable, res, oerr.Error(), raw, oerr)
		} else {
			res.Body = pt
		}
	}
	if a.failed == nil && res.StatusCode >= 400 {
		a.code = probeCode(res.Body)
	}
	a.Reset(res.Body)
}

// readBody reads r up to limit+1 bytes. A known length (size >= 0) sizes the buffer once instead of
// letting io.ReadAll double it, which leaves about a body's worth of garbage per response.
func readBody(r io.Reader, size, limit int64) ([]byte, error) {
	if size < 0 || size > limit {
		return io.ReadAll(io.LimitReader(r, limit+1))
	}
	buf := make([]byte, 0, size+1) // the spare byte lets the last Read report EOF without growing
	for {
		n, err := r.Read(buf[len(buf):min(int64(cap(buf)), limit+1)])
		buf = buf[:len(buf)+n]
		switch {
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return buf, err
		case int64(len(buf)) > limit: // the caller reports it as over the limit
			return buf, nil
		case len(buf) == cap(buf): // longer than announced: keep reading up to the cap
			buf = append(buf, 0)[:len(buf)]
		}
	}
}

func headerValue(h http.Header, k string) string {
	if v := h.Get(k); v != "" {
		return v
	}
	if v := h[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// requestID returns the answer's request id, made safe to print: it reaches logs, error strings,
// middleware and traces, and a hostile server could put anything there. At most 128 bytes are kept,
// any byte that is not printable ASCII becomes '?', and a run of 13 to 19 digits that passes the Luhn
// check (a card number) is masked. UNKNOWN decided: the vendor documents no request id; masking every
// long digit run would also mask about one random 16-hex-digit id in a hundred, the Luhn check one in
// a thousand.
func requestID(h http.Header) string {
	for _, k := range [...]string{"X-Request-Id", "Request-Id", "X-Correlation-Id", "X-Amzn-Requestid"} {
		if v := h[k]; len(v) > 0 && v[0] != "" { // canonical keys: what h.Get(k) finds, without the key check
			return cleanRequestID(v[0])
		}
	}
	return ""
}

func cleanRequestID(v string) string {
	if len(v) > 128 {
		v = v[:128]
	}
	if checkHeaderValue("", v, 128) != nil {
		b := []byte(v)
		for i, c := range b {
			if c < ' ' || c > '~' {
				b[i] = '?'
			}
		}
		v = string(b)
	}
	var b []byte // a copy, made only when something is masked
	for i := 0; i < len(v); {
		j := i
		for j < len(v) && v[j] >= '0' && v[j] <= '9' {
			j++
		}
		if n := j - i; n >= 13 && n <= 19 && luhn(v[i:j]) {
			if b == nil {
				b = []byte(v)
			}
			for k := i; k < j; k++ {
				b[k] = '#'
			}
		}
		i = max(j, i+1)
	}
	if b != nil {
		return string(b)
	}
	return v
}

// afterAttempt is retryablehttp's CheckRetry: it returns the decision RoundTrip made (decide).
func (c *Client) afterAttempt(ctx context.Context, resp *http.Response, err error) (bool, error) {
	a := attemptOf(resp, err)
	if a == nil {
		return false, nil // never reached the transport (the call's ctx was already done)
	}
	return a.retry && ctx.Err() == nil, nil
}

// decide is the one place where an attempt is complete: its number, status, code, request id,
// duration and the retry decision with its reason are all known here. It records the decision in a and
// writes the attempt's log line; the attempt middleware reads it when its next returns. ctx is the
// call's.
func (c *Client) decide(ctx context.Context, a *attempt) {
	status := 0
	if a.res != nil {
		status = a.res.StatusCode
	}
	retry, reason := retryable(a.x.ep.op.Retry, status, a.code, a.wrote, failureOf(a))
	switch {
	case ctx.Err() != nil:
		retry, reason = false, "the call's context is done"
	case retry && a.n > a.x.cfg.maxRetries:
		retry, reason = false, reason+"; no retries left"
	}
	a.retry, a.reason = retry, reason
	c.logAttempt(ctx, a, status)
}

// failure is what went wrong in an attempt, as far as the retry table cares.
type failure int

const (
	failNone      failure = iota
	failSetup             // token or sealing failed: nothing was sent
	failTransport         // connection, TLS handshake, timeout: may pass next time
	failTrust             // TLS trust failure or a non-TLS answer: the server will not change its mind
	failCut               // the answer was cut off in transit
	failBody              // the answer was too large or could not be opened: the next would be the same
)

func failureOf(a *attempt) failure {
	switch {
	case a.failed == nil:
		return failNone
	case a.setup:
		return failSetup
	case a.res == nil || a.res.StatusCode == 0:
		if transient(a.failed) {
			return failTransport
		}
		return failTrust
	case cutOff(a.failed):
		return failCut
	}
	return failBody
}

// cutOff reports whether err is an answer that arrived incomplete (not one over the size limit).
func cutOff(err error) bool {
	var re *ResponseError
	return errors.As(err, &re) && re.kind == ErrMalformedResponse && !errors.Is(re.cause, errResponseTooLarge)
}

// retryable is the whole retry table, a function of the endpoint's rule, the answer (status and
// VaultsPay code, 0 when none), whether this attempt may have reached the server, and what failed:
//
//   - nothing sent (setup failure, or a transport failure before any header byte was written): retried
//     under every rule unless the failure is one the next attempt would meet again;
//   - a transport failure after writing, or an answer cut off in transit: only reads retry;
//   - 429 or code 1005 (refused before processing, the vendor infers): reads and writes retry it,
//     money movers (RetryNoReplay) do not trust it;
//   - a 5xx without a VaultsPay code comes from a gateway or a crash: only reads retry it, except 501;
//   - anything else, a 5xx that carries a code included (1010 arrives as HTTP 500), is the answer.
func retryable(rule RetryRule, status int, code ErrorCode, wrote bool, f failure) (bool, string) {
	switch f {
	case failSetup:
		return false, "request not built"
	case failTrust:
		return false, "TLS trust or protocol failure"
	case failBody:
		return false, "answer unreadable"
	case failTransport:
		if rule == RetryRead {
			return true, "transport error"
		}
		if !wrote {
			return true, "transport error before the request was written"
		}
		return false, "transport error after the request was written"
	case failCut:
		return rule == RetryRead, "answer cut off"
	}
	switch {
	case status == http.StatusTooManyRequests || code == CodeThrottle:
		return rule != RetryNoReplay, "throttled"
	case code == 0 && status >= 500 && status != http.StatusNotImplemented:
		return rule == RetryRead, "server error without a VaultsPay code"
	}
	return false, "answered"
}

// transient reports whether a transport error may pass on a new attempt: not a TLS trust failure, nor a
// TLS alert or a plain-HTTP answer to TLS (the server will not change its mind).
func transient(err error) bool {
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	var alert tls.AlertError
	var rh tls.RecordHeaderError
	return !errors.As(err, &cv) && !errors.As(err, &ua) && !errors.As(err, &hn) && !errors.As(err, &ci) &&
		!errors.As(err, &alert) && !errors.As(err, &rh)
}

// backoff honours Retry-After (seconds or an HTTP date) up to retryAfterCap; otherwise it waits a
// uniformly random duration in [0, min(maxWait, minWait·2ⁿ)] (exponential backoff with full jitter,
// which spreads the retries of many clients hit by the same failure).
func backoff(minWait, maxWait, retryAfterCap time.Duration, n int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := retryAfter(resp.Header.Get("Retry-After")); ok {
			return min(d, retryAfterCap)
		}
	}
	ceil := minWait << min(n, 30)
	if ceil > maxWait || ceil <= 0 {
		ceil = maxWait
	}
	if ceil <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(ceil) + 1))
}

// retryAfter reads Retry-After as delay seconds or an HTTP date. Any count of seconds too large for a
// Duration (however many digits) saturates rather than overflowing to a negative wait.
func retryAfter(v string) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if digits(v) {
		s, err := strconv.ParseInt(v, 10, 64)
		if err != nil || s > int64(math.MaxInt64/time.Second) {
			return math.MaxInt64, true
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0), true // Until saturates for dates centuries ahead
	}
	return 0, false
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// logAttempt writes one line per attempt: Debug when it ends the call, Warn when it is retried.
func (c *Client) logAttempt(ctx context.Context, a *attempt, status int) {
	if c.log == nil {
		return
	}
	requestID := ""
	if a.res != nil {
		requestID = a.res.RequestID
	}
	attrs := []slog.Attr{
		slog.String("operation", a.x.ep.op.Name), slog.String("method", a.x.ep.op.Method),
		slog.String("path", pathOnly(a.x.ep.path)), slog.Int("attempt", a.x.base+a.n),
		slog.String("requestId", requestID), slog.String("reason", a.reason),
		slog.Duration("duration", time.Since(a.start)),
	}
	if status != 0 {
		attrs = append(attrs, slog.Int("status", status))
	}
	if a.code != 0 {
		attrs = append(attrs, slog.Int("code", int(a.code)))
	}
	if a.failed != nil {
		attrs = append(attrs, slog.String("error", a.failed.Error()))
	}
	level, msg := slog.LevelDebug, "vaultspay request"
	if a.retry {
		level, msg = slog.LevelWarn, "vaultspay request, retrying"
	}
	c.log.LogAttrs(ctx, level, msg, attrs...)
}
