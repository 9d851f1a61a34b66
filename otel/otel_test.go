package vaultspayotel_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/vaultspay-go/vaultspay"
	vaultspayotel "github.com/vaultspay-go/vaultspay/otel"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// rig is a fake (full encrypted pipeline) and a client traced into an in-memory exporter and metered
// into a manual reader. It records, from the wire, the secrets the run used.
type rig struct {
	srv     *vaultspaytest.Server
	client  *vaultspay.Client
	spans   *tracetest.InMemoryExporter
	reader  *sdkmetric.ManualReader
	mu      sync.Mutex
	secrets map[string]string // value → what it is
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{spans: tracetest.NewInMemoryExporter(), reader: sdkmetric.NewManualReader(), secrets: map[string]string{}}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(r.spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(r.reader))
	mw, err := vaultspayotel.Middleware(vaultspayotel.WithTracerProvider(tp), vaultspayotel.WithMeterProvider(mp))
	require.NoError(t, err)
	srv, err := vaultspaytest.NewUnstartedServer()
	require.NoError(t, err)
	next := srv.Config.Handler
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if tok, ok := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer "); ok {
			r.secret(tok, "access token")
		}
		r.secret(req.Header.Get("x-session-nonce"), "IV")
		r.secret(req.Header.Get("x-auth-signature"), "wrapped AES key")
		next.ServeHTTP(w, req)
	})
	require.NoError(t, srv.Start())
	t.Cleanup(srv.Close)
	r.secret(srv.ClientSecret(), "client secret")
	r.srv = srv
	r.client = srv.Client(vaultspay.WithMiddleware(mw), vaultspay.WithRetryPolicy(vaultspay.RetryPolicy{MaxRetries: 2}))
	return r
}

func (r *rig) secret(v, what string) {
	if len(v) < 3 {
		return
	}
	r.mu.Lock()
	r.secrets[v] = what
	r.mu.Unlock()
}

// spanNamed returns the ended spans called name.
func (r *rig) spanNamed(name string) []tracetest.SpanStub {
	var out []tracetest.SpanStub
	for _, s := range r.spans.GetSpans() {
		if s.Name == name {
			out = append(out, s)
		}
	}
	return out
}

func attrs(s tracetest.SpanStub) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes {
		m[kv.Key] = kv.Value
	}
	return m
}

func (r *rig) openAccount(t *testing.T, amount string) *vaultspay.Account {
	t.Helper()
	ctx := context.Background()
	u, err := r.client.Users.Create(ctx, &vaultspay.CreateUserRequest{FirstName: "Ali", LastName: "Ammar",
		Email: "ali@example.com", Status: vaultspay.UserStatusActive})
	require.NoError(t, err)
	a, err := r.client.Wallets.Create(ctx, &vaultspay.CreateAccountRequest{UserID: u.ID, CurrencyID: 2, AccountType: vaultspay.AccountTypeDigital})
	require.NoError(t, err)
	require.NoError(t, r.srv.FundAccount(a.ID, vaultspay.MustParseAmount(amount)))
	return a
}

func (r *rig) contact(t *testing.T) *vaultspay.PaymentContact {
	t.Helper()
	c, err := r.client.Transfers.CreateContact(context.Background(), &vaultspay.CreateContactRequest{Title: "Landlord", IBAN: "AE580300000002000007377"})
	require.NoError(t, err)
	return c
}

func transfer(a *vaultspay.Account, c *vaultspay.PaymentContact, amount string) *vaultspay.SendTransferRequest {
	return &vaultspay.SendTransferRequest{SenderAccountID: a.ID, CurrencyCode: a.CurrencyCode, PaymentContactID: c.ID,
		Purpose: vaultspay.PurposeRent, Description: "Rent " + vaultspay.NewTransferReference(), Amount: vaultspay.MustParseAmount(amount)}
}

