package envelope

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ---------------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------------

var (
	testKeyOnce sync.Once
	testKey     *rsa.PrivateKey
	testKeyErr  error
)

// testPrivateKey returns the one 2048-bit RSA key of this test binary, generated on first use.
func testPrivateKey(tb testing.TB) *rsa.PrivateKey {
	tb.Helper()
	testKeyOnce.Do(func() { testKey, testKeyErr = rsa.GenerateKey(rand.Reader, 2048) })
	require.NoError(tb, testKeyErr)
	return testKey
}

// vendorSamplePublicKey is the RSA public key printed in the vendor's Java sample (02-encryption.md §8). Nobody here holds
// its private half, so it serves as "another key" without generating a second RSA key.
const vendorSamplePublicKey = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAne7/zCQBaojWUqVOYrCyzVMubq2cBJhepEKPri+qW6uh1HGC" +
	"p7XZFXbl2T6XG0XJa4QFFjaQAo+BMAkCUo2JuL5cxyR7CsmaZgdeqtExteQ9rc92G0iMsI4qfSB9Hr3bqrmXqUEIMZJ7tboz51hyW1Mq4m1Y4bzlGwFT" +
	"0WNyBbUMU/mMbSRd/nU7Py9qoGJJVJRwdNq7E+s8FPMXeWdMQw49yR7IGWayGJ6Fqwy6hnpZesPHAqKmiRCk5DRPMYa6RVk1k/B1PJX6xt/87L9Me+lB" +
	"M/E5A30qg7f+oCbGZqVHeWBFJjZ6kpr5o9UtqzgdsHMGNln3wZw2C74klrVTBwIDAQAB"

func otherPublicKey(t *testing.T) *rsa.PublicKey {
	t.Helper()
	der, err := base64.StdEncoding.DecodeString(vendorSamplePublicKey)
	require.NoError(t, err)
	k, err := x509.ParsePKIXPublicKey(der)
	require.NoError(t, err)
	pub, ok := k.(*rsa.PublicKey)
	require.True(t, ok)
	require.Equal(t, 2048, pub.N.BitLen())
	return pub
}

var (
	allKeyWraps     = []KeyWrap{KeyWrapPKCS1v15, KeyWrapOAEPSHA1, KeyWrapOAEPSHA256, KeyWrapOAEPSHA256MGF1SHA1}
	allKeyEncodings = []KeyEncoding{KeyEncodingRaw, KeyEncodingBase64}
	allBodyFormats  = []BodyFormat{BodyJSONObject, BodyBase64Text, BodyJSONString}
	allResponseIVs  = []ResponseIV{ResponseIVHeader, ResponseIVRequest}
)

var defaultProfile = Profile{
	KeyWrap:     KeyWrapPKCS1v15,
	KeyEncoding: KeyEncodingRaw,
	Body:        BodyJSONObject,
	ResponseIV:  ResponseIVHeader,
}

func profileName(p Profile) string {
	if p == (Profile{}) {
		return "zero"
	}
	return fmt.Sprintf("%s,%s,%s,%s", p.KeyWrap, p.KeyEncoding, p.Body, p.ResponseIV)
}

// newClient draws a fresh session and its two headers, as the SDK does for one request.
func newClient(t *testing.T, p Profile) (s *Session, nonce, sig string) {
	t.Helper()
	s, err := NewSession(nil)
	require.NoError(t, err)
	sig, err = s.WrapKey(&testPrivateKey(t).PublicKey, p)
	require.NoError(t, err)
	return s, s.Nonce(), sig
}

var (
	jsonObjectBody = regexp.MustCompile(`^\{"encryptedData":"([A-Za-z0-9+/]*={0,2})"\}$`)
	jsonStringBody = regexp.MustCompile(`^"([A-Za-z0-9+/]*={0,2})"$`)
	base64TextBody = regexp.MustCompile(`^[A-Za-z0-9+/]*={0,2}$`)
)

// ciphertextOf checks that body has exactly the shape of format f and returns the ciphertext+tag it carries.
func ciphertextOf(t *testing.T, f BodyFormat, body []byte) []byte {
	t.Helper()
	var text string
	switch f {
	case BodyJSONObject:
		m := jsonObjectBody.FindSubmatch(body)
		require.NotNil(t, m, "json-object body %q", body)
		text = string(m[1])
		var obj map[string]string
		require.NoError(t, json.Unmarshal(body, &obj))
		require.Equal(t, map[string]string{"encryptedData": text}, obj)
	case BodyJSONString:
		m := jsonStringBody.FindSubmatch(body)
		require.NotNil(t, m, "json-string body %q", body)
		text = string(m[1])
		var s string
		require.NoError(t, json.Unmarshal(body, &s))
		require.Equal(t, text, s)
	case BodyBase64Text:
		require.Regexp(t, base64TextBody, string(body))
		text = string(body)
	default:
		t.Fatalf("unknown body format %q", f)
	}
	ct, err := base64.StdEncoding.Strict().DecodeString(text)
	require.NoError(t, err, "body is not strict standard Base64: %q", text)
	require.Equal(t, text, base64.StdEncoding.EncodeToString(ct), "canonical standard Base64 with padding")
	return ct
}

// encodeAs builds a body of format f around ct, independently of encodeBody.
func encodeAs(f BodyFormat, ct []byte) []byte {
	text := base64.StdEncoding.EncodeToString(ct)
	switch f {
	case BodyBase64Text:
		return []byte(text)
	case BodyJSONString:
		return []byte(`"` + text + `"`)
	default:
		return []byte(`{"encryptedData":"` + text + `"}`)
	}
}

// noPanic runs fn, failing the test (instead of crashing the binary) if it panics.
func noPanic[T any](t *testing.T, fn func() (T, error)) (v T, err error) {
	t.Helper()
	require.NotPanics(t, func() { v, err = fn() })
	return v, err
}

// ---------------------------------------------------------------------------------------------------------------------
// 1. Round trip through every profile
// ---------------------------------------------------------------------------------------------------------------------

