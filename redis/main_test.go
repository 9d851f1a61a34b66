package redis

import (
	"context"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"go.uber.org/goleak"

	"github.com/vaultspay-go/vaultspay/redis/redistest"
)

func TestMain(m *testing.M) {
	// go-redis logs every failed dial; the tests that stop Redis on purpose would flood the output.
	goredis.SetLogger(quiet{})
	goleak.VerifyTestMain(m)
}

type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}

// newRedis starts a redis-server for the test (skipped without the binary, except in CI).
func newRedis(t testing.TB) *redistest.Server { return redistest.New(t) }

// connect returns a client of srv, closed when the test ends: one per simulated replica. Dials to a
// stopped server are retried once, 10 ms apart, instead of 5 times 100 ms apart: only the tests that
// stop Redis notice, and they run faster.
func connect(t testing.TB, srv *redistest.Server) *goredis.Client {
	t.Helper()
	c := goredis.NewClient(&goredis.Options{Addr: srv.Addr, DialerRetries: 1, DialerRetryTimeout: 10 * time.Millisecond})
	t.Cleanup(func() { _ = c.Close() })
	return c
}
