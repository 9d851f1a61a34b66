package vaultspay

// The one test harness of the package's wire tests (go-github's setup pattern): setup is the one client
// on an httpmock transport, specGolden the one loader of the spec's examples, decodeStrict
// (helpers_test.go) the one strict decoder, runWireCases the one wire-case runner.

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay/openapi"
)

// wireBase is a loopback base URL: encryption may be off, and httpmock answers before any network.
const wireBase = "http://127.0.0.1:18080"

// harnessToken is the static access token of setup's client.
const harnessToken = "at-wire"

// setup returns a client on a fresh mock transport (loopback base URL, encryption off, the static token
// harnessToken, no retries; opts apply on top) and a recorder. Requests no responder matches are
// recorded and answered 404 with a VaultsPay error.
func setup(t testing.TB, opts ...Option) (*Client, *httpmock.MockTransport, *wireRecorder) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	rec := &wireRecorder{}
	mt.RegisterNoResponder(rec.reply(http.StatusNotFound, `{"code":1010,"message":"Invalid request.","type":"BAD_REQUEST"}`))
	base := []Option{WithBaseURL(wireBase), WithAppID(testAppID), WithEncryption(false),
		WithTokenSource(staticToken(harnessToken)), WithHTTPClient(&http.Client{Transport: mt}), WithRetryPolicy(fastRetry(0))}
	c, err := NewClient(append(base, opts...)...)
	require.NoError(t, err)
	return c, mt, rec
}

// newWireClient is setup without options.
func newWireClient(t *testing.T) (*Client, *httpmock.MockTransport, *wireRecorder) {
	t.Helper()
	return setup(t)
}

// newRetryingWireClient is setup answering every request with answer and allowing retries retries, to
// prove which failures are (not) repeated.
func newRetryingWireClient(t *testing.T, retries int, answer httpmock.Responder) (*Client, *httpmock.MockTransport) {
	t.Helper()
	c, mt, _ := setup(t, WithRetryPolicy(fastRetry(retries)))
	mt.RegisterNoResponder(answer)
	return c, mt
}

// wireCall is one request as the mock transport saw it.
type wireCall struct {
	method string
	path   string
	query  string
	header http.Header
	body   []byte
}

// wireRecorder keeps every request the mock transport received, matched or not.
type wireRecorder struct {
	mu    sync.Mutex
	calls []wireCall
}

func (r *wireRecorder) add(req *http.Request) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, wireCall{method: req.Method, path: req.URL.Path, query: req.URL.RawQuery, header: req.Header.Clone(), body: body})
}

func (r *wireRecorder) all() []wireCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]wireCall(nil), r.calls...)
}

// reply answers status and body (JSON) and records the request.
func (r *wireRecorder) reply(status int, body string) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		r.add(req)
		res := httpmock.NewStringResponse(status, body)
		res.Header.Set("Content-Type", "application/json")
		return res, nil
	}
}

// specGolden reads a verbatim example of the spec from testdata/spec.
func specGolden(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "spec", name))
	require.NoError(t, err)
	return b
}

// dataOf is a success body wrapped in "data", for strict decoding of the spec examples.
type dataOf[T any] struct {
	Data T `json:"data"`
}

// wireCase is one endpoint call checked on the wire: what is sent, and what the answer decodes to.
type wireCase struct {
	name        string
	method      string
	path        string
	query       string // expected query, compared as url.Values
	body        string // expected JSON body; "" for none
	answer      []byte // the server's answer
	call        func(ctx context.Context, c *Client) (any, error)
	check       func(t *testing.T, got any)
	wantErrKeys []string // client-side validation: these keys, nothing sent
	// offContract says why the body may break openapi/vaultspay.yaml: only Extra, the escape hatch of an
	// endpoint whose vendor page is missing, sends what the description (the fake's shape) refuses.
	offContract string
}

// runWireCases is the one wire-case runner: each case runs on setup's client, must send exactly one
// request (method, path, query, JSON body, the static token, encryption off) and its result is checked.
func runWireCases(t *testing.T, cases []wireCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt, rec := newWireClient(t)
			mt.RegisterNoResponder(rec.reply(http.StatusOK, string(tt.answer)))
			got, err := tt.call(context.Background(), c)
			if tt.wantErrKeys != nil {
				keys := validationKeys(t, err)
				assert.Equal(t, tt.wantErrKeys, keys)
				assert.Zero(t, mt.GetTotalCallCount(), "nothing is sent")
				return
			}
			require.NoError(t, err)
			calls := rec.all()
			require.Len(t, calls, 1, "exactly one request")
			call := calls[0]
			assert.Equal(t, tt.method, call.method)
			assert.Equal(t, tt.path, call.path)
			wantQuery, err := url.ParseQuery(tt.query)
			require.NoError(t, err)
			gotQuery, err := url.ParseQuery(call.query)
			require.NoError(t, err)
			assert.Equal(t, wantQuery, gotQuery)
			if tt.body == "" {
				assert.Empty(t, call.body)
			} else {
				assert.JSONEq(t, tt.body, string(call.body))
				assert.Equal(t, "application/json", call.header.Get("Content-Type"))
			}
			checkContract(t, call.method, call.path, call.body, tt.offContract)
			assert.Equal(t, "Bearer "+harnessToken, call.header.Get("Authorization"))
			assert.Equal(t, []string{"false"}, rawHeader(call.header, headerEncryption))
			tt.check(t, got)
		})
	}
}

// contract is the OpenAPI description, loaded once per test binary (about 30 ms).
var contract = func() func(testing.TB) *openapi.Contract {
	load := sync.OnceValues(openapi.Load)
	return func(t testing.TB) *openapi.Contract {
		t.Helper()
		c, err := load()
		require.NoError(t, err)
		return c
	}
}()

// checkContract validates a request body the SDK built against openapi/vaultspay.yaml; offContract,
// when set, says why this one must break it instead.
func checkContract(t *testing.T, method, path string, body []byte, offContract string) {
	t.Helper()
	err := contract(t).ValidateRequestBody(method, path, body)
	if offContract == "" {
		assert.NoError(t, err, "the body the SDK built keeps to openapi/vaultspay.yaml")
	} else {
		assert.ErrorIs(t, err, openapi.ErrBreaksDescription, "offContract: %s", offContract)
	}
}

// usersGolden is specGolden under users/, as text.
func usersGolden(t testing.TB, name string) string {
	t.Helper()
	return string(specGolden(t, "users/"+name))
}

// validationKeys requires err to be a *ValidationError and returns its keys in order.
func validationKeys(t testing.TB, err error) []string {
	t.Helper()
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	keys := make([]string, 0, len(ve.Errors))
	for _, f := range ve.Errors {
		keys = append(keys, f.Key)
	}
	return keys
}
