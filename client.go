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
	"unicode"

	"github.com/google/go-querystring/query"
	"github.com/hashicorp/go-retryablehttp"
)

// Client talks to the VaultsPay Issuance API. It holds the token source, the request signer (device
// headers, nonce and wrapped key) and the AES/RSA envelope. It is safe for concurrent use; create one
// per app and reuse it.
type Client struct {
	base      string // scheme://host[/prefix], no trailing slash
	appID     string
	userAgent string
	encrypt   bool
	env       *Envelope // nil when no public key is configured
	http      *retryablehttp.Client
	tokens    TokenSource
	log       *slog.Logger
	maxResp   int64                       // response body limit in bytes
	observer  func(result any, err error) // test hook (export_test.go); nil otherwise
	common    service                     // shared by the services below, which are views of it

	Cards        *CardsService        // issuance, details, controls, reported cards, conversion
	KYC          *KYCService          // personal info, addresses, identification, status
	Rules        *RulesService        // card security settings and transaction limits
	Transactions *TransactionsService // transactions: list and detail
	Transfers    *TransfersService    // IBAN validation, payment contacts, direct transfers
	Users        *UsersService        // users and location look-ups
	Wallets      *WalletsService      // accounts and their ledgers
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
		appID:     cfg.appID,
		userAgent: strings.TrimSpace(cfg.userAgent + " vaultspay-go/" + Version),
		encrypt:   cfg.encryption,
		log:       cfg.logger,
		maxResp:   cfg.maxResponse,
		observer:  cfg.observer,
	}
	if cfg.publicKey == nil && cfg.encryption {
		return nil, invalidConfig(errors.New("an RSA public key is required while encryption is on (WithRSAPublicKey)"))
	}
	if cfg.publicKey != nil && (cfg.encryption || !cfg.cryptoHeadersOff) {
		if c.env, err = NewEnvelope(cfg.publicKey, cfg.profile); err != nil {
			return nil, err
		}
	}
	c.common.client = c
	c.Cards = (*CardsService)(&c.common)
	c.KYC = (*KYCService)(&c.common)
	c.Rules = (*RulesService)(&c.common)
	c.Transactions = (*TransactionsService)(&c.common)
	c.Transfers = (*TransfersService)(&c.common)
	c.Users = (*UsersService)(&c.common)
	c.Wallets = (*WalletsService)(&c.common)
	c.http = newRetryClient(cfg)
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
		return nil, fmt.Errorf("base URL %q is not an absolute http(s) URL", s)
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

// retryRule says when a failed attempt may be repeated.
type retryRule int

const (
	// retrySafe: reads and other repeatable calls. Transport errors, a body cut off in transit,
	// 429/1005, and any 5xx except 501 without a VaultsPay code are retried. A 5xx that carries a code
	// is the API's answer and is returned as an *APIError (attempt.retryable has the whole table).
	retrySafe retryRule = iota
	// retryIfUnsent: calls that create or move something. Retried only when the request provably never
	// left this process (no header byte written) or was refused with 429/1005; otherwise the error
	// wraps ErrOutcomeUnknown.
	retryIfUnsent
	// retryNoReplay: calls that move money (31-transfers.md §3.2). Like retryIfUnsent, but a 429 is not
	// retried either: once the request may have reached the server every failure wraps ErrOutcomeUnknown.
	retryNoReplay
)

// endpoint is one operation: method, escaped path (with query), retry rule, and whether it is sent
// without a bearer token (login and refresh).
type endpoint struct {
	method string
	path   string
	retry  retryRule
	public bool
}

