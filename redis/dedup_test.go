package redis

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/redis/redistest"
)

// TestDedupStoreSemantics runs one script of calls against MemoryDedupStore and against two
// DedupStores (two replicas) on one Redis: the answers are the same.
func TestDedupStoreSemantics(t *testing.T) {
	t.Parallel()
	replicas := newStores(t, newRedis(t), 2, DedupConfig{})
	mem := vaultspay.NewMemoryDedupStore(0)
	type step struct {
		op   string // claim, commit, release
		who  int    // 0 or 1: the replica (the memory store is one)
		id   string
		want vaultspay.ClaimResult
	}
	script := []step{
		{"claim", 0, "e1", vaultspay.ClaimAcquired},
		{"claim", 1, "e1", vaultspay.ClaimBusy},
		{"claim", 1, "e2", vaultspay.ClaimAcquired},
		{"commit", 0, "e1", 0},
		{"claim", 1, "e1", vaultspay.ClaimProcessed},
		{"claim", 0, "e1", vaultspay.ClaimProcessed},
		{"release", 1, "e2", 0},
		{"claim", 0, "e2", vaultspay.ClaimAcquired},
		{"commit", 0, "e2", 0},
		{"commit", 0, "e2", 0}, // committing twice is harmless
		{"claim", 1, "e2", vaultspay.ClaimProcessed},
		{"release", 1, "e3", 0}, // releasing an id never claimed does nothing
		{"claim", 1, "e3", vaultspay.ClaimAcquired},
	}
	ctx := context.Background()
	for i, st := range script {
		for name, s := range map[string]vaultspay.DedupStore{"memory": mem, "redis": replicas[st.who]} {
			switch st.op {
			case "claim":
				got, err := s.Claim(ctx, st.id)
				require.NoError(t, err)
				assert.Equal(t, st.want, got, "%s: step %d %+v", name, i, st)
			case "commit":
				require.NoError(t, s.Commit(ctx, st.id), "%s: step %d", name, i)
			case "release":
				require.NoError(t, s.Release(ctx, st.id), "%s: step %d", name, i)
			}
		}
	}
}

// claim claims id in s, failing the test on an error.
func claim(t *testing.T, s *DedupStore, id string) vaultspay.ClaimResult {
	t.Helper()
	got, err := s.Claim(context.Background(), id)
	require.NoError(t, err)
	return got
}

// newStores returns n stores (replicas) on srv, each with its own connection.
func newStores(t *testing.T, srv *redistest.Server, n int, cfg DedupConfig) []*DedupStore {
	t.Helper()
	out := make([]*DedupStore, n)
	for i := range out {
		var err error
		out[i], err = NewDedupStore(connect(t, srv), cfg)
		require.NoError(t, err)
	}
	return out
}

