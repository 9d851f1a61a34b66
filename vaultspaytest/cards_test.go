package vaultspaytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
)

// The fake's own tests of the card routes: plain net/http and the hand-built envelope.

const pathPCS = "/pcs/api/v1/"

// wireCard is a card object as the wire shows it, with the members the tests read.
type wireCard struct {
	ID                   int64  `json:"id"`
	UserID               int64  `json:"userId"`
	Token                int64  `json:"token"`
	Status               string `json:"status"`
	StatusReason         string `json:"statusReason"`
	CardType             string `json:"cardType"`
	LastFourDigit        string `json:"lastFourDigit"`
	PINSet               bool   `json:"pinSet"`
	CardConversionStatus string `json:"cardConversionStatus"`
	EmbossName           string `json:"embossName"`
	Account              struct {
		AccountID int64 `json:"accountId"`
	} `json:"account"`
}

var holderSeq atomic.Int64

// cardHolder creates a user named first last with an AED account over the wire and returns their ids.
func cardHolder(t *testing.T, srv *Server, tok tokens, first, last string) (user, account int64) {
	t.Helper()
	var u, a struct{ ID int64 }
	decodeData(t, apiJSON(t, srv, tok, http.MethodPost, "/as/api/v1/users", map[string]any{"firstName": first,
		"lastName": last, "email": fmt.Sprintf("holder.%d@example.com", holderSeq.Add(1)), "status": "ACTIVE"}), &u)
	decodeData(t, apiJSON(t, srv, tok, http.MethodPost, "/be/api/v1/accounts",
		map[string]any{"userId": u.ID, "currencyId": 2, "accountType": "DIGITAL"}), &a)
	return u.ID, a.ID
}

// cardAddress is the vendor's example address.
func cardAddress() map[string]any {
	return map[string]any{"country": "PAK", "state": "Punjab", "city": "RWP", "addressLine1": "line 1 address",
		"type": "MAILING", "postalCode": "44000", "longitude": "127.45", "latitude": "716.70"}
}

// createBody is a Create Card body for a card of typ with the holder's full name "ALI AMMAR".
func createBody(user, account int64, typ string) map[string]any {
	b := map[string]any{"cardTierId": 67, "customerId": user, "accountId": account, "cardType": typ,
		"cardHolderName": "ALI AMMAR"}
	if typ == "PHYSICAL" {
		b["address"] = cardAddress()
	}
	return b
}

// issue creates a card of typ for a new holder "Ali Ammar".
func issue(t *testing.T, srv *Server, tok tokens, typ string) wireCard {
	t.Helper()
	user, account := cardHolder(t, srv, tok, "Ali", "Ammar")
	var c wireCard
	decodeData(t, pcs(t, srv, tok, "cards", createBody(user, account, typ)), &c)
	return c
}

// seedCards gives a fresh fake VIRTUAL cards 1 to n, for tests that name cards by number.
func seedCards(t *testing.T, srv *Server, tok tokens, n int) {
	t.Helper()
	user, account := cardHolder(t, srv, tok, "Seed", "Holder")
	for i := 1; i <= n; i++ {
		var c wireCard
		body := createBody(user, account, "VIRTUAL")
		body["cardHolderName"] = "SEED HOLDER"
		decodeData(t, pcs(t, srv, tok, "cards", body), &c)
		require.Equal(t, int64(i), c.ID)
	}
}

// pcs posts body to a card endpoint.
func pcs(t *testing.T, srv *Server, tok tokens, endpoint string, body any) *answer {
	t.Helper()
	return apiJSON(t, srv, tok, http.MethodPost, pathPCS+endpoint, body)
}

// dataMap decodes the "data" member of a 200 answer as a JSON object.
func dataMap(t *testing.T, a *answer) map[string]any {
	t.Helper()
	var m map[string]any
	decodeData(t, a, &m)
	return m
}

// refused checks a 422 1000 with exactly one field error on key and returns its reason.
func refused(t *testing.T, a *answer, key string) string {
	t.Helper()
	e := requireAPIError(t, http.StatusUnprocessableEntity, 1000, a.Status, a.Plain)
	require.Equal(t, []string{key}, e.keys(), "body %s", a.Plain)
	return e.Errors[0].Reason
}

