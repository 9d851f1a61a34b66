package vaultspayotel_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	metricnoop "go.opentelemetry.io/otel/metric/noop"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/vaultspay-go/vaultspay"
	vaultspayotel "github.com/vaultspay-go/vaultspay/otel"
)

// cannedAccount is an account answer as the fake sends it (bench/bench_test.go has the same).
const cannedAccount = `{"data":{"id":13,"userId":3,"accountType":"DIGITAL","currencyCode":"AED","currency":{"createdAt":` +
	`"2024-10-07T04:56:49.699+00:00","createdBy":null,"updatedAt":null,"updatedBy":null,"id":2,"name":"United ARAB EMIRATE",` +
	`"code":"AED","isoCode":784,"decimalPoint":2,"type":"FIAT","symbol":null,"icon":null,"status":true},"accountTitle":` +
	`"BENCH MARK","accountNumber":"30132278000013","balance":1.25,"balanceOnHold":0,"totalTransactions":1,"status":"ACTIVE",` +
	`"references":[],"iban":null,"isPrimary":true,"creditLimit":0}}`

// canned answers every request in process: login with a token, anything else with cannedAccount.
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

// BenchmarkClientOverhead is bench's ClientOverhead (one Wallets.Get against an in-process canned
// answer, encryption off) without middleware (mw=none), with middleware that only passes each call
// and attempt on (mw=empty: the SDK's middleware path alone), and with this module's middleware on
// no-op tracer and meter providers (mw=otel-noop).
func BenchmarkClientOverhead(b *testing.B) {
	mw, err := vaultspayotel.Middleware(vaultspayotel.WithTracerProvider(tracenoop.NewTracerProvider()),
		vaultspayotel.WithMeterProvider(metricnoop.NewMeterProvider()))
	if err != nil {
		b.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		opts []vaultspay.Option
	}{
		{"mw=none", nil},
		{"mw=empty", []vaultspay.Option{vaultspay.WithMiddleware(vaultspay.Middleware{
			Call:    func(next vaultspay.CallFunc) vaultspay.CallFunc { return next },
			Attempt: func(next vaultspay.AttemptFunc) vaultspay.AttemptFunc { return next },
		})}},
		{"mw=otel-noop", []vaultspay.Option{vaultspay.WithMiddleware(mw)}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			ctx := context.Background()
			opts := append([]vaultspay.Option{vaultspay.WithBaseURL("http://127.0.0.1:1"), vaultspay.WithCredentials("id", "secret"),
				vaultspay.WithAppID("17"), vaultspay.WithEncryption(false), vaultspay.WithHTTPClient(&http.Client{Transport: canned{}})},
				tt.opts...)
			c, err := vaultspay.NewClient(opts...)
			if err != nil {
				b.Fatal(err)
			}
			if err := c.Login(ctx); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := c.Wallets.Get(ctx, 13); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
