package vaultspay

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// apiSentinels are the categories an *APIError can match.
var apiSentinels = []error{
	ErrUnauthenticated, ErrTokenExpired, ErrSessionExpired, ErrInvalidToken, ErrForbidden, ErrThrottled,
	ErrInvalidPayload, ErrBadRequest, ErrInvalidHeaders, ErrActionRequired, ErrLockedByRule, ErrAccountStatus,
}

// otherSentinels mark failures outside an API answer; an *APIError never matches them.
var otherSentinels = []error{
	ErrOutcomeUnknown, ErrSeal, ErrUndecryptable, ErrMalformedResponse, ErrRepeatedPage, ErrInvalidConfig, ErrValidation,
}

// assertSentinels checks err matches exactly the sentinels in want among all of them.
func assertSentinels(t *testing.T, err error, want ...error) {
	t.Helper()
	for _, s := range append(append([]error(nil), apiSentinels...), otherSentinels...) {
		wanted := false
		for _, w := range want {
			wanted = wanted || w == s
		}
		assert.Equal(t, wanted, errors.Is(err, s), "errors.Is(%v, %v)", err, s)
	}
}

// errorServer answers GET /v1/err with status and body (sealed unless plain) and counts the attempts.
func errorServer(t *testing.T, status int, body string, plain bool, header http.Header) (*fakeAPI, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) {
		f.mux.HandleFunc("GET /v1/err", func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			for k, v := range header {
				w.Header()[k] = v
			}
			if plain {
				w.Header().Set(headerPlain, "1")
			}
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
		})
	})
	return f, &n
}

func TestAPIErrorShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		status     int
		body       string
		plain      bool
		wantCode   ErrorCode
		wantType   string
		wantMsg    string
		wantFields []FieldError
		wantAction string
		wantIs     []error
		wantText   string // substring of Error()
	}{
		{
			name: "standard 1010", status: 400, body: `{"code":1010,"message":"Invalid request.","type":"BAD_REQUEST"}`,
			wantCode: CodeBadRequest, wantType: TypeBadRequest, wantMsg: "Invalid request.", wantIs: []error{ErrBadRequest},
			wantText: "vaultspay: HTTP 400 BAD_REQUEST (1010): Invalid request.",
		},
		{
			name: "1010 with HTTP 500 is a bad request, not a server fault", status: 500,
			body:     `{"code":1010,"message":"Payment Contact already exists","type":"BAD_REQUEST"}`,
			wantCode: CodeBadRequest, wantType: TypeBadRequest, wantMsg: "Payment Contact already exists", wantIs: []error{ErrBadRequest},
		},
		{
			name: "validation 1000 with errors[]", status: 422,
			body:     `{"code":1000,"message":"Invalid payload. Please check your request.","type":"INVALID_PAYLOAD","errors":[{"key":"email","reason":"must not be blank"},{"key":"id","reason":"User does not exist with this id"}]}`,
			wantCode: CodeInvalidPayload, wantType: TypeInvalidPayload, wantMsg: "Invalid payload. Please check your request.",
			wantFields: []FieldError{{Key: "email", Reason: "must not be blank"}, {Key: "id", Reason: "User does not exist with this id"}},
			wantIs:     []error{ErrInvalidPayload},
			wantText:   "HTTP 422 INVALID_PAYLOAD (1000): Invalid payload. Please check your request.; email: must not be blank, id: User does not exist",
		},
		{
			name: "code as numeric string", status: 422,
			body:     `{"code":"1000","message":"Invalid payload.","type":"INVALID_PAYLOAD","errors":[]}`,
			wantCode: CodeInvalidPayload, wantType: TypeInvalidPayload, wantMsg: "Invalid payload.", wantFields: []FieldError{},
			wantIs: []error{ErrInvalidPayload},
		},
		{
			name: "errors null", status: 422, body: `{"code":1000,"message":"m","type":"INVALID_PAYLOAD","errors":null}`,
			wantCode: CodeInvalidPayload, wantType: TypeInvalidPayload, wantMsg: "m", wantIs: []error{ErrInvalidPayload},
		},
		{
			name: "action required 1035", status: 400,
			body:     `{"code":1035,"message":"Please complete the prerequisite actions.","type":"ACTION_REQUIRED","errors":[{"key":"actionRequired","reason":"KYC_VERIFICATION"}]}`,
			wantCode: CodeActionRequired, wantType: TypeActionRequired, wantMsg: "Please complete the prerequisite actions.",
			wantFields: []FieldError{{Key: "actionRequired", Reason: "KYC_VERIFICATION"}}, wantAction: "KYC_VERIFICATION",
			wantIs: []error{ErrActionRequired},
		},
		{
			name: "1401 bad countryId", status: 400, body: `{"code":1401,"message":"Invalid or missing countryId parameter.","type":"BAD_REQUEST"}`,
			wantCode: CodeInvalidCountryID, wantType: TypeBadRequest, wantMsg: "Invalid or missing countryId parameter.", wantIs: []error{ErrBadRequest},
		},
		{
			name: "locked by rule 1050 with HTTP 500", status: 500, body: `{"code":1050,"message":"Transaction has been locked.","type":"TRANSACTION_LOCKED_BY_RULE"}`,
			wantCode: CodeTransactionLockedByRule, wantType: TypeTransactionLockedByRule, wantMsg: "Transaction has been locked.", wantIs: []error{ErrLockedByRule},
		},
		{
			name: "unknown code kept as its number", status: 500, body: `{"code":4242,"message":"Something new.","type":"BRAND_NEW"}`,
			wantCode: 4242, wantType: "BRAND_NEW", wantMsg: "Something new.", wantText: "HTTP 500 BRAND_NEW (4242): Something new.",
		},
		{
			name: "200 body that is a bare error object", status: 200, body: `{"code":1010,"message":"Invalid request.","type":"BAD_REQUEST"}`,
			wantCode: CodeBadRequest, wantType: TypeBadRequest, wantMsg: "Invalid request.", wantIs: []error{ErrBadRequest},
		},
		{
			name: "plain error while encryption is on", status: 500, plain: true,
			body:     `{"code":1018,"message":"Invalid HTTP headers.","type":"INVALID_HEADERS"}`,
			wantCode: CodeInvalidHeaders, wantType: TypeInvalidHeaders, wantMsg: "Invalid HTTP headers.", wantIs: []error{ErrInvalidHeaders},
		},
		{
			name: "plain validation error while encryption is on", status: 422, plain: true,
			body:     `{"code":1000,"message":"Invalid payload.","type":"INVALID_PAYLOAD","errors":[{"key":"pan","reason":"4111111111111111 is not allowed"}]}`,
			wantCode: CodeInvalidPayload, wantType: TypeInvalidPayload, wantMsg: "Invalid payload.",
			wantFields: []FieldError{{Key: "pan", Reason: "################ is not allowed"}}, wantIs: []error{ErrInvalidPayload},
			wantText: "pan: ################ is not allowed",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, n := errorServer(t, tt.status, tt.body, tt.plain, http.Header{"X-Request-Id": {"req-" + strconv.Itoa(tt.status)}})
			c := f.client(t, WithTokenSource(staticToken("tok")), WithRetryPolicy(fastRetry(3)))
			var res Response
			var err error
			require.NotPanics(t, func() { err = c.Do(context.Background(), http.MethodGet, "/v1/err", nil, nil, WithResponseInto(&res)) })
			require.Error(t, err)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, tt.wantCode, apiErr.Code)
			assert.Equal(t, tt.wantType, apiErr.Type)
			assert.Equal(t, tt.wantMsg, apiErr.Message)
			assert.Equal(t, tt.wantFields, apiErr.Errors)
			assert.Equal(t, tt.wantAction, apiErr.ActionRequired())
			assert.JSONEq(t, tt.body, string(apiErr.RawJSON()), "RawJSON is the decrypted body")
			assert.Equal(t, "req-"+strconv.Itoa(tt.status), apiErr.RequestID)
			assert.Equal(t, apiErr.RequestID, res.RequestID, "request id reachable through WithResponseInto")
			assert.Equal(t, tt.status, res.StatusCode)
			assert.JSONEq(t, tt.body, string(res.Body))
			assertSentinels(t, err, tt.wantIs...)
			if tt.wantText != "" {
				assert.Contains(t, apiErr.Error(), tt.wantText)
			}
			assert.NotRegexp(t, `\d{8,}`, apiErr.Error(), "long digit runs are masked")
			assert.EqualValues(t, 1, n.Load(), "an answer with a VaultsPay code is not retried")
			assert.Equal(t, 1, res.Attempts)
		})
	}
}

