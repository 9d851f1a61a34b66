package vaultspay

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mockCapture keeps what an httpmock responder saw, for assertions in the test goroutine.
type mockCapture struct {
	mu     sync.Mutex
	reqs   []*http.Request
	bodies [][]byte
	errs   []error
}

func (m *mockCapture) add(r *http.Request, body []byte, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reqs = append(m.reqs, r)
	m.bodies = append(m.bodies, body)
	if err != nil {
		m.errs = append(m.errs, err)
	}
}

// sealedResponder answers a default-profile request with reply, sealed by the independent implementation under a
// fresh IV sent in x-session-nonce. It reads the crypto headers with the SDK's lower-case map keys, verbatim.
func sealedResponder(priv *rsa.PrivateKey, reply string, capture *mockCapture) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		var body []byte
		if req.Body != nil {
			body, _ = io.ReadAll(req.Body)
		}
		s, err := unwrapDefault(priv, first(rawHeader(req.Header, headerNonce)), first(rawHeader(req.Header, headerSignature)))
		capture.add(req, body, err)
		if err != nil {
			return httpmock.NewStringResponse(500, `{"code":1018,"message":"Invalid HTTP headers.","type":"INVALID_HEADERS"}`), nil
		}
		iv := freshIV()
		resp := httpmock.NewBytesResponse(200, s.sealWithIV(iv, []byte(reply)))
		resp.Header.Set(headerNonce, base64.StdEncoding.EncodeToString(iv))
		return resp, nil
	}
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

func TestSealedRequestOnTheWire(t *testing.T) {
	t.Parallel()
	priv := testKey(t)
	mt := httpmock.NewMockTransport()
	var capture mockCapture
	const reply = `{"data":{"id":42,"status":"PROCESSED","amount":"12.50"}}`
	mt.RegisterResponder(http.MethodPost, string(UAT)+"/tc/api/v1/direct-transfer", sealedResponder(priv, reply, &capture))

	c, err := NewClient(WithCredentials(testClientID, testSecret), WithAppID(testAppID), WithPublicKey(&priv.PublicKey),
		WithTokenSource(staticToken("at-wire-1")), WithHTTPClient(&http.Client{Transport: mt}), WithRetryPolicy(fastRetry(0)))
	require.NoError(t, err)

	sent := map[string]any{"fromAccountId": 25, "toIban": "AE070331234567890123456", "amount": "12.50", "note": "héllo \"quoted\" <tag>"}
	var out struct {
		ID     int    `json:"id"`
		Status string `json:"status"`
		Amount string `json:"amount"`
	}
	var res Response
	require.NoError(t, c.Do(context.Background(), http.MethodPost, "/tc/api/v1/direct-transfer", sent, &out, WithResponseInto(&res)))
	assert.Equal(t, 42, out.ID)
	assert.Equal(t, "PROCESSED", out.Status)
	assert.Equal(t, "12.50", out.Amount)
	assert.JSONEq(t, reply, string(res.Body), "WithResponseInto holds the decrypted body")

	require.Empty(t, capture.errs)
	require.Len(t, capture.reqs, 1)
	req, body := capture.reqs[0], capture.bodies[0]

	// Headers, exactly. The SDK writes the x- headers with the vendor's lower-case names as map keys.
	assert.Equal(t, []string{"Bearer at-wire-1"}, req.Header["Authorization"])
	assert.Equal(t, []string{"SAAS"}, rawHeader(req.Header, headerDeviceOS))
	assert.Equal(t, []string{testAppID}, rawHeader(req.Header, headerDeviceID))
	assert.Equal(t, []string{"application/json"}, req.Header["Content-Type"])
	assert.Contains(t, req.Header.Get("User-Agent"), "vaultspay-go/"+Version)
	assert.Nil(t, rawHeader(req.Header, headerEncryption), "encryption is on: no switch header")
	require.Len(t, rawHeader(req.Header, headerNonce), 1)
	require.Len(t, rawHeader(req.Header, headerSignature), 1)
	nonce, sig := rawHeader(req.Header, headerNonce)[0], rawHeader(req.Header, headerSignature)[0]
	iv, err := base64.StdEncoding.Strict().DecodeString(nonce)
	require.NoError(t, err)
	assert.Len(t, iv, 12)
	assert.Len(t, nonce, 16, "12 bytes are 16 Base64 characters")
	wrapped, err := base64.StdEncoding.Strict().DecodeString(sig)
	require.NoError(t, err)
	assert.Len(t, wrapped, 256, "a 2048-bit RSA block")
	assert.Len(t, sig, 344)
	for k := range req.Header {
		assert.NotEqual(t, "X-Session-Nonce", k, "header keys are not canonicalized")
	}

	// Body: exactly {"encryptedData":"<Base64>"}, opening to the JSON sent.
	assert.Regexp(t, encryptedDataBody, string(body))
	assert.EqualValues(t, len(body), req.ContentLength)
	s := openDefaultHeaders(t, priv, nonce, sig)
	plain := s.openBody(t, body)
	want, err := json.Marshal(sent)
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(plain))
	assert.Equal(t, string(want), string(plain), "the plaintext is the JSON encoding, byte for byte")
	assert.NotContains(t, string(body), "AE070331234567890123456")
}

