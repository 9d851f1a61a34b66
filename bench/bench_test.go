package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// measure runs op b.N times with allocations reported and, where the OS tells, the process's CPU
// time per op (cpu-ns/op): with the server in another process that is the client's cost alone.
func measure(b *testing.B, op func() error) {
	b.Helper()
	b.ReportAllocs()
	cpu0, ok := processCPU()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := op(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if cpu1, ok1 := processCPU(); ok && ok1 {
		b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkAccountGet is one Accounts.Get (Wallets.Get, an 800-byte answer) on loopback: the SDK and
// the hand-written Baseline against the same server process, with encryption off (enc=off) and on
// (enc=on). With encryption on the server's RSA unwrap (about 1.5 ms) dominates ns/op; cpu-ns/op is the
// client's own cost. sdk-headers is the SDK's default with encryption off: it still sends a fresh
// wrapped key (WithoutCryptoHeadersWhenPlain turns that off, as sdk does here).
func BenchmarkAccountGet(b *testing.B) {
	info := startServer(b)
	ctx := context.Background()
	for _, enc := range []struct {
		name string
		on   bool
	}{{"off", false}, {"on", true}} {
		base, sdk := info.baseline(b, enc.on), info.sdk(b, enc.on, false)
		impls := []struct {
			name string
			get  func() error
		}{
			{"baseline", func() error { _, err := base.GetAccount(ctx, int64(info.Account)); return err }},
			{"sdk", func() error { _, err := sdk.Wallets.Get(ctx, info.Account); return err }},
		}
		if !enc.on {
			headers := info.sdk(b, false, true)
			impls = append(impls, struct {
				name string
				get  func() error
			}{"sdk-headers", func() error { _, err := headers.Wallets.Get(ctx, info.Account); return err }})
		}
		for _, im := range impls {
			b.Run("enc="+enc.name+"/impl="+im.name, func(b *testing.B) { measure(b, im.get) })
		}
	}
}

// cannedAccount is the fake's answer to GET /be/api/v1/accounts/13, as sent on the wire.
const cannedAccount = `{"data":{"id":13,"userId":3,"accountType":"DIGITAL","currencyCode":"AED","currency":{"createdAt":` +
	`"2024-10-07T04:56:49.699+00:00","createdBy":null,"updatedAt":null,"updatedBy":null,"id":2,"name":"United ARAB EMIRATE",` +
	`"code":"AED","isoCode":784,"decimalPoint":2,"type":"FIAT","symbol":null,"icon":null,"status":true},"accountTitle":` +
	`"BENCH MARK","accountNumber":"30132278000013","balance":1.25,"balanceOnHold":0,"totalTransactions":1,"status":"ACTIVE",` +
	`"references":[],"iban":null,"isPrimary":true,"creditLimit":0}}`

// canned answers every request in process, without a network or a server: login with a token, anything
// else with cannedAccount.
type canned struct{}

func (canned) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	body := cannedAccount
	if strings.HasSuffix(r.URL.Path, "/saas-login") {
		body = `{"accessToken":"at_1","accessTokenExpiry":"2999-01-01T00:00:00.000+00:00","refreshToken":"rt_1"}`
	}
	return &http.Response{StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Request: r,
		Header: http.Header{"Content-Type": {"application/json"}}, ContentLength: int64(len(body)),
		Body: io.NopCloser(strings.NewReader(body))}, nil
}

// BenchmarkClientOverhead is BenchmarkAccountGet (encryption off) with the network and the server taken
// away: both clients get the same canned answer from an in-process http.RoundTripper, so ns/op is the
// client's own work alone and the SDK's overhead is not hidden by the round trip.
func BenchmarkClientOverhead(b *testing.B) {
	ctx := context.Background()
	hc := &http.Client{Transport: canned{}}
	base, err := NewBaseline(hc, "http://127.0.0.1:1", "17", nil)
	if err != nil {
		b.Fatal(err)
	}
	sdk, err := vaultspay.NewClient(vaultspay.WithBaseURL("http://127.0.0.1:1"), vaultspay.WithCredentials("id", "secret"),
		vaultspay.WithAppID("17"), vaultspay.WithEncryption(false), vaultspay.WithHTTPClient(hc))
	if err != nil {
		b.Fatal(err)
	}
	if err := base.Login(ctx, "id", "secret"); err != nil {
		b.Fatal(err)
	}
	if err := sdk.Login(ctx); err != nil {
		b.Fatal(err)
	}
	b.Run("impl=baseline", func(b *testing.B) {
		measure(b, func() error { _, err := base.GetAccount(ctx, 13); return err })
	})
	b.Run("impl=sdk", func(b *testing.B) {
		measure(b, func() error { _, err := sdk.Wallets.Get(ctx, 13); return err })
	})
}

// BenchmarkLedgerWalk walks ledgers of 10,000 and 100,000 lines with ListLedgerIter (100 lines a page,
// encryption off) from a server process. peak-heap-B is the most heap in use seen at any page
// boundary; live-heap-B is what stays reachable half-way through the walk, after a forced GC, above
// the heap before it. Both must not grow with the ledger: the walker holds one page at a time.
func BenchmarkLedgerWalk(b *testing.B) {
	sizes := []int{10_000, 100_000}
	info := startServer(b, sizes...)
	client := info.sdk(b, false, false)
	const perPage = 100
	for _, n := range sizes {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			ctx := context.Background()
			opts := &vaultspay.LedgerListOptions{ListOptions: vaultspay.ListOptions{PerPage: perPage}}
			var peak, live uint64
			var ms runtime.MemStats
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				runtime.GC()
				runtime.ReadMemStats(&ms)
				base := ms.HeapAlloc
				b.StartTimer()
				seen := 0
				for _, err := range client.Wallets.ListLedgerIter(ctx, info.Ledgers[n], opts) {
					if err != nil {
						b.Fatal(err)
					}
					seen++
					if seen%perPage == 0 {
						runtime.ReadMemStats(&ms)
						peak = max(peak, ms.HeapInuse)
					}
					if seen == n/2 {
						runtime.GC()
						runtime.ReadMemStats(&ms)
						live = max(live, ms.HeapAlloc-min(base, ms.HeapAlloc))
					}
				}
				if seen != n {
					b.Fatalf("walked %d ledger lines, want %d", seen, n)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(peak), "peak-heap-B")
			b.ReportMetric(float64(live), "live-heap-B")
		})
	}
}