func TestAPIErrorFieldAndAction(t *testing.T) {
	t.Parallel()
	e := &APIError{Code: CodeInvalidPayload, Errors: []FieldError{{Key: "email", Reason: "must not be blank"}}}
	r, ok := e.Field("email")
	assert.True(t, ok)
	assert.Equal(t, "must not be blank", r)
	_, ok = e.Field("phone")
	assert.False(t, ok)
	assert.Empty(t, e.ActionRequired(), "only 1035 carries an action")
	e2 := &APIError{Code: CodeActionRequired, Errors: []FieldError{{Key: "actionRequired", Reason: "ADD_ADDRESS"}}}
	assert.Equal(t, "ADD_ADDRESS", e2.ActionRequired())
}

func TestEveryCodeCategory(t *testing.T) {
	t.Parallel()
	require.Len(t, codeCategories, 16)
	for code, cats := range codeCategories {
		t.Run(strconv.Itoa(int(code)), func(t *testing.T) {
			t.Parallel()
			// Unit level.
			assertSentinels(t, &APIError{Code: code}, cats...)
			assertSentinels(t, fmt.Errorf("wrapped: %w", &APIError{Code: code}), cats...)

			// Through the wire, with a status that disagrees with the documented one.
			f, _ := errorServer(t, http.StatusTeapot, fmt.Sprintf(`{"code":%d,"message":"x","type":"T"}`, code), false, nil)
			c := f.client(t, WithTokenSource(staticToken("tok")), WithRetryPolicy(fastRetry(0)))
			err := c.Do(context.Background(), http.MethodGet, "/v1/err", nil, nil)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, code, apiErr.Code)
			assertSentinels(t, err, cats...)
		})
	}
	assertSentinels(t, &APIError{Code: 0})
	assertSentinels(t, &APIError{Code: 9999, StatusCode: 401})
}

func TestClassificationByCodeNotStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		method    string
		status    int
		body      string
		wantCalls int32
		wantIs    []error
	}{
		{name: "GET 1010 with 500", method: http.MethodGet, status: 500, body: `{"code":1010,"message":"Invalid IBAN","type":"BAD_REQUEST"}`, wantCalls: 1, wantIs: []error{ErrBadRequest}},
		{name: "GET 1010 with 503", method: http.MethodGet, status: 503, body: `{"code":1010,"message":"Invalid IBAN","type":"BAD_REQUEST"}`, wantCalls: 1, wantIs: []error{ErrBadRequest}},
		{name: "POST 1010 with 500: an answer, outcome known", method: http.MethodPost, status: 500, body: `{"code":1010,"message":"Invalid IBAN","type":"BAD_REQUEST"}`, wantCalls: 1, wantIs: []error{ErrBadRequest}},
		{name: "POST 1050 with 502", method: http.MethodPost, status: 502, body: `{"code":1050,"message":"locked","type":"TRANSACTION_LOCKED_BY_RULE"}`, wantCalls: 1, wantIs: []error{ErrLockedByRule}},
		{name: "GET 1005 with 400 is throttling: retried", method: http.MethodGet, status: 400, body: `{"code":1005,"message":"Too many requests.","type":"THROTTLE"}`, wantCalls: 4, wantIs: []error{ErrThrottled}},
		{name: "POST 1005 with 500 is throttling: retried", method: http.MethodPost, status: 500, body: `{"code":1005,"message":"Too many requests.","type":"THROTTLE"}`, wantCalls: 4, wantIs: []error{ErrThrottled}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mt := httpmock.NewMockTransport()
			var calls atomic.Int32
			mt.RegisterResponder(tt.method, string(UAT)+"/tc/api/v1/direct-transfer", func(*http.Request) (*http.Response, error) {
				calls.Add(1)
				return httpmock.NewStringResponse(tt.status, tt.body), nil
			})
			c := newMockClient(t, mt, WithRetryPolicy(fastRetry(3)))
			var body any
			if tt.method == http.MethodPost {
				body = map[string]string{"amount": "1.00"}
			}
			err := doWrite(c, context.Background(), tt.method, "/tc/api/v1/direct-transfer", body, nil)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assertSentinels(t, err, tt.wantIs...)
			assert.Equal(t, tt.wantCalls, calls.Load())
		})
	}
}