// cardState reads a card's status and the number of card events sent so far (white-box).
func cardState(srv *Server, id int64) (vaultspay.CardStatus, int) {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	return srv.st.cards.byID[vaultspay.ID(id)].Status, len(srv.st.hooks.deliveries)
}

// secrets reads a card's PAN and expiry over the wire.
func secrets(t *testing.T, srv *Server, tok tokens, id int64) (pan, expiry string) {
	t.Helper()
	var p struct{ PAN string }
	var e struct{ Expiry string }
	decodeData(t, pcs(t, srv, tok, "get-card-pan", map[string]any{"cardId": id}), &p)
	decodeData(t, pcs(t, srv, tok, "get-card-expiry", map[string]any{"cardId": id}), &e)
	return p.PAN, e.Expiry
}

func TestCardTiersAndEmbossingNames(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	tok := login(t, srv)

	var tiers []map[string]any
	decodeData(t, apiJSON(t, srv, tok, http.MethodGet, pathPCS+"card-tiers", nil), &tiers)
	require.Len(t, tiers, 2)
	assert.Equal(t, 67.0, tiers[0]["id"])
	assert.Equal(t, "VaultsPay Debit Card Tier", tiers[0]["title"])
	for _, k := range []string{"cardCategory", "consumerType", "cardNetwork", "paymentCardType", "cardTypes",
		"billingCurrencyCode", "expiryPeriod", "is3DS", "enableFraudRules", "enableLimits"} {
		assert.Contains(t, tiers[1], k)
	}

	// The vendor's example user "Super Admin" gets exactly the example's names, in its order.
	user, _ := cardHolder(t, srv, tok, "Super", "Admin")
	a := apiJSON(t, srv, tok, http.MethodGet, fmt.Sprintf("%sembossing-names/%d", pathPCS, user), nil)
	require.Equal(t, http.StatusOK, a.Status)
	assert.JSONEq(t, string(specGolden(t, "cards/embossing-names.response")), string(a.Plain))

	a = apiJSON(t, srv, tok, http.MethodGet, pathPCS+"embossing-names/999999", nil)
	require.Equal(t, http.StatusUnprocessableEntity, a.Status)
	assert.JSONEq(t, string(specGolden(t, "cards/embossing-names.error")), string(a.Plain))
	a = apiJSON(t, srv, tok, http.MethodGet, pathPCS+"embossing-names/abc", nil)
	assert.Equal(t, http.StatusBadRequest, a.Status)
	assert.JSONEq(t, `{"code":1010,"message":"Invalid or missing userId parameter.","type":"BAD_REQUEST"}`, string(a.Plain))
}

func TestCreateCardAnswer(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	tok := login(t, srv)
	user, account := cardHolder(t, srv, tok, "Ali", "Ammar")

	v := dataMap(t, pcs(t, srv, tok, "cards", createBody(user, account, "VIRTUAL")))
	assert.Equal(t, "ACTIVE", v["status"], "a VIRTUAL card starts ACTIVE")
	assert.Equal(t, "VIRTUAL", v["cardType"])
	assert.Equal(t, float64(user), v["userId"])
	assert.Equal(t, "ALI AMMAR", v["embossName"])
	assert.Regexp(t, `^\d{4}$`, v["lastFourDigit"])
	assert.Regexp(t, `^[1-9]\d{8}$`, strconv.FormatFloat(v["token"].(float64), 'f', -1, 64))
	assert.Equal(t, map[string]any{"id": 67.0, "enableFraudRules": true, "enableLimits": true}, v["cardTier"])
	assert.Equal(t, float64(account), v["account"].(map[string]any)["accountId"])
	assert.Equal(t, false, v["_3dSecure"].(map[string]any)["status"])
	for _, k := range []string{"id", "userProfile", "paymentCardType", "cardNetwork", "billingCurrency", "pinSet",
		"processedAtThirdParty", "createdAt", "updatedAt", "apiCallUniqueIdentifier"} {
		assert.Contains(t, v, k)
	}
	for _, k := range []string{"manufacturing", "delivery", "activation"} {
		assert.Contains(t, v, k, "documented fields are always sent")
		assert.Nil(t, v[k], "a virtual card has no production objects")
	}
	for _, k := range []string{"pan", "cvv", "expiry"} {
		assert.NotContains(t, v, k, "no card has its secrets")
	}

	p := dataMap(t, pcs(t, srv, tok, "cards", createBody(user, account, "PHYSICAL")))
	assert.Equal(t, string(CardStatusInactive), p["status"], "a PHYSICAL card starts INACTIVE")
	assert.Equal(t, false, p["pinSet"])
	assert.Equal(t, map[string]any{"status": nil}, p["manufacturing"])
	assert.Equal(t, "44000", p["delivery"].(map[string]any)["address"].(map[string]any)["postalCode"])
	assert.NotEqual(t, v["token"], p["token"])

	pan, expiry := secrets(t, srv, tok, int64(p["id"].(float64)))
	assert.Regexp(t, `^540896\d{10}$`, pan, "MASTERCARD tier")
	assert.True(t, luhnValid(pan))
	assert.Equal(t, pan[12:], p["lastFourDigit"])
	assert.Regexp(t, `^(0[1-9]|1[0-2])/\d\d$`, expiry, "MM/YY")
	assert.Equal(t, 2, srv.State().Cards)
}