// TestCallAndAttemptSpans: a read retried after a 503 is one call span with two attempt children; a
// transfer is a call span named after the operation with the HTTP client attributes.
func TestCallAndAttemptSpans(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	a := r.openAccount(t, "5000.00")
	path := "/be/api/v1/accounts/" + a.ID.String()
	require.NoError(t, r.srv.InjectFault(vaultspaytest.Fault{Method: http.MethodGet, Path: path, Kind: vaultspaytest.FaultStatus,
		Status: http.StatusServiceUnavailable, Body: "busy", Header: map[string]string{"X-Request-Id": "req_busy"}}))
	_, err := r.client.Wallets.Get(ctx, a.ID)
	require.NoError(t, err)

	calls := r.spanNamed("vaultspay.Wallets.Get")
	require.Len(t, calls, 1)
	call := calls[0]
	at := attrs(call)
	assert.Equal(t, trace.SpanKindInternal, call.SpanKind)
	assert.Equal(t, "GET", at["http.request.method"].AsString())
	assert.Equal(t, "/be/api/v1/accounts/{id}", at["url.template"].AsString())
	assert.Equal(t, "127.0.0.1", at["server.address"].AsString())
	assert.Equal(t, int64(200), at["http.response.status_code"].AsInt64())
	assert.Equal(t, int64(2), at["vaultspay.attempts"].AsInt64())
	assert.False(t, at["vaultspay.outcome_unknown"].AsBool())
	assert.Regexp(t, `^req_[0-9a-f]{16}$`, at["vaultspay.request_id"].AsString())
	assert.Equal(t, codes.Unset, call.Status.Code)

	tries := r.spanNamed("GET /be/api/v1/accounts/{id}")
	require.Len(t, tries, 2)
	for _, s := range tries {
		assert.Equal(t, call.SpanContext.SpanID(), s.Parent.SpanID(), "attempts are children of the call span")
		assert.Equal(t, call.SpanContext.TraceID(), s.SpanContext.TraceID())
		assert.Equal(t, trace.SpanKindClient, s.SpanKind)
	}
	first, second := attrs(tries[0]), attrs(tries[1])
	assert.Equal(t, int64(503), first["http.response.status_code"].AsInt64())
	assert.Equal(t, "req_busy", first["vaultspay.request_id"].AsString())
	assert.True(t, first["vaultspay.retry"].AsBool())
	assert.Equal(t, "server error without a VaultsPay code", first["vaultspay.retry_reason"].AsString())
	assert.Equal(t, "503", first["error.type"].AsString())
	assert.Equal(t, codes.Error, tries[0].Status.Code)
	assert.Equal(t, int64(1), second["http.request.resend_count"].AsInt64())
	assert.Equal(t, "answered", second["vaultspay.retry_reason"].AsString())

	c := r.contact(t)
	_, err = r.client.Transfers.Send(ctx, transfer(a, c, "9999.00"))
	require.Error(t, err)
	sends := r.spanNamed("vaultspay.Transfers.Send")
	require.Len(t, sends, 1)
	st := attrs(sends[0])
	assert.Equal(t, "/tc/api/v1/direct-transfer", st["url.template"].AsString())
	assert.Equal(t, "POST", st["http.request.method"].AsString())
	assert.Equal(t, int64(1010), st["vaultspay.code"].AsInt64())
	assert.Equal(t, "BAD_REQUEST", st["error.type"].AsString())
	assert.Equal(t, "no-replay", st["vaultspay.retry_rule"].AsString())
	assert.Equal(t, codes.Error, sends[0].Status.Code)
	assert.Equal(t, "BAD_REQUEST", sends[0].Status.Description, "the status never carries the server's message")
	assert.Len(t, r.spanNamed("vaultspay.Auth.Login"), 1, "the login is a span of its own")
}

