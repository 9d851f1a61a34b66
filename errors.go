package vaultspay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/vaultspay-go/vaultspay/internal/redact"
)

// ErrorCode is the numeric code of a VaultsPay error response. Classify errors by it, never by the
// HTTP status: business errors such as CodeBadRequest arrive with HTTP 500 on some endpoints.
type ErrorCode int

// Error codes documented on the vendor's Errors page (shared/api/03-errors.md §3). The catalogue is
// incomplete; unknown codes decode as their number.
const (
	CodeInvalidPayload          ErrorCode = 1000 // 422 INVALID_PAYLOAD; Fields lists each bad field
	CodeUnauthorised            ErrorCode = 1001 // 403 UNAUTHORISED (spelled with an S)
	CodeUnauthenticated         ErrorCode = 1002 // 401 UNAUTHENTICATED: log in
	CodeTokenExpired            ErrorCode = 1003 // 401 TOKEN_EXPIRED: refresh and repeat
	CodeSessionExpired          ErrorCode = 1004 // 401 SESSION_EXPIRED: log in again
	CodeThrottle                ErrorCode = 1005 // 429 THROTTLE: wait, then retry
	CodeBan                     ErrorCode = 1006 // 403 BAN
	CodeIPNotWhitelisted        ErrorCode = 1007 // 403 IP_NOT_WHITELISTED
	CodeNoPrivilege             ErrorCode = 1008 // 403 NO_PRIVILEGE
	CodeBadRequest              ErrorCode = 1010 // BAD_REQUEST, HTTP 400 or 500; only Message tells cases apart
	CodeAccountStatus           ErrorCode = 1012 // 500 ACC… (type and message cut off in the vendor docs)
	CodeInvalidHeaders          ErrorCode = 1018 // 500 INVALID_HEADERS: the envelope could not be opened
	CodeActionRequired          ErrorCode = 1035 // ACTION_REQUIRED; Fields[0].Reason names the action
	CodeInvalidToken            ErrorCode = 1036 // 400 INVALID_TOKEN: malformed or unknown token
	CodeTransactionLockedByRule ErrorCode = 1050 // 500 TRANSACTION_LOCKED_BY_RULE: a rules-engine block
	CodeInvalidCountryID        ErrorCode = 1401 // 400 BAD_REQUEST "Invalid or missing countryId parameter."
)

// Error types (the "type" field) documented by the vendor.
const (
	TypeInvalidPayload          = "INVALID_PAYLOAD"
	TypeUnauthorised            = "UNAUTHORISED"
	TypeUnauthenticated         = "UNAUTHENTICATED"
	TypeTokenExpired            = "TOKEN_EXPIRED"
	TypeSessionExpired          = "SESSION_EXPIRED"
	TypeThrottle                = "THROTTLE"
	TypeBan                     = "BAN"
	TypeIPNotWhitelisted        = "IP_NOT_WHITELISTED"
	TypeNoPrivilege             = "NO_PRIVILEGE"
	TypeBadRequest              = "BAD_REQUEST"
	TypeInvalidHeaders          = "INVALID_HEADERS"
	TypeActionRequired          = "ACTION_REQUIRED"
	TypeInvalidToken            = "INVALID_TOKEN"
	TypeTransactionLockedByRule = "TRANSACTION_LOCKED_BY_RULE"
)

// Sentinel errors. An *APIError matches (errors.Is) every category its Code belongs to; the other
// sentinels mark failures that happen outside an API answer.
var (
	ErrUnauthenticated = errors.New("vaultspay: unauthenticated")      // 1002, 1003, 1004, 1036
	ErrTokenExpired    = errors.New("vaultspay: access token expired") // 1003
	ErrSessionExpired  = errors.New("vaultspay: session expired")      // 1004
	ErrInvalidToken    = errors.New("vaultspay: invalid token")        // 1036
	ErrForbidden       = errors.New("vaultspay: forbidden")            // 1001, 1006, 1007, 1008
	ErrThrottled       = errors.New("vaultspay: throttled")            // 1005
	ErrInvalidPayload  = errors.New("vaultspay: invalid payload")      // 1000
	ErrBadRequest      = errors.New("vaultspay: bad request")          // 1010, 1401
	ErrInvalidHeaders  = errors.New("vaultspay: invalid headers")      // 1018
	ErrActionRequired  = errors.New("vaultspay: action required")      // 1035
	ErrLockedByRule    = errors.New("vaultspay: locked by rule")       // 1050
	ErrAccountStatus   = errors.New("vaultspay: account status")       // 1012

	// ErrOutcomeUnknown wraps the cause when a call that creates or moves something may have reached
	// the server but no answer proves what happened: no answer, an unreadable one, a gateway's 5xx, a
	// 429 to a money mover, a token code with an undocumented status, or a success that does not name
	// the object. Do not repeat such a call blindly: look the object up first (the API has no
	// idempotency key).
	ErrOutcomeUnknown = errors.New("vaultspay: outcome unknown, the request may have been processed")

	// ErrNilContext: a call was given a nil context.Context; nothing was sent.
	ErrNilContext = errors.New("vaultspay: nil context")

	// ErrSeal: the request could not be encrypted; nothing was sent.
	ErrSeal = errors.New("vaultspay: could not seal request")
	// ErrUndecryptable: a response looked encrypted but could not be opened.
	ErrUndecryptable = errors.New("vaultspay: response not decryptable")
	// ErrMalformedResponse: a response was empty, truncated, HTML or otherwise not the expected JSON.
	ErrMalformedResponse = errors.New("vaultspay: malformed response")
	// ErrRepeatedPage: a pager received the same page twice and stopped.
	ErrRepeatedPage = errors.New("vaultspay: server returned the same page twice")
	// ErrPagingLimit: a walk over a list reached its page or item limit (PagingLimits) while the list
	// went on; the *PagingLimitError names which.
	ErrPagingLimit = errors.New("vaultspay: paging limit reached")
	// ErrInvalidConfig: NewClient was given an unusable option.
	ErrInvalidConfig = errors.New("vaultspay: invalid configuration")
	// ErrValidation: a request failed client-side validation; nothing was sent.
	ErrValidation = errors.New("vaultspay: invalid request")
)

