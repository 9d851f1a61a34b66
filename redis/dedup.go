package redis

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/vaultspay-go/vaultspay"
)

// Defaults of DedupConfig.
const (
	DefaultPrefix    = "vaultspay:"
	DefaultClaimTTL  = 2 * time.Minute
	DefaultRetention = 7 * 24 * time.Hour
)

// DedupConfig configures a DedupStore. Zero fields take the defaults.
type DedupConfig struct {
	// Prefix starts every key (default DefaultPrefix); event keys are Prefix+"webhook:"+id.
	Prefix string
	// ClaimTTL is how long a claim lives if its holder neither commits nor releases it (a replica that
	// died mid-delivery): until then redeliveries are answered 409. Make it longer than the slowest run of
	// the handler's function, or a redelivery may be processed while the first run is still going.
	ClaimTTL time.Duration
	// Retention is how long a processed event is remembered.
	// UNKNOWN decided: VaultsPay documents 3 attempts with backoff but not how long redeliveries can
	// come; 7 days (DefaultRetention) covers them and a manual replay, for one small key per event.
	Retention time.Duration
}

// DedupStore is a vaultspay.DedupStore kept in Redis, so every receiver of a fleet de-duplicates
// together; install it with vaultspay.WithWebhookDedupStore. It has the semantics of
// vaultspay.MemoryDedupStore: Claim answers acquired, processed or busy; Commit records an event as
// processed for Retention; Release drops a claim so a redelivery is processed. A claim is an atomic SET
// NX with ClaimTTL, and only its owner can release it (the store remembers the token of each claim it
// holds and Redis compares it atomically). Errors wrap the go-redis error; the webhook handler answers
// 500 to a failed Claim, so VaultsPay delivers again rather than an event being processed without
// de-duplication. Safe for concurrent use; use one per process.
type DedupStore struct {
	rdb                 goredis.UniversalClient
	prefix              string
	claimTTL, retention time.Duration

	mu    sync.Mutex
	owned map[string]string // event id → value of the claim this store holds on it
}

var _ vaultspay.DedupStore = (*DedupStore)(nil)

// NewDedupStore returns a store on rdb configured by cfg. It fails on a nil rdb or a negative duration.
func NewDedupStore(rdb goredis.UniversalClient, cfg DedupConfig) (*DedupStore, error) {
	if rdb == nil {
		return nil, errors.New("vaultspay/redis: NewDedupStore: nil Redis client")
	}
	if cfg.ClaimTTL < 0 || cfg.Retention < 0 {
		return nil, errors.New("vaultspay/redis: NewDedupStore: negative ClaimTTL or Retention")
	}
	s := &DedupStore{rdb: rdb, prefix: cfg.Prefix, claimTTL: cfg.ClaimTTL, retention: cfg.Retention,
		owned: map[string]string{}}
	if s.prefix == "" {
		s.prefix = DefaultPrefix
	}
	if s.claimTTL == 0 {
		s.claimTTL = DefaultClaimTTL
	}
	if s.retention == 0 {
		s.retention = DefaultRetention
	}
	return s, nil
}

// processed is the value of a committed event's key; a claim's value is "claim:" and a random token.
const processed = "done"

// claimScript claims KEYS[1] with ARGV[1] for ARGV[2] ms unless it is claimed or processed, and says
// which: 0 acquired, 1 processed, 2 busy.
var claimScript = goredis.NewScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
if redis.call('GET', KEYS[1]) == '` + processed + `' then return 1 end
return 2`)

// releaseScript deletes KEYS[1] only while it still holds ARGV[1], and returns how many keys it deleted.
var releaseScript = goredis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)

// Claim implements vaultspay.DedupStore. An id this store already holds a claim on is busy without
// asking Redis.
func (s *DedupStore) Claim(ctx context.Context, id string) (vaultspay.ClaimResult, error) {
	if ctx == nil {
		return 0, errNilContext
	}
	s.mu.Lock()
	_, mine := s.owned[id]
	s.mu.Unlock()
	if mine {
		return vaultspay.ClaimBusy, nil
	}
	value := "claim:" + randomToken()
	n, err := claimScript.Run(ctx, s.rdb, []string{s.key(id)}, value, s.claimTTL.Milliseconds()).Int()
	if err != nil {
		return 0, fmt.Errorf("vaultspay/redis: claiming a webhook event: %w", err)
	}
	switch n {
	case 0:
		s.mu.Lock()
		s.owned[id] = value
		s.mu.Unlock()
		return vaultspay.ClaimAcquired, nil
	case 1:
		return vaultspay.ClaimProcessed, nil
	}
	return vaultspay.ClaimBusy, nil
}

// Commit implements vaultspay.DedupStore: the event is recorded as processed for Retention, whoever
// holds the claim now (it was processed).
func (s *DedupStore) Commit(ctx context.Context, id string) error {
	if ctx == nil {
		return errNilContext
	}
	s.forget(id)
	if err := s.rdb.Set(ctx, s.key(id), processed, s.retention).Err(); err != nil {
		return fmt.Errorf("vaultspay/redis: recording a webhook event as processed: %w", err)
	}
	return nil
}

// Release implements vaultspay.DedupStore. It deletes the claim only if this store still holds it: a
// claim that expired and was taken by another receiver is left alone. Releasing an id this store does
// not hold does nothing.
func (s *DedupStore) Release(ctx context.Context, id string) error {
	if ctx == nil {
		return errNilContext
	}
	value, ok := s.forget(id)
	if !ok {
		return nil
	}
	if err := releaseScript.Run(ctx, s.rdb, []string{s.key(id)}, value).Err(); err != nil {
		return fmt.Errorf("vaultspay/redis: releasing a webhook event: %w", err)
	}
	return nil
}

// forget drops and returns the value of this store's claim on id.
func (s *DedupStore) forget(id string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.owned[id]
	delete(s.owned, id)
	return v, ok
}

// maxIDInKey is the longest id used as is in a key; a longer one (an id from a hostile payload) is
// hashed.
const maxIDInKey = 128

func (s *DedupStore) key(id string) string {
	if len(id) > maxIDInKey {
		sum := sha256.Sum256([]byte(id))
		id = "sha256:" + hex.EncodeToString(sum[:])
	}
	return s.prefix + "webhook:" + id
}

var errNilContext = errors.New("vaultspay/redis: nil context")

// randomToken is 128 random bits in hex. crypto/rand.Read never fails (Go 1.24 and later).
func randomToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