// newMockClient is a client on an httpmock transport at UAT: encryption on (plain answers are read as plain), a
// static token, no login.
func newMockClient(t *testing.T, mt *httpmock.MockTransport, opts ...Option) *Client {
	t.Helper()
	base := []Option{WithBaseURL(string(UAT)), WithEncryption(true), WithCredentials(testClientID, testSecret),
		WithPublicKey(&testKey(t).PublicKey), WithHTTPClient(&http.Client{Transport: mt})}
	c, _, _ := setup(t, append(base, opts...)...)
	return c
}

var (
	digitRun = regexp.MustCompile(`\d{3,}`)
	tokenRun = regexp.MustCompile(`[A-Za-z0-9+/=_.-]{20,}`)
)

func TestMalformedResponses(t *testing.T) {
	t.Parallel()
	const html = `<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>` +
		`<p>ref 4111111111111111 trace 0123456789abcdefABCDEF0123456789</p></body></html>`
	tests := []struct {
		name       string
		route      func(f *fakeAPI) http.HandlerFunc // a raw handler for GET /v1/bad
		wantStatus int
		wantKind   error
		wantReason string
		out        any
	}{
		{
			name: "HTML 502 page", wantStatus: 502, wantKind: ErrMalformedResponse, wantReason: "HTML page",
			route: plainAnswer(502, html),
		},
		{name: "empty 503", wantStatus: 503, wantKind: ErrMalformedResponse, wantReason: "empty body", route: plainAnswer(503, "")},
		{
			name: "non-JSON 500", wantStatus: 500, wantKind: ErrMalformedResponse, wantReason: "not JSON",
			route: plainAnswer(500, "Internal Server Error: card 5500005555555559 failed at 12:30:45"),
		},
		{
			name: "JSON 500 that is not an error object", wantStatus: 500, wantKind: ErrMalformedResponse,
			wantReason: "not a VaultsPay error object", route: plainAnswer(500, `{"error":{"code":"server_error","request_id":"req_01HX7ABCDEFGHIJKLMNOP"}}`),
		},
		{
			name: "truncated body", wantStatus: 200, wantKind: ErrMalformedResponse, wantReason: "body truncated",
			route: func(*fakeAPI) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Length", "400")
					w.WriteHeader(200)
					_, _ = io.WriteString(w, `{"data":{"pan":"4111111111111111","name":"Ada`)
				}
			},
		},
		{
			name: "GCM tag fails (one bit flipped)", wantStatus: 200, wantKind: ErrUndecryptable, wantReason: "GCM authentication failed",
			route: func(f *fakeAPI) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					s, err := f.session(r)
					if err != nil {
						writeInvalidHeaders(w)
						return
					}
					body, nonce, err := s.SealResponse(f.profile, []byte(`{"data":{"ok":true}}`))
					if err != nil {
						http.Error(w, err.Error(), 500)
						return
					}
					w.Header().Set(headerNonce, nonce)
					_, _ = w.Write(flipBit(body))
				}
			},
		},
		{
			name: "encryptedData not Base64", wantStatus: 200, wantKind: ErrUndecryptable, wantReason: "not in the profile's encrypted form",
			route: plainAnswer(200, `{"encryptedData":"%%% not base64 %%%"}`),
		},
		{
			name: "encrypted error answer that fails its tag", wantStatus: 500, wantKind: ErrUndecryptable, wantReason: "GCM",
			route: func(f *fakeAPI) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					s, _ := f.session(r)
					body, nonce, _ := s.SealResponse(f.profile, []byte(`{"code":1010,"message":"x","type":"BAD_REQUEST"}`))
					w.Header().Set(headerNonce, nonce)
					w.WriteHeader(500)
					_, _ = w.Write(flipBit(body))
				}
			},
		},
		{name: "200 with a non-JSON body", wantStatus: 200, wantKind: ErrMalformedResponse, wantReason: "not JSON", route: plainAnswer(200, "OK 123456")},
		{name: "200 with an empty body", wantStatus: 200, wantKind: ErrMalformedResponse, wantReason: "empty body", route: plainAnswer(200, "")},
		{
			name: "200 with the wrong JSON shape", wantStatus: 200, wantKind: ErrMalformedResponse, wantReason: "unexpected JSON shape",
			route: plainAnswer(200, `{"data":"a string"}`), out: &struct{ ID int }{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) {
				f.raw.HandleFunc("GET /v1/bad", func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("X-Request-Id", "req-bad-1")
					tt.route(f)(w, r)
				})
			})
			c := f.client(t, WithTokenSource(staticToken("tok")), WithRetryPolicy(fastRetry(0)))
			var res Response
			var err error
			require.NotPanics(t, func() {
				err = c.Do(context.Background(), http.MethodGet, "/v1/bad", nil, tt.out, WithResponseInto(&res))
			})
			require.Error(t, err)
			var re *ResponseError
			require.ErrorAs(t, err, &re)
			assert.ErrorIs(t, err, tt.wantKind)
			assert.Equal(t, tt.wantStatus, re.StatusCode, "the HTTP status is kept")
			assert.Contains(t, re.Reason, tt.wantReason)
			assert.Equal(t, "req-bad-1", re.RequestID)
			assert.Equal(t, "req-bad-1", res.RequestID)
			assert.NotRegexp(t, digitRun, re.Snippet, "digit runs are masked")
			assert.NotRegexp(t, tokenRun, re.Snippet, "long tokens are masked")
			assert.LessOrEqual(t, len(re.Snippet), 64+len("…"))
			assert.NotContains(t, err.Error(), "4111111111111111")
			assert.NotContains(t, fmt.Sprintf("%#v", re), "4111111111111111")
			assertNoAPICategory(t, err)
			var apiErr *APIError
			assert.False(t, errors.As(err, &apiErr), "not an *APIError")
		})
	}
}

