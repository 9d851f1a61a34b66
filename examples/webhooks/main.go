// Command webhooks is a VaultsPay webhook receiver built with vaultspay.NewWebhookHandler: it prints
// every card and transfer event it processes, once per event.
//
//	go run ./examples/webhooks                  # demo, offline: an in-process fake delivers sample events
//	go run ./examples/webhooks -listen :8080    # a real receiver at http://<host>:8080/vaultspay/webhooks
//
// In demo mode the program starts the vaultspaytest fake, registers its own URL and a secret with it
// (as a partner does in the VaultsPay dashboard) and has the fake deliver the payloads documented in
// shared/api/60-webhooks.md with srv.EmitWebhook, the fake's back-office way to send an event. (Once the
// fake has cards and transfers it also sends events on card status changes and performed transfers.)
// The card event is delivered twice: the handler processes it once.
//
// As a real receiver it checks signatures with an HMAC-SHA256 verifier when VAULTSPAY_WEBHOOK_SECRET
// is set. VaultsPay documents no signature scheme, so that check is a guess to confirm with VaultsPay;
// without the variable it accepts unsigned events, and says so.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"time"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

const path = "/vaultspay/webhooks"

// Sample payloads exactly as documented in 60-webhooks.md §2 and §7.
const (
	sampleCardEvent = `{
  "id": "01hvjr8fz6mbw6f9r9v3e5b5yw",
  "type": "card.status.active",
  "occurred_at": "2026-03-13T09:20:12Z",
  "status": {
    "previous": {"code": "BLOCK", "label": "DECLINE_ALL_TXNS"},
    "current": {"code": "ACTIVE", "label": "FULLY_OPERATIONAL"},
    "reason": "Card was unblocked by the admin"
  },
  "card": {"token": 987654321, "last_four_digits": "3321", "tier": "VaultsPay Debit Card Tier", "network": "MC", "type": "PHYSICAL"}
}`
	sampleTransferSuccess  = `{"transactionId": "3ac58f37-3cc3-49b3-b3dd-9f83e4263b13", "amount": 1000.00, "status": "SUCCESS", "refId": "CH-998877"}`
	sampleTransferReversed = `{"transactionId": "3ac58f37-3cc3-49b3-b3dd-9f83e4263b13", "amount": 1000.00, "status": "REVERSED", "refId": "CH-998877"}`
)

func main() {
	listen := flag.String("listen", "", "serve as a real receiver on this address (e.g. :8080) instead of the demo")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var err error
	if *listen != "" {
		err = serve(ctx, *listen, os.Getenv("VAULTSPAY_WEBHOOK_SECRET"), os.Stdout)
	} else {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		err = demo(ctx, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "webhooks:", err)
		os.Exit(1)
	}
}

// printer is the receiver's fn: it prints each event, under a lock (deliveries arrive concurrently).
type printer struct {
	mu  sync.Mutex
	out io.Writer
	n   int
}

func (p *printer) handle(_ context.Context, ev vaultspay.Event) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	switch e := ev.(type) {
	case *vaultspay.CardEvent:
		prev := "none"
		if e.Status.Previous != nil {
			prev = string(e.Status.Previous.Code)
		}
		fmt.Fprintf(p.out, "card event %s: card ending %s is now %s (was %s): %s\n",
			e.Type, e.Card.LastFourDigits, e.Status.Current.Code, prev, e.Status.Reason)
	case *vaultspay.TransferEvent:
		fmt.Fprintf(p.out, "transfer %s: %s, amount %s, ref %s\n", e.TransactionID, e.Status, e.Amount, e.RefID)
	case *vaultspay.UnknownEvent:
		fmt.Fprintf(p.out, "unknown event %q (%d bytes kept)\n", e.Type, len(e.RawJSON()))
	}
	return nil // your processing goes here; an error makes VaultsPay deliver the event again
}

func (p *printer) printf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.out, format, args...)
}

// handler builds the receiver; a secret adds the HMAC check.
func handler(p *printer, secret string) (http.Handler, error) {
	var opts []vaultspay.WebhookOption
	if secret != "" {
		v, err := vaultspay.NewHMACVerifier(vaultspay.Secret(secret))
		if err != nil {
			return nil, err
		}
		opts = append(opts, vaultspay.WithWebhookVerifier(v))
	}
	mux := http.NewServeMux()
	mux.Handle(path, vaultspay.NewWebhookHandler(p.handle, opts...))
	return mux, nil
}

// serve runs the receiver on addr until ctx ends.
func serve(ctx context.Context, addr, secret string, out io.Writer) error {
	p := &printer{out: out}
	h, err := handler(p, secret)
	if err != nil {
		return err
	}
	if secret == "" {
		p.printf("warning: VAULTSPAY_WEBHOOK_SECRET is not set: unsigned events are accepted\n")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	p.printf("receiving on http://%s%s\n", ln.Addr(), path)
	return runServer(ctx, ln, h)
}

func runServer(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// demo starts the receiver and a fake, and has the fake deliver the sample events.
func demo(ctx context.Context, out io.Writer) error {
	const secret = "whsec_demo_only"
	p := &printer{out: out}
	h, err := handler(p, secret)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	recvCtx, stopRecv := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- runServer(recvCtx, ln, h) }()
	defer func() { stopRecv(); <-served }()

	fake, err := vaultspaytest.NewUnstartedServer(vaultspaytest.WithWebhookPolicy(vaultspaytest.WebhookPolicy{Backoff: 100 * time.Millisecond}))
	if err != nil {
		return err
	}
	if err := fake.Start(); err != nil {
		return err
	}
	defer fake.Close()
	url := "http://" + ln.Addr().String() + path
	if err := fake.SetWebhook(url, secret); err != nil {
		return err
	}
	p.printf("receiver at %s, registered with the fake at %s\n", url, fake.URL)

	for _, sample := range []string{sampleCardEvent, sampleCardEvent, sampleTransferSuccess, sampleTransferReversed} {
		ev, err := vaultspay.ParseEvent([]byte(sample))
		if err != nil {
			return err
		}
		if err := fake.EmitWebhook(ev); err != nil {
			return err
		}
		if err := fake.WaitWebhooks(ctx); err != nil { // one at a time, so the output has a stable order
			return err
		}
	}
	deliveries := fake.WebhookDeliveries()
	p.mu.Lock()
	processed := p.n
	p.mu.Unlock()
	p.printf("%d deliveries, %d events processed (the repeated card event was recognised)\n", len(deliveries), processed)
	return nil
}