var codeCategories = map[ErrorCode][]error{
	CodeInvalidPayload:          {ErrInvalidPayload},
	CodeUnauthorised:            {ErrForbidden},
	CodeUnauthenticated:         {ErrUnauthenticated},
	CodeTokenExpired:            {ErrUnauthenticated, ErrTokenExpired},
	CodeSessionExpired:          {ErrUnauthenticated, ErrSessionExpired},
	CodeThrottle:                {ErrThrottled},
	CodeBan:                     {ErrForbidden},
	CodeIPNotWhitelisted:        {ErrForbidden},
	CodeNoPrivilege:             {ErrForbidden},
	CodeBadRequest:              {ErrBadRequest},
	CodeAccountStatus:           {ErrAccountStatus},
	CodeInvalidHeaders:          {ErrInvalidHeaders},
	CodeActionRequired:          {ErrActionRequired},
	CodeInvalidToken:            {ErrUnauthenticated, ErrInvalidToken},
	CodeTransactionLockedByRule: {ErrLockedByRule},
	CodeInvalidCountryID:        {ErrBadRequest},
}

// FieldError is one entry of an error's "errors" array: the offending field (JSON name, or
// "actionRequired") and what is wrong with it. Client-side validation uses the same type.
type FieldError struct {
	Key    string `json:"key"`
	Reason string `json:"reason"`
}

// APIError is an error answer from VaultsPay ({"code","message","type","errors"}), or an HTTP failure
// status whose body was not one (then Code is 0 and Type empty). Its string never contains the body,
// headers or the URL's query; it masks runs of eight or more digits and card numbers grouped by spaces
// or dashes (a card number echoed back), and escapes control characters. Message, Type and Errors are
// cleaned the same way when the answer is read, and a token, client secret, refresh token or secret
// request field (PIN, PAN, CVV, expiry, document or tax number) the server echoes is replaced by
// [redacted] in them; RequestID is cleaned where it is read (printable ASCII, a card number masked).
type APIError struct {
	StatusCode int          // HTTP status
	Code       ErrorCode    // numeric code; 0 when the body carried none
	Type       string       // e.g. "INVALID_PAYLOAD"
	Message    string       // human-readable text
	Errors     []FieldError // per-field details; empty on standard errors
	RequestID  string       // from X-Request-Id or Request-Id, when the server sends one (none is documented)
	Header     http.Header  // response headers
	body       []byte
}

// RawJSON is the (decrypted) response body the error was decoded from.
func (e *APIError) RawJSON() []byte { return e.body }

// Error returns "vaultspay: HTTP 422 INVALID_PAYLOAD (1000): message; key: reason (request id r)", the
// request id when there is one.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "vaultspay: HTTP %d", e.StatusCode)
	if e.Type != "" {
		b.WriteString(" " + redact.Text(e.Type))
	}
	if e.Code != 0 {
		fmt.Fprintf(&b, " (%d)", int(e.Code))
	}
	if e.Message != "" {
		b.WriteString(": " + redact.Text(e.Message))
	}
	for i, f := range e.Errors {
		if i == 0 {
			b.WriteString(";")
		} else {
			b.WriteString(",")
		}
		b.WriteString(" " + redact.Text(f.Key) + ": " + redact.Text(f.Reason))
	}
	if e.RequestID != "" {
		b.WriteString(" (request id " + e.RequestID + ")")
	}
	return b.String()
}

// Format prints Error() for every verb, so no verb reaches the headers or body.
func (e *APIError) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, e.Error()) }

// Is matches the sentinel categories of e.Code (ErrTokenExpired, ErrInvalidPayload, …).
func (e *APIError) Is(target error) bool {
	for _, c := range codeCategories[e.Code] {
		if c == target {
			return true
		}
	}
	return false
}

