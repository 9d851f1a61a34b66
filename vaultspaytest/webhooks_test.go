package vaultspaytest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/vaultspay-go/vaultspay"
)

// fastHooks retries at once, so delivery tests take no measurable time.
var fastHooks = WithWebhookPolicy(WebhookPolicy{Attempts: 3, Backoff: time.Millisecond, Timeout: 5 * time.Second})

// hookReceiver is a partner endpoint that answers each delivery with the next status of answers (the
// last one repeats) and records what it got.
type hookReceiver struct {
	*httptest.Server
	mu      sync.Mutex
	answers []int
	got     []http.Header
	bodies  []string
}

func newHookReceiver(t *testing.T, answers ...int) *hookReceiver {
	t.Helper()
	h := &hookReceiver{answers: answers}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.got = append(h.got, r.Header.Clone())
		h.bodies = append(h.bodies, string(b))
		status := h.answers[min(len(h.got), len(h.answers))-1]
		h.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookReceiver) received() ([]http.Header, []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]http.Header(nil), h.got...), append([]string(nil), h.bodies...)
}

func waitHooks(t *testing.T, srv *Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, srv.WaitWebhooks(ctx))
}

func statuses(d WebhookDelivery) []int {
	var out []int
	for _, a := range d.Attempts {
		out = append(out, a.Status)
	}
	return out
}

func TestSetWebhook(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, bad := range []string{"ftp://x/hook", "/hook", "http://", "::"} {
		require.Error(t, srv.SetWebhook(bad, ""), bad)
	}
	require.NoError(t, srv.SetWebhook("https://partner.example/hook", "s"))

	status, raw := control(t, srv, http.MethodPost, "/_fake/webhooks", `{"url":"http://127.0.0.1:9000/hook","secret":"optional"}`)
	require.Equal(t, http.StatusOK, status, "body %s", raw)
	assert.JSONEq(t, `{"data":{"url":"http://127.0.0.1:9000/hook","signed":true}}`, string(raw))
	assert.NotContains(t, string(raw), "optional", "the secret is not echoed")

	for _, body := range []string{`{"url":"nope"}`, `{}`, `{"secret":"x"}`} {
		status, raw = control(t, srv, http.MethodPost, "/_fake/webhooks", body)
		e := requireAPIError(t, http.StatusUnprocessableEntity, 1000, status, raw)
		assert.Equal(t, []string{"url"}, e.keys(), body)
	}
	status, _ = control(t, srv, http.MethodPost, "/_fake/webhooks", `{"url":""}`)
	require.Equal(t, http.StatusOK, status)
	require.Error(t, srv.EmitWebhook(&vaultspay.TransferEvent{TransactionID: "t"}), "no URL any more")
}

// TestWebhookDeliveryRetries: two failures, then success on the third and last attempt; the body, type
// and signature are the same on every attempt.
func TestWebhookDeliveryRetries(t *testing.T) {
	t.Parallel()
	recv := newHookReceiver(t, 500, 502, 200)
	srv := newTestServer(t, fastHooks)
	require.NoError(t, srv.SetWebhook(recv.URL+"/hook", "whsec_test"))
	srv.mu.Lock()
	srv.emitTransferEventLocked("3ac58f37-3cc3-49b3-b3dd-9f83e4263b13", vaultspay.MustParseAmount("1000.00"),
		vaultspay.TransferEventSuccess, "CH-998877")
	srv.mu.Unlock()
	waitHooks(t, srv)

	ds := srv.WebhookDeliveries()
	require.Len(t, ds, 1)
	assert.Equal(t, DeliveryDelivered, ds[0].State)
	assert.Equal(t, []int{500, 502, 200}, statuses(ds[0]))
	assert.Equal(t, recv.URL+"/hook", ds[0].URL)
	assert.Equal(t, "TRANSACTION_PERFORMED", ds[0].EventType)
	assert.Equal(t, "TRANSACTION_PERFORMED:3ac58f37-3cc3-49b3-b3dd-9f83e4263b13:SUCCESS", ds[0].EventID)
	assert.Equal(t, 1, srv.State().WebhookDeliveries)

	headers, bodies := recv.received()
	require.Len(t, bodies, 3)
	golden := string(specGolden(t, "webhooks/transfer-success"))
	mac := hmac.New(sha256.New, []byte("whsec_test"))
	mac.Write([]byte(bodies[0]))
	for i := range bodies {
		assert.JSONEq(t, golden, bodies[i], "the documented payload")
		assert.Equal(t, "application/json", headers[i].Get("Content-Type"))
		assert.Equal(t, hex.EncodeToString(mac.Sum(nil)), headers[i].Get("VaultsPay-Signature"))
	}

	status, raw := control(t, srv, http.MethodGet, "/_fake/state", nil)
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, string(raw), `"webhookDeliveries":1`)
}

