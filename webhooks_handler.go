package vaultspay

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"sync"
)

// DefaultWebhookMaxBody is the largest webhook body NewWebhookHandler reads by default. The documented
// payloads are well under 1 KiB.
const DefaultWebhookMaxBody = 64 << 10

// DefaultDedupCapacity is how many processed event ids the default in-memory store remembers.
const DefaultDedupCapacity = 10000

// WebhookOption configures NewWebhookHandler. Out-of-range values keep the default.
type WebhookOption func(*webhookConfig)

type webhookConfig struct {
	maxBody  int64
	store    DedupStore
	verifier Verifier
	log      *slog.Logger
}

// WithWebhookMaxBody sets the largest body read, in bytes (default DefaultWebhookMaxBody); a larger
// one is answered 413. n <= 0 keeps the default.
func WithWebhookMaxBody(n int64) WebhookOption {
	return func(c *webhookConfig) {
		if n > 0 {
			c.maxBody = n
		}
	}
}

// WithWebhookDedupStore replaces the in-memory de-duplication store, e.g. with one shared by several
// instances of the receiver. nil turns de-duplication off.
func WithWebhookDedupStore(s DedupStore) WebhookOption {
	return func(c *webhookConfig) { c.store = s }
}

// WithWebhookVerifier checks every delivery with v before it is parsed; a failure is answered 401.
func WithWebhookVerifier(v Verifier) WebhookOption {
	return func(c *webhookConfig) { c.verifier = v }
}

// WithWebhookLogger logs refused deliveries and failures of fn: status, event id and type, and fn's
// error, never the payload. Default: silent.
func WithWebhookLogger(l *slog.Logger) WebhookOption {
	return func(c *webhookConfig) { c.log = l }
}

// NewWebhookHandler returns an http.Handler that receives VaultsPay webhooks and calls fn once per
// event. For each delivery it:
//
//   - answers 405 to anything but POST, and 415 to a Content-Type other than application/json (a
//     missing Content-Type is accepted: the card-event page does not name one);
//   - answers 413 to a body over the size limit (WithWebhookMaxBody);
//   - with a Verifier, answers 401 to a delivery that fails it;
//   - answers 400 to a body that is not a JSON object (see ParseEvent; unknown shapes reach fn);
//   - answers 200 without calling fn to an event id already processed, and 409 to one being processed
//     by another delivery right now, so the sender comes back later;
//   - calls fn with the request's context and answers 200 (empty body) only after fn returned nil; an
//     error (or a panic) answers 500 and forgets the id, so the sender's redelivery is processed.
//
// Events are de-duplicated on Event.EventID, or on the SHA-256 of the body when the payload has no id,
// in an in-memory store of the last DefaultDedupCapacity ids unless WithWebhookDedupStore says otherwise.
//
// Signatures: VaultsPay documents none (60-webhooks.md §5). Without WithWebhookVerifier this handler
// accepts unsigned events from anyone who can reach it: keep its URL secret, restrict it by network,
// or re-read the card or transaction through the API before acting.
//
// UNKNOWN decided: the response the sender expects is undocumented; 200 with an empty body is sent.
func NewWebhookHandler(fn func(context.Context, Event) error, opts ...WebhookOption) http.Handler {
	cfg := webhookConfig{maxBody: DefaultWebhookMaxBody, store: NewMemoryDedupStore(DefaultDedupCapacity)}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if fn == nil {
		fn = func(context.Context, Event) error {
			return errors.New("vaultspay: NewWebhookHandler was given a nil function")
		}
	}
	return &webhookHandler{cfg: cfg, fn: fn}
}

type webhookHandler struct {
	cfg webhookConfig
	fn  func(context.Context, Event) error
}

func (h *webhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.refuse(w, r, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			h.refuse(w, r, http.StatusUnsupportedMediaType, "content type must be application/json")
			return
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.cfg.maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.refuse(w, r, http.StatusRequestEntityTooLarge, "body too large")
			return
		}
		h.refuse(w, r, http.StatusBadRequest, "body could not be read")
		return
	}
	if h.cfg.verifier != nil {
		if err := h.cfg.verifier.Verify(r.Header, body); err != nil {
			h.refuse(w, r, http.StatusUnauthorized, "signature not valid")
			return
		}
	}
	ev, err := ParseEvent(body)
	if err != nil {
		h.refuse(w, r, http.StatusBadRequest, "body is not a JSON object")
		return
	}
	h.process(w, r, ev, dedupKey(ev, body))
}