// TestOutcomeUnknownSpanAndMetrics: a transfer whose answer is lost is marked outcome unknown on its
// span and counted; logins, refreshes, attempts, retries by reason and durations are metered.
func TestOutcomeUnknownSpanAndMetrics(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	a := r.openAccount(t, "5000.00")
	c := r.contact(t)
	require.NoError(t, r.srv.InjectFault(vaultspaytest.Fault{Method: http.MethodPost, Path: "/tc/api/v1/direct-transfer",
		Kind: vaultspaytest.FaultResetAfterHandler}))
	_, err := r.client.Transfers.Send(ctx, transfer(a, c, "10.00"))
	require.ErrorIs(t, err, vaultspay.ErrOutcomeUnknown)
	sends := r.spanNamed("vaultspay.Transfers.Send")
	require.Len(t, sends, 1)
	st := attrs(sends[0])
	assert.True(t, st["vaultspay.outcome_unknown"].AsBool())
	assert.Equal(t, "outcome_unknown", st["error.type"].AsString())
	assert.Equal(t, int64(1), st["vaultspay.attempts"].AsInt64())

	require.NoError(t, r.srv.InjectFault(vaultspaytest.Fault{Method: http.MethodGet, Path: "/be/api/v1/accounts/" + a.ID.String(),
		Kind: vaultspaytest.FaultStatus, Status: http.StatusTooManyRequests, Body: "slow down", Header: map[string]string{"Retry-After": "0"}}))
	_, err = r.client.Wallets.Get(ctx, a.ID)
	require.NoError(t, err)
	r.srv.ExpireTokens()
	_, err = r.client.Wallets.Get(ctx, a.ID)
	require.NoError(t, err)

	var rm metricdata.ResourceMetrics
	require.NoError(t, r.reader.Collect(ctx, &rm))
	sums := map[string]map[string]int64{} // metric → attribute set → value
	var histCount map[string]uint64
	for _, sm := range rm.ScopeMetrics {
		assert.Equal(t, vaultspayotel.ScopeName, sm.Scope.Name)
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				sums[m.Name] = map[string]int64{}
				for _, p := range d.DataPoints {
					sums[m.Name][p.Attributes.Encoded(attribute.DefaultEncoder())] = p.Value
				}
			case metricdata.Histogram[float64]:
				histCount = map[string]uint64{}
				for _, p := range d.DataPoints {
					histCount[p.Attributes.Encoded(attribute.DefaultEncoder())] = p.Count
				}
			}
		}
	}
	assert.Equal(t, map[string]int64{"vaultspay.operation=Transfers.Send": 1}, sums["vaultspay.client.outcome_unknown"])
	assert.Equal(t, map[string]int64{"vaultspay.operation=Auth.Login": 1}, sums["vaultspay.client.token.logins"])
	assert.Equal(t, map[string]int64{"vaultspay.operation=Auth.Refresh": 1}, sums["vaultspay.client.token.refreshes"])
	assert.Equal(t, map[string]int64{"vaultspay.operation=Wallets.Get,vaultspay.retry_reason=throttled": 1}, sums["vaultspay.client.retries"])
	assert.Equal(t, int64(4), sums["vaultspay.client.attempts"]["vaultspay.operation=Wallets.Get"],
		"two for the throttled call; one refused for its expired token, then the replay after the refresh")
	assert.Equal(t, int64(1), sums["vaultspay.client.attempts"]["vaultspay.operation=Transfers.Send"])
	assert.Equal(t, uint64(2), histCount["vaultspay.operation=Wallets.Get"])
	assert.Equal(t, uint64(1), histCount["error.type=outcome_unknown,vaultspay.operation=Transfers.Send"])
}

// safeValue is every shape an attribute value may take: names, templates, hosts, request ids,
// reasons, error types, numbers and booleans. A token, key or card number fits none of them.
var safeValue = regexp.MustCompile(`^(` +
	`[A-Z][A-Za-z]*\.[A-Z][A-Za-z]*` + // operation
	`|vaultspay\.[A-Z][A-Za-z]*\.[A-Z][A-Za-z]*` + // span name
	`|(GET|POST|PUT|PATCH|DELETE)( /[a-z0-9/{}-]*[a-zA-Z{}-])?` + // method, attempt span name
	`|/[a-z0-9/{}-]*[a-zA-Z{}-]` + // template
	`|127\.0\.0\.1` +
	`|req_[0-9a-f]{16}|req_busy` +
	`|[a-z ,;'-]+` + // retry reasons, rules, error types
	`|[A-Z_]*|[0-9]{3}|-?[0-9]{1,5}|true|false` +
	`)$`)