func luhnValid(s string) bool { return luhnDigit(s[:len(s)-1]) == s[len(s)-1:] }

func TestCreateCardInvalid(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	tok := login(t, srv)
	user, account := cardHolder(t, srv, tok, "Ali", "Ammar")
	_, otherAccount := cardHolder(t, srv, tok, "Sara", "Khan")
	with := func(typ string, change func(b map[string]any)) map[string]any {
		b := createBody(user, account, typ)
		change(b)
		return b
	}
	tests := []struct {
		name string
		body any
		keys []string
	}{
		{"empty object", map[string]any{}, []string{"cardTierId", "customerId", "accountId", "cardType", "cardHolderName"}},
		{"physical without address", with("PHYSICAL", func(b map[string]any) { delete(b, "address") }), []string{"address"}},
		{"address incomplete", with("PHYSICAL", func(b map[string]any) {
			b["address"] = map[string]any{"country": "Pakistan", "city": "RWP"}
		}), []string{"address.country", "address.state", "address.addressLine1", "address.postalCode", "address.type"}},
		{"misnamed field", with("VIRTUAL", func(b map[string]any) {
			b["cardholderName"] = b["cardHolderName"]
			delete(b, "cardHolderName")
		}), []string{"cardHolderName", "cardholderName"}},
		{"unknown nested field", with("PHYSICAL", func(b map[string]any) {
			b["address"].(map[string]any)["zip"] = "1"
		}), []string{"address.zip"}},
		{"wrong JSON type", with("VIRTUAL", func(b map[string]any) { b["customerId"] = true }), []string{"customerId"}},
		{"unknown card type", with("VIRTUAL", func(b map[string]any) { b["cardType"] = "METAL" }), []string{"cardType"}},
		{"unknown user, tier and account", with("VIRTUAL", func(b map[string]any) {
			b["customerId"], b["cardTierId"], b["accountId"] = 999999, 1, 999999
		}), []string{"customerId", "cardTierId", "accountId"}},
		{"someone else's account", with("VIRTUAL", func(b map[string]any) { b["accountId"] = otherAccount }), []string{"accountId"}},
		{"not an embossing name", with("VIRTUAL", func(b map[string]any) { b["cardHolderName"] = "Ali Ammar" }), []string{"cardHolderName"}},
		{"not an object", `["cards"]`, []string{"body"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var a *answer
			if s, ok := tt.body.(string); ok {
				a = apiCall(t, srv, tok, http.MethodPost, pathPCS+"cards", s)
			} else {
				a = pcs(t, srv, tok, "cards", tt.body)
			}
			e := requireAPIError(t, http.StatusUnprocessableEntity, 1000, a.Status, a.Plain)
			assert.ElementsMatch(t, tt.keys, e.keys())
		})
	}
	assert.Zero(t, srv.State().Cards)
}