func TestGetCarriesCryptoHeadersAndNoBody(t *testing.T) {
	t.Parallel()
	priv := testKey(t)
	mt := httpmock.NewMockTransport()
	var capture mockCapture
	mt.RegisterResponder(http.MethodGet, string(UAT)+"/be/api/v1/accounts/7", sealedResponder(priv, `{"data":{"id":7}}`, &capture))
	c, err := NewClient(WithCredentials(testClientID, testSecret), WithAppID(testAppID), WithPublicKey(&priv.PublicKey),
		WithTokenSource(staticToken("tok")), WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)

	var out struct{ ID int }
	require.NoError(t, c.Do(context.Background(), http.MethodGet, "/be/api/v1/accounts/7", nil, &out))
	assert.Equal(t, 7, out.ID)
	require.Empty(t, capture.errs)
	require.Len(t, capture.reqs, 1)
	req := capture.reqs[0]
	assert.Empty(t, capture.bodies[0], "GET has no body")
	assert.Zero(t, req.ContentLength)
	assert.Empty(t, req.Header.Get("Content-Type"), "no body, no Content-Type")
	assert.Len(t, rawHeader(req.Header, headerNonce), 1)
	assert.Len(t, rawHeader(req.Header, headerSignature), 1)
	assert.Equal(t, []string{"SAAS"}, rawHeader(req.Header, headerDeviceOS))
	assert.Equal(t, []string{testAppID}, rawHeader(req.Header, headerDeviceID))
}

func TestSealedRequestServerSide(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) {
		f.mux.HandleFunc("POST /pcs/api/v1/cards", echo)
		f.mux.HandleFunc("GET /pcs/api/v1/cards/25", echo)
	})
	c := f.client(t)
	in := map[string]any{"cardTierId": 3, "customerId": 11, "cardHolderName": "ADA LOVELACE"}
	var out map[string]any
	require.NoError(t, c.Do(context.Background(), http.MethodPost, "/pcs/api/v1/cards", in, &out))
	assert.Equal(t, map[string]any{"cardTierId": 3.0, "customerId": 11.0, "cardHolderName": "ADA LOVELACE"}, out)
	require.NoError(t, c.Do(context.Background(), http.MethodGet, "/pcs/api/v1/cards/25", nil, nil))

	login := f.requestsTo("/as/api/v1/saas-login")
	require.Len(t, login, 1)
	posts := f.requestsTo("/pcs/api/v1/cards")
	require.Len(t, posts, 1)
	gets := f.requestsTo("/pcs/api/v1/cards/25")
	require.Len(t, gets, 1)

	// net/http canonicalizes header names on the server, so Get finds the lower-case ones.
	for _, r := range []seenRequest{login[0], posts[0], gets[0]} {
		assert.Equal(t, "SAAS", r.Header.Get("x-device-os"))
		assert.Equal(t, testAppID, r.Header.Get("x-device-id"))
		assert.Contains(t, r.Header.Get("User-Agent"), "vaultspay-go/")
		s := openDefaultHeaders(t, f.priv, r.Header.Get("x-session-nonce"), r.Header.Get("x-auth-signature"))
		assert.NotEmpty(t, r.RespNonce, "the fake answered with a fresh IV")
		assert.NotEqual(t, r.Header.Get("x-session-nonce"), r.RespNonce)
		if r.Method == http.MethodPost {
			assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
			assert.Equal(t, r.Plain, s.openBody(t, r.Raw), "independent decryption agrees with internal/envelope")
		} else {
			assert.Empty(t, r.Raw)
		}
	}
	assert.Empty(t, login[0].Header.Get("Authorization"), "login is sent without a bearer token")
	assert.JSONEq(t, fmt.Sprintf(`{"clientId":%q,"clientSecret":%q}`, testClientID, testSecret), string(login[0].Plain))
	assert.NotContains(t, string(login[0].Raw), testSecret, "the secret is encrypted on the wire")
	assert.Equal(t, "Bearer "+f.issuedTokens()[0], posts[0].Header.Get("Authorization"))
	assert.Equal(t, "Bearer "+f.issuedTokens()[0], gets[0].Header.Get("Authorization"))
}

