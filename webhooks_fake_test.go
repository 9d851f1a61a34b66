package vaultspay_test

import (
	"context"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// fastHooks makes the fake's webhook retries immediate.
var fastHooks = vaultspaytest.WithWebhookPolicy(vaultspaytest.WebhookPolicy{Backoff: time.Millisecond})

// sink is a receiver's fn: it records what it processed and fails the first fail calls.
type sink struct {
	mu        sync.Mutex
	calls     int
	fail      int
	processed []vaultspay.Event
}

func (s *sink) fn(_ context.Context, ev vaultspay.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.fail > 0 {
		s.fail--
		return assert.AnError
	}
	s.processed = append(s.processed, ev)
	return nil
}

func (s *sink) snapshot() (int, []vaultspay.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls, append([]vaultspay.Event(nil), s.processed...)
}

func waitWebhooks(t *testing.T, srv *vaultspaytest.Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, srv.WaitWebhooks(ctx))
}

func specEvent(t *testing.T, name string) vaultspay.Event {
	t.Helper()
	b, err := os.ReadFile("testdata/spec/webhooks/" + name + ".json")
	require.NoError(t, err)
	ev, err := vaultspay.ParseEvent(b)
	require.NoError(t, err)
	return ev
}

// TestFakeWebhookEndToEnd: the fake signs and delivers; a receiver built with NewWebhookHandler and the
// HMAC verifier processes each event exactly once, through a failure and a duplicate delivery.
func TestFakeWebhookEndToEnd(t *testing.T) {
	t.Parallel()
	const secret = "whsec_test_e2e"
	verifier, err := vaultspay.NewHMACVerifier(secret)
	require.NoError(t, err)
	s := &sink{fail: 1}
	recv := httptest.NewServer(vaultspay.NewWebhookHandler(s.fn, vaultspay.WithWebhookVerifier(verifier)))
	t.Cleanup(recv.Close)
	srv := newFake(t, fastHooks)
	require.NoError(t, srv.SetWebhook(recv.URL+"/vaultspay", secret))

	card := specEvent(t, "card-event")
	require.NoError(t, srv.EmitWebhook(card))
	waitWebhooks(t, srv)
	require.NoError(t, srv.EmitWebhook(card)) // the sender delivers the same event again
	waitWebhooks(t, srv)
	for _, name := range []string{"transfer-success", "transfer-reversed"} {
		require.NoError(t, srv.EmitWebhook(specEvent(t, name)))
		waitWebhooks(t, srv)
	}

	calls, processed := s.snapshot()
	assert.Equal(t, 4, calls, "one failure, then card, success, reversed")
	require.Len(t, processed, 3)
	ce, ok := processed[0].(*vaultspay.CardEvent)
	require.True(t, ok, "%T", processed[0])
	assert.Equal(t, vaultspay.CardStatusCodeActive, ce.Status.Current.Code)
	assert.Equal(t, vaultspay.TransferEventSuccess, processed[1].(*vaultspay.TransferEvent).Status)
	assert.Equal(t, vaultspay.TransferEventReversed, processed[2].(*vaultspay.TransferEvent).Status)

	ds := srv.WebhookDeliveries()
	require.Len(t, ds, 4)
	want := [][]int{{500, 200}, {200}, {200}, {200}}
	for i, d := range ds {
		assert.Equal(t, vaultspaytest.DeliveryDelivered, d.State)
		var got []int
		for _, a := range d.Attempts {
			got = append(got, a.Status)
		}
		assert.Equal(t, want[i], got, "delivery %d", i+1)
	}
	assert.Equal(t, 4, srv.State().WebhookDeliveries)
}

// TestFakeWebhookWrongSecret: a receiver with another secret refuses every attempt (401) and its fn
// never runs; the fake gives up after the documented 3 attempts.
func TestFakeWebhookWrongSecret(t *testing.T) {
	t.Parallel()
	verifier, err := vaultspay.NewHMACVerifier("receiver-secret")
	require.NoError(t, err)
	s := &sink{}
	recv := httptest.NewServer(vaultspay.NewWebhookHandler(s.fn, vaultspay.WithWebhookVerifier(verifier)))
	t.Cleanup(recv.Close)
	srv := newFake(t, fastHooks)
	require.NoError(t, srv.SetWebhook(recv.URL, "sender-secret"))
	require.NoError(t, srv.EmitWebhook(specEvent(t, "card-event")))
	waitWebhooks(t, srv)

	ds := srv.WebhookDeliveries()
	require.Len(t, ds, 1)
	assert.Equal(t, vaultspaytest.DeliveryFailed, ds[0].State)
	require.Len(t, ds[0].Attempts, 3)
	for _, a := range ds[0].Attempts {
		assert.Equal(t, 401, a.Status)
	}
	calls, _ := s.snapshot()
	assert.Zero(t, calls)
}

// TestFakeWebhookIDlessTransfers: the fake delivers three distinct transfer events without a
// transactionId, concurrently; each is processed once and none is refused as a duplicate.
func TestFakeWebhookIDlessTransfers(t *testing.T) {
	t.Parallel()
	s := &sink{}
	recv := httptest.NewServer(vaultspay.NewWebhookHandler(s.fn))
	t.Cleanup(recv.Close)
	srv := newFake(t, fastHooks)
	require.NoError(t, srv.SetWebhook(recv.URL, ""))
	for _, ref := range []string{"CH-1", "CH-2", "CH-3"} {
		require.NoError(t, srv.EmitWebhook(&vaultspay.TransferEvent{Amount: vaultspay.MustParseAmount("1000"),
			Status: vaultspay.TransferEventSuccess, RefID: ref}))
	}
	waitWebhooks(t, srv)
	_, processed := s.snapshot()
	var refs []string
	for _, ev := range processed {
		refs = append(refs, ev.(*vaultspay.TransferEvent).RefID)
	}
	assert.ElementsMatch(t, []string{"CH-1", "CH-2", "CH-3"}, refs)
	for _, d := range srv.WebhookDeliveries() {
		require.Len(t, d.Attempts, 1, "delivery %d", d.ID)
		assert.Equal(t, 200, d.Attempts[0].Status, "delivery %d", d.ID)
	}
}