// TestPhysicalCardLifecycle takes a physical card from creation to ACTIVE and through the controls,
// checking each answer's exact member names, the refusals on the way, and one card event per status
// change.
func TestPhysicalCardLifecycle(t *testing.T) {
	t.Parallel()
	recv := newHookReceiver(t, 200)
	srv := newTestServer(t, fastHooks)
	require.NoError(t, srv.SetWebhook(recv.URL, ""))
	tok := login(t, srv)
	c := issue(t, srv, tok, "PHYSICAL")
	id := map[string]any{"cardId": c.ID}

	assert.Contains(t, refused(t, pcs(t, srv, tok, "process-card-request", map[string]any{"cardId": c.ID,
		"status": "ISSUANCE_IN_PROGRESS"}), "cardId"), "PIN is not set")
	refused(t, pcs(t, srv, tok, "update-card-manufacturing", map[string]any{"cardId": c.ID,
		"cardManufacturingStatus": "MANUFACTURED"}), "cardId")
	refused(t, pcs(t, srv, tok, "set-pin", map[string]any{"cardId": c.ID, "pin": "12a4"}), "pin")

	pin := dataMap(t, pcs(t, srv, tok, "set-pin", map[string]any{"cardToken": c.Token, "pin": "0042"}))
	assert.Equal(t, map[string]any{"cardId": float64(c.ID), "cardToken": float64(c.Token), "pinSet": true}, pin)

	refused(t, pcs(t, srv, tok, "process-card-request", map[string]any{"cardId": c.ID, "status": "ACTIVE"}), "status")
	p := dataMap(t, pcs(t, srv, tok, "process-card-request", map[string]any{"cardId": c.ID, "remarks": "request accepted",
		"statusReason": "new card", "status": "ISSUANCE_IN_PROGRESS"}))
	assert.Equal(t, "ISSUANCE_IN_PROGRESS", p["status"])
	assert.Equal(t, "new card", p["statusReason"])
	assert.Equal(t, true, p["pinSet"])
	refused(t, pcs(t, srv, tok, "process-card-request", map[string]any{"cardId": c.ID, "status": "ISSUANCE_IN_PROGRESS"}), "cardId")

	assert.Contains(t, refused(t, pcs(t, srv, tok, "update-delivery-status", map[string]any{"cardId": c.ID,
		"deliveryStatus": "DELIVERED"}), "cardId"), "MANUFACTURED")
	m := dataMap(t, pcs(t, srv, tok, "update-card-manufacturing", map[string]any{"cardToken": c.Token,
		"cardManufacturingStatus": "MANUFACTURED"}))
	assert.Equal(t, "MANUFACTURED", m["cardManufacturingStatus"])
	assert.Equal(t, "ISSUANCE_IN_PROGRESS", m["cardStatus"], "manufacturing leaves the status")

	d := dataMap(t, pcs(t, srv, tok, "update-delivery-status", map[string]any{"cardId": c.ID, "deliveryStatus": "DISPATCHED"}))
	assert.Equal(t, "ISSUANCE_IN_PROGRESS", d["cardStatus"], "other delivery values leave the status")
	d = dataMap(t, pcs(t, srv, tok, "update-delivery-status", map[string]any{"cardId": c.ID,
		"estimateDeliveryTime": "2024-12-24T12:00", "deliveryStatus": "DELIVERED"}))
	assert.ElementsMatch(t, []string{"cardId", "cardToken", "cardStatus", "statusReason", "deliveryStatus",
		"cardManufacturingStatus", "estimatedDeliveryTime"}, keysOf(d), "the documented answer")
	assert.Equal(t, "PENDING_VERIFICATION", d["cardStatus"])
	assert.Equal(t, "2024-12-24T12:00", d["estimatedDeliveryTime"])

	pan, expiry := secrets(t, srv, tok, c.ID)
	body := pan[:14] + string(rune((pan[14]-'0'+1)%10+'0')) // another digit, a valid check digit
	otherPAN := body + luhnDigit(body)
	require.True(t, luhnValid(otherPAN))
	refused(t, pcs(t, srv, tok, "activate-card", map[string]any{"cardId": c.ID, "pan": otherPAN, "expiryDate": expiry}), "pan")
	refused(t, pcs(t, srv, tok, "activate-card", map[string]any{"cardId": c.ID, "pan": pan, "expiryDate": "01/99"}), "expiryDate")
	act := dataMap(t, pcs(t, srv, tok, "activate-card", map[string]any{"cardId": c.ID, "pan": pan, "expiryDate": expiry}))
	assert.Equal(t, map[string]any{"cardId": float64(c.ID), "cardStatus": "ACTIVE", "statusReason": "new card"}, act,
		"no cardToken, reason kept")
	refused(t, pcs(t, srv, tok, "activate-card", map[string]any{"cardId": c.ID, "pan": pan, "expiryDate": expiry}), "cardId")

	f := dataMap(t, pcs(t, srv, tok, "toggle-freeze-card", map[string]any{"cardToken": c.Token, "statusReason": "travel"}))
	assert.Equal(t, "FREEZE", f["cardStatus"])
	assert.Equal(t, "ACTIVE", dataMap(t, pcs(t, srv, tok, "toggle-freeze-card", id))["cardStatus"])
	b := dataMap(t, pcs(t, srv, tok, "update-card-status", map[string]any{"cardId": c.ID, "statusReason": "BLOCK the card",
		"cardStatus": "BLOCK"}))
	assert.Equal(t, map[string]any{"id": float64(c.ID), "token": float64(c.Token), "status": "BLOCK",
		"statusReason": "BLOCK the card"}, b, "the documented names id, token, status")
	refused(t, pcs(t, srv, tok, "toggle-freeze-card", id), "cardId")
	refused(t, pcs(t, srv, tok, "set-pin", map[string]any{"cardId": c.ID, "pin": "1234"}), "cardId")
	refused(t, pcs(t, srv, tok, "update-card-status", map[string]any{"cardId": c.ID, "statusReason": "x", "cardStatus": "FREEZE"}),
		"cardStatus")
	assert.Equal(t, "ACTIVE", dataMap(t, pcs(t, srv, tok, "update-card-status", map[string]any{"cardToken": c.Token,
		"statusReason": "Activate the card", "cardStatus": "ACTIVE"}))["status"])
	assert.Equal(t, "ACTIVE", dataMap(t, pcs(t, srv, tok, "update-card-status", map[string]any{"cardId": c.ID,
		"statusReason": "again", "cardStatus": "ACTIVE"}))["status"], "the same status again is accepted")

	waitHooks(t, srv)
	var got []string
	for _, d := range srv.WebhookDeliveries() { // in the order the events were emitted
		ev, err := vaultspay.ParseEvent(d.Body)
		require.NoError(t, err)
		ce := ev.(*vaultspay.CardEvent)
		prev := "-"
		if ce.Status.Previous != nil {
			prev = string(ce.Status.Previous.Code)
		}
		got = append(got, prev+">"+string(ce.Status.Current.Code))
		assert.Equal(t, vaultspay.CardToken(c.Token), ce.Card.Token)
		assert.Equal(t, vaultspay.CardEventNetworkMC, ce.Card.Network)
		assert.Equal(t, vaultspay.CardEventCardPhysical, ce.Card.Type)
		assert.Equal(t, "VaultsPay Debit Card Tier", ce.Card.Tier)
	}
	assert.Equal(t, []string{"INACTIVE>ISSUANCE_IN_PROGRESS", "ISSUANCE_IN_PROGRESS>PENDING_VERIFICATION",
		"PENDING_VERIFICATION>ACTIVE", "ACTIVE>FREEZE", "FREEZE>ACTIVE", "ACTIVE>BLOCK", "BLOCK>ACTIVE"}, got,
		"one event per status change after creation, none for a call that keeps the status")
}

