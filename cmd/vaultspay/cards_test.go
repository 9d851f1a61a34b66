package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay/internal/envelope"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// The fake has no card routes yet, so cards get runs against a front that answers Card Details itself
// and passes everything else (login) to the fake, through the full encrypted pipeline.

// cardDetailsAnswer is card 533 in the spec's card-object shape (40-cards-issuance.md §2, values from
// the spec's examples; the vendor shows no Card Details example). It also carries "pan",
// "cvv" and "expiry", which Card Details is not documented to send, to prove the CLI never prints them.
const cardDetailsAnswer = `{"data":{"id":533,"userId":5,"cardIssuerConfigId":3,
"userProfile":{"id":571,"pronounTitle":"Mr","firstName":"John","lastName":"Mock-Doe","email":"default.user@vaultspay.dev",
"countryCode":"92","phone":"3001234567","language":"en"},
"_3dSecure":{"id":2564,"configId":9,"status":true},
"account":{"id":1,"accountId":360,"userId":5,"accountType":"DIGITAL","currencyCode":"AED","accountTitle":"Main","accountNumber":"0001","iban":null},
"cardTier":{"id":67,"enableFraudRules":true,"enableLimits":false},"activation":{"activated":true},
"paymentCardType":"DEBIT","cardNetwork":"MASTERCARD","cardType":"PHYSICAL","billingCurrency":"AED","embossName":"JOHN M",
"lastFourDigit":"0422","token":"616929771","tokenFlags":"0001","pinSet":true,"status":"ACTIVE","statusReason":"Activate the card",
"createdAt":"2024-10-07T04:56:49.699+00:00","updatedAt":"2024-10-08T04:56:49.699+00:00",
"pan":"5408968100040422","cvv":"756","expiry":"08/28"}}`

const (
	cardPAN    = "5408968100040422"
	cardCVV    = "756"
	cardExpiry = "08/28"
)

// cardsFront serves POST /pcs/api/v1/cards/details for card 533 (token 616929771), answering 422 1000
// for any other card, and sends every other request to srv. It records the opened request bodies.
type cardsFront struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []string
}

func newCardsFront(t *testing.T, srv *vaultspaytest.Server) *cardsFront {
	t.Helper()
	f := &cardsFront{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/pcs/api/v1/cards/details" {
			srv.ServeHTTP(w, r)
			return
		}
		p := srv.WireProfile()
		sess, err := envelope.Unwrap(cliKey, p, r.Header.Get("x-session-nonce"), r.Header.Get("x-auth-signature"))
		if !assert.NoError(t, err) {
			return
		}
		sealed, err := io.ReadAll(r.Body)
		if !assert.NoError(t, err) {
			return
		}
		body, err := sess.OpenRequest(p, sealed)
		if !assert.NoError(t, err) {
			return
		}
		assert.True(t, strings.HasPrefix(r.Header.Get("Authorization"), "Bearer at_"), "a token from the fake's login")
		f.mu.Lock()
		f.bodies = append(f.bodies, string(body))
		f.mu.Unlock()

		status, answer := http.StatusOK, cardDetailsAnswer
		var ref struct{ CardID, Token int64 }
		assert.NoError(t, json.Unmarshal(body, &ref))
		if ref.CardID != 533 && ref.Token != 616929771 {
			status, answer = http.StatusUnprocessableEntity,
				`{"code":1000,"message":"Invalid payload. Please check your request.","type":"INVALID_PAYLOAD","errors":[{"key":"cardId","reason":"Card does not exist"}]}`
		}
		out, nonce, err := sess.SealResponse(p, []byte(answer))
		if !assert.NoError(t, err) {
			return
		}
		if nonce != "" {
			w.Header().Set("x-session-nonce", nonce)
		}
		w.WriteHeader(status)
		_, _ = w.Write(out)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *cardsFront) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.bodies...)
}

func TestCLICardsGet(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)
	front := newCardsFront(t, srv)
	secrets := []string{srv.ClientSecret(), cardPAN, cardCVV, cardExpiry}

	res := runAt(t, srv, front.URL, "cards", "get", "--card-id", "533")
	require.Equal(t, exitOK, res.code, res.stderr)
	assertNoSecrets(t, res, secrets...)
	f := recordFields(t, res.stdout)
	assert.Equal(t, "533", f["ID"])
	assert.Equal(t, "616929771", f["TOKEN"])
	assert.Equal(t, "ACTIVE", f["STATUS"])
	assert.Equal(t, "**** 0422", f["CARD"])
	assert.Equal(t, "PHYSICAL", f["TYPE"])
	assert.Equal(t, "MASTERCARD", f["NETWORK"])
	assert.Equal(t, "360 AED", f["ACCOUNT"])
	assert.Equal(t, "yes", f["PIN SET"])
	assert.Equal(t, "2024-10-07T04:56:49Z", f["CREATED"])

	res = runAt(t, srv, front.URL, "cards", "get", "--token", "616929771", "--json")
	assertNoSecrets(t, res, secrets...)
	got := decodeJSON[map[string]any](t, res)
	assert.Equal(t, "**** 0422", got["maskedPan"])
	assert.EqualValues(t, 533, got["id"])
	assert.EqualValues(t, 616929771, got["token"])
	assert.Equal(t, "0422", got["lastFourDigit"])
	assert.NotContains(t, got, "pan")
	assert.NotContains(t, got, "cvv")

	res = runAt(t, srv, front.URL, "cards", "get", "--card-id", "9")
	assert.Equal(t, exitAPI, res.code)
	assert.Contains(t, res.stderr, "cardId: Card does not exist")
	assert.Empty(t, res.stdout)

	reqs := front.requests()
	require.Len(t, reqs, 3)
	assert.JSONEq(t, `{"cardId":533}`, reqs[0])
	assert.JSONEq(t, `{"token":616929771}`, reqs[1], "the token under Card Details' name for it")
	assert.JSONEq(t, `{"cardId":9}`, reqs[2])
	assert.Equal(t, 3, srv.CountRequests(http.MethodPost, "/as/api/v1/saas-login"), "logins went to the fake")
}