func TestRoundTripAllProfiles(t *testing.T) {
	t.Parallel()
	priv := testPrivateKey(t)

	type tc struct {
		name           string
		client, server Profile // the zero profile must interoperate with the normalized default
	}
	var cases []tc
	for _, w := range allKeyWraps {
		for _, e := range allKeyEncodings {
			for _, f := range allBodyFormats {
				for _, r := range allResponseIVs {
					p := Profile{KeyWrap: w, KeyEncoding: e, Body: f, ResponseIV: r}
					cases = append(cases, tc{name: profileName(p), client: p, server: p})
				}
			}
		}
	}
	require.Len(t, cases, 4*2*3*2)
	cases = append(cases,
		tc{name: "zero", client: Profile{}, server: Profile{}},
		tc{name: "zero-client,default-server", client: Profile{}, server: defaultProfile},
		tc{name: "default-client,zero-server", client: defaultProfile, server: Profile{}},
	)

	reqPlain := []byte(`{"cardId":"c-42","amount":"10.50","currency":"AED","note":"ünïcødé ✓ \u0000"}`)
	respPlain := []byte(`{"data":{"balance":"1234.56","status":"ACTIVE"}}`)

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			np, err := c.client.Normalize()
			require.NoError(t, err)
			if c.client == (Profile{}) {
				require.Equal(t, defaultProfile, np)
			}

			// Client: fresh session, sealed body, headers.
			cs, err := NewSession(nil)
			require.NoError(t, err)
			body := cs.SealRequest(c.client, reqPlain)
			nonce := cs.Nonce()
			sig, err := cs.WrapKey(&priv.PublicKey, c.client)
			require.NoError(t, err)

			ct := ciphertextOf(t, np.Body, body)
			assert.Len(t, ct, len(reqPlain)+TagSize)
			assert.True(t, IsEncrypted(c.client.Body, body))

			// Server: recover the session, open the request.
			ss, err := Unwrap(priv, c.server, nonce, sig)
			require.NoError(t, err)
			assert.Equal(t, nonce, ss.Nonce())
			got, err := ss.OpenRequest(c.server, body)
			require.NoError(t, err)
			assert.Equal(t, reqPlain, got)

			// Server: seal the response.
			rbody, rnonce, err := ss.SealResponse(c.server, respPlain)
			require.NoError(t, err)
			rct := ciphertextOf(t, np.Body, rbody)
			assert.Len(t, rct, len(respPlain)+TagSize)
			if np.ResponseIV == ResponseIVRequest {
				assert.Empty(t, rnonce)
			} else {
				riv, err := DecodeNonce(rnonce)
				require.NoError(t, err)
				assert.Len(t, riv, IVSize)
				assert.NotEqual(t, nonce, rnonce)
			}

			// Client: open the response.
			iv, err := cs.ResponseIV(c.client, rnonce)
			require.NoError(t, err)
			gotResp, err := cs.Open(c.client, iv, rbody)
			require.NoError(t, err)
			assert.Equal(t, respPlain, gotResp)
		})
	}
}

func TestRoundTripPlaintextSizes(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 15, 16, 17, 1024, 64 << 10} {
		for _, f := range allBodyFormats {
			t.Run(fmt.Sprintf("%s/%d", f, n), func(t *testing.T) {
				t.Parallel()
				p := Profile{Body: f}
				pt := make([]byte, n)
				_, err := rand.Read(pt)
				require.NoError(t, err)
				cs, nonce, sig := newClient(t, p)
				body := cs.SealRequest(p, pt)
				assert.Len(t, ciphertextOf(t, f, body), n+TagSize)
				ss, err := Unwrap(testPrivateKey(t), p, nonce, sig)
				require.NoError(t, err)
				got, err := ss.OpenRequest(p, body)
				require.NoError(t, err)
				assert.Len(t, got, n)
				if n > 0 {
					assert.Equal(t, pt, got)
				}
			})
		}
	}
}

// Bodies are decoded after trimming surrounding whitespace (a trailing newline from a server or proxy is harmless).
func TestOpenToleratesSurroundingWhitespace(t *testing.T) {
	t.Parallel()
	for _, f := range allBodyFormats {
		t.Run(string(f), func(t *testing.T) {
			t.Parallel()
			p := Profile{Body: f}
			s, err := NewSession(nil)
			require.NoError(t, err)
			body := s.SealRequest(p, []byte("{}"))
			padded := append(append([]byte(" \r\n\t"), body...), "\n"...)
			got, err := s.OpenRequest(p, padded)
			require.NoError(t, err)
			assert.Equal(t, []byte("{}"), got)
			assert.True(t, IsEncrypted(f, padded))
		})
	}
}

// ---------------------------------------------------------------------------------------------------------------------
// 2. Wire facts of the default profile
// ---------------------------------------------------------------------------------------------------------------------

