// Command fleet runs a small fleet in one program: two webhook receivers and two API clients, all
// sharing one Redis through the github.com/vaultspay-go/vaultspay/redis module, fed by the vaultspaytest
// fake. A round-robin load balancer sits in front of the receivers, so VaultsPay's redelivery of an
// event lands on the other receiver, which recognises it; the two clients log in once between them and
// refresh once when the token expires.
//
// It is its own module (so the SDK's go.mod gains no Redis dependency). From this directory:
//
//	go run .                          # starts a throw-away redis-server from PATH
//	REDIS_ADDR=127.0.0.1:6379 go run . # or uses a Redis you run (keys under a random prefix)
//
// It needs a redis-server binary, or REDIS_ADDR. To get one: Debian or Ubuntu: sudo apt-get install
// redis-server; macOS: brew install redis; with Docker: docker run --rm -p 6379:6379 redis:7, then
// REDIS_ADDR=127.0.0.1:6379.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/vaultspay-go/vaultspay"
	vpredis "github.com/vaultspay-go/vaultspay/redis"
	"github.com/vaultspay-go/vaultspay/redis/redistest"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

const howToGetRedis = `fleet needs a redis-server binary on PATH, or REDIS_ADDR=host:port of a Redis you run.
  Debian, Ubuntu: sudo apt-get install redis-server
  macOS:          brew install redis
  Docker:         docker run --rm -p 6379:6379 redis:7   (then REDIS_ADDR=127.0.0.1:6379)`

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	addr := os.Getenv("REDIS_ADDR")
	if addr == "" {
		dir, err := os.MkdirTemp("", "fleet-redis-")
		if err != nil {
			fail(err)
		}
		defer os.RemoveAll(dir)
		srv, err := redistest.Start(ctx, dir)
		if errors.Is(err, redistest.ErrNotInstalled) {
			fmt.Fprintln(os.Stderr, howToGetRedis)
			os.Exit(2)
		}
		if err != nil {
			fail(err)
		}
		defer srv.Stop()
		addr = srv.Addr
	}
	if err := run(ctx, os.Stdout, addr); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "fleet:", err)
	os.Exit(1)
}

// Sample payloads as documented in 60-webhooks.md §2 and 31-transfers.md §3.1.
const (
	cardEvent = `{"id": "01hvjr8fz6mbw6f9r9v3e5b5yw", "type": "card.status.active", "occurred_at": "2026-03-13T09:20:12Z",
  "status": {"previous": {"code": "BLOCK", "label": "DECLINE_ALL_TXNS"}, "current": {"code": "ACTIVE", "label": "FULLY_OPERATIONAL"}, "reason": "Card was unblocked by the admin"},
  "card": {"token": 987654321, "last_four_digits": "3321", "tier": "VaultsPay Debit Card Tier", "network": "MC", "type": "PHYSICAL"}}`
	transferEvent = `{"transactionId": "3ac58f37-3cc3-49b3-b3dd-9f83e4263b13", "amount": 1000.00, "status": "SUCCESS", "refId": "CH-998877"}`
)

