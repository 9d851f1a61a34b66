package redis

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/redis/redistest"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

const (
	loginPath   = "/as/api/v1/saas-login"
	refreshPath = "/as/api/v1/saas-refresh-token"
)

var (
	rsaOnce sync.Once
	rsaKey  *rsa.PrivateKey
)

// newFake starts a VaultsPay fake sharing one RSA key per test binary, closed when the test ends.
func newFake(t testing.TB, opts ...vaultspaytest.Option) *vaultspaytest.Server {
	t.Helper()
	rsaOnce.Do(func() {
		var err error
		if rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	srv := vaultspaytest.NewServer(append([]vaultspaytest.Option{vaultspaytest.WithRSAKey(rsaKey)}, opts...)...)
	t.Cleanup(srv.Close)
	return srv
}

// testKey is the AES-256 key the fleets of these tests seal their tokens with.
var testKey = []byte("0123456789abcdef0123456789abcdef")

// replica is one process of a fleet: its own Redis connection, token source and client.
type replica struct {
	ts     *TokenSource
	client *vaultspay.Client
	shift  atomic.Int64 // added to time.Now by ts, in nanoseconds
}

// newFleet builds n replicas sharing redis and fake.
func newFleet(t testing.TB, redis *redistest.Server, fake *vaultspaytest.Server, n int, cfg TokenConfig) []*replica {
	t.Helper()
	login := vaultspay.LoginRequest{ClientID: fake.ClientID(), ClientSecret: vaultspay.Secret(fake.ClientSecret())}
	out := make([]*replica, n)
	for i := range out {
		r := &replica{}
		ts, err := NewTokenSource(connect(t, redis), fake.Client(), login, testKey, cfg)
		require.NoError(t, err)
		ts.now = func() time.Time { return time.Now().Add(time.Duration(r.shift.Load())) }
		r.ts, r.client = ts, fake.Client(vaultspay.WithTokenSource(ts))
		out[i] = r
	}
	return out
}

// pingAll calls Ping from every replica at once and requires every call to succeed.
func pingAll(t *testing.T, fleet []*replica) {
	t.Helper()
	errs := make(chan error, len(fleet))
	for _, r := range fleet {
		go func() {
			_, err := r.client.Ping(context.Background())
			errs <- err
		}()
	}
	for range fleet {
		require.NoError(t, <-errs)
	}
}

// localToken is the token r holds in memory.
func (r *replica) localToken() *sealedToken {
	r.ts.mu.Lock()
	defer r.ts.mu.Unlock()
	return r.ts.tok
}
