package redis

import (
	"context"
	"strconv"
	"testing"

	"github.com/vaultspay-go/vaultspay"
)

// BenchmarkClaimCommit measures one event's Claim and Commit, the store's share of a webhook delivery,
// on the Redis DedupStore (a loopback redis-server: two round trips) next to the in-memory store.
func BenchmarkClaimCommit(b *testing.B) {
	srv := newRedis(b)
	rs, err := NewDedupStore(connect(b, srv), DedupConfig{})
	if err != nil {
		b.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		store vaultspay.DedupStore
	}{{"memory", vaultspay.NewMemoryDedupStore(0)}, {"redis", rs}} {
		b.Run(tt.name, func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			run, i := randomToken(), 0 // fresh ids for every run of the function
			for b.Loop() {
				id := run + strconv.Itoa(i)
				i++
				got, err := tt.store.Claim(ctx, id)
				if err != nil || got != vaultspay.ClaimAcquired {
					b.Fatalf("claim %s: %v %v", id, got, err)
				}
				if err := tt.store.Commit(ctx, id); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