func TestDefaultProfileWireFacts(t *testing.T) {
	t.Parallel()
	priv := testPrivateKey(t)
	s, err := NewSession(nil)
	require.NoError(t, err)

	t.Run("nonce", func(t *testing.T) {
		n := s.Nonce()
		assert.Len(t, n, 16)
		iv, err := base64.StdEncoding.Strict().DecodeString(n)
		require.NoError(t, err)
		assert.Len(t, iv, IVSize)
		assert.Equal(t, s.iv[:], iv)
		dec, err := DecodeNonce(n)
		require.NoError(t, err)
		assert.Equal(t, iv, dec)
	})

	for _, tc := range []struct {
		name    string
		profile Profile
		want    []byte
	}{
		{"zero-is-raw", Profile{}, s.key[:]},
		{"raw", Profile{KeyEncoding: KeyEncodingRaw}, s.key[:]},
		{"base64", Profile{KeyEncoding: KeyEncodingBase64}, []byte(base64.StdEncoding.EncodeToString(s.key[:]))},
	} {
		t.Run("wrapped-"+tc.name, func(t *testing.T) {
			sig, err := s.WrapKey(&priv.PublicKey, tc.profile)
			require.NoError(t, err)
			wrapped, err := base64.StdEncoding.Strict().DecodeString(sig)
			require.NoError(t, err)
			assert.Len(t, wrapped, 256)
			msg, err := rsa.DecryptPKCS1v15(nil, priv, wrapped)
			require.NoError(t, err)
			assert.Equal(t, tc.want, msg)
			if tc.profile.KeyEncoding == KeyEncodingBase64 {
				assert.Len(t, msg, 44)
				raw, err := base64.StdEncoding.Strict().DecodeString(string(msg))
				require.NoError(t, err)
				assert.Equal(t, s.key[:], raw)
			} else {
				assert.Len(t, msg, KeySize)
			}
		})
	}

	t.Run("wrapping-is-randomized", func(t *testing.T) {
		a, err := s.WrapKey(&priv.PublicKey, Profile{})
		require.NoError(t, err)
		b, err := s.WrapKey(&priv.PublicKey, Profile{})
		require.NoError(t, err)
		assert.NotEqual(t, a, b)
	})

	// The body is plain AES-256-GCM: ciphertext with the 16-byte tag appended, IV = x-session-nonce, no AAD.
	t.Run("body-is-standard-gcm", func(t *testing.T) {
		pt := []byte(`{"hello":"world"}`)
		ct := ciphertextOf(t, BodyJSONObject, s.SealRequest(Profile{}, pt))
		block, err := aes.NewCipher(s.key[:])
		require.NoError(t, err)
		gcm, err := cipher.NewGCMWithTagSize(block, 16)
		require.NoError(t, err)
		iv, err := base64.StdEncoding.DecodeString(s.Nonce())
		require.NoError(t, err)
		got, err := gcm.Open(nil, iv, ct, nil)
		require.NoError(t, err)
		assert.Equal(t, pt, got)
	})
}

// Known answer: AES-256-GCM test case 15 of McGrew & Viega, "The Galois/Counter Mode of Operation" (96-bit IV, no AAD).
// It also pins that NewSession reads the key first, then the IV.
func TestKnownAnswerGCM(t *testing.T) {
	t.Parallel()
	unhex := func(s string) []byte {
		b, err := hex.DecodeString(s)
		require.NoError(t, err)
		return b
	}
	key := unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
	iv := unhex("cafebabefacedbaddecaf888")
	pt := unhex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" +
		"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255")
	want := unhex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa" +
		"8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad" +
		"b094dac5d93471bdec1a502270e3cc6c")

	s, err := NewSession(bytes.NewReader(append(append([]byte{}, key...), iv...)))
	require.NoError(t, err)
	assert.Equal(t, base64.StdEncoding.EncodeToString(iv), s.Nonce())
	p := Profile{Body: BodyBase64Text}
	body := s.SealRequest(p, pt)
	assert.Equal(t, base64.StdEncoding.EncodeToString(want), string(body))
	got, err := s.OpenRequest(p, body)
	require.NoError(t, err)
	assert.Equal(t, pt, got)
}

func TestNewSessionShortRandom(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 10, KeySize, KeySize + IVSize - 1} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			s, err := noPanic(t, func() (*Session, error) { return NewSession(bytes.NewReader(make([]byte, n))) })
			require.Error(t, err)
			assert.Nil(t, s)
			assert.True(t, errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF), "%v", err)
		})
	}
}

// ---------------------------------------------------------------------------------------------------------------------
// 3. OAEP against the standard library
// ---------------------------------------------------------------------------------------------------------------------

func TestOAEPMatchesStandardLibrary(t *testing.T) {
	t.Parallel()
	priv := testPrivateKey(t)
	for _, tc := range []struct {
		wrap      KeyWrap
		hash, mgf crypto.Hash
		// mismatched options that must not decrypt the wrapped key
		wrong []rsa.OAEPOptions
	}{
		{KeyWrapOAEPSHA1, crypto.SHA1, crypto.SHA1, []rsa.OAEPOptions{
			{Hash: crypto.SHA256, MGFHash: crypto.SHA256}, {Hash: crypto.SHA256, MGFHash: crypto.SHA1},
		}},
		{KeyWrapOAEPSHA256, crypto.SHA256, crypto.SHA256, []rsa.OAEPOptions{
			{Hash: crypto.SHA1, MGFHash: crypto.SHA1}, {Hash: crypto.SHA256, MGFHash: crypto.SHA1},
		}},
		{KeyWrapOAEPSHA256MGF1SHA1, crypto.SHA256, crypto.SHA1, []rsa.OAEPOptions{
			{Hash: crypto.SHA256, MGFHash: crypto.SHA256}, {Hash: crypto.SHA1, MGFHash: crypto.SHA1},
		}},
	} {
		for _, enc := range allKeyEncodings {
			t.Run(fmt.Sprintf("%s,%s", tc.wrap, enc), func(t *testing.T) {
				t.Parallel()
				p := Profile{KeyWrap: tc.wrap, KeyEncoding: enc}
				// Several sessions: each wrap uses a fresh seed and a fresh key, so the hand-written encoder meets
				// many different masks and ciphertexts with leading zero bytes are likely over the whole run.
				for i := 0; i < 8; i++ {
					s, err := NewSession(nil)
					require.NoError(t, err)
					want := s.key[:]
					if enc == KeyEncodingBase64 {
						want = []byte(base64.StdEncoding.EncodeToString(s.key[:]))
					}
					sig, err := s.WrapKey(&priv.PublicKey, p)
					require.NoError(t, err)
					ct, err := base64.StdEncoding.Strict().DecodeString(sig)
					require.NoError(t, err)
					require.Len(t, ct, priv.Size())

					msg, err := priv.Decrypt(nil, ct, &rsa.OAEPOptions{Hash: tc.hash, MGFHash: tc.mgf})
					require.NoError(t, err)
					assert.Equal(t, want, msg)

					for _, o := range tc.wrong {
						_, err := priv.Decrypt(nil, ct, &o)
						assert.Error(t, err, "decrypting %s with Hash=%v MGFHash=%v must fail", tc.wrap, o.Hash, o.MGFHash)
					}
				}
			})
		}
	}
}

