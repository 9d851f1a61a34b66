package vaultspay_test

import (
	"context"
	"testing"

	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// BenchmarkPing measures one Ping through the whole pipeline (token, seal, HTTP on loopback, fake
// handler, open, decode) against the fake, with and without the envelope.
func BenchmarkPing(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts []vaultspaytest.Option
	}{
		{"encrypted", nil},
		{"plain", []vaultspaytest.Option{vaultspaytest.WithoutEncryption()}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			// A bare fake: newFake's secret scan and in-flight tracking would be measured too.
			newFake(b) // makes the shared key
			srv := vaultspaytest.NewServer(append([]vaultspaytest.Option{vaultspaytest.WithRSAKey(fakeKey)}, bc.opts...)...)
			b.Cleanup(srv.Close)
			client := srv.Client()
			ctx := context.Background()
			if err := client.Login(ctx); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := client.Ping(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