// TestSecretScan drives logins, a refresh, card data reads, a PIN, transfers and failures through the
// traced client, then checks every span name, attribute, event, status and metric attribute: each
// value has one of the safe shapes, and none contains a secret the run used.
func TestSecretScan(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	a := r.openAccount(t, "5000.00")
	c := r.contact(t)
	_, err := r.client.Transfers.Send(ctx, transfer(a, c, "10.00"))
	require.NoError(t, err)
	_, err = r.client.Transfers.Send(ctx, transfer(a, c, "99999.00"))
	require.Error(t, err)

	card, err := r.client.Cards.Create(ctx, &vaultspay.CreateCardRequest{CardTierID: vaultspaytest.CardTierDebit, CustomerID: a.UserID,
		AccountID: a.ID, CardType: vaultspay.CardTypeVirtual, CardHolderName: "ALI AMMAR"})
	require.NoError(t, err)
	ref := vaultspay.CardByID(card.ID)
	pan, err := r.client.Cards.PAN(ctx, ref)
	require.NoError(t, err)
	r.secret(pan.Reveal(), "PAN")
	cvv, err := r.client.Cards.CVV(ctx, ref)
	require.NoError(t, err)
	r.secret(cvv.Reveal(), "CVV")
	_, err = r.client.Cards.SetPIN(ctx, &vaultspay.SetPINRequest{CardRef: ref, PIN: "4921"})
	r.secret("4921", "PIN")
	_ = err // a virtual card may refuse a PIN; the attempt is what matters
	tok, err := r.client.RequestToken(ctx, &vaultspay.LoginRequest{ClientID: r.srv.ClientID(), ClientSecret: vaultspay.Secret(r.srv.ClientSecret())})
	require.NoError(t, err)
	r.secret(tok.AccessToken.Reveal(), "access token")
	r.secret(tok.RefreshToken.Reveal(), "refresh token")
	r.srv.ExpireTokens()
	_, err = r.client.Wallets.Get(ctx, a.ID)
	require.NoError(t, err)
	require.NoError(t, r.srv.InjectFault(vaultspaytest.Fault{Method: http.MethodPost, Path: "/pcs/api/v1/get-card-cvv",
		Kind: vaultspaytest.FaultStatus, Status: 400, Body: fmt.Sprintf(`{"code":1010,"type":"BAD_REQUEST %s","message":"card %s cvv %s"}`,
			pan.Reveal(), pan.Reveal(), cvv.Reveal())}))
	_, err = r.client.Cards.CVV(ctx, ref)
	require.Error(t, err, "a server echoing card data")

	var texts []string
	check := func(where, v string) {
		texts = append(texts, where+": "+v)
		assert.Regexp(t, safeValue, v, where)
	}
	for _, s := range r.spans.GetSpans() {
		check("span name", s.Name)
		check(s.Name+" status", s.Status.Description)
		for _, kv := range s.Attributes {
			check(s.Name+" "+string(kv.Key), kv.Value.String())
		}
		for _, ev := range s.Events {
			check(s.Name+" event", ev.Name)
			for _, kv := range ev.Attributes {
				check(s.Name+" event "+string(kv.Key), kv.Value.String())
			}
		}
	}
	var rm metricdata.ResourceMetrics
	require.NoError(t, r.reader.Collect(ctx, &rm))
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			var sets []attribute.Set
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					sets = append(sets, p.Attributes)
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					sets = append(sets, p.Attributes)
				}
			}
			for _, set := range sets {
				for _, kv := range set.ToSlice() {
					check(m.Name+" "+string(kv.Key), kv.Value.String())
				}
			}
		}
	}
	all := strings.Join(texts, "\n")
	r.mu.Lock()
	defer r.mu.Unlock()
	require.NotEmpty(t, r.secrets)
	for v, what := range r.secrets {
		if len(v) >= 6 {
			assert.NotContains(t, all, v, what)
		} else {
			assert.NotRegexp(t, `(^|[^0-9])`+regexp.QuoteMeta(v)+`($|[^0-9])`, strings.ReplaceAll(all, "127.0.0.1", ""), what)
		}
	}
	t.Logf("%d values scanned for %d secrets", len(texts), len(r.secrets))
}
