package redis

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/vaultspay-go/vaultspay"
)

// sealedToken is a token pair as the fleet shares it. Times are zero when the API sent none.
type sealedToken struct {
	Access     vaultspay.Secret
	AccessExp  time.Time
	Refresh    vaultspay.Secret
	RefreshExp time.Time
}

// tokenWire is sealedToken's plaintext inside the AES-GCM box: times in Unix milliseconds, 0 for none.
type tokenWire struct {
	Access     string `json:"a"`
	AccessExp  int64  `json:"ae,omitempty"`
	Refresh    string `json:"r,omitempty"`
	RefreshExp int64  `json:"re,omitempty"`
}

// sealVersion is the first byte of a sealed value: the format (AES-GCM, 12-byte nonce, JSON plaintext).
const sealVersion = 1

// sealer encrypts token pairs with the app's key; the Redis key name is the additional data, so a value
// copied under another key does not open.
type sealer struct{ aead cipher.AEAD }

func newSealer(key []byte) (*sealer, error) {
	switch len(key) {
	case 16, 24, 32:
	default:
		return nil, fmt.Errorf("the encryption key is %d bytes; AES needs 16, 24 or 32", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: aead}, nil
}

func (s *sealer) seal(t *sealedToken, name string) ([]byte, error) {
	pt, err := json.Marshal(tokenWire{Access: t.Access.Reveal(), AccessExp: unixMilli(t.AccessExp),
		Refresh: t.Refresh.Reveal(), RefreshExp: unixMilli(t.RefreshExp)})
	if err != nil {
		return nil, err
	}
	out := make([]byte, 1+s.aead.NonceSize(), 1+s.aead.NonceSize()+len(pt)+s.aead.Overhead())
	out[0] = sealVersion
	_, _ = rand.Read(out[1:]) // never fails (Go 1.24 and later)
	return s.aead.Seal(out, out[1:], pt, []byte(name)), nil
}

var errUnsealable = errors.New("the shared token does not open with this key (another key, or not written by this package)")

func (s *sealer) open(b []byte, name string) (*sealedToken, error) {
	n := s.aead.NonceSize()
	if len(b) < 1+n || b[0] != sealVersion {
		return nil, errUnsealable
	}
	pt, err := s.aead.Open(nil, b[1:1+n], b[1+n:], []byte(name))
	if err != nil {
		return nil, errUnsealable
	}
	var w tokenWire
	if err := json.Unmarshal(pt, &w); err != nil || w.Access == "" {
		return nil, errUnsealable
	}
	return &sealedToken{Access: vaultspay.Secret(w.Access), AccessExp: fromUnixMilli(w.AccessExp),
		Refresh: vaultspay.Secret(w.Refresh), RefreshExp: fromUnixMilli(w.RefreshExp)}, nil
}

func unixMilli(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromUnixMilli(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}
