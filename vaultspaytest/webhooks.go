package vaultspaytest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/vaultspay-go/vaultspay"
)

// The fake's webhook sender (shared/api/60-webhooks.md, 31-transfers.md §3.1). Decisions where the
// vendor is silent:
//   - One URL per server, for card and transfer events alike (set with SetWebhook or POST
//     /_fake/webhooks); none registered means nothing is sent or logged.
//   - Each event is POSTed as application/json, the body exactly the documented payload. With a secret,
//     the body's HMAC-SHA256, lower-case hex, goes in vaultspay.DefaultSignatureHeader: the defaults of
//     vaultspay.HMACVerifier, not a vendor scheme (none is documented).
//   - A 2xx answer delivers; anything else, or no answer within the timeout, is retried, 3 attempts in
//     all with exponential backoff (the documented transfer policy, used for card events too).
//   - Deliveries run in the background, one goroutine each (order between events is not guaranteed,
//     as the vendor promises none); Close cancels the waiting ones and waits for all of them.

// WebhookPolicy is how the fake delivers webhooks. Zero fields take the defaults.
type WebhookPolicy struct {
	Attempts int           // tries per event, default 3
	Backoff  time.Duration // wait before the second try, doubled before each further one; default 1s
	Timeout  time.Duration // per try, default 10s
}

// WithWebhookPolicy sets the delivery policy, e.g. a 1ms backoff in tests.
func WithWebhookPolicy(p WebhookPolicy) Option { return func(s *Server) { s.hooks.policy = p } }

func (p WebhookPolicy) normalize() WebhookPolicy {
	if p.Attempts <= 0 {
		p.Attempts = 3
	}
	if p.Backoff <= 0 {
		p.Backoff = time.Second
	}
	if p.Timeout <= 0 {
		p.Timeout = 10 * time.Second
	}
	return p
}

// DeliveryState is where a webhook delivery stands.
type DeliveryState string

// Delivery states.
const (
	DeliveryPending   DeliveryState = "pending"   // being tried
	DeliveryDelivered DeliveryState = "delivered" // a try was answered 2xx
	DeliveryFailed    DeliveryState = "failed"    // every try failed
	DeliveryCancelled DeliveryState = "cancelled" // the server closed before it was delivered
)

// WebhookDelivery is one event sent, or being sent, to the registered URL.
type WebhookDelivery struct {
	ID        int              `json:"id"` // 1, 2, … in the order the events were emitted
	URL       string           `json:"url"`
	EventID   string           `json:"eventId"`   // vaultspay.Event.EventID of the payload
	EventType string           `json:"eventType"` // vaultspay.Event.EventType of the payload
	Body      json.RawMessage  `json:"body"`
	State     DeliveryState    `json:"state"`
	Attempts  []WebhookAttempt `json:"attempts"`
}

// WebhookAttempt is one try of a delivery.
type WebhookAttempt struct {
	Time   time.Time `json:"time"`            // the fake's clock when the try ended
	Status int       `json:"status"`          // HTTP status; 0 when no answer came
	Error  string    `json:"error,omitempty"` // transport error, if any
}

// webhookEngine runs deliveries. policy and client are set before Start; the rest is guarded by
// Server.mu, except wg.
type webhookEngine struct {
	policy WebhookPolicy
	client *http.Client
	ctx    context.Context
	stop   context.CancelFunc
	wg     sync.WaitGroup

	closed  bool
	pending int
	idle    chan struct{} // closed when pending drops to 0
}

func newWebhookEngine() *webhookEngine {
	ctx, stop := context.WithCancel(context.Background())
	return &webhookEngine{client: &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()},
		ctx: ctx, stop: stop}
}

// webhookState is the webhook part of the fake's state: cleared by Reset.
type webhookState struct {
	url, secret string
	deliveries  []*WebhookDelivery
}