// TestNoCardEventOnCreation is cause 5: creating a card, virtual or physical, sends no card event
// (40-cards-issuance §20); its first status change sends one, with previous set.
func TestNoCardEventOnCreation(t *testing.T) {
	t.Parallel()
	recv := newHookReceiver(t, 200)
	srv := newTestServer(t, fastHooks)
	require.NoError(t, srv.SetWebhook(recv.URL, ""))
	tok := login(t, srv)
	user, account := cardHolder(t, srv, tok, "Ali", "Ammar")
	v := dataMap(t, pcs(t, srv, tok, "cards", createBody(user, account, "VIRTUAL")))
	dataMap(t, pcs(t, srv, tok, "cards", createBody(user, account, "PHYSICAL")))
	waitHooks(t, srv)
	assert.Empty(t, srv.WebhookDeliveries(), "no event for a creation")

	dataMap(t, pcs(t, srv, tok, "toggle-freeze-card", map[string]any{"cardId": v["id"]}))
	waitHooks(t, srv)
	ds := srv.WebhookDeliveries()
	require.Len(t, ds, 1)
	ev, err := vaultspay.ParseEvent(ds[0].Body)
	require.NoError(t, err)
	ce := ev.(*vaultspay.CardEvent)
	require.NotNil(t, ce.Status.Previous)
	assert.Equal(t, vaultspay.CardStatusCodeActive, ce.Status.Previous.Code)
	assert.Equal(t, vaultspay.CardStatusCodeFreeze, ce.Status.Current.Code)
}