// Field returns the reason given for key, and whether there was one.
func (e *APIError) Field(key string) (string, bool) {
	for _, f := range e.Errors {
		if f.Key == key {
			return f.Reason, true
		}
	}
	return "", false
}

// ActionRequired returns the action type of a CodeActionRequired error ("" otherwise).
func (e *APIError) ActionRequired() string {
	if e.Code != CodeActionRequired {
		return ""
	}
	r, _ := e.Field("actionRequired")
	return r
}

// LogValue logs the error's classification only.
func (e *APIError) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("status", e.StatusCode), slog.Int("code", int(e.Code)),
		slog.String("type", e.Type), slog.String("requestId", e.RequestID))
}

// ValidationError lists the fields a request failed client-side validation for; nothing was sent.
// It matches ErrValidation and ErrInvalidPayload.
type ValidationError struct {
	Errors []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Errors))
	for i, f := range e.Errors {
		parts[i] = f.Key + ": " + f.Reason
	}
	return "vaultspay: invalid request: " + strings.Join(parts, ", ")
}

// Is matches ErrValidation and ErrInvalidPayload.
func (e *ValidationError) Is(target error) bool {
	return target == ErrValidation || target == ErrInvalidPayload
}

// ResponseError is a response that could not be read as a VaultsPay answer: not decryptable, empty,
// truncated, HTML or not JSON. Snippet is a short, redacted start of the body.
type ResponseError struct {
	StatusCode int
	RequestID  string
	Header     http.Header
	Reason     string // what was wrong, e.g. "GCM authentication failed", "not JSON"
	Snippet    string // at most 64 bytes, digit runs and long tokens masked
	kind       error  // ErrUndecryptable or ErrMalformedResponse
	cause      error
}

func (e *ResponseError) Error() string {
	s := fmt.Sprintf("%s: HTTP %d: %s", e.kind.Error(), e.StatusCode, e.Reason)
	if e.Snippet != "" {
		s += fmt.Sprintf(" (body starts %q)", e.Snippet)
	}
	return s
}

// Format prints Error() for every verb, so no verb reaches the headers.
func (e *ResponseError) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, e.Error()) }

// Unwrap returns the kind (ErrUndecryptable or ErrMalformedResponse) and the cause.
func (e *ResponseError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.cause}
}

func newResponseError(kind error, m *Response, reason string, body []byte, cause error) *ResponseError {
	e := &ResponseError{StatusCode: m.StatusCode, RequestID: redact.Control(m.RequestID), Header: m.Header,
		Reason: redact.Control(reason), kind: kind, cause: cause}
	if len(body) > 0 {
		e.Snippet = snippet(body, m.redact.known())
	}
	return e
}

// snippet returns at most 64 bytes of body with secrets masked: the known ones, digit runs and long
// tokens; control characters are escaped.
func snippet(body []byte, known []string) string {
	const max = 64
	s := redact.Known(strings.ToValidUTF8(string(body[:min(len(body), 4*max)]), "?"), known)
	s = redact.Digits(redactTokens(s), 3, 12)
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}

// redactTokens masks runs of 20 or more token characters (tokens, keys, Base64 blobs).
func redactTokens(s string) string {
	isTok := func(r byte) bool {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r == '+' || r == '/' || r == '=' || r == '-' || r == '_' || r == '.'
	}
	return maskRuns(s, isTok, 20, "[redacted]")
}

func maskRuns(s string, in func(byte) bool, minRun int, mask string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && in(s[j]) {
			j++
		}
		switch {
		case j-i >= minRun && len(mask) == 1:
			b.WriteString(strings.Repeat(mask, j-i))
		case j-i >= minRun:
			b.WriteString(mask)
		case j > i:
			b.WriteString(s[i:j])
		default:
			b.WriteByte(s[i])
			j++
		}
		i = j
	}
	return b.String()
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

// probeCode returns the VaultsPay code of an error body, 0 when it has none.
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
		known := res.redact.known()
		clean := func(s string) string { return redact.Text(s, known...) }
		for i, f := range body.Errors {
			body.Errors[i] = FieldError{Key: clean(f.Key), Reason: clean(f.Reason)}
		}
		return &APIError{StatusCode: res.StatusCode, Code: body.code(), Type: clean(body.Type), Message: clean(body.Message),
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

// isTokenCode reports whether code says the access token was refused.
func isTokenCode(code ErrorCode) bool {
	return code == CodeTokenExpired || code == CodeSessionExpired || code == CodeInvalidToken
}

// refusedForToken reports whether an answer proves the request was refused for its token before any
// processing: only the documented pairs, 401 with 1003 or 1004 and 400 with 1036 (03-errors.md). Only
// such an answer is followed by a new token and one replay.
func refusedForToken(status int, code ErrorCode) bool {
	return status == http.StatusUnauthorized && (code == CodeTokenExpired || code == CodeSessionExpired) ||
		status == http.StatusBadRequest && code == CodeInvalidToken
}
