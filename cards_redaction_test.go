package vaultspay

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Card data used by the leak tests: distinctive values that cannot occur in a timestamp or a pointer by chance.
const (
	leakPAN    = "5408968100040422" // the vendor's activation example; passes Luhn
	leakPANHi  = "540896810004"     // the twelve digits a masked PAN hides
	leakCVV    = "8391"
	leakPIN    = "583917"
	leakExpiry = "08/28"
	leakMarker = "act-secret-Zq7Lw2"
)

// TestCardDataNeverPrints formats card data, the models that hold it and the errors around it with every fmt verb and
// through slog's text and JSON handlers, and asserts the clear values appear nowhere.
func TestCardDataNeverPrints(t *testing.T) {
	t.Parallel()
	pan, cvv, pin, exp := PAN(leakPAN), CVV(leakCVV), PIN(leakPIN), Expiry(leakExpiry)
	activate := ActivateCardRequest{CardRef: CardByID(533), PAN: pan, ExpiryDate: exp}
	setPIN := SetPINRequest{CardRef: CardByToken(616929771), PIN: pin}

	var card Card
	_, err := decodeData(&Response{StatusCode: 200, Body: []byte(cardObject(`{"activated":false}`,
		`{"activated":false,"code":"`+leakMarker+`","pan":"`+leakPAN+`"}`))}, &card)
	require.NoError(t, err)
	require.Contains(t, string(card.RawJSON()), leakMarker)

	var pans CardPAN
	_, err = decodeData(&Response{StatusCode: 200, Body: []byte(`{"data":{"pan":"` + leakPAN + `"}}`)}, &pans)
	require.NoError(t, err)
	require.Equal(t, leakPAN, pans.PAN.Reveal())

	// Validation errors never echo the values they refuse.
	vc, _ := newCardsClient(t, http.StatusOK, `{"data":{}}`)
	_, badPAN := vc.Cards.Activate(context.Background(),
		&ActivateCardRequest{CardRef: CardByID(533), PAN: PAN(leakPAN[:15] + "3"), ExpiryDate: "13/28"})
	require.Error(t, badPAN)
	_, goodPANNoCard := vc.Cards.Activate(context.Background(), &ActivateCardRequest{PAN: pan, ExpiryDate: exp})
	require.Error(t, goodPANNoCard)
	_, badPIN := vc.Cards.SetPIN(context.Background(), &SetPINRequest{CardRef: CardByID(1), PIN: "58391x"})
	require.Error(t, badPIN)

	// Errors from the API or from decoding a PAN answer.
	apiErrClient, _ := newCardsClient(t, http.StatusUnprocessableEntity, `{"code":1000,"message":"Invalid PAN `+leakPAN+
		`","type":"INVALID_PAYLOAD","errors":[{"key":"pan","reason":"`+leakPAN+` does not match"}]}`)
	_, apiErr := apiErrClient.Cards.Activate(context.Background(), &activate)
	require.ErrorIs(t, apiErr, ErrInvalidPayload)
	numClient, _ := newCardsClient(t, http.StatusOK, `{"data":{"pan":`+leakPAN+`}}`)
	_, decodeErr := numClient.Cards.PAN(context.Background(), CardByID(1))
	require.ErrorIs(t, decodeErr, ErrMalformedResponse)

	panSecrets := []string{leakPAN, leakPANHi}
	all := []string{leakPAN, leakPANHi, leakCVV, leakPIN, leakExpiry}
	tests := []struct {
		name    string
		v       any
		secrets []string
	}{
		{"PAN", pan, panSecrets},
		{"*PAN", &pan, panSecrets},
		{"CVV", cvv, []string{leakCVV}},
		{"*CVV", &cvv, []string{leakCVV}},
		{"PIN", pin, []string{leakPIN}},
		{"*PIN", &pin, []string{leakPIN}},
		{"Expiry", exp, []string{leakExpiry}},
		{"*Expiry", &exp, []string{leakExpiry}},
		{"CardPAN", pans, panSecrets},
		{"*CardPAN", &pans, panSecrets},
		{"CardCVV", CardCVV{CVV: cvv}, []string{leakCVV}},
		{"*CardCVV", &CardCVV{CVV: cvv}, []string{leakCVV}},
		{"CardExpiry", CardExpiry{Expiry: exp}, []string{leakExpiry}},
		{"*CardExpiry", &CardExpiry{Expiry: exp}, []string{leakExpiry}},
		{"ActivateCardRequest", activate, all},
		{"*ActivateCardRequest", &activate, all},
		{"SetPINRequest", setPIN, all},
		{"*SetPINRequest", &setPIN, all},
		{"Card with card data in its raw objects", card, append([]string{leakMarker}, panSecrets...)},
		{"*Card with card data in its raw objects", &card, append([]string{leakMarker}, panSecrets...)},
		{"validation error: bad PAN and expiry", badPAN, []string{leakPAN[:15], "13/28"}},
		{"validation error: good PAN, no card", goodPANNoCard, all},
		{"wrapped validation error", fmt.Errorf("activate: %w", goodPANNoCard), all},
		{"validation error: bad PIN", badPIN, []string{"58391"}},
		{"API error echoing the PAN", apiErr, panSecrets},
		{"decoding error of a PAN answer", decodeErr, panSecrets},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertNoLeak(t, tt.name, tt.v, tt.secrets...)
		})
	}
}

