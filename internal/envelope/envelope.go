// Package envelope implements the VaultsPay hybrid AES-GCM + RSA envelope for both ends of the wire:
// the SDK seals requests and opens responses, the fake server opens requests and seals responses.
// Every option of the project's wire profile (shared/api/02-encryption.md §11 and §14) lives here once.
package envelope

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	_ "crypto/sha1" // registers crypto.SHA1 for OAEP
	_ "crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
)

// Sizes fixed by the vendor's sample: AES-256 and a 96-bit GCM nonce; the tag is Go's and JCA's 128 bits.
const (
	KeySize = 32
	IVSize  = 12
	TagSize = 16
)

// KeyWrap is how the AES key is encrypted under the RSA public key (x-auth-signature).
type KeyWrap string

// The RSA paddings the wire profile supports. The zero value means KeyWrapPKCS1v15.
const (
	KeyWrapPKCS1v15           KeyWrap = "pkcs1v15"
	KeyWrapOAEPSHA1           KeyWrap = "oaep-sha1"
	KeyWrapOAEPSHA256         KeyWrap = "oaep-sha256"           // MGF1 with SHA-256
	KeyWrapOAEPSHA256MGF1SHA1 KeyWrap = "oaep-sha256-mgf1-sha1" // SunJCE's "OAEPWithSHA-256AndMGF1Padding"
)

// KeyEncoding is what the RSA step encrypts: the raw key bytes or their Base64 text.
type KeyEncoding string

// The wrapped-key forms. The zero value means KeyEncodingRaw.
const (
	KeyEncodingRaw    KeyEncoding = "raw"
	KeyEncodingBase64 KeyEncoding = "base64"
)

// BodyFormat is how ciphertext travels in a request or response body.
type BodyFormat string

// The body forms. The zero value means BodyJSONObject.
const (
	BodyJSONObject BodyFormat = "json-object" // {"encryptedData":"<Base64>"}
	BodyBase64Text BodyFormat = "base64-text" // <Base64>
	BodyJSONString BodyFormat = "json-string" // "<Base64>"
)

// ResponseIV says where the IV of an encrypted response comes from.
type ResponseIV string

// The response IV sources. The zero value means ResponseIVHeader.
const (
	ResponseIVHeader  ResponseIV = "header"  // the response's x-session-nonce when present, else the request IV
	ResponseIVRequest ResponseIV = "request" // always the request IV (the server reuses it)
)

// Profile is one complete choice for every undocumented detail of the envelope. The zero value is the
// project's default profile (02-encryption.md §14).
type Profile struct {
	KeyWrap     KeyWrap     `json:"keyWrap,omitempty"`
	KeyEncoding KeyEncoding `json:"keyEncoding,omitempty"`
	Body        BodyFormat  `json:"body,omitempty"`
	ResponseIV  ResponseIV  `json:"responseIV,omitempty"`
}

// Normalize returns p with every empty field set to its default, or an error naming an unknown value.
func (p Profile) Normalize() (Profile, error) {
	if p.KeyWrap == "" {
		p.KeyWrap = KeyWrapPKCS1v15
	}
	if p.KeyEncoding == "" {
		p.KeyEncoding = KeyEncodingRaw
	}
	if p.Body == "" {
		p.Body = BodyJSONObject
	}
	if p.ResponseIV == "" {
		p.ResponseIV = ResponseIVHeader
	}
	switch p.KeyWrap {
	case KeyWrapPKCS1v15, KeyWrapOAEPSHA1, KeyWrapOAEPSHA256, KeyWrapOAEPSHA256MGF1SHA1:
	default:
		return p, fmt.Errorf("unknown key wrap %q", p.KeyWrap)
	}
	switch p.KeyEncoding {
	case KeyEncodingRaw, KeyEncodingBase64:
	default:
		return p, fmt.Errorf("unknown key encoding %q", p.KeyEncoding)
	}
	switch p.Body {
	case BodyJSONObject, BodyBase64Text, BodyJSONString:
	default:
		return p, fmt.Errorf("unknown body format %q", p.Body)
	}
	switch p.ResponseIV {
	case ResponseIVHeader, ResponseIVRequest:
	default:
		return p, fmt.Errorf("unknown response IV source %q", p.ResponseIV)
	}
	return p, nil
}

// Errors the envelope reports. They never carry key material.
var (
	ErrBadNonce     = errors.New("envelope: malformed x-session-nonce")
	ErrBadSignature = errors.New("envelope: malformed or unwrappable x-auth-signature")
	ErrBadBody      = errors.New("envelope: body is not in the profile's encrypted form")
	ErrAuth         = errors.New("envelope: GCM authentication failed")
)