// The hand-written SHA-256/MGF1-SHA-1 encoder enforces the RFC 8017 length limit k-2hLen-2 (190 bytes for 2048 bits).
func TestEncryptOAEPMessageLengthLimit(t *testing.T) {
	t.Parallel()
	priv := testPrivateKey(t)
	limit := priv.Size() - 2*crypto.SHA256.Size() - 2
	require.Equal(t, 190, limit)

	msg := bytes.Repeat([]byte{0xA5}, limit)
	ct, err := encryptOAEP(&priv.PublicKey, crypto.SHA256, crypto.SHA1, msg)
	require.NoError(t, err)
	got, err := priv.Decrypt(nil, ct, &rsa.OAEPOptions{Hash: crypto.SHA256, MGFHash: crypto.SHA1})
	require.NoError(t, err)
	assert.Equal(t, msg, got)

	empty, err := encryptOAEP(&priv.PublicKey, crypto.SHA256, crypto.SHA1, nil)
	require.NoError(t, err)
	got, err = priv.Decrypt(nil, empty, &rsa.OAEPOptions{Hash: crypto.SHA256, MGFHash: crypto.SHA1})
	require.NoError(t, err)
	assert.Empty(t, got)

	_, err = encryptOAEP(&priv.PublicKey, crypto.SHA256, crypto.SHA1, append(msg, 0))
	assert.ErrorIs(t, err, rsa.ErrMessageTooLong)
}

// ---------------------------------------------------------------------------------------------------------------------
// 4. Freshness
// ---------------------------------------------------------------------------------------------------------------------

func TestFreshness(t *testing.T) {
	t.Parallel()
	const n = 1000
	pt := []byte(`{"same":"plaintext"}`)
	keys := make(map[[KeySize]byte]bool, n)
	nonces := make(map[string]bool, n)
	bodies := make(map[string]bool, n)
	for i := 0; i < n; i++ {
		s, err := NewSession(nil)
		require.NoError(t, err)
		require.False(t, keys[s.key], "key repeated after %d sessions", i)
		keys[s.key] = true
		require.False(t, nonces[s.Nonce()], "IV repeated after %d sessions", i)
		nonces[s.Nonce()] = true
		b := string(s.SealRequest(Profile{}, pt))
		require.False(t, bodies[b], "ciphertext repeated after %d sessions", i)
		bodies[b] = true
	}

	// The wrapped key the server recovers is the client's key (checked on a sample: RSA decryption is slow).
	priv := testPrivateKey(t)
	seen := make(map[[KeySize]byte]bool)
	for i := 0; i < 20; i++ {
		cs, nonce, sig := newClient(t, Profile{})
		ss, err := Unwrap(priv, Profile{}, nonce, sig)
		require.NoError(t, err)
		require.Equal(t, cs.key, ss.key)
		require.Equal(t, cs.iv, ss.iv)
		require.False(t, seen[ss.key])
		seen[ss.key] = true
	}
}

func TestSealResponseIV(t *testing.T) {
	t.Parallel()
	pt := []byte(`{"data":null}`)

	t.Run("header", func(t *testing.T) {
		for _, p := range []Profile{{}, {ResponseIV: ResponseIVHeader}} {
			s, err := NewSession(nil)
			require.NoError(t, err)
			seen := map[string]bool{s.Nonce(): true}
			for i := 0; i < 100; i++ {
				body, nonce, err := s.SealResponse(p, pt)
				require.NoError(t, err)
				require.NotEmpty(t, nonce)
				require.NotEqual(t, s.Nonce(), nonce)
				require.False(t, seen[nonce], "response IV repeated")
				seen[nonce] = true
				iv, err := DecodeNonce(nonce)
				require.NoError(t, err)
				got, err := s.Open(p, iv, body)
				require.NoError(t, err)
				require.Equal(t, pt, got)
				// The request IV does not open it.
				_, err = s.OpenRequest(p, body)
				require.ErrorIs(t, err, ErrAuth)
			}
		}
	})

	t.Run("request", func(t *testing.T) {
		p := Profile{ResponseIV: ResponseIVRequest}
		s, err := NewSession(nil)
		require.NoError(t, err)
		body, nonce, err := s.SealResponse(p, pt)
		require.NoError(t, err)
		assert.Equal(t, "", nonce)
		got, err := s.OpenRequest(p, body)
		require.NoError(t, err)
		assert.Equal(t, pt, got)
	})
}

func TestResponseIVSource(t *testing.T) {
	t.Parallel()
	s, err := NewSession(nil)
	require.NoError(t, err)
	other := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, IVSize))

	for _, tc := range []struct {
		name      string
		p         Profile
		respNonce string
		want      []byte
		err       error
	}{
		{"zero/header-present", Profile{}, other, bytes.Repeat([]byte{7}, IVSize), nil},
		{"zero/header-absent", Profile{}, "", s.iv[:], nil},
		{"zero/header-malformed", Profile{}, "%%%", nil, ErrBadNonce},
		{"header/header-present", Profile{ResponseIV: ResponseIVHeader}, other, bytes.Repeat([]byte{7}, IVSize), nil},
		{"header/header-short", Profile{ResponseIV: ResponseIVHeader}, "AAAA", nil, ErrBadNonce},
		{"request/header-present", Profile{ResponseIV: ResponseIVRequest}, other, s.iv[:], nil},
		{"request/header-malformed", Profile{ResponseIV: ResponseIVRequest}, "%%%", s.iv[:], nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			iv, err := noPanic(t, func() ([]byte, error) { return s.ResponseIV(tc.p, tc.respNonce) })
			if tc.err != nil {
				assert.ErrorIs(t, err, tc.err)
				assert.Nil(t, iv)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, iv)
		})
	}
}

// ---------------------------------------------------------------------------------------------------------------------
// 5. Failure cases
// ---------------------------------------------------------------------------------------------------------------------