// TestCardDataMasks shows what the masked forms look like and that JSON (the wire) and Reveal carry the value.
func TestCardDataMasks(t *testing.T) {
	t.Parallel()
	pan := PAN(leakPAN)
	assert.Equal(t, "**** 0422", pan.String())
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10s"} {
		assert.Equal(t, "**** 0422", fmt.Sprintf(verb, pan), verb)
	}
	assert.Equal(t, "0422", pan.Last4())
	assert.Equal(t, "****", PAN("1234").String(), "a value that is not a PAN shows no digits")
	assert.Equal(t, "****", PAN(leakPAN[:15]+"3").String(), "nor does one failing Luhn")
	assert.Empty(t, PAN("1234").Last4())
	// Inside a slice or map fmt still masks; encoding/json (and so slog's JSONHandler for a slice) writes the real
	// value, as documented on PAN.
	assert.Equal(t, "[**** 0422 **** 0422]", fmt.Sprintf("%v", []PAN{pan, pan}))
	assert.Equal(t, "map[pan:**** 0422]", fmt.Sprintf("%v", map[string]PAN{"pan": pan}))
	for _, s := range []fmt.Stringer{CVV(leakCVV), PIN(leakPIN), Expiry(leakExpiry)} {
		assert.Equal(t, "[redacted]", s.String())
	}
	for _, s := range []fmt.Stringer{PAN(""), CVV(""), PIN(""), Expiry("")} {
		assert.Empty(t, s.String(), "empty stays empty")
	}

	for _, tm := range []interface{ MarshalText() ([]byte, error) }{pan, CVV(leakCVV), PIN(leakPIN), Expiry(leakExpiry)} {
		b, err := tm.MarshalText()
		require.NoError(t, err)
		assert.NotContains(t, string(b), leakPANHi)
		assert.NotContains(t, string(b), leakCVV)
	}

	b, err := json.Marshal(ActivateCardRequest{CardRef: CardByID(533), PAN: pan, ExpiryDate: leakExpiry})
	require.NoError(t, err)
	assert.JSONEq(t, `{"cardId":533,"pan":"`+leakPAN+`","expiryDate":"`+leakExpiry+`"}`, string(b), "the wire carries the value")
	b, err = json.Marshal(SetPINRequest{CardRef: CardByID(1), PIN: "0123", Extra: map[string]any{"pinFormat": "ISO-0"}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"cardId":1,"pin":"0123","pinFormat":"ISO-0"}`, string(b), "leading zeros kept; Extra merged")
	b, err = json.Marshal(CardCVV{CVV: "056"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"cvv":"056"}`, string(b))
	assert.Equal(t, leakPAN, pan.Reveal())
	assert.Equal(t, leakCVV, CVV(leakCVV).Reveal())
	assert.Equal(t, leakPIN, PIN(leakPIN).Reveal())
	assert.Equal(t, leakExpiry, Expiry(leakExpiry).Reveal())
}

