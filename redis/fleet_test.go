package redis

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/redis/redistest"
)

// cardEvent is a card webhook with event id id, as VaultsPay sends it.
func cardEvent(id string) []byte {
	return fmt.Appendf(nil, `{"id":%q,"type":"card.status.active","occurred_at":"2026-03-13T09:20:12Z",`+
		`"status":{"previous":{"code":"BLOCK","label":"DECLINE_ALL_TXNS"},"current":{"code":"ACTIVE","label":"FULLY_OPERATIONAL"},"reason":""},`+
		`"card":{"token":987654321,"last_four_digits":"3321","tier":"T","network":"MC","type":"PHYSICAL"}}`, id)
}

// receivers starts n webhook receivers (the replicas of one app), each with its own Redis connection
// and DedupStore, all running fn.
func receivers(t *testing.T, redis *redistest.Server, n int, fn func(context.Context, vaultspay.Event) error) []string {
	t.Helper()
	urls := make([]string, n)
	for i := range urls {
		store, err := NewDedupStore(connect(t, redis), DedupConfig{})
		require.NoError(t, err)
		srv := httptest.NewServer(vaultspay.NewWebhookHandler(fn, vaultspay.WithWebhookDedupStore(store)))
		t.Cleanup(srv.Close)
		urls[i] = srv.URL
	}
	return urls
}

// deliver posts body to url as VaultsPay would and returns the status (0, and the test failed, when no
// answer came). Safe to call from any goroutine.
func deliver(t *testing.T, url string, body []byte) int {
	t.Helper()
	res, err := http.Post(url, "application/json", bytes.NewReader(body))
	if !assert.NoError(t, err) {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}

// TestFleet64Deliveries: 64 concurrent deliveries of one event, spread over 4 receivers sharing one
// Redis, run the function once. The function is held until the other 63 have been answered, so every
// one of them meets the claim: they are answered 409 (the sender comes back), and their redeliveries,
// after the event was processed, 200 without running it again.
func TestFleet64Deliveries(t *testing.T) {
	t.Parallel()
	const sent, replicas = 64, 4
	var mu sync.Mutex
	handled := 0
	release := make(chan struct{})
	urls := receivers(t, newRedis(t), replicas, func(context.Context, vaultspay.Event) error {
		mu.Lock()
		handled++
		mu.Unlock()
		<-release
		return nil
	})
	body := cardEvent("01hvjr8fz6mbw6f9r9v3e5b5yw")
	codes := make(chan int, sent)
	for i := range sent {
		go func() { codes <- deliver(t, urls[i%replicas], body) }()
	}
	count := map[int]int{}
	for range sent - 1 {
		count[<-codes]++
	}
	close(release)
	count[<-codes]++
	assert.Equal(t, map[int]int{http.StatusOK: 1, http.StatusConflict: sent - 1}, count)

	var wg sync.WaitGroup
	for i := range sent - 1 { // the sender delivers each refused one again
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.Equal(t, http.StatusOK, deliver(t, urls[(i+1)%replicas], body))
		}()
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, 1, handled, "64 deliveries sent, %d handled", handled)
	t.Logf("deliveries sent: %d (+%d redeliveries), handled: %d", sent, sent-1, handled)
}

// TestFleetFailureReleases: the function fails on one replica (500, claim released); the redelivery,
// landing on another replica, is processed; a further one is not.
func TestFleetFailureReleases(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	calls, ok := 0, 0
	urls := receivers(t, newRedis(t), 3, func(context.Context, vaultspay.Event) error {
		mu.Lock()
		defer mu.Unlock()
		if calls++; calls == 1 {
			return fmt.Errorf("ledger unavailable")
		}
		ok++
		return nil
	})
	body := cardEvent("evt-fail")
	assert.Equal(t, http.StatusInternalServerError, deliver(t, urls[0], body))
	assert.Equal(t, http.StatusOK, deliver(t, urls[1], body))
	assert.Equal(t, http.StatusOK, deliver(t, urls[2], body))
	assert.Equal(t, 2, calls, "the failed run and the redelivery")
	assert.Equal(t, 1, ok)
}

// TestFleetRedisOutage: Redis stops mid-test. The receivers answer 500 without running the function
// (VaultsPay delivers again later) and the token sources obtain tokens on their own; once Redis is back,
// events are de-duplicated again and the fleet shares one refresh again.
func TestFleetRedisOutage(t *testing.T) {
	t.Parallel()
	redis := newRedis(t)
	fake := newFake(t)
	fleet := newFleet(t, redis, fake, 2, TokenConfig{})
	var mu sync.Mutex
	handled := map[string]int{}
	urls := receivers(t, redis, 2, func(_ context.Context, ev vaultspay.Event) error {
		mu.Lock()
		defer mu.Unlock()
		handled[ev.EventID()]++
		return nil
	})
	handledOf := func(id string) int {
		mu.Lock()
		defer mu.Unlock()
		return handled[id]
	}
	tokenCalls := func() int {
		return fake.CountRequests("POST", loginPath) + fake.CountRequests("POST", refreshPath)
	}

	pingAll(t, fleet)
	require.Equal(t, 1, tokenCalls())
	require.Equal(t, http.StatusOK, deliver(t, urls[0], cardEvent("e1")))

	require.NoError(t, redis.Stop())
	assert.Equal(t, http.StatusInternalServerError, deliver(t, urls[1], cardEvent("e2")), "no de-duplication, no processing")
	assert.Equal(t, http.StatusInternalServerError, deliver(t, urls[1], cardEvent("e1")))
	assert.Zero(t, handledOf("e2"))
	assert.Equal(t, 1, handledOf("e1"))

	fake.ExpireTokens()
	pingAll(t, fleet) // each replica refreshes on its own
	assert.Equal(t, 1+len(fleet), tokenCalls(), "one token call per replica while Redis is down")
	late := newFleet(t, redis, fake, 1, TokenConfig{}) // a replica started during the outage
	pingAll(t, late)
	assert.Equal(t, 2+len(fleet), fake.CountRequests("POST", loginPath)+fake.CountRequests("POST", refreshPath))
	assert.Equal(t, 2, fake.CountRequests("POST", loginPath), "the new replica logged in locally")
	fleet = append(fleet, late...)

	require.NoError(t, redis.Restart(context.Background()))
	assert.Equal(t, http.StatusOK, deliver(t, urls[1], cardEvent("e2")))
	assert.Equal(t, http.StatusOK, deliver(t, urls[0], cardEvent("e2")))
	assert.Equal(t, 1, handledOf("e2"), "de-duplicated again")

	before := tokenCalls()
	fake.ExpireTokens()
	pingAll(t, fleet)
	assert.Equal(t, before+1, tokenCalls(), "one refresh for the fleet again")
	shared := fleet[0].localToken().Access
	for _, r := range fleet {
		assert.Equal(t, shared, r.localToken().Access)
	}
}