// SetWebhook registers the partner URL that card and transfer events are POSTed to, and an optional
// secret to sign them with; an empty url removes the registration. It mirrors POST /_fake/webhooks.
func (s *Server) SetWebhook(rawURL, secret string) error {
	if rawURL != "" {
		u, err := url.Parse(rawURL)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return fmt.Errorf("vaultspaytest: webhook URL %q is not an absolute http(s) URL", rawURL)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.hooks.url, s.st.hooks.secret = rawURL, secret
	return nil
}

// EmitWebhook sends ev to the registered URL as the back office would, for events the fake cannot
// produce itself. An event parsed by vaultspay.ParseEvent (any event with RawJSON, *vaultspay.UnknownEvent
// included) is sent as its RawJSON, byte for byte; a *vaultspay.CardEvent built in code without ID or
// OccurredAt gets a new id and the fake's time. It fails when no URL is registered or the server is
// closed. It mirrors POST /_fake/webhooks/emit.
func (s *Server) EmitWebhook(ev vaultspay.Event) error {
	var body []byte
	var err error
	s.mu.Lock()
	defer s.mu.Unlock()
	switch e := ev.(type) {
	case nil:
		err = errors.New("no event")
	case *vaultspay.UnknownEvent:
		if body = e.RawJSON(); body == nil {
			err = errors.New("an UnknownEvent needs its RawJSON")
		}
	case *vaultspay.CardEvent:
		if body = e.RawJSON(); body != nil {
			break
		}
		c := *e
		if c.ID == "" {
			c.ID = newEventID(s.nowLocked())
		}
		if c.OccurredAt.IsZero() {
			c.OccurredAt = vaultspay.Time{Time: s.nowLocked().UTC().Truncate(time.Second)}
		}
		ev = &c
		body, err = json.Marshal(c)
	case *vaultspay.TransferEvent:
		if body = e.RawJSON(); body == nil {
			body, err = json.Marshal(e)
		}
	default:
		err = fmt.Errorf("unsupported event %T", ev)
	}
	if err != nil {
		return fmt.Errorf("vaultspaytest: EmitWebhook: %w", err)
	}
	if !s.queueWebhookLocked(ev.EventID(), ev.EventType(), body) {
		return errors.New("vaultspaytest: EmitWebhook: no webhook URL registered, or the server is closed")
	}
	return nil
}

// emitCardEventLocked queues the card event for a status change from → to (from "" for a card that had
// none: status.previous is then null). The card code calls it on every status change.
func (s *Server) emitCardEventLocked(card vaultspay.CardEventCard, from, to vaultspay.CardStatusCode, reason string) {
	now := s.nowLocked().UTC()
	ev := vaultspay.CardEvent{
		ID:         newEventID(now),
		Type:       vaultspay.CardEventType("card.status." + strings.ToLower(string(to))),
		OccurredAt: vaultspay.Time{Time: now.Truncate(time.Second)},
		Status:     vaultspay.CardStatusTransition{Current: cardEventStatus(to), Reason: reason},
		Card:       card,
	}
	if from != "" {
		prev := cardEventStatus(from)
		ev.Status.Previous = &prev
	}
	body, err := json.Marshal(ev)
	if err == nil {
		s.queueWebhookLocked(ev.ID, string(ev.Type), body)
	}
}

// cardEventStatus pairs a platform code with a network label: ACTIVE is FULLY_OPERATIONAL, as
// documented; every other status is DECLINE_ALL_TXNS (documented for BLOCK, the fake's choice for the
// rest, whose labels are UNKNOWN).
func cardEventStatus(code vaultspay.CardStatusCode) vaultspay.CardEventStatus {
	label := vaultspay.CardStatusLabelDeclineAllTxns
	if code == vaultspay.CardStatusCodeActive {
		label = vaultspay.CardStatusLabelFullyOperational
	}
	return vaultspay.CardEventStatus{Code: code, Label: label}
}

// emitTransferEventLocked queues the TRANSACTION_PERFORMED event of a transfer that became SUCCESS or
// REVERSED. amount is sent as given (the transfer API's cents).
func (s *Server) emitTransferEventLocked(transactionID string, amount vaultspay.Amount, status vaultspay.TransferEventStatus, refID string) {
	ev := vaultspay.TransferEvent{TransactionID: transactionID, Amount: amount, Status: status, RefID: refID}
	body, err := json.Marshal(ev)
	if err == nil {
		s.queueWebhookLocked(ev.EventID(), ev.EventType(), body)
	}
}

// queueWebhookLocked logs a delivery and starts it in the background; false when no URL is registered
// or the server is closed.
func (s *Server) queueWebhookLocked(eventID, eventType string, body []byte) bool {
	h, e := &s.st.hooks, s.hooks
	if h.url == "" || e.closed {
		return false
	}
	d := &WebhookDelivery{ID: len(h.deliveries) + 1, URL: h.url, EventID: eventID, EventType: eventType,
		Body: append(json.RawMessage(nil), body...), State: DeliveryPending}
	h.deliveries = append(h.deliveries, d)
	if e.pending == 0 {
		e.idle = make(chan struct{})
	}
	e.pending++
	e.wg.Add(1)
	go s.deliver(d, h.url, h.secret, d.Body)
	return true
}

// deliver tries d until it is answered 2xx, the attempts run out or the server closes.
func (s *Server) deliver(d *WebhookDelivery, target, secret string, body []byte) {
	e := s.hooks
	defer e.wg.Done()
	defer s.deliveryDone()
	p := e.policy.normalize()
	wait := p.Backoff
	for n := 1; ; n++ {
		status, err := s.post(p.Timeout, target, secret, body)
		cancelled := e.ctx.Err() != nil
		s.mu.Lock()
		a := WebhookAttempt{Time: s.nowLocked().UTC(), Status: status}
		if err != nil {
			a.Error = err.Error()
		}
		d.Attempts = append(d.Attempts, a)
		ok := err == nil && status >= 200 && status < 300
		switch {
		case ok:
			d.State = DeliveryDelivered
		case cancelled:
			d.State = DeliveryCancelled
		case n >= p.Attempts:
			d.State = DeliveryFailed
		}
		s.mu.Unlock()
		if ok || cancelled || n >= p.Attempts {
			return
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-e.ctx.Done():
			t.Stop()
			s.mu.Lock()
			d.State = DeliveryCancelled
			s.mu.Unlock()
			return
		}
		wait *= 2
	}
}

// post sends one try and returns the status (0 with an error when no answer came).
func (s *Server) post(timeout time.Duration, target, secret string, body []byte) (int, error) {
	ctx, cancel := context.WithTimeout(s.hooks.ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "vaultspaytest-webhooks")
	if secret != "" {
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write(body)
		req.Header.Set(vaultspay.DefaultSignatureHeader, hex.EncodeToString(mac.Sum(nil)))
	}
	res, err := s.hooks.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	return res.StatusCode, nil
}

func (s *Server) deliveryDone() {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.hooks
	if e.pending--; e.pending == 0 {
		close(e.idle)
	}
}

// WaitWebhooks blocks until every delivery queued so far has been delivered, has failed or was
// cancelled, or ctx ends.
func (s *Server) WaitWebhooks(ctx context.Context) error {
	s.mu.Lock()
	idle := s.hooks.idle
	pending := s.hooks.pending
	s.mu.Unlock()
	if pending == 0 {
		return nil
	}
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// WebhookDeliveries returns the delivery log, oldest first (a copy).
func (s *Server) WebhookDeliveries() []WebhookDelivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]WebhookDelivery, len(s.st.hooks.deliveries))
	for i, d := range s.st.hooks.deliveries {
		out[i] = *d
		out[i].Attempts = append([]WebhookAttempt(nil), d.Attempts...)
	}
	return out
}

// closeWebhooks stops new deliveries, cancels the running ones and waits for their goroutines.
func (s *Server) closeWebhooks() {
	s.mu.Lock()
	s.hooks.closed = true
	s.mu.Unlock()
	s.hooks.stop()
	s.hooks.wg.Wait()
	s.hooks.client.CloseIdleConnections()
}

// newEventID returns a lower-case ULID (26 Crockford Base32 characters: 48 bits of milliseconds, 80
// random bits), the form of the documented example id.
func newEventID(t time.Time) string {
	const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
	var b [16]byte
	ms := uint64(t.UnixMilli())
	for i := 0; i < 6; i++ {
		b[i] = byte(ms >> (40 - 8*i))
	}
	_, _ = rand.Read(b[6:])
	n := new(big.Int).SetBytes(b[:])
	out := make([]byte, 26)
	mask := big.NewInt(31)
	for i := 25; i >= 0; i-- {
		out[i] = alphabet[new(big.Int).And(n, mask).Int64()]
		n.Rsh(n, 5)
	}
	return string(out)
}