func TestOpenFailures(t *testing.T) {
	t.Parallel()
	pt := []byte(`{"amount":"10.00"}`)
	for _, f := range allBodyFormats {
		t.Run(string(f), func(t *testing.T) {
			t.Parallel()
			p := Profile{Body: f}
			s, err := NewSession(nil)
			require.NoError(t, err)
			other, err := NewSession(nil)
			require.NoError(t, err)
			body := s.SealRequest(p, pt)
			ct := ciphertextOf(t, f, body)

			flip := func(i int) []byte {
				c := append([]byte(nil), ct...)
				c[i] ^= 0x01
				return encodeAs(f, c)
			}
			b64 := base64.StdEncoding.EncodeToString(ct)
			wrongIV := append([]byte(nil), s.iv[:]...)
			wrongIV[IVSize-1] ^= 0x80

			type row = struct {
				name string
				s    *Session
				iv   []byte
				body []byte
				err  error
			}
			cases := []row{
				{"control", s, s.iv[:], body, nil},
				{"flip-first-ciphertext-bit", s, s.iv[:], flip(0), ErrAuth},
				{"flip-last-ciphertext-bit", s, s.iv[:], flip(len(pt) - 1), ErrAuth},
				{"flip-tag-bit", s, s.iv[:], flip(len(ct) - 1), ErrAuth},
				{"dropped-tag-byte", s, s.iv[:], encodeAs(f, ct[:len(ct)-1]), ErrAuth},
				{"extra-byte", s, s.iv[:], encodeAs(f, append(append([]byte(nil), ct...), 0)), ErrAuth},
				{"tag-only", s, s.iv[:], encodeAs(f, ct[len(ct)-TagSize:]), ErrAuth},
				{"wrong-iv", s, wrongIV, body, ErrAuth},
				{"wrong-key", other, s.iv[:], body, ErrAuth},
				{"iv-nil", s, nil, body, ErrBadNonce},
				{"iv-11-bytes", s, s.iv[:IVSize-1], body, ErrBadNonce},
				{"iv-16-bytes", s, make([]byte, 16), body, ErrBadNonce},
				{"empty", s, s.iv[:], []byte{}, ErrBadBody},
				{"nil", s, s.iv[:], nil, ErrBadBody},
				{"whitespace", s, s.iv[:], []byte(" \n"), ErrBadBody},
				{"shorter-than-tag", s, s.iv[:], encodeAs(f, ct[:TagSize-1]), ErrBadBody},
				{"zero-length-ciphertext", s, s.iv[:], encodeAs(f, nil), ErrBadBody},
				{"plain-error-object", s, s.iv[:],
					[]byte(`{"code":1018,"message":"Invalid HTTP headers.","type":"INVALID_HEADERS"}`), ErrBadBody},
				{"plain-json-array", s, s.iv[:], []byte(`[1,2,3]`), ErrBadBody},
				{"json-null", s, s.iv[:], []byte(`null`), ErrBadBody},
				{"random-garbage", s, s.iv[:], []byte("\x00\xff\xfe garbage"), ErrBadBody},
			}
			// Format-specific malformations.
			truncated := b64[:len(b64)-1]
			urlSafe := base64.URLEncoding.EncodeToString(bytes.Repeat([]byte{0xfb, 0xff}, 20))
			switch f {
			case BodyJSONObject:
				cases = append(cases,
					row{"truncated-base64", s, s.iv[:], []byte(`{"encryptedData":"` + truncated + `"}`), ErrBadBody},
					row{"encryptedData-null", s, s.iv[:], []byte(`{"encryptedData":null}`), ErrBadBody},
					row{"encryptedData-number", s, s.iv[:], []byte(`{"encryptedData":123}`), ErrBadBody},
					row{"encryptedData-url-safe", s, s.iv[:], []byte(`{"encryptedData":"` + urlSafe + `"}`), ErrBadBody},
					row{"bare-base64", s, s.iv[:], []byte(b64), ErrBadBody},
					row{"json-string", s, s.iv[:], []byte(`"` + b64 + `"`), ErrBadBody},
					row{"unterminated-json", s, s.iv[:], []byte(`{"encryptedData":"` + b64), ErrBadBody},
				)
			case BodyBase64Text:
				cases = append(cases,
					row{"truncated-base64", s, s.iv[:], []byte(truncated), ErrBadBody},
					row{"unpadded-base64", s, s.iv[:], []byte(strings.TrimRight(b64, "=")), ErrBadBody},
					row{"url-safe", s, s.iv[:], []byte(urlSafe), ErrBadBody},
					row{"json-object", s, s.iv[:], encodeAs(BodyJSONObject, ct), ErrBadBody},
					row{"json-string", s, s.iv[:], encodeAs(BodyJSONString, ct), ErrBadBody},
				)
			case BodyJSONString:
				cases = append(cases,
					row{"truncated-base64", s, s.iv[:], []byte(`"` + truncated + `"`), ErrBadBody},
					row{"url-safe", s, s.iv[:], []byte(`"` + urlSafe + `"`), ErrBadBody},
					row{"bare-base64", s, s.iv[:], []byte(b64), ErrBadBody},
					row{"json-object", s, s.iv[:], encodeAs(BodyJSONObject, ct), ErrBadBody},
					row{"unterminated-string", s, s.iv[:], []byte(`"` + b64), ErrBadBody},
				)
			}

			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					got, err := noPanic(t, func() ([]byte, error) { return c.s.Open(p, c.iv, c.body) })
					if c.err == nil {
						require.NoError(t, err)
						assert.Equal(t, pt, got)
						return
					}
					assert.ErrorIs(t, err, c.err)
					assert.Nil(t, got)
				})
			}
		})
	}
}

// Arbitrary bytes never panic and always map to one of the documented sentinels.
func TestOpenRandomBodies(t *testing.T) {
	t.Parallel()
	s, err := NewSession(nil)
	require.NoError(t, err)
	for _, f := range allBodyFormats {
		p := Profile{Body: f}
		for i := 0; i < 300; i++ {
			var raw []byte
			switch i % 3 {
			case 0: // random bytes
				raw = make([]byte, i%80)
				_, _ = rand.Read(raw)
			default: // well-formed envelope around random ciphertext
				ct := make([]byte, i%80)
				_, _ = rand.Read(ct)
				raw = encodeAs(f, ct)
			}
			_, err := noPanic(t, func() ([]byte, error) { return s.OpenRequest(p, raw) })
			require.Error(t, err)
			require.True(t, errors.Is(err, ErrBadBody) || errors.Is(err, ErrAuth), "%s %q: %v", f, raw, err)
		}
	}
}

