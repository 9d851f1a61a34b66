package vaultspay

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
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

// newRetryClient builds the sender. The default transport is a clone of http.DefaultTransport that
// speaks TLS 1.2 or later and follows no redirect. A caller's *http.Client is copied; the copy never
// follows a redirect to another origin (scheme, host or port), so the Authorization header and the
// envelope's headers cannot reach another server.
func newRetryClient(cfg config) *retryablehttp.Client {
	var hc http.Client
	if cfg.httpClient != nil {
		hc = *cfg.httpClient
		hc.CheckRedirect = sameOriginRedirects(hc.CheckRedirect)
	} else {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		hc = http.Client{
			Transport: tr,
			// The API documents no redirects; following one could replay a write elsewhere.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	if cfg.attemptTimeout > 0 {
		hc.Timeout = cfg.attemptTimeout
	}
	retryAfterCap := cfg.retry.MaxRetryAfter
	return &retryablehttp.Client{
		HTTPClient:   &hc,
		RetryMax:     cfg.retry.MaxRetries,
		RetryWaitMin: cfg.retry.MinWait,
		RetryWaitMax: cfg.retry.MaxWait,
		CheckRetry:   checkRetry,
		Backoff: func(minWait, maxWait time.Duration, n int, resp *http.Response) time.Duration {
			return backoff(minWait, maxWait, retryAfterCap, n, resp)
		},
		PrepareRetry: prepareRetry,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
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

type attemptKey struct{}

// attempt carries one send through retryablehttp: the plaintext, the envelope and token of the current
// try, whether its headers reached the connection, and what the last response said.
type attempt struct {
	c         *Client
	ep        endpoint
	plaintext []byte

	sealed *Sealed // this try's envelope (nil without crypto headers)
	wire   []byte  // this try's body bytes
	token  Secret  // this try's access token
	wrote  atomic.Bool
	sent   bool // some try wrote its headers: the request may have reached the server
	n      int
	start  time.Time

	res    *Response
	resErr error // the last response could not be read or opened
}

// send runs one request through retryablehttp and returns the last response with its error.
func (c *Client) send(ctx context.Context, ep endpoint, plaintext []byte) (*Response, Secret, error) {
	a := &attempt{c: c, ep: ep, plaintext: plaintext}
	ctx = context.WithValue(ctx, attemptKey{}, a)
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteHeaders: func() { a.wrote.Store(true) }})
	if err := a.prepare(ctx); err != nil {
		return nil, "", a.errorf(err)
	}
	var body any
	if a.wire != nil {
		body = retryablehttp.ReaderFunc(func() (io.Reader, error) { return bytes.NewReader(a.wire), nil })
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, ep.method, c.base+ep.path, body)
	if err != nil {
		return nil, "", fmt.Errorf("vaultspay: building %s %s: %w", ep.method, pathOnly(ep.path), err)
	}
	a.setHeaders(req.Header)
	a.start = time.Now()
	// A login or refresh run by prepare inherits ctx and with it this trace, so its WroteHeaders may have fired:
	// only what this attempt writes counts.
	a.wrote.Store(false)
	resp, err := c.http.Do(req)
	if resp != nil && resp.Body != nil {
		resp.Body.Close() // already read and replaced by checkRetry
	}
	res, err := a.finish(ctx, err)
	return res, a.token, err
}

// prepare fetches the current token and seals the body under a fresh key and IV.
func (a *attempt) prepare(ctx context.Context) error {
	if !a.ep.public {
		tok, err := a.c.tokens.AccessToken(ctx)
		if err != nil {
			return fmt.Errorf("obtaining access token: %w", err)
		}
		if err := checkHeaderValue("access token", tok.Reveal(), 16<<10); err != nil || tok == "" || strings.Contains(tok.Reveal(), " ") {
			return errors.New("the token source returned an access token that is empty or not a header-safe token")
		}
		a.token = tok
	}
	a.sealed, a.wire = nil, a.plaintext
	if a.c.env == nil {
		return nil
	}
	var pt []byte
	if a.c.encrypt {
		pt = a.plaintext
	}
	s, err := a.c.env.Seal(pt)
	if err != nil {
		return err
	}
	a.sealed = s
	if a.c.encrypt {
		a.wire = s.Body
	}
	return nil
}

func (a *attempt) setHeaders(h http.Header) {
	h.Set("Accept", "application/json")
	if a.wire != nil {
		h.Set("Content-Type", "application/json")
	}
	h.Set("User-Agent", a.c.userAgent)
	if a.token != "" {
		h.Set("Authorization", "Bearer "+a.token.Reveal())
	}
	if a.sealed != nil {
		h[headerNonce] = []string{a.sealed.Nonce}
		h[headerSignature] = []string{a.sealed.Signature}
	}
	h[headerDeviceOS] = []string{deviceOS}
	h[headerDeviceID] = []string{a.c.appID}
	if !a.c.encrypt {
		h[headerEncryption] = []string{"false"}
	}
}

// prepareRetry re-seals the request with a fresh key and IV and the current token before each retry.
func prepareRetry(req *http.Request) error {
	a, ok := req.Context().Value(attemptKey{}).(*attempt)
	if !ok {
		return errors.New("vaultspay: request without attempt state")
	}
	if err := a.prepare(req.Context()); err != nil {
		return err
	}
	a.wrote.Store(false) // after prepare: a token refresh it ran may have fired WroteHeaders (see send)
	req.Header = req.Header.Clone()
	a.setHeaders(req.Header)
	req.ContentLength = int64(len(a.wire))
	a.start = time.Now()
	return nil
}

func (a *attempt) errorf(err error) error {
	return fmt.Errorf("vaultspay: %s %s: %w", a.ep.method, pathOnly(a.ep.path), err)
}

// checkRetry reads and opens every response (so the decision and the caller see plaintext) and decides
// whether to try again under the endpoint's retry rule.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	a := ctx.Value(attemptKey{}).(*attempt)
	a.n++
	wrote := a.wrote.Load()
	// A response proves the request left, even through a RoundTripper that does not report httptrace events.
	a.sent = a.sent || wrote || err == nil
	a.res, a.resErr = nil, nil
	if ctx.Err() != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return false, ctx.Err()
	}
	if err != nil {
		retry := (a.ep.retry == retrySafe || !wrote) && transient(err)
		a.logAttempt(ctx, 0, 0, err, retry)
		return retry, nil
	}
	a.read(resp)
	code := ErrorCode(0)
	if a.resErr == nil && resp.StatusCode >= 400 {
		code = probeCode(a.res.Body)
	}
	retry := a.retryable(resp.StatusCode, code)
	a.logAttempt(ctx, resp.StatusCode, code, a.resErr, retry)
	return retry, nil
}