func TestCardLogsSafeProjection(t *testing.T) {
	t.Parallel()
	var card Card
	_, err := decodeData(&Response{StatusCode: 200, Body: []byte(cardObject())}, &card)
	require.NoError(t, err)
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("card", "card", card)
	var line struct {
		Card map[string]any `json:"card"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &line))
	assert.Equal(t, map[string]any{"id": float64(533), "status": "ISSUANCE_IN_PROGRESS", "cardType": "PHYSICAL", "last4": "0422"}, line.Card)
	assert.Equal(t, "vaultspay.Card{ID: 533, Status: ISSUANCE_IN_PROGRESS, CardType: PHYSICAL, LastFourDigits: 0422}", fmt.Sprintf("%+v", card))

	buf.Reset()
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("activate", "req",
		&ActivateCardRequest{CardRef: CardByID(533), PAN: leakPAN, ExpiryDate: leakExpiry})
	assert.Contains(t, buf.String(), `"req":{"cardId":533,"cardToken":0,"pan":"**** 0422","expiryDate":"[redacted]"}`)
}

func TestExpiry(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    Expiry
		month time.Month
		year  int
		ok    bool
	}{
		{"08/28", time.August, 2028, true},
		{"12/30", time.December, 2030, true},
		{"01/00", time.January, 2000, true},
		{"27/12", 0, 0, false}, // the vendor's Get Card Expiry example: YY/MM, never guessed
		{"00/28", 0, 0, false},
		{"8/28", 0, 0, false},
		{"08-28", 0, 0, false},
		{"08/2028", 0, 0, false},
		{"ab/cd", 0, 0, false},
		{"", 0, 0, false},
	}
	for _, tt := range tests {
		m, y, err := tt.in.MonthYear()
		if !tt.ok {
			require.ErrorIs(t, err, ErrExpiryFormat, "%q", tt.in.Reveal())
			if tt.in != "" {
				assert.NotContains(t, err.Error(), tt.in.Reveal())
			}
			continue
		}
		require.NoError(t, err, "%q", tt.in.Reveal())
		assert.Equal(t, tt.month, m)
		assert.Equal(t, tt.year, y)
	}
	assert.Equal(t, Expiry("08/28"), NewExpiry(time.August, 2028))
	assert.Equal(t, Expiry("01/05"), NewExpiry(time.January, 5))
}

func TestLuhnAndPANShape(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{leakPAN, "1111222233334444", "4111111111111111", "378282246310005", "6011111111111117"} {
		assert.Empty(t, panShape(ok), ok)
	}
	for in, why := range map[string]string{
		leakPAN[:15] + "3":       "fails the Luhn check",
		"4111 1111 1111 1111":    "must be 12 to 19 digits",
		"41111111111":            "must be 12 to 19 digits",
		"41111111111111111111":   "must be 12 to 19 digits",
		"411111111111111a":       "must be 12 to 19 digits",
		"":                       "must be 12 to 19 digits",
		"4111111111111111111111": "must be 12 to 19 digits",
	} {
		assert.Equal(t, why, panShape(in), in)
	}
	for _, ok := range []string{"0000", "1234", "12345", "012345"} {
		assert.Empty(t, pinShape(ok), ok)
	}
	for _, bad := range []string{"", "123", "1234567", "12a4", " 1234"} {
		assert.NotEmpty(t, pinShape(bad), bad)
	}
}
