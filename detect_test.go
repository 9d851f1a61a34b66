package vaultspay

import (
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWireProfileCandidates: 24 distinct, normalized candidates, the default first, covering every
// request-side choice.
func TestWireProfileCandidates(t *testing.T) {
	cands := WireProfileCandidates()
	require.Len(t, cands, 24)
	def, err := WireProfile{}.Normalize()
	require.NoError(t, err)
	assert.Equal(t, def, cands[0])
	seen := map[WireProfile]bool{}
	for _, p := range cands {
		n, err := p.Normalize()
		require.NoError(t, err)
		assert.Equal(t, n, p)
		assert.Equal(t, ResponseIVHeader, p.ResponseIV)
		assert.False(t, seen[p], "%v twice", p)
		seen[p] = true
	}
}

// TestParseWireProfile: String and ParseWireProfile round-trip every profile; partial and empty forms
// take the defaults; bad ones are configuration errors.
func TestParseWireProfile(t *testing.T) {
	for _, p := range WireProfileCandidates() {
		for _, iv := range []ResponseIV{ResponseIVHeader, ResponseIVRequest} {
			p.ResponseIV = iv
			got, err := ParseWireProfile(p.String())
			require.NoError(t, err)
			assert.Equal(t, p, got)
		}
	}
	def, _ := WireProfile{}.Normalize()
	assert.Equal(t, "key-wrap=pkcs1v15,key-encoding=raw,body=json-object,response-iv=header", WireProfile{}.String())
	for _, s := range []string{"", "default", "  "} {
		got, err := ParseWireProfile(s)
		require.NoError(t, err)
		assert.Equal(t, def, got)
	}
	got, err := ParseWireProfile(" body = base64-text , key-wrap=oaep-sha1")
	require.NoError(t, err)
	assert.Equal(t, WireProfile{KeyWrap: KeyWrapOAEPSHA1, KeyEncoding: KeyEncodingRaw, Body: BodyBase64Text, ResponseIV: ResponseIVHeader}, got)
	for _, bad := range []string{"key-wrap=rsa", "colour=blue", "key-wrap", "key-wrap=", "body=json-object,body=json-string", "pkcs1v15"} {
		_, err := ParseWireProfile(bad)
		assert.ErrorIs(t, err, ErrInvalidConfig, bad)
	}
}

// TestWireProfileFromEnv: VAULTSPAY_WIRE_PROFILE configures the profile; a bad value names the variable.
func TestWireProfileFromEnv(t *testing.T) {
	key := spkiBase64(t, &testKey(t).PublicKey)
	base := []Option{WithBaseURL("http://127.0.0.1:1"), WithCredentials("id", "secret"), WithAppID("17"), WithRSAPublicKey(key)}
	t.Setenv(EnvWireProfile, "key-wrap=oaep-sha256,response-iv=request")
	c, err := NewClientFromEnv(base...)
	require.NoError(t, err)
	assert.Equal(t, WireProfile{KeyWrap: KeyWrapOAEPSHA256, KeyEncoding: KeyEncodingRaw, Body: BodyJSONObject, ResponseIV: ResponseIVRequest}, c.WireProfile())
	t.Setenv(EnvWireProfile, "key-wrap=nope")
	_, err = NewClientFromEnv(base...)
	assert.ErrorIs(t, err, ErrInvalidConfig)
	assert.Contains(t, err.Error(), EnvWireProfile)
}

// TestDetectionNeedsLoginAndEncryption: detection is refused where it cannot work.
func TestDetectionNeedsLoginAndEncryption(t *testing.T) {
	key := spkiBase64(t, &testKey(t).PublicKey)
	base := []Option{WithBaseURL("http://127.0.0.1:1"), WithCredentials("id", "secret"), WithAppID("17"), WithRSAPublicKey(key), WithWireProfileDetection()}
	_, err := NewClient(append(base, WithTokenSource(staticToken("tok")))...)
	assert.ErrorIs(t, err, ErrInvalidConfig)
	_, err = NewClient(append(base, WithEncryption(false))...)
	assert.ErrorIs(t, err, ErrInvalidConfig)
	c, err := NewClient(base...)
	require.NoError(t, err)
	_, ok := c.WireProfileDetection()
	assert.False(t, ok)
	c, err = NewClient(base[:4]...)
	require.NoError(t, err)
	_, ok = c.WireProfileDetection()
	assert.False(t, ok, "detection off")
}

// TestWireProfileError: the message lists each profile and why it was refused; errors.Is/As reach the
// sentinel and the last refusal.
func TestWireProfileError(t *testing.T) {
	refused := &APIError{StatusCode: http.StatusInternalServerError, Code: CodeInvalidHeaders, Type: TypeInvalidHeaders}
	undecryptable := &ResponseError{kind: ErrUndecryptable}
	e := &WireProfileError{Tried: []ProfileAttempt{
		{Profile: WireProfileCandidates()[0], Err: refused},
		{Profile: WireProfileCandidates()[1], Err: undecryptable},
	}}
	msg := e.Error()
	assert.Contains(t, msg, "all 2 wire profiles")
	assert.Contains(t, msg, WireProfileCandidates()[0].String()+": 1018 INVALID_HEADERS")
	assert.Contains(t, msg, WireProfileCandidates()[1].String()+": answer could not be decrypted")
	assert.ErrorIs(t, e, ErrWireProfileNotFound)
	assert.ErrorIs(t, e, ErrUndecryptable)
	assert.NotErrorIs(t, e, ErrInvalidHeaders)
	assert.NoError(t, (&WireProfileError{}).Unwrap())
	assert.True(t, envelopeRefused(refused))
	assert.True(t, envelopeRefused(undecryptable))
	assert.False(t, envelopeRefused(errors.New("other")))
	assert.False(t, envelopeRefused(&APIError{StatusCode: 401, Code: CodeUnauthenticated}))
}
