package vaultspay

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWebhookSpecExamples(t *testing.T) {
	t.Parallel()
	t.Run("card event", func(t *testing.T) {
		body := specFile(t, "webhooks/card-event")
		requireStrict(t, body, &CardEvent{})
		ev, err := ParseEvent(body)
		require.NoError(t, err)
		e, ok := ev.(*CardEvent)
		require.True(t, ok, "got %T", ev)
		assert.Equal(t, "01hvjr8fz6mbw6f9r9v3e5b5yw", e.ID)
		assert.Equal(t, CardEventStatusActive, e.Type)
		assert.True(t, time.Date(2026, 3, 13, 9, 20, 12, 0, time.UTC).Equal(e.OccurredAt.Time))
		require.NotNil(t, e.Status.Previous)
		assert.Equal(t, CardEventStatus{Code: CardStatusCodeBlock, Label: CardStatusLabelDeclineAllTxns}, *e.Status.Previous)
		assert.Equal(t, CardEventStatus{Code: CardStatusCodeActive, Label: CardStatusLabelFullyOperational}, e.Status.Current)
		assert.Equal(t, "Card was unblocked by the admin", e.Status.Reason)
		assert.Equal(t, CardEventCard{Token: 987654321, LastFourDigits: "3321", Tier: "VaultsPay Debit Card Tier",
			Network: CardEventNetworkMC, Type: CardEventCardPhysical}, e.Card)
		assert.Equal(t, e.ID, e.EventID())
		assert.Equal(t, "card.status.active", e.EventType())
		assert.JSONEq(t, string(body), string(e.RawJSON()))
	})
	for _, tt := range []struct {
		golden string
		status TransferEventStatus
	}{{"webhooks/transfer-success", TransferEventSuccess}, {"webhooks/transfer-reversed", TransferEventReversed}} {
		t.Run(tt.golden, func(t *testing.T) {
			body := specFile(t, tt.golden)
			requireStrict(t, body, &TransferEvent{})
			ev, err := ParseEvent(body)
			require.NoError(t, err)
			e, ok := ev.(*TransferEvent)
			require.True(t, ok, "got %T", ev)
			assert.Equal(t, "3ac58f37-3cc3-49b3-b3dd-9f83e4263b13", e.TransactionID)
			assert.Equal(t, MustParseAmount("1000"), e.Amount)
			assert.Equal(t, tt.status, e.Status)
			assert.Equal(t, "CH-998877", e.RefID)
			assert.Equal(t, TransferEventName, e.EventType())
			assert.Equal(t, "TRANSACTION_PERFORMED:3ac58f37-3cc3-49b3-b3dd-9f83e4263b13:"+string(tt.status), e.EventID())
		})
	}
}

func TestParseEventShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		body     string
		want     string // "card", "transfer", "unknown"
		id, typ  string
		checkRaw string // a fragment RawJSON keeps
	}{
		{name: "card event of an unknown type with extra fields", want: "card", id: "e1", typ: "card.status.lost",
			body:     `{"id":"e1","type":"card.status.lost","status":{"current":{"code":"LOST","label":"X"}},"card":{"token":"12","network":"VISA"},"extra":{"a":1}}`,
			checkRaw: `"extra"`},
		{name: "card event with previous null", want: "card", id: "e2", typ: "card.status.active",
			body: `{"id":"e2","type":"card.status.active","occurred_at":"2026-03-13T09:20:12.000+00:00","status":{"previous":null,"current":{"code":"ACTIVE"},"reason":null},"card":{"token":1}}`},
		{name: "transfer with an unknown status", want: "transfer", typ: TransferEventName,
			id:   "TRANSACTION_PERFORMED:t1:FAILED",
			body: `{"transactionId":"t1","amount":"12.5","status":"FAILED","refId":"r","channel":"x"}`, checkRaw: `"channel"`},
		{name: "old-style event", want: "unknown", id: "evt_1", typ: "user.created",
			body: `{"id":"evt_1","object":"event","type":"user.created","data":{"object":{}}}`},
		{name: "card shape with a token that is not a number", want: "unknown", id: "e3", typ: "card.status.active",
			body: `{"id":"e3","type":"card.status.active","status":{},"card":{"token":"abc"}}`},
		{name: "transfer shape with a bad amount", want: "unknown",
			body: `{"transactionId":"t1","amount":"lots","status":"SUCCESS"}`},
		{name: "empty object", want: "unknown", body: `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ev, err := ParseEvent([]byte(tt.body))
			require.NoError(t, err)
			switch tt.want {
			case "card":
				require.IsType(t, &CardEvent{}, ev)
			case "transfer":
				require.IsType(t, &TransferEvent{}, ev)
			default:
				require.IsType(t, &UnknownEvent{}, ev)
			}
			assert.Equal(t, tt.id, ev.EventID())
			assert.Equal(t, tt.typ, ev.EventType())
			assert.JSONEq(t, tt.body, string(ev.RawJSON()))
			if tt.checkRaw != "" {
				assert.Contains(t, string(ev.RawJSON()), tt.checkRaw)
			}
		})
	}
	for _, bad := range []string{``, `null`, `[]`, `"x"`, `garbage`, `{"id":`} {
		_, err := ParseEvent([]byte(bad))
		require.ErrorIs(t, err, ErrInvalidWebhook, "%q", bad)
	}
}

// TestEventMarshal: events written by the SDK (as the fake sends them) are the documented payloads.
func TestEventMarshal(t *testing.T) {
	t.Parallel()
	for _, golden := range []string{"webhooks/card-event", "webhooks/transfer-success", "webhooks/transfer-reversed"} {
		body := specFile(t, golden)
		ev, err := ParseEvent(body)
		require.NoError(t, err)
		out, err := json.Marshal(ev)
		require.NoError(t, err)
		assert.JSONEq(t, string(body), string(out), golden)
	}
	out, err := json.Marshal(CardEvent{ID: "x"})
	require.NoError(t, err)
	assert.Contains(t, string(out), `"occurred_at":null`)
	assert.Contains(t, string(out), `"previous":null`)
}

func TestWebhookEnums(t *testing.T) {
	t.Parallel()
	for _, v := range []CardEventType{CardEventStatusActive, CardEventStatusBlock, CardEventStatusFreeze,
		CardEventStatusIssuanceInProgress, CardEventStatusPendingVerification} {
		assert.True(t, v.IsKnown(), v)
	}
	for _, v := range []CardStatusCode{CardStatusCodeActive, CardStatusCodeBlock, CardStatusCodeFreeze,
		CardStatusCodeIssuanceInProgress, CardStatusCodePendingVerification} {
		assert.True(t, v.IsKnown(), v)
	}
	assert.True(t, CardStatusLabelFullyOperational.IsKnown() && CardStatusLabelDeclineAllTxns.IsKnown())
	assert.True(t, CardEventNetworkMC.IsKnown())
	assert.True(t, CardEventCardPhysical.IsKnown() && CardEventCardVirtual.IsKnown())
	assert.True(t, TransferEventSuccess.IsKnown() && TransferEventReversed.IsKnown())
	assert.False(t, CardEventType("card.created").IsKnown())
	assert.False(t, CardStatusCode("LOST").IsKnown())
	assert.False(t, CardStatusLabel("LOST_STOLEN").IsKnown())
	assert.False(t, CardEventNetwork("VISA").IsKnown())
	assert.False(t, CardEventCardType("METAL").IsKnown())
	assert.False(t, TransferEventStatus("PENDING").IsKnown())
}

func TestCardEventLogValue(t *testing.T) {
	t.Parallel()
	ev, err := ParseEvent(specFile(t, "webhooks/card-event"))
	require.NoError(t, err)
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("event", "event", ev)
	assert.Contains(t, buf.String(), "01hvjr8fz6mbw6f9r9v3e5b5yw")
	assert.Contains(t, buf.String(), "previous=BLOCK")
	assert.NotContains(t, buf.String(), "987654321")
	assert.NotContains(t, buf.String(), "3321")
}

// post delivers body to h as a sender would and returns the answer.
func post(h http.Handler, method, contentType string, body []byte, header http.Header) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "/hooks", bytes.NewReader(body))
	for k, vs := range header {
		for _, v := range vs {
			r.Header.Add(k, v) // canonical keys, as a server sees them
		}
	}
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// recorder is a webhook fn that records events and fails while fail says so.
type recorder struct {
	mu     sync.Mutex
	events []Event
	fail   int // fail this many calls first
}

func (r *recorder) fn(_ context.Context, ev Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
	if r.fail > 0 {
		r.fail--
		return errors.New("database down")
	}
	return nil
}

func (r *recorder) calls() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}

func TestWebhookHandlerRefusals(t *testing.T) {
	t.Parallel()
	card := specFile(t, "webhooks/card-event")
	tests := []struct {
		name        string
		method      string
		contentType string
		body        []byte
		opts        []WebhookOption
		want        int
	}{
		{name: "GET", method: http.MethodGet, contentType: "application/json", body: card, want: http.StatusMethodNotAllowed},
		{name: "PUT", method: http.MethodPut, contentType: "application/json", body: card, want: http.StatusMethodNotAllowed},
		{name: "form post", method: http.MethodPost, contentType: "application/x-www-form-urlencoded", body: card, want: http.StatusUnsupportedMediaType},
		{name: "bad content type", method: http.MethodPost, contentType: "application/json; =", body: card, want: http.StatusUnsupportedMediaType},
		{name: "oversize", method: http.MethodPost, contentType: "application/json", body: card, opts: []WebhookOption{WithWebhookMaxBody(64)},
			want: http.StatusRequestEntityTooLarge},
		{name: "garbage", method: http.MethodPost, contentType: "application/json", body: []byte("not json"), want: http.StatusBadRequest},
		{name: "JSON array", method: http.MethodPost, contentType: "application/json", body: []byte("[1]"), want: http.StatusBadRequest},
		{name: "empty body", method: http.MethodPost, contentType: "application/json", want: http.StatusBadRequest},
		{name: "charset is fine", method: http.MethodPost, contentType: "application/json; charset=utf-8", body: card, want: http.StatusOK},
		{name: "no content type is fine", method: http.MethodPost, body: card, want: http.StatusOK},
		{name: "size at the limit is fine", method: http.MethodPost, contentType: "application/json", body: card,
			opts: []WebhookOption{WithWebhookMaxBody(int64(len(card)))}, want: http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var rec recorder
			w := post(NewWebhookHandler(rec.fn, tt.opts...), tt.method, tt.contentType, tt.body, nil)
			assert.Equal(t, tt.want, w.Code, w.Body.String())
			wantCalls := 0
			if tt.want == http.StatusOK {
				wantCalls = 1
			}
			assert.Equal(t, wantCalls, rec.calls())
			if tt.want == http.StatusMethodNotAllowed {
				assert.Equal(t, http.MethodPost, w.Header().Get("Allow"))
			}
		})
	}
}

func TestWebhookHandlerDeduplicates(t *testing.T) {
	t.Parallel()
	card := specFile(t, "webhooks/card-event")
	success, reversed := specFile(t, "webhooks/transfer-success"), specFile(t, "webhooks/transfer-reversed")
	noID := []byte(`{"type":"ping"}`)
	var rec recorder
	h := NewWebhookHandler(rec.fn)
	for _, body := range [][]byte{card, card, success, reversed, success, noID, noID} {
		w := post(h, http.MethodPost, "application/json", body, nil)
		require.Equal(t, http.StatusOK, w.Code)
	}
	require.Equal(t, 4, rec.calls(), "card once, success once, reversed once, the id-less event once")
	assert.IsType(t, &CardEvent{}, rec.events[0])
	assert.IsType(t, &TransferEvent{}, rec.events[1])
	assert.IsType(t, &UnknownEvent{}, rec.events[3])

	t.Run("without a store every delivery reaches fn", func(t *testing.T) {
		var rec recorder
		h := NewWebhookHandler(rec.fn, WithWebhookDedupStore(nil))
		post(h, http.MethodPost, "application/json", card, nil)
		post(h, http.MethodPost, "application/json", card, nil)
		assert.Equal(t, 2, rec.calls())
	})
}

// TestWebhookHandlerFailureThenRedelivery: fn fails → 500, so the sender retries; the redelivery is
// processed, and later ones are not.
func TestWebhookHandlerFailureThenRedelivery(t *testing.T) {
	t.Parallel()
	card := specFile(t, "webhooks/card-event")
	var logs bytes.Buffer
	rec := recorder{fail: 1}
	h := NewWebhookHandler(rec.fn, WithWebhookLogger(slog.New(slog.NewTextHandler(&logs, nil))))

	w := post(h, http.MethodPost, "application/json", card, nil)
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.NotContains(t, w.Body.String(), "database", "fn's error is not sent back")
	w = post(h, http.MethodPost, "application/json", card, nil)
	assert.Equal(t, http.StatusOK, w.Code)
	w = post(h, http.MethodPost, "application/json", card, nil)
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, 2, rec.calls(), "one failed call, one successful, none for the duplicate")

	out := logs.String()
	assert.Contains(t, out, "database down")
	assert.Contains(t, out, "01hvjr8fz6mbw6f9r9v3e5b5yw")
	for _, cardData := range []string{"987654321", "3321", "VaultsPay Debit Card Tier"} {
		assert.NotContains(t, out, cardData, "no card data in logs")
	}
}

// TestWebhookHandlerBusy: a redelivery that arrives while the first is still being processed gets 409,
// so the sender tries again later instead of the event being lost if the first fails.
func TestWebhookHandlerBusy(t *testing.T) {
	t.Parallel()
	card := specFile(t, "webhooks/card-event")
	entered, release := make(chan struct{}), make(chan struct{})
	h := NewWebhookHandler(func(context.Context, Event) error {
		close(entered)
		<-release
		return nil
	})
	first := make(chan int)
	go func() { first <- post(h, http.MethodPost, "application/json", card, nil).Code }()
	<-entered
	assert.Equal(t, http.StatusConflict, post(h, http.MethodPost, "application/json", card, nil).Code)
	close(release)
	assert.Equal(t, http.StatusOK, <-first)
	assert.Equal(t, http.StatusOK, post(h, http.MethodPost, "application/json", card, nil).Code)
}

// TestWebhookHandlerPanic: a panicking fn releases its claim, so the redelivery is processed.
func TestWebhookHandlerPanic(t *testing.T) {
	t.Parallel()
	card := specFile(t, "webhooks/card-event")
	calls := 0
	h := NewWebhookHandler(func(context.Context, Event) error {
		calls++
		if calls == 1 {
			panic("boom")
		}
		return nil
	})
	func() {
		defer func() { assert.Equal(t, "boom", recover()) }()
		post(h, http.MethodPost, "application/json", card, nil)
	}()
	assert.Equal(t, http.StatusOK, post(h, http.MethodPost, "application/json", card, nil).Code)
	assert.Equal(t, 2, calls)
}

// TestWebhookHandlerNilFunc: a nil fn answers 500 (the sender retries) instead of panicking.
func TestWebhookHandlerNilFunc(t *testing.T) {
	t.Parallel()
	w := post(NewWebhookHandler(nil), http.MethodPost, "application/json", specFile(t, "webhooks/card-event"), nil)
	assert.Equal(t, http.StatusInternalServerError, w.Code)
}

// failingStore is a DedupStore that is down.
type failingStore struct{}

func (failingStore) Claim(context.Context, string) (ClaimResult, error) {
	return 0, errors.New("store down")
}
func (failingStore) Commit(context.Context, string) error  { return nil }
func (failingStore) Release(context.Context, string) error { return nil }

func TestWebhookHandlerStoreDown(t *testing.T) {
	t.Parallel()
	var rec recorder
	h := NewWebhookHandler(rec.fn, WithWebhookDedupStore(failingStore{}))
	assert.Equal(t, http.StatusInternalServerError, post(h, http.MethodPost, "application/json", specFile(t, "webhooks/card-event"), nil).Code)
	assert.Zero(t, rec.calls())
}

func TestMemoryDedupStoreBound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := NewMemoryDedupStore(2)
	for _, id := range []string{"a", "b", "c"} {
		got, err := m.Claim(ctx, id)
		require.NoError(t, err)
		require.Equal(t, ClaimAcquired, got)
		require.NoError(t, m.Commit(ctx, id))
	}
	for id, want := range map[string]ClaimResult{"b": ClaimProcessed, "c": ClaimProcessed, "a": ClaimAcquired} {
		got, err := m.Claim(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, want, got, id)
	}
	got, _ := m.Claim(ctx, "a")
	assert.Equal(t, ClaimBusy, got, "a is claimed")
	require.NoError(t, m.Release(ctx, "a"))
	got, _ = m.Claim(ctx, "a")
	assert.Equal(t, ClaimAcquired, got, "released")
	assert.Equal(t, DefaultDedupCapacity, NewMemoryDedupStore(0).capacity)
}

func hmacOf(secret, content string) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(content))
	return m.Sum(nil)
}

func TestHMACVerifier(t *testing.T) {
	t.Parallel()
	const secret = "whsec_test_4f9c2a"
	body := `{"id":"e1","type":"card.status.active","status":{},"card":{}}`
	sig := hmacOf(secret, body)
	tests := []struct {
		name   string
		opts   []HMACOption
		header http.Header
		ok     bool
	}{
		{name: "default: hex of the body", header: http.Header{"Vaultspay-Signature": {hex.EncodeToString(sig)}}, ok: true},
		{name: "upper-case hex", header: http.Header{"Vaultspay-Signature": {strings.ToUpper(hex.EncodeToString(sig))}}, ok: true},
		{name: "missing header", header: http.Header{}},
		{name: "wrong signature", header: http.Header{"Vaultspay-Signature": {hex.EncodeToString(hmacOf("other", body))}}},
		{name: "not hex", header: http.Header{"Vaultspay-Signature": {"zz"}}},
		{name: "base64 in another header", opts: []HMACOption{WithSignatureHeader("X-Signature"), WithSignatureEncoding(SignatureBase64)},
			header: http.Header{"X-Signature": {base64.StdEncoding.EncodeToString(sig)}}, ok: true},
		{name: "with prefix", opts: []HMACOption{WithSignaturePrefix("sha256=")},
			header: http.Header{"Vaultspay-Signature": {"sha256=" + hex.EncodeToString(sig)}}, ok: true},
		{name: "prefix missing", opts: []HMACOption{WithSignaturePrefix("sha256=")},
			header: http.Header{"Vaultspay-Signature": {hex.EncodeToString(sig)}}},
		{name: "timestamp.body", opts: []HMACOption{WithSignedContent(func(h http.Header, b []byte) []byte {
			return append([]byte(h.Get("X-Timestamp")+"."), b...)
		})}, header: http.Header{"X-Timestamp": {"1700000000"}, "Vaultspay-Signature": {hex.EncodeToString(hmacOf(secret, "1700000000."+body))}}, ok: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := NewHMACVerifier(secret, tt.opts...)
			require.NoError(t, err)
			err = v.Verify(tt.header, []byte(body))
			if tt.ok {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrWebhookSignature)
			assert.NotContains(t, err.Error(), secret)
			assert.NotContains(t, fmtV(v), secret)
		})
	}
	for name, opts := range map[string][]HMACOption{
		"empty header":   {WithSignatureHeader(" ")},
		"bad encoding":   {WithSignatureEncoding(SignatureEncoding(7))},
		"nil content fn": {WithSignedContent(nil)},
	} {
		_, err := NewHMACVerifier(secret, opts...)
		require.Error(t, err, name)
	}
	_, err := NewHMACVerifier("")
	require.Error(t, err)
}

// TestWebhookHandlerVerifier: with a Verifier, unsigned or wrongly signed deliveries get 401 and never
// reach fn.
func TestWebhookHandlerVerifier(t *testing.T) {
	t.Parallel()
	body := specFile(t, "webhooks/card-event")
	v, err := NewHMACVerifier("s3cret")
	require.NoError(t, err)
	var rec recorder
	h := NewWebhookHandler(rec.fn, WithWebhookVerifier(v))
	assert.Equal(t, http.StatusUnauthorized, post(h, http.MethodPost, "application/json", body, nil).Code)
	bad := http.Header{DefaultSignatureHeader: {hex.EncodeToString(hmacOf("wrong", string(body)))}}
	assert.Equal(t, http.StatusUnauthorized, post(h, http.MethodPost, "application/json", body, bad).Code)
	assert.Zero(t, rec.calls())
	good := http.Header{DefaultSignatureHeader: {hex.EncodeToString(hmacOf("s3cret", string(body)))}}
	assert.Equal(t, http.StatusOK, post(h, http.MethodPost, "application/json", body, good).Code)
	assert.Equal(t, 1, rec.calls())
}

// fmtV prints v with the verbs a careless log line would use.
func fmtV(v any) string { return fmt.Sprintf("%v %+v %#v %s", v, v, v, v) }

// TestHMACVerifierNeverPrintsItsSecret: the verifier, its pointer and a copy of it print and log
// without the secret (fmt cannot reach the methods of an unexported field, so the type itself masks).
func TestHMACVerifierNeverPrintsItsSecret(t *testing.T) {
	t.Parallel()
	const secret = "whsec-9f8e7d6c5b4a"
	v, err := NewHMACVerifier(secret, WithSignaturePrefix("sha256="))
	require.NoError(t, err)
	for name, x := range map[string]any{"pointer": v, "value": *v, "in a struct": struct{ V HMACVerifier }{*v}} {
		assertNoLeak(t, name, x, secret)
	}
	assert.Contains(t, fmt.Sprintf("%+v", *v), DefaultSignatureHeader)
}