func TestUnwrapFailures(t *testing.T) {
	t.Parallel()
	priv := testPrivateKey(t)
	pub := &priv.PublicKey
	cs, nonce, sig := newClient(t, Profile{})

	b64 := func(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
	wrapRaw := func(msg []byte) string {
		ct, err := rsa.EncryptPKCS1v15(rand.Reader, pub, msg)
		require.NoError(t, err)
		return b64(ct)
	}
	// A non-canonical form of sig: 256 bytes end in one byte, encoded as two chars + "==", so the second char carries
	// four unused bits; setting them is accepted by lax decoders and must be refused by a strict one.
	require.True(t, strings.HasSuffix(sig, "=="))
	idx := len(sig) - 3
	pos := strings.IndexByte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", sig[idx])
	require.GreaterOrEqual(t, pos, 0)
	laxSig := sig[:idx] + string("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[pos|0x0f]) + sig[idx+1:]
	laxBytes, err := base64.StdEncoding.DecodeString(laxSig)
	require.NoError(t, err, "lax decoding accepts it")
	sigBytes, err := base64.StdEncoding.DecodeString(sig)
	require.NoError(t, err)
	require.Equal(t, sigBytes, laxBytes, "same bytes as the valid signature")

	otherSig, err := cs.WrapKey(otherPublicKey(t), Profile{})
	require.NoError(t, err)

	for _, tc := range []struct {
		name       string
		p          Profile
		nonce, sig string
		err        error
	}{
		{"control", Profile{}, nonce, sig, nil},

		{"nonce-empty", Profile{}, "", sig, ErrBadNonce},
		{"nonce-not-base64", Profile{}, "not*base64!nonce", sig, ErrBadNonce},
		{"nonce-url-safe", Profile{}, "-_-_-_-_-_-_-_-_", sig, ErrBadNonce},
		{"nonce-unpadded-11-bytes", Profile{}, strings.TrimRight(b64(make([]byte, 11)), "="), sig, ErrBadNonce},
		{"nonce-nonzero-padding-bits-11-bytes", Profile{}, "AAAAAAAAAAAAAAB=", sig, ErrBadNonce},
		{"nonce-nonzero-padding-bits-13-bytes", Profile{}, "AAAAAAAAAAAAAAAAAB==", sig, ErrBadNonce},
		{"nonce-with-space", Profile{}, " " + nonce, sig, ErrBadNonce},
		{"nonce-8-bytes", Profile{}, b64(make([]byte, 8)), sig, ErrBadNonce},
		{"nonce-16-bytes", Profile{}, b64(make([]byte, 16)), sig, ErrBadNonce},
		{"nonce-wins-over-bad-signature", Profile{}, "!", "!", ErrBadNonce},

		{"sig-empty", Profile{}, nonce, "", ErrBadSignature},
		{"sig-not-base64", Profile{}, nonce, "not base64 at all!", ErrBadSignature},
		{"sig-non-strict-base64", Profile{}, nonce, laxSig, ErrBadSignature},
		{"sig-unpadded", Profile{}, nonce, strings.TrimRight(sig, "="), ErrBadSignature},
		{"sig-truncated-base64", Profile{}, nonce, sig[:len(sig)-4], ErrBadSignature},
		{"sig-128-bytes", Profile{}, nonce, b64(sigBytes[:128]), ErrBadSignature},
		{"sig-255-bytes", Profile{}, nonce, b64(sigBytes[1:]), ErrBadSignature},
		{"sig-257-bytes", Profile{}, nonce, b64(append([]byte{0}, sigBytes...)), ErrBadSignature},
		{"sig-zeros", Profile{}, nonce, b64(make([]byte, 256)), ErrBadSignature},
		{"sig-other-key", Profile{}, nonce, otherSig, ErrBadSignature},
		{"sig-wraps-16-bytes", Profile{}, nonce, wrapRaw(make([]byte, 16)), ErrBadSignature},
		{"sig-wraps-33-bytes", Profile{}, nonce, wrapRaw(make([]byte, 33)), ErrBadSignature},
		{"sig-wraps-empty", Profile{}, nonce, wrapRaw(nil), ErrBadSignature},
		{"sig-raw-unwrapped-as-base64", Profile{KeyEncoding: KeyEncodingBase64}, nonce, sig, ErrBadSignature},
		{"sig-wraps-base64-of-16-bytes", Profile{KeyEncoding: KeyEncodingBase64}, nonce,
			wrapRaw([]byte(b64(make([]byte, 16)))), ErrBadSignature},
		{"sig-wraps-non-base64", Profile{KeyEncoding: KeyEncodingBase64}, nonce,
			wrapRaw([]byte(strings.Repeat("*", 44))), ErrBadSignature},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := noPanic(t, func() (*Session, error) { return Unwrap(priv, tc.p, tc.nonce, tc.sig) })
			if tc.err == nil {
				require.NoError(t, err)
				assert.Equal(t, cs.key, s.key)
				return
			}
			assert.ErrorIs(t, err, tc.err)
			assert.Nil(t, s)
		})
	}
}

// A key wrapped under one KeyWrap or KeyEncoding never unwraps under another.
func TestUnwrapWrongProfile(t *testing.T) {
	t.Parallel()
	priv := testPrivateKey(t)
	for _, wrapW := range allKeyWraps {
		for _, wrapE := range allKeyEncodings {
			wp := Profile{KeyWrap: wrapW, KeyEncoding: wrapE}
			t.Run(fmt.Sprintf("%s,%s", wrapW, wrapE), func(t *testing.T) {
				t.Parallel()
				cs, nonce, sig := newClient(t, wp)
				for _, unW := range allKeyWraps {
					for _, unE := range allKeyEncodings {
						up := Profile{KeyWrap: unW, KeyEncoding: unE}
						s, err := noPanic(t, func() (*Session, error) { return Unwrap(priv, up, nonce, sig) })
						if up == wp {
							require.NoError(t, err)
							assert.Equal(t, cs.key, s.key)
							continue
						}
						assert.ErrorIs(t, err, ErrBadSignature, "wrapped %s,%s unwrapped as %s,%s", wrapW, wrapE, unW, unE)
						assert.Nil(t, s)
					}
				}
			})
		}
	}
}