func TestWebhookDeliveryGivesUp(t *testing.T) {
	t.Parallel()
	t.Run("every attempt refused", func(t *testing.T) {
		t.Parallel()
		recv := newHookReceiver(t, 503)
		srv := newTestServer(t, WithWebhookPolicy(WebhookPolicy{Attempts: 2, Backoff: time.Millisecond}))
		require.NoError(t, srv.SetWebhook(recv.URL, ""))
		require.NoError(t, srv.EmitWebhook(&vaultspay.TransferEvent{TransactionID: "t-1", Status: vaultspay.TransferEventReversed}))
		waitHooks(t, srv)
		ds := srv.WebhookDeliveries()
		require.Len(t, ds, 1)
		assert.Equal(t, DeliveryFailed, ds[0].State)
		assert.Equal(t, []int{503, 503}, statuses(ds[0]))
		headers, _ := recv.received()
		assert.Empty(t, headers[0].Get("VaultsPay-Signature"), "unsigned without a secret")
	})
	t.Run("nobody listening", func(t *testing.T) {
		t.Parallel()
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := l.Addr().String()
		require.NoError(t, l.Close())
		srv := newTestServer(t, fastHooks)
		require.NoError(t, srv.SetWebhook("http://"+addr+"/hook", ""))
		require.NoError(t, srv.EmitWebhook(&vaultspay.TransferEvent{TransactionID: "t-1", Status: vaultspay.TransferEventSuccess}))
		waitHooks(t, srv)
		ds := srv.WebhookDeliveries()
		require.Len(t, ds, 1)
		assert.Equal(t, DeliveryFailed, ds[0].State)
		require.Len(t, ds[0].Attempts, 3, "the documented 3 attempts")
		for _, a := range ds[0].Attempts {
			assert.Zero(t, a.Status)
			assert.NotEmpty(t, a.Error)
		}
	})
}

var ulid = regexp.MustCompile(`^[0-9a-hjkmnp-tv-z]{26}$`)

func TestEmitCardEventLocked(t *testing.T) {
	t.Parallel()
	recv := newHookReceiver(t, 200)
	srv := newTestServer(t, fastHooks, WithClock(fixedClock))
	require.NoError(t, srv.SetWebhook(recv.URL, ""))
	card := vaultspay.CardEventCard{Token: 987654321, LastFourDigits: "3321", Tier: "VaultsPay Debit Card Tier",
		Network: vaultspay.CardEventNetworkMC, Type: vaultspay.CardEventCardPhysical}
	srv.mu.Lock()
	srv.emitCardEventLocked(card, vaultspay.CardStatusCodeBlock, vaultspay.CardStatusCodeActive, "Card was unblocked by the admin")
	srv.mu.Unlock()
	waitHooks(t, srv)
	srv.mu.Lock()
	srv.emitCardEventLocked(card, "", vaultspay.CardStatusCodeFreeze, "")
	srv.mu.Unlock()
	waitHooks(t, srv)

	_, bodies := recv.received()
	require.Len(t, bodies, 2)
	ev, err := vaultspay.ParseEvent([]byte(bodies[0]))
	require.NoError(t, err)
	ce, ok := ev.(*vaultspay.CardEvent)
	require.True(t, ok, "%T", ev)
	assert.Regexp(t, ulid, ce.ID)
	assert.Contains(t, bodies[0], `"occurred_at":"2024-09-23T18:33:10Z"`, "the documented timestamp form")
	// Apart from id and time, the payload is the documented example.
	want, err := vaultspay.ParseEvent(specGolden(t, "webhooks/card-event"))
	require.NoError(t, err)
	wantCE := want.(*vaultspay.CardEvent)
	assert.Equal(t, wantCE.Type, ce.Type)
	assert.Equal(t, wantCE.Status, ce.Status)
	assert.Equal(t, wantCE.Card, ce.Card)

	ev, err = vaultspay.ParseEvent([]byte(bodies[1]))
	require.NoError(t, err)
	ce = ev.(*vaultspay.CardEvent)
	assert.Equal(t, vaultspay.CardEventStatusFreeze, ce.Type)
	assert.Nil(t, ce.Status.Previous)
	assert.Contains(t, bodies[1], `"previous":null`)
	assert.Equal(t, vaultspay.CardEventStatus{Code: vaultspay.CardStatusCodeFreeze, Label: vaultspay.CardStatusLabelDeclineAllTxns}, ce.Status.Current)

	ds := srv.WebhookDeliveries()
	require.Len(t, ds, 2)
	assert.Equal(t, []int{1, 2}, []int{ds[0].ID, ds[1].ID})
	assert.NotEqual(t, ds[0].EventID, ds[1].EventID)
}