// Session is the AES key of one request, with the request's IV. It opens the response to that request.
// A Session is never reused for another request.
type Session struct {
	key [KeySize]byte
	iv  [IVSize]byte
	aes cipher.AEAD
}

// NewSession draws a fresh key and IV from r (crypto/rand.Reader when r is nil).
func NewSession(r io.Reader) (*Session, error) {
	if r == nil {
		r = rand.Reader
	}
	s := new(Session)
	if _, err := io.ReadFull(r, s.key[:]); err != nil {
		return nil, fmt.Errorf("envelope: reading random key: %w", err)
	}
	if _, err := io.ReadFull(r, s.iv[:]); err != nil {
		return nil, fmt.Errorf("envelope: reading random IV: %w", err)
	}
	return s, s.init()
}

func (s *Session) init() error {
	block, err := aes.NewCipher(s.key[:])
	if err != nil {
		return err
	}
	s.aes, err = cipher.NewGCM(block)
	return err
}

// Nonce is the request IV as the x-session-nonce header value.
func (s *Session) Nonce() string { return base64.StdEncoding.EncodeToString(s.iv[:]) }

// WrapKey encrypts the session key under pub as the x-auth-signature header value.
func (s *Session) WrapKey(pub *rsa.PublicKey, p Profile) (string, error) {
	msg := s.key[:]
	if p.KeyEncoding == KeyEncodingBase64 {
		msg = []byte(base64.StdEncoding.EncodeToString(s.key[:]))
	}
	var (
		out []byte
		err error
	)
	if p.KeyWrap == KeyWrapPKCS1v15 || p.KeyWrap == "" {
		out, err = rsa.EncryptPKCS1v15(rand.Reader, pub, msg)
	} else {
		h, mgf := oaepHashes(p.KeyWrap)
		out, err = encryptOAEP(pub, h, mgf, msg)
	}
	if err != nil {
		return "", fmt.Errorf("envelope: wrapping key: %w", err)
	}
	return base64.StdEncoding.EncodeToString(out), nil
}

// seal encrypts plaintext with the session key and iv (IVSize bytes), and encodes it as a body of the
// profile's form.
func (s *Session) seal(p Profile, iv []byte, plaintext []byte) []byte {
	ct := s.aes.Seal(make([]byte, 0, len(plaintext)+TagSize), iv, plaintext, nil)
	return encodeBody(p.Body, ct)
}

// SealRequest seals a request body with the request IV.
func (s *Session) SealRequest(p Profile, plaintext []byte) []byte {
	return s.seal(p, s.iv[:], plaintext)
}

// Open decodes a body of the profile's form and decrypts it with the session key and iv.
func (s *Session) Open(p Profile, iv []byte, body []byte) ([]byte, error) {
	ct, err := decodeBody(p.Body, body)
	if err != nil {
		return nil, err
	}
	if len(iv) != IVSize {
		return nil, ErrBadNonce
	}
	// ct is decodeBody's own buffer: decrypt in place rather than copy the body once more.
	pt, err := s.aes.Open(ct[:0], iv, ct, nil)
	if err != nil {
		return nil, ErrAuth
	}
	return pt, nil
}

// OpenRequest decrypts a request body sealed with the request IV.
func (s *Session) OpenRequest(p Profile, body []byte) ([]byte, error) {
	return s.Open(p, s.iv[:], body)
}

// ResponseIV returns the IV a response was sealed with: the response's x-session-nonce header value
// (respNonce) when the profile allows it and one was sent, else the request IV.
func (s *Session) ResponseIV(p Profile, respNonce string) ([]byte, error) {
	if p.ResponseIV == ResponseIVRequest || respNonce == "" {
		return append([]byte(nil), s.iv[:]...), nil
	}
	return DecodeNonce(respNonce)
}

// SealResponse seals a server response. Under ResponseIVHeader it draws a fresh IV, returned as the
// x-session-nonce value to send; under ResponseIVRequest it reuses the request IV and returns "".
func (s *Session) SealResponse(p Profile, plaintext []byte) (body []byte, nonce string, err error) {
	if p.ResponseIV == ResponseIVRequest {
		return s.seal(p, s.iv[:], plaintext), "", nil
	}
	var iv [IVSize]byte
	if _, err := io.ReadFull(rand.Reader, iv[:]); err != nil {
		return nil, "", fmt.Errorf("envelope: reading random IV: %w", err)
	}
	return s.seal(p, iv[:], plaintext), base64.StdEncoding.EncodeToString(iv[:]), nil
}

