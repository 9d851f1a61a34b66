package vaultspay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"unicode"

	"github.com/google/go-querystring/query"
	"github.com/hashicorp/go-retryablehttp"
)

// Client talks to the VaultsPay Issuance API. It holds the token source, the request signer (device
// headers, nonce and wrapped key) and the AES/RSA envelope. It is safe for concurrent use; create one
// per app and reuse it.
type Client struct {
	base      string // scheme://host[/prefix], no trailing slash
	host      string // the base URL's host name, for middleware
	appID     string
	userAgent string
	encrypt   bool
	env       *sealer // nil when no public key is configured
	http      *retryablehttp.Client
	tokens    TokenSource
	log       *slog.Logger
	maxResp   int64                        // response body limit in bytes
	defaults  callConfig                   // every call starts from these; see configure
	fixed     fixedHeaders                 // header values every request carries, shared read-only
	bearer    atomic.Pointer[bearerHeader] // the Authorization value of the last token sent
	calls     CallFunc                     // the call chain of WithMiddleware; nil when none
	attempts  AttemptFunc                  // the attempt chain of WithMiddleware; nil when none
	mwBodies  bool                         // WithMiddlewareBodies
	detect    *detector                    // WithWireProfileDetection; nil when off
	common    service                      // shared by the services below, which are views of it

	Cards        *CardsService        // issuance, details, controls, reported cards, conversion
	KYC          *KYCService          // personal info, addresses, identification, status
	Rules        *RulesService        // card security settings and transaction limits
	Transactions *TransactionsService // transactions: list and detail
	Transfers    *TransfersService    // IBAN validation, payment contacts, direct transfers
	Users        *UsersService        // users and location look-ups
	Wallets      *WalletsService      // accounts and their ledgers
}

// fixedHeaders are the header values that never change for a client, built once: net/http only reads
// them.
type fixedHeaders struct {
	accept, userAgent, deviceOS, deviceID, plain []string
}

// bearerHeader is an access token checked as a header value and its Authorization value, built once
// per token instead of once per attempt. net/http only reads the value.
type bearerHeader struct {
	token Secret
	value []string
}

// authorization returns the Authorization value for tok, or an error when tok is empty or not a
// header-safe token. The token source hands out the same token for many calls; only a new one is checked.
func (c *Client) authorization(tok Secret) ([]string, error) {
	if b := c.bearer.Load(); b != nil && b.token == tok {
		return b.value, nil
	}
	v := tok.Reveal()
	if err := checkHeaderValue("access token", v, 16<<10); err != nil || v == "" || strings.IndexByte(v, ' ') >= 0 {
		return nil, errors.New("the token source returned an access token that is empty or not a header-safe token")
	}
	b := &bearerHeader{token: tok, value: []string{"Bearer " + v}}
	c.bearer.Store(b)
	return b.value, nil
}

// service is embedded by every API area; methods reach the client through it.
type service struct {
	client *Client
}