// process runs fn once per key and answers the sender.
func (h *webhookHandler) process(w http.ResponseWriter, r *http.Request, ev Event, key string) {
	ctx, store := r.Context(), h.cfg.store
	event := slog.Group("event", slog.String("id", ev.EventID()), slog.String("type", ev.EventType()))
	if store != nil {
		claim, err := store.Claim(ctx, key)
		switch {
		case err != nil:
			h.logAttrs(ctx, slog.LevelError, "vaultspay: webhook dedup store failed", slog.Any("error", err), event)
			http.Error(w, "event not processed", http.StatusInternalServerError)
			return
		case claim == ClaimProcessed:
			w.WriteHeader(http.StatusOK)
			return
		case claim == ClaimBusy:
			http.Error(w, "event is being processed", http.StatusConflict)
			return
		}
	}
	finish := context.WithoutCancel(ctx) // record the outcome even if the sender hung up
	returned := false
	defer func() {
		if !returned && store != nil { // fn panicked: let a redelivery try again
			_ = store.Release(finish, key)
		}
	}()
	err := h.fn(ctx, ev)
	returned = true
	if err != nil {
		if store != nil {
			_ = store.Release(finish, key)
		}
		h.logAttrs(ctx, slog.LevelError, "vaultspay: webhook handler failed", slog.Any("error", err), event)
		http.Error(w, "event not processed", http.StatusInternalServerError)
		return
	}
	if store != nil {
		if err := store.Commit(finish, key); err != nil {
			h.logAttrs(ctx, slog.LevelWarn, "vaultspay: webhook dedup store failed", slog.Any("error", err), event)
		}
	}
	w.WriteHeader(http.StatusOK)
}

func (h *webhookHandler) logAttrs(ctx context.Context, level slog.Level, msg string, attrs ...slog.Attr) {
	if h.cfg.log != nil {
		h.cfg.log.LogAttrs(ctx, level, msg, attrs...)
	}
}

func (h *webhookHandler) refuse(w http.ResponseWriter, r *http.Request, status int, msg string) {
	h.logAttrs(r.Context(), slog.LevelWarn, "vaultspay: webhook refused", slog.Int("status", status),
		slog.String("reason", msg))
	http.Error(w, msg, status)
}

// dedupKey is the event id, or a hash of the body for a payload without one.
func dedupKey(ev Event, body []byte) string {
	if id := ev.EventID(); id != "" {
		return id
	}
	sum := sha256.Sum256(body)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// ClaimResult is what DedupStore.Claim found.
type ClaimResult int

const (
	// ClaimAcquired: the id is new and now claimed by the caller, who must Commit or Release it.
	ClaimAcquired ClaimResult = iota
	// ClaimProcessed: the id was processed before.
	ClaimProcessed
	// ClaimBusy: another delivery holds the claim right now.
	ClaimBusy
)

// DedupStore remembers which event ids were processed, so that a redelivered event reaches fn once.
// Implementations must be safe for concurrent use; a shared store (a database table, Redis) lets
// several receiver instances de-duplicate together.
type DedupStore interface {
	// Claim marks id as being processed unless it was processed or is being processed.
	Claim(ctx context.Context, id string) (ClaimResult, error)
	// Commit records a claimed id as processed.
	Commit(ctx context.Context, id string) error
	// Release drops a claim without recording it, so a redelivery is processed.
	Release(ctx context.Context, id string) error
}

// MemoryDedupStore is the default DedupStore: processed ids in memory, the oldest forgotten beyond its
// capacity. It does not survive a restart and is not shared between processes.
type MemoryDedupStore struct {
	mu       sync.Mutex
	capacity int
	done     map[string]struct{}
	order    []string // ring of done ids, oldest at next
	next     int
	busy     map[string]struct{}
}

// NewMemoryDedupStore returns a store remembering up to capacity processed ids (DefaultDedupCapacity
// when capacity <= 0).
func NewMemoryDedupStore(capacity int) *MemoryDedupStore {
	if capacity <= 0 {
		capacity = DefaultDedupCapacity
	}
	return &MemoryDedupStore{capacity: capacity, done: map[string]struct{}{}, busy: map[string]struct{}{}}
}

// Claim implements DedupStore.
func (m *MemoryDedupStore) Claim(_ context.Context, id string) (ClaimResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.done[id]; ok {
		return ClaimProcessed, nil
	}
	if _, ok := m.busy[id]; ok {
		return ClaimBusy, nil
	}
	m.busy[id] = struct{}{}
	return ClaimAcquired, nil
}

// Commit implements DedupStore.
func (m *MemoryDedupStore) Commit(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.busy, id)
	if _, ok := m.done[id]; ok {
		return nil
	}
	if len(m.order) < m.capacity {
		m.order = append(m.order, id)
	} else {
		delete(m.done, m.order[m.next])
		m.order[m.next] = id
		m.next = (m.next + 1) % m.capacity
	}
	m.done[id] = struct{}{}
	return nil
}

// Release implements DedupStore.
func (m *MemoryDedupStore) Release(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.busy, id)
	return nil
}

// Verifier checks that a delivery comes from VaultsPay, from its headers and raw body, before it is
// parsed. It returns an error to refuse the delivery.
type Verifier interface {
	Verify(header http.Header, body []byte) error
}

// ErrWebhookSignature reports a missing or wrong webhook signature.
var ErrWebhookSignature = errors.New("vaultspay: webhook signature not valid")