// Response describes the HTTP response behind a call's result; see WithResponseInto.
type Response struct {
	StatusCode int
	Header     http.Header
	RequestID  string // X-Request-Id or Request-Id when present; the vendor documents none
	Attempts   int    // attempts made in the last send (a token replay starts a new send)
	Body       []byte // the response body after decryption
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

// RequestOption adjusts one call.
type RequestOption func(*requestConfig)

type requestConfig struct {
	into *Response
}

// WithResponseInto stores the HTTP response behind the call (status, headers, request id, decrypted
// body) in r, on success and on API errors alike.
func WithResponseInto(r *Response) RequestOption {
	return func(rc *requestConfig) { rc.into = r }
}

// call runs one operation: JSON body → send with retries (seal, sign, open per attempt) → decode
// {"data": …} into a new T.
func call[T any](ctx context.Context, c *Client, ep endpoint, in any, opts []RequestOption) (*T, error) {
	res, err := c.roundTrip(ctx, ep, in, opts)
	if err != nil {
		return nil, c.observed(nil, err)
	}
	out, err := decodeNew[T](res)
	if err != nil {
		return nil, c.observed(nil, undecodable(ep, err))
	}
	return out, c.observed(out, nil)
}

// undecodable wraps the decode failure of a success answer in ErrOutcomeUnknown for calls that create
// or move something: the server said it acted, but what it did cannot be read.
func undecodable(ep endpoint, err error) error {
	if ep.retry == retrySafe {
		return err
	}
	return fmt.Errorf("%w: %w", ErrOutcomeUnknown, err)
}

// observed hands a call's outcome to the test-only observer (nil outside tests) and returns err.
func (c *Client) observed(result any, err error) error {
	if c.observer != nil {
		c.observer(result, err)
	}
	return err
}

// roundTrip encodes in, sends it, and on a token error (1003, 1004, 1036) invalidates the token and
// replays the call once with a new one: the API refused those requests before processing them.
func (c *Client) roundTrip(ctx context.Context, ep endpoint, in any, opts []RequestOption) (*Response, error) {
	if ctx == nil {
		return nil, errors.New("vaultspay: nil context")
	}
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return nil, fmt.Errorf("vaultspay: encoding %s %s: %w", ep.method, pathOnly(ep.path), err)
		}
	}
	var rc requestConfig
	for _, o := range opts {
		if o != nil {
			o(&rc)
		}
	}
	res, tok, err := c.send(ctx, ep, body)
	if err != nil && !ep.public && isTokenRejection(err) {
		if inv, ok := c.tokens.(TokenInvalidator); ok {
			inv.InvalidateToken(tok)
		}
		res, _, err = c.send(ctx, ep, body)
	}
	if rc.into != nil && res != nil {
		*rc.into = *res
	}
	return res, err
}

func isTokenRejection(err error) bool {
	var e *APIError
	return errors.As(err, &e) && (e.Code == CodeTokenExpired || e.Code == CodeSessionExpired || e.Code == CodeInvalidToken)
}

// Do sends a request the SDK does not model: path (with any query) is joined to the base URL, body is
// encoded as JSON (nil for none), and the response's data (or the whole body when it is not wrapped in
// "data") is decoded into out (nil to discard; a *json.RawMessage keeps it raw). It uses the same
// envelope, token and error handling as every other call.
//
// Retries: GET and HEAD follow the read rule; any other method is retried only when the request
// provably never left, otherwise the error wraps ErrOutcomeUnknown.
func (c *Client) Do(ctx context.Context, method, path string, body, out any, opts ...RequestOption) error {
	if !strings.HasPrefix(path, "/") {
		return fmt.Errorf("vaultspay: Do: path %q must start with /", path)
	}
	rule := retryIfUnsent
	if method == http.MethodGet || method == http.MethodHead {
		rule = retrySafe
	}
	ep := endpoint{method: method, path: path, retry: rule}
	res, err := c.roundTrip(ctx, ep, body, opts)
	if err != nil {
		return c.observed(nil, err)
	}
	if _, err = decodeData(res, out); err != nil {
		return c.observed(nil, undecodable(ep, err))
	}
	return c.observed(out, nil)
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
	res, err := c.roundTrip(ctx, endpoint{method: http.MethodGet, path: "/v1/ping", retry: retrySafe}, nil, opts)
	if err != nil {
		return "", c.observed(nil, err)
	}
	msg := string(res.Body)
	if data, _, err := splitData(res.Body); err != nil {
		msg = strings.TrimSpace(msg)
	} else if json.Unmarshal(data, &msg) != nil {
		msg = string(data)
	}
	return msg, c.observed(msg, nil)
}

// Login makes sure the client holds a valid access token, logging in or refreshing now rather than
// on the first call. It returns the *APIError of a refused login (bad credentials are never retried).
func (c *Client) Login(ctx context.Context) error {
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

// rawJSON is embedded in models to keep the JSON they were decoded from. It holds a pointer so that
// fmt prints an address, never the bytes (which may hold tokens or card data).
type rawJSON struct {
	raw *json.RawMessage
}

// RawJSON returns the JSON this object was decoded from (nil for objects built in code).
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