// NewClient returns a Client configured by opts. Without options it targets UAT and still needs
// credentials, an app id and the RSA public key. It returns an error wrapping ErrInvalidConfig that
// names the bad option: empty or malformed credentials, a key that is not RSA or is under 2048 bits, a
// non-loopback http:// URL, or encryption switched off for a host other than UAT or loopback.
func NewClient(opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, invalidConfig(err)
		}
	}
	u, err := checkBaseURL(cfg.baseURL)
	if err != nil {
		return nil, invalidConfig(err)
	}
	if cfg.tokenSource == nil {
		if err := checkCredential("client ID", cfg.clientID); err != nil {
			return nil, invalidConfig(err)
		}
		if err := checkCredential("client secret", cfg.clientSecret.Reveal()); err != nil {
			return nil, invalidConfig(err)
		}
	}
	if err := checkCredential("app id (x-device-id)", cfg.appID); err != nil {
		return nil, invalidConfig(err)
	}
	if !cfg.encryption && !isLoopback(u.Hostname()) && u.Host != hostOf(UAT) {
		return nil, invalidConfig(fmt.Errorf("encryption cannot be switched off for %s: only UAT and loopback allow it", u.Host))
	}
	c := &Client{
		base:      strings.TrimRight(u.String(), "/"),
		host:      u.Hostname(),
		appID:     cfg.appID,
		userAgent: strings.TrimSpace(cfg.userAgent + " vaultspay-go/" + Version),
		encrypt:   cfg.encryption,
		log:       cfg.logger,
		maxResp:   cfg.maxResponse,
		defaults:  callConfig{timeout: cfg.attemptTimeout, maxRetries: cfg.retry.MaxRetries, paging: cfg.paging.withDefaults()},
		mwBodies:  cfg.middlewareBodies,
	}
	c.calls, c.attempts = chains(cfg.middleware, callEnd, attemptEnd)
	c.fixed = fixedHeaders{accept: []string{"application/json"}, userAgent: []string{c.userAgent},
		deviceOS: []string{deviceOS}, deviceID: []string{c.appID}, plain: []string{"false"}}
	if cfg.publicKey == nil && cfg.encryption {
		return nil, invalidConfig(errors.New("an RSA public key is required while encryption is on (WithRSAPublicKey)"))
	}
	if cfg.publicKey != nil && (cfg.encryption || !cfg.cryptoHeadersOff) {
		if c.env, err = newSealer(cfg.publicKey, cfg.profile); err != nil {
			return nil, err
		}
	}
	if c.detect, err = newDetector(cfg, c); err != nil {
		return nil, invalidConfig(err)
	}
	c.common.client = c
	c.Cards = (*CardsService)(&c.common)
	c.KYC = (*KYCService)(&c.common)
	c.Rules = (*RulesService)(&c.common)
	c.Transactions = (*TransactionsService)(&c.common)
	c.Transfers = (*TransfersService)(&c.common)
	c.Users = (*UsersService)(&c.common)
	c.Wallets = (*WalletsService)(&c.common)
	c.http = newRetryClient(cfg, c)
	c.tokens = cfg.tokenSource
	if c.tokens == nil {
		c.tokens = newAuthenticator(c, cfg.clientID, cfg.clientSecret, cfg.refreshSkew)
	}
	return c, nil
}

func invalidConfig(err error) error {
	if errors.Is(err, ErrInvalidConfig) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrInvalidConfig, err)
}

func hostOf(e Environment) string { return strings.TrimPrefix(string(e), "https://") }

func checkBaseURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("base URL %q is not an absolute http(s) URL", redactURL(s))
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("base URL %s must not carry user info, a query or a fragment", u.Redacted())
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("base URL %s: plain http:// is refused except to loopback; use https://", u.Redacted())
	}
	return u, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func checkCredential(name, v string) error {
	switch {
	case v == "":
		return fmt.Errorf("%s is empty", name)
	case len(v) > 4096:
		return fmt.Errorf("%s is longer than 4096 bytes", name)
	case strings.IndexFunc(v, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r > unicode.MaxASCII }) >= 0:
		return fmt.Errorf("%s contains whitespace, control or non-ASCII characters", name)
	}
	return nil
}

// Response describes the HTTP response behind a call's result; see WithResponseInto.
type Response struct {
	StatusCode int
	Header     http.Header
	RequestID  string // X-Request-Id or Request-Id when present; the vendor documents none
	Attempts   int    // attempts made in the last send, 1-based (a token replay starts a new send)
	Body       []byte // the response body after decryption
	redact     *redactor
}

// Format prints the status, request id and attempts, never the headers or body (which may hold card
// data), for every verb.
func (r Response) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "vaultspay.Response{StatusCode: %d, RequestID: %q, Attempts: %d, Body: %d bytes}",
		r.StatusCode, r.RequestID, r.Attempts, len(r.Body))
}

// LogValue logs what Format prints: without it slog's JSONHandler would encode the body (card data
// included) through encoding/json.
func (r Response) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("status", r.StatusCode), slog.String("requestId", r.RequestID),
		slog.Int("attempts", r.Attempts), slog.Int("bodyBytes", len(r.Body)))
}