// DecodeNonce parses an x-session-nonce value: strict standard Base64 of exactly 12 bytes.
func DecodeNonce(v string) ([]byte, error) {
	iv, err := strictBase64(v)
	if err != nil || len(iv) != IVSize {
		return nil, ErrBadNonce
	}
	return iv, nil
}

// Unwrap is the server side: it recovers the session of a request from its x-session-nonce and
// x-auth-signature headers with the RSA private key.
func Unwrap(priv *rsa.PrivateKey, p Profile, nonce, signature string) (*Session, error) {
	iv, err := DecodeNonce(nonce)
	if err != nil {
		return nil, err
	}
	key, err := UnwrapKey(priv, p, signature)
	if err != nil {
		return nil, err
	}
	return SessionOf(key, iv)
}

// SessionOf rebuilds a session from its key and request IV (a server, or a test that watches one).
func SessionOf(key, iv []byte) (*Session, error) {
	if len(key) != KeySize || len(iv) != IVSize {
		return nil, ErrBadSignature
	}
	s := new(Session)
	copy(s.key[:], key)
	copy(s.iv[:], iv)
	return s, s.init()
}

// UnwrapKey decrypts an x-auth-signature value with the RSA private key and returns the AES key.
func UnwrapKey(priv *rsa.PrivateKey, p Profile, signature string) ([]byte, error) {
	wrapped, err := strictBase64(signature)
	if err != nil || len(wrapped) != priv.Size() {
		return nil, ErrBadSignature
	}
	var msg []byte
	if p.KeyWrap == KeyWrapPKCS1v15 || p.KeyWrap == "" {
		msg, err = rsa.DecryptPKCS1v15(nil, priv, wrapped)
	} else {
		h, mgf := oaepHashes(p.KeyWrap)
		msg, err = priv.Decrypt(nil, wrapped, &rsa.OAEPOptions{Hash: h, MGFHash: mgf})
	}
	if err != nil {
		return nil, ErrBadSignature
	}
	if p.KeyEncoding == KeyEncodingBase64 {
		msg, err = strictBase64(string(msg))
		if err != nil {
			return nil, ErrBadSignature
		}
	}
	if len(msg) != KeySize {
		return nil, ErrBadSignature
	}
	return msg, nil
}

func oaepHashes(w KeyWrap) (h, mgf crypto.Hash) {
	switch w { // callers validate w with Profile.Normalize
	case KeyWrapOAEPSHA1:
		return crypto.SHA1, crypto.SHA1
	case KeyWrapOAEPSHA256MGF1SHA1:
		return crypto.SHA256, crypto.SHA1
	default:
		return crypto.SHA256, crypto.SHA256
	}
}

// IsEncrypted reports whether body looks like ciphertext in the profile's form rather than a plain JSON
// document. A plain JSON object without "encryptedData" (an error such as INVALID_HEADERS) is plain.
func IsEncrypted(f BodyFormat, body []byte) bool {
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return false
	}
	switch f {
	case BodyBase64Text:
		return b[0] != '{' && b[0] != '[' && b[0] != '"' && !json.Valid(b)
	case BodyJSONString:
		return b[0] == '"'
	default:
		if b[0] != '{' {
			return false
		}
		if _, ok := base64Between(b, objectHead, objectTail); ok {
			return true
		}
		var probe struct {
			EncryptedData *string `json:"encryptedData"`
		}
		return json.Unmarshal(b, &probe) == nil && probe.EncryptedData != nil
	}
}

func encodeBody(f BodyFormat, ct []byte) []byte {
	n := base64.StdEncoding.EncodedLen(len(ct))
	switch f {
	case BodyBase64Text:
		out := make([]byte, n)
		base64.StdEncoding.Encode(out, ct)
		return out
	case BodyJSONString:
		out := make([]byte, n+2)
		out[0], out[n+1] = '"', '"'
		base64.StdEncoding.Encode(out[1:], ct)
		return out
	default:
		out := make([]byte, len(objectHead)+n+len(objectTail))
		copy(out, objectHead)
		base64.StdEncoding.Encode(out[len(objectHead):], ct)
		copy(out[len(objectHead)+n:], objectTail)
		return out
	}
}

// The frame of a BodyJSONObject body as encodeBody writes it.
const objectHead, objectTail = `{"encryptedData":"`, `"}`