// retryable applies the endpoint's rule to an answer that arrived (status, and the VaultsPay code of an
// error body, 0 when it has none):
//
//   - a body cut off in transit is a transport failure: reads retry it; an undecryptable or oversized
//     body is not retried (the next answer would be the same);
//   - 429 or code 1005 means refused before processing (the vendor infers): reads and writes retry it,
//     money movers (retryNoReplay) do not trust it;
//   - a 5xx without a VaultsPay code comes from a gateway or a crash: reads retry it, except 501 (Not
//     Implemented never changes); writes report ErrOutcomeUnknown;
//   - a 5xx that carries a VaultsPay code is the API's answer (1010 arrives as HTTP 500): never retried.
func (a *attempt) retryable(status int, code ErrorCode) bool {
	switch {
	case a.resErr != nil:
		var re *ResponseError
		return a.ep.retry == retrySafe && errors.As(a.resErr, &re) && re.kind == ErrMalformedResponse &&
			!errors.Is(re.cause, errResponseTooLarge)
	case status == http.StatusTooManyRequests || code == CodeThrottle:
		return a.ep.retry != retryNoReplay
	case code == 0 && status >= 500 && status != http.StatusNotImplemented:
		return a.ep.retry == retrySafe
	}
	return false
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

// errResponseTooLarge is the cause of a ResponseError for a body over the size limit.
var errResponseTooLarge = errors.New("response body over the size limit")

// read reads the whole body (up to the size limit), opens it when encrypted, and replaces resp.Body with
// the plaintext.
func (a *attempt) read(resp *http.Response) {
	limit := a.c.maxResp
	res := &Response{StatusCode: resp.StatusCode, Header: resp.Header, RequestID: requestID(resp.Header), Attempts: a.n}
	a.res = res
	if resp.ContentLength > limit {
		resp.Body.Close()
		a.resErr = newResponseError(ErrMalformedResponse, res, fmt.Sprintf("body of %d bytes is over the %d-byte limit",
			resp.ContentLength, limit), nil, errResponseTooLarge)
		resp.Body = io.NopCloser(bytes.NewReader(nil))
		return
	}
	raw, err := readBody(resp.Body, resp.ContentLength, limit)
	resp.Body.Close()
	res.Body = raw
	switch {
	case err != nil:
		a.resErr = newResponseError(ErrMalformedResponse, res, "body truncated: "+err.Error(), raw, err)
	case int64(len(raw)) > limit:
		res.Body = nil
		a.resErr = newResponseError(ErrMalformedResponse, res, fmt.Sprintf("body over the %d-byte limit", limit), nil, errResponseTooLarge)
	case a.sealed != nil && a.sealed.IsEncrypted(raw):
		pt, oerr := a.sealed.Open(headerValue(resp.Header, headerNonce), raw)
		if oerr != nil {
			a.resErr = newResponseError(ErrUndecryptable, res, oerr.Error(), raw, oerr)
		} else {
			res.Body = pt
		}
	}
	resp.Body = io.NopCloser(bytes.NewReader(res.Body))
}

// readBody reads r up to limit+1 bytes. A known length (size >= 0) sizes the buffer once instead of
// letting io.ReadAll double it, which leaves about a body's worth of garbage per response.
func readBody(r io.Reader, size, limit int64) ([]byte, error) {
	r = io.LimitReader(r, limit+1)
	if size < 0 || size > limit {
		return io.ReadAll(r)
	}
	buf := make([]byte, 0, size+1) // the spare byte lets the last Read report EOF without growing
	for {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		switch {
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return buf, err
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

func requestID(h http.Header) string {
	for _, k := range []string{"X-Request-Id", "Request-Id", "X-Correlation-Id", "X-Amzn-Requestid"} {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	return ""
}

// finish turns the outcome of Do into the caller's result. For retryIfUnsent calls any failure after a
// try wrote its headers wraps ErrOutcomeUnknown, since the server may have acted.
func (a *attempt) finish(ctx context.Context, doErr error) (*Response, error) {
	unknown := func(err error) error {
		if a.ep.retry != retrySafe && a.sent {
			return fmt.Errorf("%w: %w", ErrOutcomeUnknown, err)
		}
		return err
	}
	if doErr != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(doErr, ctxErr) {
			doErr = fmt.Errorf("%w (%w)", ctxErr, doErr)
		}
		return nil, unknown(a.errorf(doErr))
	}
	if a.res == nil {
		return nil, unknown(a.errorf(errors.New("no response")))
	}
	if a.resErr != nil {
		return a.res, unknown(a.resErr)
	}
	if a.res.StatusCode >= 300 && a.res.StatusCode < 400 {
		// Not followed (see newRetryClient): the API documents no redirect.
		reason := "redirect not followed"
		if u, err := url.Parse(a.res.Header.Get("Location")); err == nil && u.Host != "" {
			reason += " (to host " + u.Host + ")"
		}
		return a.res, unknown(newResponseError(ErrMalformedResponse, a.res, reason, nil, nil))
	}
	if a.res.StatusCode < 400 && !looksLikeError(a.res.Body) {
		return a.res, nil
	}
	err := parseError(a.res)
	var apiErr *APIError
	if a.res.StatusCode >= 500 && !(errors.As(err, &apiErr) && apiErr.Code != 0) {
		err = unknown(err) // a gateway's 5xx: the server may still have acted
	} else if a.ep.retry == retryNoReplay && (a.res.StatusCode == http.StatusTooManyRequests || errors.Is(err, ErrThrottled)) {
		err = unknown(err)
	}
	return a.res, err
}

// apiErrorBody is the wire form of an error; code may arrive as a number or a numeric string.
type apiErrorBody struct {
	Code    json.RawMessage `json:"code"`
	Message string          `json:"message"`
	Type    string          `json:"type"`
	Errors  []FieldError    `json:"errors"`
}

func (b *apiErrorBody) code() ErrorCode {
	s := string(bytes.Trim(b.Code, `"`))
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return ErrorCode(n)
}

func probeCode(body []byte) ErrorCode {
	var b apiErrorBody
	if json.Unmarshal(body, &b) != nil {
		return 0
	}
	return b.code()
}

// looksLikeError reports whether a 2xx body is a bare error object ({"code", "type", ...}, no "data").
func looksLikeError(body []byte) bool {
	if !bytes.Contains(body, []byte(`"code"`)) || bytes.Contains(body, []byte(`"data"`)) {
		return false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil || m["code"] == nil || m["type"] == nil {
		return false
	}
	for k := range m {
		if k != "code" && k != "type" && k != "message" && k != "errors" {
			return false
		}
	}
	return true
}

// parseError builds an *APIError from an error body, or a *ResponseError naming what the body was.
func parseError(res *Response) error {
	b := bytes.TrimSpace(res.Body)
	var body apiErrorBody
	if len(b) > 0 && b[0] == '{' && json.Unmarshal(b, &body) == nil && (body.Code != nil || body.Type != "") {
		return &APIError{StatusCode: res.StatusCode, Code: body.code(), Type: body.Type, Message: body.Message,
			Errors: body.Errors, RequestID: res.RequestID, Header: res.Header, body: res.Body}
	}
	reason := "not a VaultsPay error object"
	switch {
	case len(b) == 0:
		reason = "empty body"
	case b[0] == '<':
		reason = "HTML page"
	case !json.Valid(b):
		reason = "not JSON"
	}
	return newResponseError(ErrMalformedResponse, res, reason, res.Body, nil)
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

func retryAfter(v string) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0), true
	}
	return 0, false
}

func (a *attempt) logAttempt(ctx context.Context, status int, code ErrorCode, err error, retry bool) {
	if a.c.log == nil {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", a.ep.method), slog.String("path", pathOnly(a.ep.path)),
		slog.Int("attempt", a.n), slog.Duration("duration", time.Since(a.start)),
	}
	if status != 0 {
		attrs = append(attrs, slog.Int("status", status))
	}
	if code != 0 {
		attrs = append(attrs, slog.Int("code", int(code)))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	level, msg := slog.LevelDebug, "vaultspay request"
	if retry {
		level, msg = slog.LevelWarn, "vaultspay request, retrying"
	}
	a.c.log.LogAttrs(ctx, level, msg, attrs...)
}
