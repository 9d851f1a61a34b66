package vaultspay

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"log/slog"
	"strings"

	"github.com/vaultspay-go/vaultspay/internal/envelope"
)

// WireProfile picks every detail of the AES-GCM + RSA envelope that the vendor leaves undocumented
// (shared/api/02-encryption.md §11). The zero value is the project's default profile (§14): AES-256-GCM
// with a fresh key and 12-byte IV per request and the 16-byte tag appended; the raw key wrapped with RSA
// PKCS#1 v1.5; bodies sent as {"encryptedData":"<Base64>"}; responses opened with the IV in their
// x-session-nonce header, or the request IV when there is none. The SDK and vaultspaytest implement
// every alternative, so a mismatch with the live API is a configuration change, not a code change.
type WireProfile = envelope.Profile

// Wire profile choices; see WireProfile.
type (
	KeyWrap     = envelope.KeyWrap
	KeyEncoding = envelope.KeyEncoding
	BodyFormat  = envelope.BodyFormat
	ResponseIV  = envelope.ResponseIV
)

// RSA paddings for the wrapped AES key (x-auth-signature).
const (
	KeyWrapPKCS1v15           = envelope.KeyWrapPKCS1v15           // default; JCA "RSA/ECB/PKCS1Padding"
	KeyWrapOAEPSHA1           = envelope.KeyWrapOAEPSHA1           // "OAEPWithSHA-1AndMGF1Padding"
	KeyWrapOAEPSHA256         = envelope.KeyWrapOAEPSHA256         // OAEP SHA-256, MGF1 SHA-256
	KeyWrapOAEPSHA256MGF1SHA1 = envelope.KeyWrapOAEPSHA256MGF1SHA1 // SunJCE "OAEPWithSHA-256AndMGF1Padding"
)

// What the RSA step encrypts.
const (
	KeyEncodingRaw    = envelope.KeyEncodingRaw    // default: the 32 raw key bytes
	KeyEncodingBase64 = envelope.KeyEncodingBase64 // the key's standard Base64 text
)

// How ciphertext travels in bodies.
const (
	BodyJSONObject = envelope.BodyJSONObject // default: {"encryptedData":"<Base64>"}
	BodyBase64Text = envelope.BodyBase64Text // the Base64 text alone
	BodyJSONString = envelope.BodyJSONString // a JSON string literal
)

// Where a response's IV comes from.
const (
	ResponseIVHeader  = envelope.ResponseIVHeader  // default: response x-session-nonce, else the request IV
	ResponseIVRequest = envelope.ResponseIVRequest // always the request IV
)

// sealer seals request bodies for one RSA public key and wire profile. It is safe for concurrent use;
// every Seal draws a fresh AES key and IV from crypto/rand.
type sealer struct {
	pub     *rsa.PublicKey
	profile WireProfile
	probe   *ivProbe // detection only (detect.go): open answers with either IV and record which worked
}

// newSealer returns a sealer for pub and profile p, or an error if either is unusable.
func newSealer(pub *rsa.PublicKey, p WireProfile) (*sealer, error) {
	if err := checkRSAKey(pub); err != nil {
		return nil, err
	}
	p, err := p.Normalize()
	if err != nil {
		return nil, fmt.Errorf("%w: wire profile: %v", ErrInvalidConfig, err)
	}
	return &sealer{pub: pub, profile: p}, nil
}

// Profile returns the normalized wire profile.
func (e *sealer) Profile() WireProfile { return e.profile }

// sealedReq is one sealed request: the body to send (nil for a request without one) and the values of the
// x-session-nonce and x-auth-signature headers. It keeps the request's AES key to open the response,
// and never prints it.
type sealedReq struct {
	Body      []byte
	Nonce     string
	Signature string
	session   *envelope.Session
	profile   WireProfile
	probe     *ivProbe // see sealer.probe
}

// Seal encrypts plaintext (nil: headers only, for requests without a body) under a fresh key and IV.
// Errors match ErrSeal.
func (e *sealer) Seal(plaintext []byte) (*sealedReq, error) {
	s, err := envelope.NewSession(nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSeal, err)
	}
	sig, err := s.WrapKey(e.pub, e.profile)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSeal, err)
	}
	out := &sealedReq{Nonce: s.Nonce(), Signature: sig, session: s, profile: e.profile, probe: e.probe}
	if plaintext != nil {
		out.Body = s.SealRequest(e.profile, plaintext)
	}
	return out, nil
}

// IsEncrypted reports whether a response body is ciphertext in this profile's form. A plain JSON
// object without "encryptedData", such as an INVALID_HEADERS error, is not.
func (s *sealedReq) IsEncrypted(body []byte) bool { return envelope.IsEncrypted(s.profile.Body, body) }

// Open decrypts a response to this request. respNonce is the response's x-session-nonce header ("" if
// absent). The error wraps envelope failures; callers report it as ErrUndecryptable.
func (s *sealedReq) Open(respNonce string, body []byte) ([]byte, error) {
	if s.probe != nil {
		return s.openProbing(respNonce, body)
	}
	iv, err := s.session.ResponseIV(s.profile, respNonce)
	if err != nil {
		return nil, err
	}
	return s.session.Open(s.profile, iv, body)
}

// String never shows the key.
func (s *sealedReq) String() string { return "vaultspay.sealedReq{key: " + redacted + "}" }

// GoString never shows the key.
func (s *sealedReq) GoString() string { return s.String() }

// LogValue never shows the key, the wrapped key or the body (slog's JSONHandler would otherwise encode
// the exported fields with encoding/json).
func (s *sealedReq) LogValue() slog.Value { return slog.StringValue(s.String()) }

// ParseRSAPublicKey reads an RSA public key given as PEM ("PUBLIC KEY" SPKI or "RSA PUBLIC KEY"
// PKCS#1) or as Base64 of SPKI DER (the form the vendor's sample uses; whitespace is ignored).
// It refuses keys that are not RSA or are shorter than 2048 bits.
func ParseRSAPublicKey(s string) (*rsa.PublicKey, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, fmt.Errorf("%w: RSA public key is empty", ErrInvalidConfig)
	}
	var der []byte
	pkcs1 := false
	if strings.HasPrefix(s, "-----BEGIN") {
		block, _ := pem.Decode([]byte(s))
		if block == nil {
			return nil, fmt.Errorf("%w: RSA public key: malformed PEM", ErrInvalidConfig)
		}
		der, pkcs1 = block.Bytes, block.Type == "RSA PUBLIC KEY"
	} else {
		var err error
		der, err = base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
		if err != nil {
			return nil, fmt.Errorf("%w: RSA public key is neither PEM nor standard Base64", ErrInvalidConfig)
		}
	}
	if pkcs1 {
		k, err := x509.ParsePKCS1PublicKey(der)
		if err != nil {
			return nil, fmt.Errorf("%w: RSA public key: %v", ErrInvalidConfig, err)
		}
		return k, checkRSAKey(k)
	}
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("%w: RSA public key: not an X.509 SubjectPublicKeyInfo: %v", ErrInvalidConfig, err)
	}
	rk, ok := k.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%w: public key is %T, not RSA", ErrInvalidConfig, k)
	}
	return rk, checkRSAKey(rk)
}

func checkRSAKey(k *rsa.PublicKey) error {
	if k == nil || k.N == nil {
		return fmt.Errorf("%w: RSA public key is missing", ErrInvalidConfig)
	}
	if n := k.N.BitLen(); n < 2048 {
		return fmt.Errorf("%w: RSA public key is %d bits, need at least 2048", ErrInvalidConfig, n)
	}
	return nil
}