// DefaultSignatureHeader is the header HMACVerifier reads by default. It is the name the vendor's
// older, superseded docs used; the current docs define no signature.
const DefaultSignatureHeader = "VaultsPay-Signature"

// SignatureEncoding is how an HMAC is written in the signature header.
type SignatureEncoding int

// Signature encodings.
const (
	SignatureHex    SignatureEncoding = iota // lower- or upper-case hex (default)
	SignatureBase64                          // standard Base64 with padding
)

// HMACVerifier checks an HMAC-SHA256 of each delivery, keyed with the secret registered with the
// webhook URL. UNVERIFIED against the live service: VaultsPay documents an optional secret but no
// signature header, signed content or encoding (60-webhooks.md §5), so all three are options. Defaults:
// header DefaultSignatureHeader, the raw body, lower-case hex, no prefix.
type HMACVerifier struct {
	secret  Secret
	header  string
	prefix  string
	enc     SignatureEncoding
	content func(header http.Header, body []byte) []byte
}

// String describes the verifier's header and encoding, never the secret.
func (v HMACVerifier) String() string {
	return fmt.Sprintf("vaultspay.HMACVerifier{header: %s, encoding: %d, prefix: %q, secret: %s}", v.header, v.enc, v.prefix, redacted)
}

// Format prints String for every verb. It has a value receiver so that a dereferenced verifier
// (fmt cannot reach the methods of its unexported secret field) prints masked too.
func (v HMACVerifier) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, v.String()) }

// LogValue logs what String prints.
func (v HMACVerifier) LogValue() slog.Value { return slog.StringValue(v.String()) }

// HMACOption configures an HMACVerifier.
type HMACOption func(*HMACVerifier) error

// WithSignatureHeader reads the signature from header name.
func WithSignatureHeader(name string) HMACOption {
	return func(v *HMACVerifier) error {
		if strings.TrimSpace(name) == "" {
			return errors.New("signature header name is empty")
		}
		v.header = name
		return nil
	}
}

// WithSignaturePrefix strips prefix (e.g. "sha256=") from the header value; a value without it fails.
func WithSignaturePrefix(prefix string) HMACOption {
	return func(v *HMACVerifier) error { v.prefix = prefix; return nil }
}

// WithSignatureEncoding sets how the HMAC is encoded in the header.
func WithSignatureEncoding(e SignatureEncoding) HMACOption {
	return func(v *HMACVerifier) error {
		if e != SignatureHex && e != SignatureBase64 {
			return fmt.Errorf("unknown signature encoding %d", e)
		}
		v.enc = e
		return nil
	}
}

// WithSignedContent sets what is signed, built from the delivery's headers and raw body (default: the
// body alone), e.g. a timestamp header, ".", and the body.
func WithSignedContent(fn func(header http.Header, body []byte) []byte) HMACOption {
	return func(v *HMACVerifier) error {
		if fn == nil {
			return errors.New("signed content function is nil")
		}
		v.content = fn
		return nil
	}
}

// NewHMACVerifier returns a Verifier for HMAC-SHA256 signatures keyed with secret. It fails on an
// empty secret or a bad option.
func NewHMACVerifier(secret Secret, opts ...HMACOption) (*HMACVerifier, error) {
	if secret == "" {
		return nil, fmt.Errorf("vaultspay: NewHMACVerifier: %w", errors.New("secret is empty"))
	}
	v := &HMACVerifier{secret: secret, header: DefaultSignatureHeader,
		content: func(_ http.Header, body []byte) []byte { return body }}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(v); err != nil {
			return nil, fmt.Errorf("vaultspay: NewHMACVerifier: %w", err)
		}
	}
	return v, nil
}

// Verify checks the signature header against the HMAC of the signed content, in constant time. The
// error wraps ErrWebhookSignature and never contains the secret or the body.
func (v *HMACVerifier) Verify(header http.Header, body []byte) error {
	got := strings.TrimSpace(header.Get(v.header))
	if got == "" {
		return fmt.Errorf("%w: header %s missing", ErrWebhookSignature, v.header)
	}
	got, ok := strings.CutPrefix(got, v.prefix)
	if !ok {
		return fmt.Errorf("%w: header %s lacks prefix %q", ErrWebhookSignature, v.header, v.prefix)
	}
	var sig []byte
	var err error
	if v.enc == SignatureBase64 {
		sig, err = base64.StdEncoding.DecodeString(got)
	} else {
		sig, err = hex.DecodeString(got)
	}
	if err != nil {
		return fmt.Errorf("%w: header %s is not encoded as expected", ErrWebhookSignature, v.header)
	}
	mac := hmac.New(sha256.New, []byte(v.secret.Reveal()))
	mac.Write(v.content(header, body))
	if !hmac.Equal(sig, mac.Sum(nil)) {
		return fmt.Errorf("%w: signature does not match", ErrWebhookSignature)
	}
	return nil
}