// eventuallyAcquired claims id in s every 10 ms until it is acquired, failing the test after a
// minute. It waits for a claim's TTL to run out; the assertion is on the outcome, never on the time.
func eventuallyAcquired(t *testing.T, s *DedupStore, id, msg string) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); claim(t, s, id) != vaultspay.ClaimAcquired; {
		if time.Now().After(deadline) {
			t.Fatal(msg)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestDedupStoreDeadReplica: a replica claims an event and dies (never commits or releases); the
// others are told busy while the claim lives, its key carries the claim TTL, and once it has expired
// another replica acquires the event and processes it.
func TestDedupStoreDeadReplica(t *testing.T) {
	t.Parallel()
	srv := newRedis(t)
	const ttl = time.Second // long enough for the checks below on a loaded machine
	dead := newStores(t, srv, 1, DedupConfig{ClaimTTL: ttl})[0]
	s := newStores(t, srv, 2, DedupConfig{})
	live, third := s[0], s[1]
	ctx := context.Background()

	require.Equal(t, vaultspay.ClaimAcquired, claim(t, dead, "evt"))
	pttl, err := connect(t, srv).PTTL(ctx, DefaultPrefix+"webhook:evt").Result()
	require.NoError(t, err)
	assert.True(t, pttl > 0 && pttl <= ttl, "the claim expires: PTTL %s", pttl)
	assert.Equal(t, vaultspay.ClaimBusy, claim(t, live, "evt"))

	eventuallyAcquired(t, live, "evt", "the dead replica's claim never expired")
	require.NoError(t, live.Commit(ctx, "evt"))
	assert.Equal(t, vaultspay.ClaimProcessed, claim(t, third, "evt"))
}

// TestDedupStoreReleaseOnlyByOwner: a slow replica whose claim expired and was taken over releases
// nothing of the new owner's claim.
func TestDedupStoreReleaseOnlyByOwner(t *testing.T) {
	t.Parallel()
	srv := newRedis(t)
	slow := newStores(t, srv, 1, DedupConfig{ClaimTTL: 200 * time.Millisecond})[0]
	s := newStores(t, srv, 2, DedupConfig{}) // their claims outlive the test
	owner, other := s[0], s[1]
	ctx := context.Background()
	require.Equal(t, vaultspay.ClaimAcquired, claim(t, slow, "evt"))
	eventuallyAcquired(t, owner, "evt", "the slow replica's claim never expired")

	require.NoError(t, slow.Release(ctx, "evt"))
	assert.Equal(t, vaultspay.ClaimBusy, claim(t, other, "evt"), "the new owner's claim survived the old owner's release")
	require.NoError(t, owner.Release(ctx, "evt"))
	assert.Equal(t, vaultspay.ClaimAcquired, claim(t, other, "evt"), "the owner's release freed it")
}

// TestDedupStoreKeys: the prefix and retention are applied; a committed event's key lives for the
// retention, not the claim TTL; an overlong id is hashed into a bounded key.
func TestDedupStoreKeys(t *testing.T) {
	t.Parallel()
	srv := newRedis(t)
	rdb := connect(t, srv)
	s, err := NewDedupStore(rdb, DedupConfig{Prefix: "app7:", ClaimTTL: time.Minute, Retention: time.Hour})
	require.NoError(t, err)
	ctx := context.Background()
	long := strings.Repeat("x", 10_000)
	for _, id := range []string{"evt", long} {
		require.Equal(t, vaultspay.ClaimAcquired, claim(t, s, id))
		require.NoError(t, s.Commit(ctx, id))
	}
	keys, err := rdb.Keys(ctx, "*").Result()
	require.NoError(t, err)
	require.Len(t, keys, 2)
	for _, k := range keys {
		assert.True(t, strings.HasPrefix(k, "app7:webhook:"), k)
		assert.LessOrEqual(t, len(k), 200, "bounded key")
		pttl, err := rdb.PTTL(ctx, k).Result()
		require.NoError(t, err)
		assert.True(t, pttl > time.Minute && pttl <= time.Hour, "retention, not claim TTL: %s", pttl)
	}
	assert.Equal(t, vaultspay.ClaimProcessed, claim(t, s, long))
}

// TestDedupStoreErrors: bad arguments and an unreachable Redis are errors, never panics or a false
// "acquired".
func TestDedupStoreErrors(t *testing.T) {
	t.Parallel()
	_, err := NewDedupStore(nil, DedupConfig{})
	assert.Error(t, err)
	srv := newRedis(t)
	_, err = NewDedupStore(connect(t, srv), DedupConfig{ClaimTTL: -time.Second})
	assert.Error(t, err)
	s, err := NewDedupStore(connect(t, srv), DedupConfig{})
	require.NoError(t, err)
	var nilCtx context.Context
	_, err = s.Claim(nilCtx, "evt")
	assert.ErrorIs(t, err, errNilContext)
	assert.ErrorIs(t, s.Commit(nilCtx, "evt"), errNilContext)
	assert.ErrorIs(t, s.Release(nilCtx, "evt"), errNilContext)

	ctx := context.Background()
	require.Equal(t, vaultspay.ClaimAcquired, claim(t, s, "held"))
	require.NoError(t, srv.Stop())
	_, err = s.Claim(ctx, "evt")
	assert.ErrorContains(t, err, "vaultspay/redis: claiming")
	assert.ErrorContains(t, s.Commit(ctx, "evt"), "vaultspay/redis: recording")
	assert.ErrorContains(t, s.Release(ctx, "held"), "vaultspay/redis: releasing")
}