func TestEveryRequestHasItsOwnKeyAndIV(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) {
		f.mux.HandleFunc("POST /tme/api/v1/echo", echo)
	})
	c := f.client(t)
	body := map[string]string{"same": "plaintext every time"}
	for i := 0; i < 50; i++ {
		require.NoError(t, c.Do(context.Background(), http.MethodPost, "/tme/api/v1/echo", body, nil))
	}
	reqs := f.requests()
	require.Len(t, reqs, 51, "one login and 50 calls")
	nonces, keys, bodies := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, r := range reqs {
		s := openDefaultHeaders(t, f.priv, r.Header.Get(headerNonce), r.Header.Get(headerSignature))
		nonces[string(s.iv)] = true
		keys[string(s.key)] = true
		bodies[string(r.Raw)] = true
		if r.RespNonce != "" {
			nonces["resp:"+r.RespNonce] = true
		}
	}
	assert.Len(t, nonces, 2*51, "no IV repeats, in requests or answers")
	assert.Len(t, keys, 51, "no AES key repeats")
	assert.Len(t, bodies, 51, "the same plaintext never gives the same ciphertext")
}

func TestResponseIVSources(t *testing.T) {
	t.Parallel()
	const reply = `{"data":{"ok":true,"name":"Ada"}}`
	tests := []struct {
		name          string
		clientProfile WireProfile
		// answer seals reply for the request session s: it returns the body and the x-session-nonce to send.
		answer  func(s defaultSession) ([]byte, string)
		wantErr error
	}{
		{
			name: "fresh IV in x-session-nonce",
			answer: func(s defaultSession) ([]byte, string) {
				iv := freshIV()
				return s.sealWithIV(iv, []byte(reply)), base64.StdEncoding.EncodeToString(iv)
			},
		},
		{
			name:   "no header: request IV",
			answer: func(s defaultSession) ([]byte, string) { return s.sealWithIV(s.iv, []byte(reply)), "" },
		},
		{
			name:          "ResponseIVRequest profile ignores the header",
			clientProfile: WireProfile{ResponseIV: ResponseIVRequest},
			answer: func(s defaultSession) ([]byte, string) {
				return s.sealWithIV(s.iv, []byte(reply)), base64.StdEncoding.EncodeToString(freshIV())
			},
		},
		{
			name:          "ResponseIVRequest profile, fresh IV used by server: undecryptable",
			clientProfile: WireProfile{ResponseIV: ResponseIVRequest},
			answer: func(s defaultSession) ([]byte, string) {
				iv := freshIV()
				return s.sealWithIV(iv, []byte(reply)), base64.StdEncoding.EncodeToString(iv)
			},
			wantErr: ErrUndecryptable,
		},
		{
			name: "header names a different IV than the one used: undecryptable",
			answer: func(s defaultSession) ([]byte, string) {
				return s.sealWithIV(s.iv, []byte(reply)), base64.StdEncoding.EncodeToString(freshIV())
			},
			wantErr: ErrUndecryptable,
		},
		{
			name: "malformed response nonce: undecryptable",
			answer: func(s defaultSession) ([]byte, string) {
				return s.sealWithIV(s.iv, []byte(reply)), "not-base64!"
			},
			wantErr: ErrUndecryptable,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) {
				f.raw.HandleFunc("GET /v1/thing", func(w http.ResponseWriter, r *http.Request) {
					s, err := unwrapDefault(f.priv, r.Header.Get(headerNonce), r.Header.Get(headerSignature))
					if err != nil {
						writeInvalidHeaders(w)
						return
					}
					body, nonce := tt.answer(s)
					if nonce != "" {
						w.Header().Set(headerNonce, nonce)
					}
					_, _ = w.Write(body)
				})
			})
			c := f.client(t, WithWireProfile(tt.clientProfile), WithTokenSource(staticToken("tok")))
			var out struct {
				OK   bool
				Name string
			}
			err := c.Do(context.Background(), http.MethodGet, "/v1/thing", nil, &out)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				var re *ResponseError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, http.StatusOK, re.StatusCode)
				return
			}
			require.NoError(t, err)
			assert.True(t, out.OK)
			assert.Equal(t, "Ada", out.Name)
		})
	}
}