// usable is the one nil-context guard, at the entry of the pipeline and of every iterator.
func usable(ctx context.Context) error {
	if ctx == nil {
		return ErrNilContext
	}
	return nil
}

// call runs one operation top to bottom: encode, send (attempts, retries and the one token replay),
// classify the answer, decode {"data": …} into a new T that must prove the call's effect.
func call[T any](ctx context.Context, c *Client, ep endpoint, in any, opts []RequestOption) (*T, error) {
	return run[*T](ctx, c, ep, in, opts, provenDecoder[T]{})
}

// provenDecoder decodes {"data": …} into a new T that must prove the call's effect.
type provenDecoder[T any] struct{}

func (provenDecoder[T]) decode(res *Response) (*T, error) {
	out, err := decodeNew[T](res)
	if err == nil && !proves(out) {
		err = newResponseError(ErrMalformedResponse, res, "success answer does not name the object", nil, nil)
	}
	return out, err
}

// undecodable wraps the decode failure of a success answer in ErrOutcomeUnknown for calls that create
// or move something: the server said it acted, but what it did cannot be read.
func undecodable(ep endpoint, err error) error {
	if ep.op.Retry == RetryRead {
		return err
	}
	return outcomeUnknown(err)
}

// send encodes in (nil for no body), sends it with retries and classifies the answer. An answer that
// proves the token was refused before processing (refusedForToken) invalidates the token and replays
// the call once with a new one; nothing else ever replays it.
func (c *Client) send(ctx context.Context, ep endpoint, in any, cfg callConfig) (*Response, error) {
	if err := usable(ctx); err != nil {
		return nil, err
	}
	if err := cfg.refused(); err != nil {
		return nil, err
	}
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return nil, fmt.Errorf("vaultspay: encoding %s %s: %w", ep.op.Method, pathOnly(ep.path), err)
		}
	}
	x := &exchange{ep: ep, body: body, cfg: cfg}
	res, last, err := c.exchange(ctx, x)
	if err != nil && !ep.op.public && !cfg.noToken && res != nil && last != nil && refusedForToken(res.StatusCode, last.code) {
		if inv, ok := c.tokens.(TokenInvalidator); ok {
			inv.InvalidateToken(last.token)
		}
		x = &exchange{ep: ep, body: body, cfg: cfg, base: x.n}
		res, last, err = c.exchange(ctx, x)
	}
	if cfg.into != nil && res != nil {
		*cfg.into = *res
	}
	if cfg.x != nil && cfg.x.call != nil {
		cfg.x.call.record(x, res, last)
	}
	return res, err
}

// exchange runs the attempts of one send through retryablehttp and classifies the last one.
func (c *Client) exchange(ctx context.Context, x *exchange) (*Response, *attempt, error) {
	req, err := retryablehttp.NewRequestWithContext(context.WithValue(ctx, exchangeKey{}, x), x.ep.op.Method, c.base+x.ep.path, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("vaultspay: building %s %s: %w", x.ep.op.Method, pathOnly(x.ep.path), err)
	}
	resp, err := c.http.Do(req)
	a := attemptOf(resp, err)
	res, err := classify(ctx, x, a, err)
	return res, a, err
}