// ---------------------------------------------------------------------------------------------------------------------
// 6. IsEncrypted
// ---------------------------------------------------------------------------------------------------------------------

func TestIsEncrypted(t *testing.T) {
	t.Parallel()
	const (
		errObj = `{"code":1018,"message":"Invalid HTTP headers.","type":"INVALID_HEADERS"}`
		b64    = "q83vEjRWeJA="
	)
	for _, tc := range []struct {
		name string
		f    BodyFormat
		body string
		want bool
	}{
		{"object/plain-error", BodyJSONObject, errObj, false},
		{"object/plain-data", BodyJSONObject, `{"data":{"id":1}}`, false},
		{"object/encryptedData", BodyJSONObject, `{"encryptedData":"` + b64 + `"}`, true},
		{"object/encryptedData-spaced", BodyJSONObject, " \n{ \"encryptedData\" : \"" + b64 + "\" }\n", true},
		{"object/encryptedData-null", BodyJSONObject, `{"encryptedData":null}`, false},
		{"object/empty", BodyJSONObject, ``, false},
		{"object/whitespace", BodyJSONObject, " \r\n\t", false},
		{"object/bare-base64", BodyJSONObject, b64, false},
		{"object/json-string", BodyJSONObject, `"` + b64 + `"`, false},
		{"object/array", BodyJSONObject, `[{"encryptedData":"x"}]`, false},
		{"object/invalid-json", BodyJSONObject, `{"encryptedData":"`, false},
		{"zero-format-is-object/plain-error", "", errObj, false},
		{"zero-format-is-object/encryptedData", "", `{"encryptedData":"` + b64 + `"}`, true},

		{"base64/text", BodyBase64Text, b64, true},
		{"base64/text-newline", BodyBase64Text, b64 + "\n", true},
		{"base64/plain-error", BodyBase64Text, errObj, false},
		{"base64/object", BodyBase64Text, `{"encryptedData":"` + b64 + `"}`, false},
		{"base64/array", BodyBase64Text, `[]`, false},
		{"base64/empty", BodyBase64Text, ``, false},
		{"base64/whitespace", BodyBase64Text, "  ", false},

		{"string/literal", BodyJSONString, `"` + b64 + `"`, true},
		{"string/literal-spaced", BodyJSONString, ` "` + b64 + `" `, true},
		{"string/plain-error", BodyJSONString, errObj, false},
		{"string/bare-base64", BodyJSONString, b64, false},
		{"string/empty", BodyJSONString, ``, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, IsEncrypted(tc.f, []byte(tc.body)))
		})
	}

	// Whatever Seal produces is recognized under its own format.
	s, err := NewSession(nil)
	require.NoError(t, err)
	for _, f := range allBodyFormats {
		assert.True(t, IsEncrypted(f, s.SealRequest(Profile{Body: f}, []byte(errObj))), "sealed %s", f)
	}
}

func TestIsBase64Char(t *testing.T) {
	t.Parallel()
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
	for c := 0; c < 256; c++ {
		assert.Equal(t, strings.IndexByte(alphabet, byte(c)) >= 0, isBase64Char(byte(c)), "byte %#x", c)
	}
}

// TestDecodeBodyShortcutMatchesJSON: bodies in exactly the form encodeBody writes skip encoding/json;
// every body, in that form or any other JSON spelling, decodes as encoding/json reads it.
func TestDecodeBodyShortcutMatchesJSON(t *testing.T) {
	t.Parallel()
	ct := bytes.Repeat([]byte{0xfb, 0xff, 0xbf}, 8) // Base64 "+/+/…": both symbols that JSON may escape
	b64 := base64.StdEncoding.EncodeToString(ct)
	escaped := strings.ReplaceAll(b64, "/", `\/`)
	// reference is decodeBody as written with encoding/json alone.
	reference := func(f BodyFormat, body []byte) ([]byte, error) {
		var text string
		b := bytes.TrimSpace(body)
		if f == BodyJSONString {
			if json.Unmarshal(b, &text) != nil {
				return nil, ErrBadBody
			}
		} else {
			var obj struct {
				EncryptedData *string `json:"encryptedData"`
			}
			if json.Unmarshal(b, &obj) != nil || obj.EncryptedData == nil {
				return nil, ErrBadBody
			}
			text = *obj.EncryptedData
		}
		out, err := base64.StdEncoding.Strict().DecodeString(text)
		if err != nil || strings.ContainsAny(text, "\r\n") || len(out) < TagSize {
			return nil, ErrBadBody
		}
		return out, nil
	}
	for _, tc := range []struct {
		name string
		f    BodyFormat
		body string
		ok   bool
	}{
		{"object/canonical", BodyJSONObject, `{"encryptedData":"` + b64 + `"}`, true},
		{"object/canonical-spaced", BodyJSONObject, "\n " + `{"encryptedData":"` + b64 + `"}` + " \n", true},
		{"object/escaped-slash", BodyJSONObject, `{"encryptedData":"` + escaped + `"}`, true},
		{"object/unicode-escape", BodyJSONObject, `{"encryptedData":"\u002b` + b64[1:] + `"}`, true},
		{"object/key-case", BodyJSONObject, `{"EncryptedData":"` + b64 + `"}`, true},
		{"object/extra-key", BodyJSONObject, `{"encryptedData":"` + b64 + `","v":1}`, true},
		{"object/spaced-colon", BodyJSONObject, `{"encryptedData" : "` + b64 + `"}`, true},
		{"object/tab-inside", BodyJSONObject, `{"encryptedData":"` + b64[:4] + "\t" + b64[4:] + `"}`, false},
		{"object/too-short", BodyJSONObject, `{"encryptedData":"AAAA"}`, false},
		{"object/empty-text", BodyJSONObject, `{"encryptedData":""}`, false},
		{"object/bad-padding", BodyJSONObject, `{"encryptedData":"` + b64 + `="}`, false},
		{"object/head-only", BodyJSONObject, `{"encryptedData":"`, false},
		{"object/frame-only", BodyJSONObject, `{"encryptedData":""}`, false},
		{"string/canonical", BodyJSONString, `"` + b64 + `"`, true},
		{"string/escaped-slash", BodyJSONString, `"` + escaped + `"`, true},
		{"string/quote-only", BodyJSONString, `"`, false},
		{"string/bad-char", BodyJSONString, `"` + b64[:4] + "\x01" + b64[4:] + `"`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeBody(tc.f, []byte(tc.body))
			want, wantErr := reference(tc.f, []byte(tc.body))
			assert.Equal(t, wantErr, err)
			assert.Equal(t, want, got)
			if tc.ok {
				require.NoError(t, err)
				assert.Equal(t, ct, got)
				assert.True(t, IsEncrypted(tc.f, []byte(tc.body)))
			} else {
				assert.ErrorIs(t, err, ErrBadBody)
			}
		})
	}
}