func TestEncryptionOff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		opts       []Option
		wantCrypto bool
		withoutKey bool
	}{
		{name: "crypto headers sent by default", wantCrypto: true},
		{name: "crypto headers omitted with WithoutCryptoHeadersWhenPlain", opts: []Option{WithoutCryptoHeadersWhenPlain()}},
		{name: "no key: no crypto headers", withoutKey: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeAPI(t, WireProfile{}, func(f *fakeAPI) {
				f.mux.HandleFunc("POST /be/api/v1/accounts", echo)
				f.mux.HandleFunc("GET /be/api/v1/accounts", echo)
			})
			opts := append([]Option{WithEncryption(false)}, tt.opts...)
			var c *Client
			if tt.withoutKey {
				var err error
				c, err = NewClient(append(opts, WithBaseURL(f.URL), WithCredentials(testClientID, testSecret), WithAppID(testAppID))...)
				require.NoError(t, err)
			} else {
				c = f.client(t, opts...)
			}
			in := map[string]any{"accountTitle": "Ops", "currency": "AED"}
			var out map[string]any
			require.NoError(t, c.Do(context.Background(), http.MethodPost, "/be/api/v1/accounts", in, &out))
			assert.Equal(t, map[string]any{"accountTitle": "Ops", "currency": "AED"}, out)
			require.NoError(t, c.Do(context.Background(), http.MethodGet, "/be/api/v1/accounts", nil, nil))

			reqs := f.requests()
			require.Len(t, reqs, 3, "login, POST, GET")
			for _, r := range reqs {
				assert.False(t, r.Encrypted)
				assert.Equal(t, "false", r.Header.Get("x-enable-encryption"))
				assert.Equal(t, "SAAS", r.Header.Get("x-device-os"))
				assert.Equal(t, testAppID, r.Header.Get("x-device-id"))
				if tt.wantCrypto {
					s := openDefaultHeaders(t, f.priv, r.Header.Get(headerNonce), r.Header.Get(headerSignature))
					assert.Len(t, s.key, 32, "the headers are a usable key and IV")
				} else {
					assert.Empty(t, r.Header.Values(headerNonce))
					assert.Empty(t, r.Header.Values(headerSignature))
				}
			}
			assert.JSONEq(t, fmt.Sprintf(`{"clientId":%q,"clientSecret":%q}`, testClientID, testSecret), string(reqs[0].Raw))
			assert.JSONEq(t, `{"accountTitle":"Ops","currency":"AED"}`, string(reqs[1].Raw), "plain JSON body")
			assert.Equal(t, "application/json", reqs[1].Header.Get("Content-Type"))
			assert.Empty(t, reqs[2].Raw)
		})
	}
}