func TestCardReads(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	tok := login(t, srv)
	c := issue(t, srv, tok, "VIRTUAL")
	other := issue(t, srv, tok, "VIRTUAL")

	byToken := dataMap(t, pcs(t, srv, tok, "cards/details", map[string]any{"token": c.Token}))
	byID := dataMap(t, pcs(t, srv, tok, "cards/details", map[string]any{"cardId": c.ID}))
	assert.Equal(t, byID["id"], byToken["id"])
	both := dataMap(t, pcs(t, srv, tok, "cards/details", map[string]any{"cardId": c.ID, "token": c.Token}))
	assert.Equal(t, float64(c.ID), both["id"])
	refused(t, pcs(t, srv, tok, "cards/details", map[string]any{"cardId": c.ID, "token": strconv.FormatInt(c.Token, 10)}), "token")

	refused(t, pcs(t, srv, tok, "cards/details", map[string]any{"cardId": c.ID, "token": other.Token}), "token")
	refused(t, pcs(t, srv, tok, "cards/details", map[string]any{"cardToken": c.Token}), "cardToken")
	refused(t, pcs(t, srv, tok, "get-card-pan", map[string]any{}), "cardId")
	assert.Equal(t, "Card does not exist with this id", refused(t, pcs(t, srv, tok, "get-card-cvv", map[string]any{"cardId": 999}), "cardId"))
	assert.Equal(t, "Card does not exist with this token", refused(t, pcs(t, srv, tok, "get-card-expiry", map[string]any{"token": 5}), "token"))

	var cvv struct{ CVV string }
	decodeData(t, pcs(t, srv, tok, "get-card-cvv", map[string]any{"token": c.Token}), &cvv)
	assert.Regexp(t, `^\d{3}$`, cvv.CVV)
	pan, expiry := secrets(t, srv, tok, c.ID)
	pan2, _ := secrets(t, srv, tok, other.ID)
	assert.NotEqual(t, pan, pan2)
	m, err := strconv.Atoi(expiry[:2])
	require.NoError(t, err)
	y, err := strconv.Atoi(expiry[3:])
	require.NoError(t, err)
	want := time.Date(srv.Now().Year(), srv.Now().Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 36, 0)
	assert.Equal(t, [2]int{int(want.Month()), want.Year() % 100}, [2]int{m, y}, "36 months after the creation month")
	details, err := json.Marshal(byID)
	require.NoError(t, err)
	for _, secret := range []string{pan, cvv.CVV, expiry} {
		assert.NotContains(t, string(details), `"`+secret+`"`)
	}
}

func TestCardHelpers(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "2", luhnDigit("540896810004042"), "the vendor's example PAN 5408968100040422")
	assert.Equal(t, "08/28", expiryAfter(time.Date(2025, 8, 31, 23, 0, 0, 0, time.UTC), 36))
	assert.Equal(t, "01/27", expiryAfter(time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC), 0), "36 by default")
	assert.Equal(t, []string{"JOHN", "JOHN MOCK-DOE", "JOHN M", "J MOCK-DOE"},
		embossingNames(&userRecord{User: vaultspay.User{FirstName: " John ", LastName: "Mock-Doe"}}))
	assert.Equal(t, []string{"CHER"}, embossingNames(&userRecord{User: vaultspay.User{FirstName: "Cher"}}))
	assert.Regexp(t, regexp.MustCompile(`^\d{7}$`), randomDigits(7))
}