func assertNoAPICategory(t *testing.T, err error) {
	t.Helper()
	for _, s := range apiSentinels {
		assert.NotErrorIs(t, err, s)
	}
}

// plainAnswer is a raw handler writing status and body unencrypted.
func plainAnswer(status int, body string) func(*fakeAPI) http.HandlerFunc {
	return func(*fakeAPI) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
		}
	}
}

// flipBit flips one bit in the ciphertext of a default-profile body, keeping it valid Base64.
func flipBit(body []byte) []byte {
	m := encryptedDataBody.FindSubmatch(body)
	if m == nil {
		panic("not a default-profile body")
	}
	ct, err := base64.StdEncoding.DecodeString(string(m[1]))
	if err != nil {
		panic(err)
	}
	ct[len(ct)/2] ^= 0x01
	return []byte(`{"encryptedData":"` + base64.StdEncoding.EncodeToString(ct) + `"}`)
}

func TestRandomBodiesNeverPanic(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	mt := httpmock.NewMockTransport()
	var body []byte
	var status int
	mt.RegisterResponder(http.MethodGet, string(UAT)+"/v1/r", func(*http.Request) (*http.Response, error) {
		return httpmock.NewBytesResponse(status, body), nil
	})
	c := newMockClient(t, mt)
	prefixes := []string{"", "{", `{"code":`, `{"data":`, `{"encryptedData":"`, "<", `"`, "["}
	for i := 0; i < 200; i++ {
		status = []int{200, 400, 500, 502}[i%4]
		n := rng.IntN(80)
		body = []byte(prefixes[i%len(prefixes)])
		for j := 0; j < n; j++ {
			body = append(body, byte(rng.IntN(256)))
		}
		var out map[string]any
		var err error
		require.NotPanics(t, func() { err = c.Do(context.Background(), http.MethodGet, "/v1/r", nil, &out) }, "body %q", body)
		if status >= 400 {
			require.Error(t, err, "status %d body %q", status, body)
		}
		if err != nil {
			var re *ResponseError
			var ae *APIError
			assert.True(t, errors.As(err, &re) || errors.As(err, &ae), "typed error for %q: %v", body, err)
			if re != nil {
				assert.NotRegexp(t, digitRun, re.Snippet)
			}
		}
	}
}