// run starts the fake, the receivers and the clients on the Redis at redisAddr, and prints what
// happened. All keys go under a random prefix.
func run(ctx context.Context, out io.Writer, redisAddr string) error {
	prefix := "vaultspay-fleet-demo:" + randomHex(4) + ":"
	fake := vaultspaytest.NewServer(vaultspaytest.WithWebhookPolicy(vaultspaytest.WebhookPolicy{Backoff: 10 * time.Millisecond}))
	defer fake.Close()
	newRedis := func() *goredis.Client { return goredis.NewClient(&goredis.Options{Addr: redisAddr}) }

	// Two receivers, each with its own Redis connection, as two processes would have.
	book := &ledger{out: out, handled: map[string][]string{}}
	var targets []*url.URL
	for _, name := range []string{"receiver-1", "receiver-2"} {
		rdb := newRedis()
		defer rdb.Close()
		store, err := vpredis.NewDedupStore(rdb, vpredis.DedupConfig{Prefix: prefix})
		if err != nil {
			return err
		}
		h := vaultspay.NewWebhookHandler(book.handler(name), vaultspay.WithWebhookDedupStore(store))
		u, stop, err := serve(book.report(name, h))
		if err != nil {
			return err
		}
		defer stop()
		targets = append(targets, u)
	}
	lb, stopLB, err := serve(roundRobin(targets))
	if err != nil {
		return err
	}
	defer stopLB()
	if err := fake.SetWebhook(lb.String(), ""); err != nil {
		return err
	}

	// Each event is sent, then sent again as VaultsPay does when it is unsure of the first delivery;
	// the load balancer sends the second to the other receiver.
	for _, body := range []string{cardEvent, transferEvent} {
		ev, err := vaultspay.ParseEvent([]byte(body))
		if err != nil {
			return err
		}
		for range 2 {
			if err := fake.EmitWebhook(ev); err != nil {
				return err
			}
			if err := fake.WaitWebhooks(ctx); err != nil {
				return err
			}
		}
	}
	deliveries := len(fake.WebhookDeliveries())
	fmt.Fprintf(out, "%d deliveries, %d events, each handled once: %v\n", deliveries, len(book.handled), book.once())

	// Two clients sharing one login through Redis.
	key := make([]byte, 32) // a real fleet loads the same key in every process from its secret store
	_, _ = rand.Read(key)
	login := vaultspay.LoginRequest{ClientID: fake.ClientID(), ClientSecret: vaultspay.Secret(fake.ClientSecret())}
	var clients []*vaultspay.Client
	for range 2 {
		rdb := newRedis()
		defer rdb.Close()
		ts, err := vpredis.NewTokenSource(rdb, fake.Client(), login, key, vpredis.TokenConfig{Prefix: prefix})
		if err != nil {
			return err
		}
		clients = append(clients, fake.Client(vaultspay.WithTokenSource(ts)))
	}
	pingAll := func() error {
		for i, c := range clients {
			if _, err := c.Ping(ctx); err != nil {
				return fmt.Errorf("client-%d: %w", i+1, err)
			}
		}
		return nil
	}
	if err := pingAll(); err != nil {
		return err
	}
	fmt.Fprintf(out, "2 clients called the API: %d login at VaultsPay\n", fake.CountRequests(http.MethodPost, "/as/api/v1/saas-login"))
	fake.ExpireTokens()
	if err := pingAll(); err != nil {
		return err
	}
	fmt.Fprintf(out, "their token expired: %d refresh, %d login in all\n",
		fake.CountRequests(http.MethodPost, "/as/api/v1/saas-refresh-token"), fake.CountRequests(http.MethodPost, "/as/api/v1/saas-login"))
	return nil
}

// ledger records which receiver handled which event, and prints each delivery's outcome.
type ledger struct {
	mu      sync.Mutex
	out     io.Writer
	handled map[string][]string // event id → receivers that ran the function
	last    string              // the event the function ran for last
	runs    int
}

func (l *ledger) handler(name string) func(context.Context, vaultspay.Event) error {
	return func(_ context.Context, ev vaultspay.Event) error {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.handled[ev.EventID()] = append(l.handled[ev.EventID()], name)
		l.last, l.runs = ev.EventType()+" "+ev.EventID(), l.runs+1
		return nil // your processing goes here; an error makes VaultsPay deliver the event again
	}
}

// report prints, after each delivery to receiver name, its answer and whether the function ran. The
// demo sends one delivery at a time.
func (l *ledger) report(name string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		before := l.runs
		l.mu.Unlock()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.runs > before {
			fmt.Fprintf(l.out, "%s answered %d: handled %s\n", name, sw.status, l.last)
		} else {
			fmt.Fprintf(l.out, "%s answered %d: a redelivery, recognised and not handled again\n", name, sw.status)
		}
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController (the handler's read deadline) reach the server's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// once reports whether every event was handled exactly once.
func (l *ledger) once() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	ids := make([]string, 0, len(l.handled))
	for id := range l.handled {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if len(l.handled[id]) != 1 {
			return false
		}
	}
	return len(ids) > 0
}

// roundRobin forwards each request to the next target in turn, as a load balancer would.
func roundRobin(targets []*url.URL) http.Handler {
	var next atomic.Uint64
	return &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(targets[(next.Add(1)-1)%uint64(len(targets))])
	}}
}

// serve runs h on a loopback port with the timeouts a webhook receiver should have.
func serve(h http.Handler) (*url.URL, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 15 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 60 * time.Second, MaxHeaderBytes: 16 << 10}
	go func() { _ = srv.Serve(ln) }()
	return &url.URL{Scheme: "http", Host: ln.Addr().String()}, func() { _ = srv.Close() }, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