func TestEmitWebhook(t *testing.T) {
	t.Parallel()
	recv := newHookReceiver(t, 200)
	srv := newTestServer(t, fastHooks)
	require.Error(t, srv.EmitWebhook(&vaultspay.TransferEvent{TransactionID: "t"}), "no URL registered")
	srv.mu.Lock()
	srv.emitTransferEventLocked("t", vaultspay.Amount{}, vaultspay.TransferEventSuccess, "") // no URL: nothing
	srv.mu.Unlock()
	assert.Empty(t, srv.WebhookDeliveries())

	require.NoError(t, srv.SetWebhook(recv.URL, ""))
	unknown, err := vaultspay.ParseEvent([]byte(`{"id":"evt_1","type":"ping"}`))
	require.NoError(t, err)
	require.NoError(t, srv.EmitWebhook(unknown))
	waitHooks(t, srv) // deliveries run concurrently: wait to know the order
	require.NoError(t, srv.EmitWebhook(&vaultspay.CardEvent{Type: vaultspay.CardEventStatusBlock}))
	require.Error(t, srv.EmitWebhook(&vaultspay.UnknownEvent{}), "no raw JSON")
	require.Error(t, srv.EmitWebhook(nil))
	waitHooks(t, srv)

	_, bodies := recv.received()
	require.Len(t, bodies, 2)
	assert.JSONEq(t, `{"id":"evt_1","type":"ping"}`, bodies[0])
	ev, err := vaultspay.ParseEvent([]byte(bodies[1]))
	require.NoError(t, err)
	assert.Regexp(t, ulid, ev.EventID(), "a missing id is filled in")
	assert.False(t, ev.(*vaultspay.CardEvent).OccurredAt.IsZero())

	srv.Reset()
	assert.Empty(t, srv.WebhookDeliveries())
	require.Error(t, srv.EmitWebhook(unknown), "Reset removes the URL")
}

// TestCloseStopsDeliveries: Close cancels a delivery waiting to retry and one whose attempt is in
// flight, and leaves no goroutine behind (goleak, because "no goroutine left behind" is the contract
// and a WaitGroup alone would not show a goroutine nobody waits for).
func TestCloseStopsDeliveries(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	k, _ := testKeys(t)

	attempted := make(chan struct{}, 10)
	waiting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		attempted <- struct{}{}
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer waiting.Close()
	inFlight := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body) // net/http sees the client hang up only once the body is read
		attempted <- struct{}{}
		<-r.Context().Done() // never answers; ends when the fake hangs up
	}))
	defer inFlight.Close()

	srvs := []*Server{}
	for _, target := range []string{waiting.URL, inFlight.URL} {
		srv := NewServer(WithRSAKey(k), WithWebhookPolicy(WebhookPolicy{Backoff: time.Hour, Timeout: time.Hour}))
		require.NoError(t, srv.SetWebhook(target, ""))
		require.NoError(t, srv.EmitWebhook(&vaultspay.TransferEvent{TransactionID: "t-1", Status: vaultspay.TransferEventSuccess}))
		<-attempted
		srvs = append(srvs, srv)
	}
	for _, srv := range srvs {
		srv.Close() // returns although the backoff and the timeout are an hour
		ds := srv.WebhookDeliveries()
		require.Len(t, ds, 1)
		assert.Equal(t, DeliveryCancelled, ds[0].State)
		assert.Len(t, ds[0].Attempts, 1)
		require.NoError(t, srv.WaitWebhooks(context.Background()))
		require.Error(t, srv.EmitWebhook(&vaultspay.TransferEvent{TransactionID: "t-2"}), "closed")
	}
}

func TestNewEventID(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 13, 9, 20, 12, 0, time.UTC)
	a, b := newEventID(at), newEventID(at)
	assert.Regexp(t, ulid, a)
	assert.NotEqual(t, a, b)
	assert.Equal(t, a[:10], b[:10], "the time prefix")
	assert.Less(t, a[:10], newEventID(at.Add(time.Second))[:10], "ids sort by time")
}