// BenchmarkRefreshStorm fires 1,000 concurrent Accounts.Get on a token the server has expired and
// times until all have completed: each is refused with 1003 and replayed once, and exactly one refresh
// must reach the server (asserted from the fake's request log; a count, never a time). The fake runs
// in process, without encryption, so the time is the SDK's single flight and replay, not RSA.
func BenchmarkRefreshStorm(b *testing.B) {
	const calls = 1000
	srv := vaultspaytest.NewServer(vaultspaytest.WithoutEncryption(), vaultspaytest.WithoutAnswerValidation())
	b.Cleanup(srv.Close)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = calls, calls // keep the storm's connections between runs
	b.Cleanup(tr.CloseIdleConnections)
	client := srv.Client(vaultspay.WithoutCryptoHeadersWhenPlain(), vaultspay.WithHTTPClient(&http.Client{Transport: tr}))
	ctx := context.Background()
	acct, err := openAccount(ctx, client, "storm")
	if err != nil {
		b.Fatal(err)
	}
	const refreshPath, loginPath = "/as/api/v1/saas-refresh-token", "/as/api/v1/saas-login"
	storm := func() {
		b.StopTimer()
		srv.ExpireTokens()
		refreshes, logins := srv.CountRequests(http.MethodPost, refreshPath), srv.CountRequests(http.MethodPost, loginPath)
		var wg sync.WaitGroup
		errs := make(chan error, calls)
		b.StartTimer()
		for range calls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := client.Wallets.Get(ctx, acct); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		b.StopTimer()
		close(errs)
		for err := range errs {
			b.Fatal(err)
		}
		if got := srv.CountRequests(http.MethodPost, refreshPath) - refreshes; got != 1 {
			b.Fatalf("%d concurrent calls on an expired token made %d refreshes, want exactly 1", calls, got)
		}
		if got := srv.CountRequests(http.MethodPost, loginPath) - logins; got != 0 {
			b.Fatalf("the storm logged in %d times, want 0", got)
		}
		b.StartTimer()
	}
	storm() // dials the connections the timed storms reuse
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		storm()
	}
}
