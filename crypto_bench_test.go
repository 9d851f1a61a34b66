package vaultspay

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"testing"

	"github.com/vaultspay-go/vaultspay/internal/envelope"
)

// benchBody is n bytes of JSON-like text.
func benchBody(n int) []byte {
	const unit = `{"id":604,"amount":"1234.56","currency":"AED","merchant":"ACME Trading LLC"},`
	out := make([]byte, n)
	for i := range out {
		out[i] = unit[i%len(unit)]
	}
	return out
}

// BenchmarkEnvelope compares the SDK's sealer with the bare internal/envelope primitives it wraps,
// for 1 KiB and 64 KiB bodies. op=seal+open is one request's whole client-side envelope: fresh key and
// IV, RSA wrap, AES-GCM seal, then open of a body sealed under that key; op=open opens a 64-bit-nonce
// server answer alone, so the RSA wrap does not hide the body's cost. B/op shows every copy of a body.
func BenchmarkEnvelope(b *testing.B) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	pub := &priv.PublicKey
	env, err := newSealer(pub, WireProfile{})
	if err != nil {
		b.Fatal(err)
	}
	p := env.Profile()
	for _, size := range []int{1 << 10, 64 << 10} {
		pt := benchBody(size)
		sealed, err := env.Seal(pt)
		if err != nil {
			b.Fatal(err)
		}
		server, err := envelope.Unwrap(priv, p, sealed.Nonce, sealed.Signature)
		if err != nil {
			b.Fatal(err)
		}
		answer, nonce, err := server.SealResponse(p, pt)
		if err != nil {
			b.Fatal(err)
		}
		cases := []struct {
			name string
			op   func() error
		}{
			{"op=seal+open/impl=baseline", func() error {
				s, err := envelope.NewSession(nil)
				if err != nil {
					return err
				}
				if _, err := s.WrapKey(pub, p); err != nil {
					return err
				}
				_ = s.Nonce()
				_, err = s.OpenRequest(p, s.SealRequest(p, pt))
				return err
			}},
			{"op=seal+open/impl=sdk", func() error {
				s, err := env.Seal(pt)
				if err != nil {
					return err
				}
				_, err = s.Open("", s.Body)
				return err
			}},
			{"op=open/impl=baseline", func() error {
				iv, err := server.ResponseIV(p, nonce)
				if err != nil {
					return err
				}
				_, err = server.Open(p, iv, answer)
				return err
			}},
			{"op=open/impl=sdk", func() error {
				_, err := sealed.Open(nonce, answer)
				return err
			}},
		}
		for _, c := range cases {
			b.Run(fmt.Sprintf("size=%dKiB/%s", size>>10, c.name), func(b *testing.B) {
				b.SetBytes(int64(size))
				b.ReportAllocs()
				for b.Loop() {
					if err := c.op(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