// allProfiles is every combination of the wire profile's options.
func allProfiles() []WireProfile {
	var out []WireProfile
	for _, kw := range []KeyWrap{KeyWrapPKCS1v15, KeyWrapOAEPSHA1, KeyWrapOAEPSHA256, KeyWrapOAEPSHA256MGF1SHA1} {
		for _, ke := range []KeyEncoding{KeyEncodingRaw, KeyEncodingBase64} {
			for _, bf := range []BodyFormat{BodyJSONObject, BodyBase64Text, BodyJSONString} {
				for _, riv := range []ResponseIV{ResponseIVHeader, ResponseIVRequest} {
					out = append(out, WireProfile{KeyWrap: kw, KeyEncoding: ke, Body: bf, ResponseIV: riv})
				}
			}
		}
	}
	return out
}

func TestRoundTripEveryWireProfile(t *testing.T) {
	t.Parallel()
	profiles := allProfiles()
	require.Len(t, profiles, 4*2*3*2)
	for _, p := range profiles {
		t.Run(fmt.Sprintf("%s/%s/%s/%s", p.KeyWrap, p.KeyEncoding, p.Body, p.ResponseIV), func(t *testing.T) {
			t.Parallel()
			f := newFakeAPI(t, p, func(f *fakeAPI) {
				f.mux.HandleFunc("POST /re/api/v1/card-security", echo)
				f.mux.HandleFunc("GET /re/api/v1/card-security", func(w http.ResponseWriter, r *http.Request) {
					writeError(w, http.StatusUnprocessableEntity, CodeInvalidPayload, TypeInvalidPayload, "Invalid payload.")
				})
			})
			c := f.client(t)
			in := map[string]any{"cardId": 25, "onlineEnabled": true, "name": "ünïcødé"}
			var out map[string]any
			require.NoError(t, c.Do(context.Background(), http.MethodPost, "/re/api/v1/card-security", in, &out))
			assert.Equal(t, map[string]any{"cardId": 25.0, "onlineEnabled": true, "name": "ünïcødé"}, out)

			// An encrypted error answer opens too.
			err := c.Do(context.Background(), http.MethodGet, "/re/api/v1/card-security", nil, nil)
			require.ErrorIs(t, err, ErrInvalidPayload)

			for _, r := range f.requests() {
				require.True(t, r.Encrypted)
				assert.Equal(t, p.ResponseIV == ResponseIVHeader, r.RespNonce != "", "response nonce header iff ResponseIVHeader")
				if len(r.Raw) > 0 {
					assert.NotContains(t, string(r.Raw), "cardId")
					assert.NotContains(t, string(r.Raw), "clientSecret")
					switch p.Body {
					case BodyJSONObject:
						assert.True(t, bytes.HasPrefix(r.Raw, []byte(`{"encryptedData":"`)), "%s", r.Raw)
					case BodyJSONString:
						assert.True(t, bytes.HasPrefix(r.Raw, []byte(`"`)), "%s", r.Raw)
					case BodyBase64Text:
						_, err := base64.StdEncoding.Strict().DecodeString(string(r.Raw))
						assert.NoError(t, err, "raw Base64 text")
					}
				}
			}
		})
	}
}

func TestProfileMismatchIsReported(t *testing.T) {
	t.Parallel()
	// The server expects OAEP; the client wraps with PKCS#1 v1.5. The fake answers the plain INVALID_HEADERS error.
	f := newFakeAPI(t, WireProfile{KeyWrap: KeyWrapOAEPSHA256}, nil)
	c := f.client(t, WithWireProfile(WireProfile{}))
	err := c.Login(context.Background())
	require.ErrorIs(t, err, ErrInvalidHeaders)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, CodeInvalidHeaders, apiErr.Code)
	assert.Equal(t, http.StatusInternalServerError, apiErr.StatusCode)
	assert.True(t, strings.Contains(apiErr.Error(), "INVALID_HEADERS"))
	assert.Len(t, f.requests(), 1, "a 500 with a VaultsPay code is an answer: not retried")
}