// base64Between returns, without a copy, the text of a body that is exactly head, Base64 characters
// and tail, the form encodeBody writes. Such a body is a JSON document whose decoding gives that same
// text, so callers skip encoding/json (a full scan, a string and a copy of the body) and fall back to
// it for every other shape.
func base64Between(b []byte, head, tail string) ([]byte, bool) {
	if len(b) < len(head)+len(tail) || string(b[:len(head)]) != head || string(b[len(b)-len(tail):]) != tail {
		return nil, false
	}
	text := b[len(head) : len(b)-len(tail)]
	for _, c := range text {
		if !isBase64Char(c) {
			return nil, false
		}
	}
	return text, true
}

// Bit c of base64Low (c < 64) or of base64High (c-64, for 64 <= c < 128) is set when byte c is in the
// standard Base64 alphabet or is its '=' padding: "+/0-9=" and "A-Za-z".
const (
	base64Low  uint64 = 0x23ff880000000000
	base64High uint64 = 0x07fffffe07fffffe
)

// isBase64Char reports whether c may appear in standard, padded Base64 text.
func isBase64Char(c byte) bool {
	m := base64Low
	if c >= 64 {
		m = base64High
	}
	return c < 128 && m>>(c&63)&1 == 1
}

func decodeBody(f BodyFormat, body []byte) ([]byte, error) {
	b := bytes.TrimSpace(body)
	var text []byte
	switch f {
	case BodyBase64Text:
		text = b
	case BodyJSONString:
		if t, ok := base64Between(b, `"`, `"`); ok {
			text = t
			break
		}
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return nil, ErrBadBody
		}
		text = []byte(s)
	default:
		if t, ok := base64Between(b, objectHead, objectTail); ok {
			text = t
			break
		}
		var obj struct {
			EncryptedData *string `json:"encryptedData"`
		}
		if err := json.Unmarshal(b, &obj); err != nil || obj.EncryptedData == nil {
			return nil, ErrBadBody
		}
		text = []byte(*obj.EncryptedData)
	}
	if bytes.ContainsAny(text, "\r\n") {
		return nil, ErrBadBody
	}
	ct := make([]byte, base64.StdEncoding.DecodedLen(len(text)))
	n, err := base64.StdEncoding.Strict().Decode(ct, text)
	if err != nil || n < TagSize {
		return nil, ErrBadBody
	}
	return ct[:n], nil
}

// strictBase64 decodes standard, padded Base64 with no line breaks (Strict alone ignores CR and LF).
func strictBase64(v string) ([]byte, error) {
	if strings.ContainsAny(v, "\r\n") {
		return nil, ErrBadBody
	}
	return base64.StdEncoding.Strict().DecodeString(v)
}

// encryptOAEP is RSAES-OAEP (RFC 8017 §7.1.1) with an empty label. The standard library covers equal
// hashes; the SunJCE combination (SHA-256 label hash, MGF1 with SHA-1) is encoded here by hand.
func encryptOAEP(pub *rsa.PublicKey, h, mgf crypto.Hash, msg []byte) ([]byte, error) {
	if h == mgf {
		return rsa.EncryptOAEP(h.New(), rand.Reader, pub, msg, nil)
	}
	k, hLen := pub.Size(), h.Size()
	if len(msg) > k-2*hLen-2 {
		return nil, rsa.ErrMessageTooLong
	}
	em := make([]byte, k)
	seed, db := em[1:1+hLen], em[1+hLen:]
	lHash := h.New().Sum(nil)
	copy(db, lHash)
	db[len(db)-len(msg)-1] = 1
	copy(db[len(db)-len(msg):], msg)
	if _, err := io.ReadFull(rand.Reader, seed); err != nil {
		return nil, err
	}
	mgf1XOR(db, mgf, seed)
	mgf1XOR(seed, mgf, db)
	m := new(big.Int).SetBytes(em)
	c := m.Exp(m, big.NewInt(int64(pub.E)), pub.N)
	return c.FillBytes(make([]byte, k)), nil
}

// mgf1XOR XORs out with the MGF1 mask generated from seed.
func mgf1XOR(out []byte, h crypto.Hash, seed []byte) {
	var counter [4]byte
	d := h.New()
	for done := 0; done < len(out); {
		d.Reset()
		d.Write(seed)
		d.Write(counter[:])
		for _, b := range d.Sum(nil) {
			if done == len(out) {
				break
			}
			out[done] ^= b
			done++
		}
		for i := 3; i >= 0; i-- {
			if counter[i]++; counter[i] != 0 {
				break
			}
		}
	}
}