// ---------------------------------------------------------------------------------------------------------------------
// 7. Profile.Normalize
// ---------------------------------------------------------------------------------------------------------------------

func TestNormalize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		in      Profile
		want    Profile
		errWith []string // substrings of the error; nil means success
	}{
		{"zero", Profile{}, defaultProfile, nil},
		{"default", defaultProfile, defaultProfile, nil},
		{"partial", Profile{Body: BodyBase64Text, KeyWrap: KeyWrapOAEPSHA1},
			Profile{KeyWrap: KeyWrapOAEPSHA1, KeyEncoding: KeyEncodingRaw, Body: BodyBase64Text, ResponseIV: ResponseIVHeader}, nil},
		{"full", Profile{KeyWrapOAEPSHA256MGF1SHA1, KeyEncodingBase64, BodyJSONString, ResponseIVRequest},
			Profile{KeyWrapOAEPSHA256MGF1SHA1, KeyEncodingBase64, BodyJSONString, ResponseIVRequest}, nil},
		{"unknown-key-wrap", Profile{KeyWrap: "rsa-kem"}, Profile{}, []string{"key wrap", `"rsa-kem"`}},
		{"key-wrap-is-case-sensitive", Profile{KeyWrap: "PKCS1v15"}, Profile{}, []string{"key wrap", `"PKCS1v15"`}},
		{"unknown-key-encoding", Profile{KeyEncoding: "hex"}, Profile{}, []string{"key encoding", `"hex"`}},
		{"unknown-body", Profile{Body: "xml"}, Profile{}, []string{"body format", `"xml"`}},
		{"unknown-response-iv", Profile{ResponseIV: "body"}, Profile{}, []string{"response IV", `"body"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.in.Normalize()
			if tc.errWith == nil {
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
				again, err := got.Normalize()
				require.NoError(t, err)
				assert.Equal(t, got, again, "idempotent")
				return
			}
			require.Error(t, err)
			for _, s := range tc.errWith {
				assert.Contains(t, err.Error(), s)
			}
		})
	}

	// Every listed value of every field is accepted.
	for _, w := range allKeyWraps {
		for _, e := range allKeyEncodings {
			for _, f := range allBodyFormats {
				for _, r := range allResponseIVs {
					p := Profile{w, e, f, r}
					got, err := p.Normalize()
					require.NoError(t, err, profileName(p))
					assert.Equal(t, p, got)
				}
			}
		}
	}
}

func TestProfileJSON(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(Profile{})
	require.NoError(t, err)
	assert.JSONEq(t, `{}`, string(b))

	var p Profile
	require.NoError(t, json.Unmarshal(
		[]byte(`{"keyWrap":"oaep-sha256-mgf1-sha1","keyEncoding":"base64","body":"json-string","responseIV":"request"}`), &p))
	assert.Equal(t, Profile{KeyWrapOAEPSHA256MGF1SHA1, KeyEncodingBase64, BodyJSONString, ResponseIVRequest}, p)
}

// ---------------------------------------------------------------------------------------------------------------------
// 8. Benchmarks
// ---------------------------------------------------------------------------------------------------------------------

// benchPlaintext is a JSON document of about 1 KiB.
func benchPlaintext(b *testing.B) []byte {
	b.Helper()
	type txn struct {
		ID, Card, Amount, Currency, Merchant, Status string
	}
	var doc struct {
		Data []txn `json:"data"`
	}
	for i := 0; len(doc.Data) < 8; i++ {
		doc.Data = append(doc.Data, txn{
			ID: fmt.Sprintf("txn-%08d", i), Card: "card-5f3a9c", Amount: "1234.56", Currency: "AED",
			Merchant: "ACME Trading LLC, Dubai", Status: "SETTLED",
		})
	}
	pt, err := json.Marshal(doc)
	require.NoError(b, err)
	require.InDelta(b, 1024, len(pt), 200)
	return pt
}

func BenchmarkSealOpen(b *testing.B) {
	priv := testPrivateKey(b)
	pt := benchPlaintext(b)
	p := Profile{}
	cs, err := NewSession(nil)
	require.NoError(b, err)
	sig, err := cs.WrapKey(&priv.PublicKey, p)
	require.NoError(b, err)
	ss, err := Unwrap(priv, p, cs.Nonce(), sig)
	require.NoError(b, err)

	b.ReportAllocs()
	b.SetBytes(int64(len(pt)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		body := cs.SealRequest(p, pt)
		got, err := ss.OpenRequest(p, body)
		if err != nil || len(got) != len(pt) {
			b.Fatalf("open: %v", err)
		}
	}
}

func BenchmarkWrapUnwrap(b *testing.B) {
	priv := testPrivateKey(b)
	p := Profile{}
	s, err := NewSession(nil)
	require.NoError(b, err)
	nonce := s.Nonce()

	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sig, err := s.WrapKey(&priv.PublicKey, p)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Unwrap(priv, p, nonce, sig); err != nil {
			b.Fatal(err)
		}
	}
}