// classify turns the last attempt into the caller's result. For a call that is not a read, any failure
// once some attempt may have reached the server wraps ErrOutcomeUnknown, and so does an answer that does
// not prove the request was refused before processing: a 5xx without a VaultsPay code, a 429 to a money
// mover, a token code with a status other than its documented one.
func classify(ctx context.Context, x *exchange, a *attempt, doErr error) (*Response, error) {
	errorf := func(err error) error {
		return chain(errPrefix+x.ep.op.Method+" "+pathOnly(x.ep.path), err)
	}
	unknown := func(err error) error {
		if x.ep.op.Retry != RetryRead && x.sent {
			return outcomeUnknown(err)
		}
		return err
	}
	if a == nil || a.res == nil {
		switch {
		case a != nil && a.setup:
			doErr = a.failed
		case doErr == nil:
			doErr = errors.New("no response")
		}
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(doErr, ctxErr) {
			doErr = fmt.Errorf("%w (%w)", ctxErr, doErr)
		}
		return nil, unknown(errorf(doErr))
	}
	res := a.res
	if a.failed != nil {
		return res, unknown(a.failed)
	}
	if res.StatusCode >= 300 && res.StatusCode < 400 {
		// Not followed (see newRetryClient): the API documents no redirect.
		reason := "redirect not followed"
		if u, err := url.Parse(res.Header.Get("Location")); err == nil && u.Host != "" {
			reason += " (to host " + u.Host + ")"
		}
		return res, unknown(newResponseError(ErrMalformedResponse, res, reason, nil, nil))
	}
	if res.StatusCode < 400 && !looksLikeError(res.Body) {
		return res, nil
	}
	err := parseError(res)
	var apiErr *APIError
	coded := errors.As(err, &apiErr) && apiErr.Code != 0
	switch {
	case res.StatusCode >= 500 && !coded: // a gateway's 5xx: the server may still have acted
		err = unknown(err)
	case x.ep.op.Retry == RetryNoReplay && (res.StatusCode == http.StatusTooManyRequests || errors.Is(err, ErrThrottled)):
		err = unknown(err)
	case coded && isTokenCode(apiErr.Code) && !refusedForToken(res.StatusCode, apiErr.Code):
		err = unknown(err)
	}
	return res, err
}

// Do sends a request the SDK does not model: path (with any query) is joined to the base URL, body is
// encoded as JSON (nil for none), and the response's data (or the whole body when it is not wrapped in
// "data") is decoded into out (nil to discard; a *json.RawMessage keeps it raw). It uses the same
// envelope, token and error handling as every other call.
//
// Retries: GET and HEAD follow the read rule. Do cannot know whether any other call moves money, so it
// follows the money rule: repeated only when the request provably never left this process (429
// included); otherwise the error wraps ErrOutcomeUnknown. WithRepeatable opts a call into the read rule.
func (c *Client) Do(ctx context.Context, method, path string, body, out any, opts ...RequestOption) error {
	if !strings.HasPrefix(path, "/") {
		return fmt.Errorf("vaultspay: Do: path %q must start with /", path)
	}
	rule := RetryNoReplay
	if method == http.MethodGet || method == http.MethodHead || c.configure(opts).repeatable {
		rule = RetryRead
	}
	return c.doEndpoint(ctx, endpoint{op: doOperation(method, path, rule), path: path}, body, out, opts)
}

// doEndpoint is Do once the rule is chosen.
func (c *Client) doEndpoint(ctx context.Context, ep endpoint, body, out any, opts []RequestOption) error {
	_, err := run[any](ctx, c, ep, body, opts, dataDecoder{out})
	return err
}

// dataDecoder decodes the data of an answer (or the whole body when it is not wrapped) into out.
type dataDecoder struct{ out any }

func (d dataDecoder) decode(res *Response) (any, error) {
	_, err := decodeData(res, d.out)
	return d.out, err
}

// PingMessage is what a healthy platform answers to GET /v1/ping.
const PingMessage = "Service is up and running!"

// Ping checks that the platform is reachable and accepts this client's credentials, and returns the
// server's message (PingMessage when healthy).
//
// API: GET /v1/ping
// Docs: https://apidoc-issuance.vaultspay.dev/api-reference (System)
// UNKNOWN decided: the vendor does not say whether ping needs a token or the envelope; Ping sends both,
// like every call, so it also proves the credentials. The body may be plain text, a JSON string or
// {"data": "…"}; all three are accepted.
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code.
// Errors: *APIError, or *ResponseError for an unreadable answer.
func (c *Client) Ping(ctx context.Context, opts ...RequestOption) (string, error) {
	return run[string](ctx, c, opPing.at(), nil, opts, pingDecoder{})
}

// pingDecoder reads a ping answer: plain text, a JSON string or {"data": "…"}.
type pingDecoder struct{}

func (pingDecoder) decode(res *Response) (string, error) {
	msg := string(res.Body)
	if data, _, err := splitData(res.Body); err != nil {
		msg = strings.TrimSpace(msg)
	} else if json.Unmarshal(data, &msg) != nil {
		msg = string(data)
	}
	return msg, nil
}

