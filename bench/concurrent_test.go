package bench

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/vaultspay-go/vaultspay"
)

// BenchmarkConcurrent is Wallets.Get (encryption off, no crypto headers) from 1, 8 and 64 goroutines
// sharing one client, against the server process: the SDK and the hand-written Baseline, each over its
// own transport keeping up to 64 idle connections, so that neither pays for dials the other does not.
// ns/op is wall time per call over all goroutines: its inverse is the throughput.
func BenchmarkConcurrent(b *testing.B) {
	info := startServer(b)
	ctx := context.Background()
	pooled := func() *http.Client {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConns, tr.MaxIdleConnsPerHost = 64, 64
		b.Cleanup(tr.CloseIdleConnections)
		return &http.Client{Transport: tr}
	}
	base, err := NewBaseline(pooled(), info.URL, info.AppID, nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := base.Login(ctx, info.ClientID, info.ClientSecret); err != nil {
		b.Fatal(err)
	}
	sdk, err := vaultspay.NewClient(vaultspay.WithBaseURL(info.URL), vaultspay.WithCredentials(info.ClientID, info.ClientSecret),
		vaultspay.WithAppID(info.AppID), vaultspay.WithEncryption(false), vaultspay.WithoutCryptoHeadersWhenPlain(),
		vaultspay.WithHTTPClient(pooled()))
	if err != nil {
		b.Fatal(err)
	}
	if err := sdk.Login(ctx); err != nil {
		b.Fatal(err)
	}
	impls := []struct {
		name string
		get  func() error
	}{
		{"baseline", func() error { _, err := base.GetAccount(ctx, int64(info.Account)); return err }},
		{"sdk", func() error { _, err := sdk.Wallets.Get(ctx, info.Account); return err }},
	}
	for _, g := range []int{1, 8, 64} {
		for _, im := range impls {
			b.Run(fmt.Sprintf("goroutines=%d/impl=%s", g, im.name), func(b *testing.B) {
				inParallel(b, info.pid, g, im.get)
			})
		}
	}
}

// inParallel runs op b.N times in all, spread over g goroutines that take calls from one counter, and
// reports the CPU time per op of this process (cpu-ns/op) and of the server process pid
// (server-cpu-ns/op) where the OS tells: with both cores busy, their sum sets the throughput.
func inParallel(b *testing.B, pid, g int, op func() error) {
	b.Helper()
	b.ReportAllocs()
	cpu0, ok := processCPU()
	srv0, sok := childCPU(pid)
	var next atomic.Int64
	var failed atomic.Pointer[error]
	var wg sync.WaitGroup
	b.ResetTimer()
	for range g {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(b.N) {
				if err := op(); err != nil {
					failed.CompareAndSwap(nil, &err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	if cpu1, ok1 := processCPU(); ok && ok1 {
		b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
	}
	if srv1, ok1 := childCPU(pid); sok && ok1 {
		b.ReportMetric(float64(srv1-srv0)/float64(b.N), "server-cpu-ns/op")
	}
	if err := failed.Load(); err != nil {
		b.Fatal(*err)
	}
}