// Login makes sure the client holds a valid access token, logging in or refreshing now rather than
// on the first call. It returns the *APIError of a refused login (bad credentials are never retried).
func (c *Client) Login(ctx context.Context) error {
	if err := usable(ctx); err != nil {
		return err
	}
	_, err := c.tokens.AccessToken(ctx)
	return err
}

// decodeData decodes the payload of a success body into out and returns the pagination object, if any.
func decodeData(res *Response, out any) (*Pagination, error) {
	data, pag, err := splitData(res.Body)
	if err != nil {
		reason := "not JSON"
		if len(bytes.TrimSpace(res.Body)) == 0 {
			reason = "empty body"
		}
		return nil, newResponseError(ErrMalformedResponse, res, reason, res.Body, err)
	}
	if out == nil {
		return pag, nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return nil, newResponseError(ErrMalformedResponse, res, "unexpected JSON shape", nil, err)
	}
	setRawJSON(out, data)
	return pag, nil
}

// splitData returns the "data" member of a success body, or the whole body when it is not wrapped,
// and the sibling "pagination" object when present.
func splitData(body []byte) (json.RawMessage, *Pagination, error) {
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return nil, nil, errors.New("empty body")
	}
	if b[0] == '{' {
		var env struct {
			Data       json.RawMessage `json:"data"`
			Pagination *Pagination     `json:"pagination"`
		}
		if err := json.Unmarshal(b, &env); err != nil {
			return nil, nil, err
		}
		if env.Data != nil {
			return env.Data, env.Pagination, nil
		}
		return b, nil, nil
	}
	if !json.Valid(b) {
		return nil, nil, errors.New("invalid JSON")
	}
	return b, nil, nil
}

// prover is implemented by the results of calls that create or move something: proves reports whether
// the answer names what was done (its id, and a status where the API gives one).
type prover interface{ proves() bool }

// proves reports whether a decoded success answer shows the call's effect: a prover must say so, and
// any other result must not be empty (null, {} or no data at all).
func proves(out any) bool {
	if p, ok := out.(prover); ok {
		return p.proves()
	}
	if r, ok := out.(interface{ RawJSON() json.RawMessage }); ok {
		return !emptyJSON(r.RawJSON())
	}
	return true
}

// emptyJSON reports whether b is null or an object without members.
func emptyJSON(b []byte) bool {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return true
	}
	return len(b) >= 2 && b[0] == '{' && b[len(b)-1] == '}' && len(bytes.TrimSpace(b[1:len(b)-1])) == 0
}

// rawJSON is embedded in models to keep the JSON they were decoded from. It holds a pointer so that
// fmt prints an address, never the bytes (which may hold tokens or card data).
type rawJSON struct {
	raw *json.RawMessage
}

// RawJSON returns the JSON this object was decoded from (nil for objects built in code). It may share
// memory with the answer it came in: read it, do not modify it.
func (r rawJSON) RawJSON() json.RawMessage {
	if r.raw == nil {
		return nil
	}
	return *r.raw
}

func (r *rawJSON) setRawJSON(b json.RawMessage) { r.raw = &b }

type rawSetter interface{ setRawJSON(json.RawMessage) }

func setRawJSON(out any, data json.RawMessage) {
	if s, ok := out.(rawSetter); ok {
		s.setRawJSON(data)
	}
}

// withQuery appends the query string encoded from opts (a struct with `url` tags, or nil).
func withQuery(path string, opts any) (string, error) {
	if opts == nil {
		return path, nil
	}
	v, err := query.Values(opts)
	if err != nil {
		return "", fmt.Errorf("vaultspay: encoding query for %s: %w", path, err)
	}
	if q := v.Encode(); q != "" {
		return path + "?" + q, nil
	}
	return path, nil
}

// pathOnly drops the query, for logs and error text.
func pathOnly(p string) string {
	if i := strings.IndexByte(p, '?'); i >= 0 {
		return p[:i]
	}
	return p
}
