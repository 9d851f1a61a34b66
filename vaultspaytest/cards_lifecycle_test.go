package vaultspaytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
)

// putCard sets a card's status directly (white-box), and marks it replaced when replaced.
func putCard(srv *Server, id int64, status vaultspay.CardStatus, replaced bool) {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	c := srv.st.cards.byID[vaultspay.ID(id)]
	c.Status = status
	if replaced {
		c.replacedBy = 9999
	}
}

// activePhysical takes a new PHYSICAL card to ACTIVE over the wire.
func activePhysical(t *testing.T, srv *Server, tok tokens) wireCard {
	t.Helper()
	c := issue(t, srv, tok, "PHYSICAL")
	for _, step := range []struct {
		endpoint string
		body     map[string]any
	}{
		{"set-pin", map[string]any{"pin": "1234"}},
		{"process-card-request", map[string]any{"status": "ISSUANCE_IN_PROGRESS"}},
		{"update-card-manufacturing", map[string]any{"cardManufacturingStatus": "MANUFACTURED"}},
		{"update-delivery-status", map[string]any{"deliveryStatus": "DELIVERED"}},
	} {
		step.body["cardId"] = c.ID
		require.Equal(t, http.StatusOK, pcs(t, srv, tok, step.endpoint, step.body).Status, step.endpoint)
	}
	activate(t, srv, tok, c.ID)
	c.Status = "ACTIVE"
	return c
}

// activate activates a card with its own PAN and expiry.
func activate(t *testing.T, srv *Server, tok tokens, id int64) {
	t.Helper()
	pan, expiry := secrets(t, srv, tok, id)
	a := pcs(t, srv, tok, "activate-card", map[string]any{"cardId": id, "pan": pan, "expiryDate": expiry})
	require.Equal(t, "ACTIVE", dataMap(t, a)["cardStatus"])
}

// actionBody is a valid body of endpoint for card c, so that only the card's state can refuse it.
func actionBody(t *testing.T, srv *Server, tok tokens, endpoint string, c wireCard) map[string]any {
	t.Helper()
	b := map[string]any{"cardId": c.ID}
	switch endpoint {
	case "process-card-request":
		b["status"] = "ISSUANCE_IN_PROGRESS"
	case "update-card-manufacturing":
		b["cardManufacturingStatus"] = "MANUFACTURED"
	case "update-delivery-status":
		b["deliveryStatus"] = "DELIVERED"
	case "activate-card":
		b["pan"], b["expiryDate"] = secrets(t, srv, tok, c.ID)
	case "set-pin":
		b["pin"] = "1234"
	case "update-card-status":
		b["statusReason"], b["cardStatus"] = "Activate the card", "ACTIVE"
	case "report-card-issue":
		b["statusReason"] = "LOST"
	case "virtual-to-physical":
		b["address"] = cardAddress()
	case "virtual-to-physical-process":
		b["cardConversionStatus"] = "APPROVED"
	case "update-card-account":
		b["accountId"] = c.Account.AccountID
	}
	return b
}

// TestCardTransitionsRefused: in every status, actions the lifecycle forbids are 422 1000 on cardId,
// leave the card as it was and send no event.
func TestCardTransitionsRefused(t *testing.T) {
	t.Parallel()
	recv := newHookReceiver(t, 200)
	srv := newTestServer(t, fastHooks)
	require.NoError(t, srv.SetWebhook(recv.URL, ""))
	tok := login(t, srv)
	tests := []struct {
		status   vaultspay.CardStatus
		typ      string
		replaced bool
		refused  []string
		reason   string // part of every reason
	}{
		{status: CardStatusInactive, typ: "PHYSICAL", refused: []string{"activate-card", "update-card-manufacturing",
			"update-delivery-status", "update-card-status", "toggle-freeze-card", "report-card-issue", "virtual-to-physical"}},
		{status: vaultspay.CardStatusIssuanceInProgress, typ: "PHYSICAL", refused: []string{"process-card-request",
			"activate-card", "update-card-status", "toggle-freeze-card", "report-card-issue", "virtual-to-physical-process"}},
		{status: vaultspay.CardStatusPendingVerification, typ: "PHYSICAL", refused: []string{"process-card-request",
			"update-card-manufacturing", "update-delivery-status", "update-card-status", "toggle-freeze-card"}},
		{status: vaultspay.CardStatusActive, typ: "VIRTUAL", refused: []string{"process-card-request", "activate-card",
			"set-pin", "update-card-manufacturing", "update-delivery-status", "review-report-card-issue", "renew-card",
			"replace-card", "decline-card", "virtual-to-physical-process"}},
		{status: vaultspay.CardStatusActive, typ: "PHYSICAL", refused: []string{"virtual-to-physical", "activate-card"}},
		{status: vaultspay.CardStatusFreeze, typ: "VIRTUAL", refused: []string{"activate-card", "virtual-to-physical"}},
		{status: vaultspay.CardStatusBlock, typ: "PHYSICAL", refused: []string{"toggle-freeze-card", "set-pin",
			"activate-card", "process-card-request"}},
		{status: vaultspay.CardStatusBlock, typ: "VIRTUAL", refused: []string{"toggle-freeze-card", "virtual-to-physical"}},
		{status: vaultspay.CardStatusBlock, typ: "VIRTUAL", replaced: true, refused: []string{"update-card-status",
			"enroll-card-three-ds", "remove-card-three-ds", "update-card-account", "report-card-issue", "toggle-freeze-card"},
			reason: "replaced"},
	}
	for _, tt := range tests {
		c := issue(t, srv, tok, tt.typ)
		putCard(srv, c.ID, tt.status, tt.replaced)
		waitHooks(t, srv)
		for _, endpoint := range tt.refused {
			t.Run(fmt.Sprintf("%s %s replaced=%v: %s", tt.typ, tt.status, tt.replaced, endpoint), func(t *testing.T) {
				_, events := cardState(srv, c.ID)
				reason := refused(t, pcs(t, srv, tok, endpoint, actionBody(t, srv, tok, endpoint, c)), "cardId")
				assert.Contains(t, reason, tt.reason)
				status, after := cardState(srv, c.ID)
				assert.Equal(t, tt.status, status, "unchanged")
				assert.Equal(t, events, after, "no event")
			})
		}
	}
}

// TestUpdateCardStatusMatrix: every documented from/to pair of update-card-status.
func TestUpdateCardStatusMatrix(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	tok := login(t, srv)
	for _, from := range []vaultspay.CardStatus{vaultspay.CardStatusActive, vaultspay.CardStatusBlock, vaultspay.CardStatusFreeze} {
		for _, to := range []string{"ACTIVE", "BLOCK"} {
			c := issue(t, srv, tok, "VIRTUAL")
			putCard(srv, c.ID, from, false)
			a := pcs(t, srv, tok, "update-card-status", map[string]any{"cardId": c.ID, "statusReason": "why", "cardStatus": to})
			assert.Equal(t, to, dataMap(t, a)["status"], "%s → %s", from, to)
		}
	}
}

func TestCardControls(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	tok := login(t, srv)
	c := issue(t, srv, tok, "VIRTUAL")

	for _, step := range []struct {
		endpoint string
		want     bool
	}{{"enroll-card-three-ds", true}, {"enroll-card-three-ds", true}, {"remove-card-three-ds", false}, {"remove-card-three-ds", false}} {
		m := dataMap(t, pcs(t, srv, tok, step.endpoint, map[string]any{"cardToken": c.Token}))
		assert.ElementsMatch(t, []string{"cardId", "cardToken", "cardStatus", "statusReason", "card3DSecure"}, keysOf(m))
		assert.Nil(t, m["statusReason"], "a documented field without a value is sent as null")
		tds := m["card3DSecure"].(map[string]any)
		assert.Equal(t, step.want, tds["status"], step.endpoint)
		assert.Equal(t, 9.0, tds["configId"])
		assert.Equal(t, "ACTIVE", m["cardStatus"], "3DS leaves the status")
	}
	refused(t, pcs(t, srv, tok, "remove-card-three-ds", map[string]any{"token": c.Token}), "token")

	var second struct{ ID int64 }
	decodeData(t, apiJSON(t, srv, tok, http.MethodPost, "/be/api/v1/accounts",
		map[string]any{"userId": c.UserID, "currencyId": 1, "accountType": "DIGITAL"}), &second)
	_, strangers := cardHolder(t, srv, tok, "Sara", "Khan")
	refused(t, pcs(t, srv, tok, "update-card-account", map[string]any{"cardId": c.ID, "accountId": strangers}), "accountId")
	refused(t, pcs(t, srv, tok, "update-card-account", map[string]any{"cardId": c.ID, "accountId": 999999}), "accountId")
	a := pcs(t, srv, tok, "update-card-account", map[string]any{"cardToken": c.Token, "accountId": second.ID})
	assert.Equal(t, []string{"cardId", "cardToken"}, requireAPIError(t, http.StatusUnprocessableEntity, 1000, a.Status, a.Plain).keys(),
		"update-card-account documents cardId only")
	link := dataMap(t, pcs(t, srv, tok, "update-card-account", map[string]any{"cardId": c.ID, "accountId": second.ID}))
	assert.Equal(t, map[string]any{"accountId": float64(second.ID),
		"remarks": fmt.Sprintf("Linked account changed from %d to %d", c.Account.AccountID, second.ID)}, link)
	var after wireCard
	decodeData(t, pcs(t, srv, tok, "cards/details", map[string]any{"cardId": c.ID}), &after)
	assert.Equal(t, second.ID, after.Account.AccountID)
}

func TestReportedCards(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	tok := login(t, srv)
	c := issue(t, srv, tok, "VIRTUAL")
	ref := map[string]any{"cardId": c.ID, "cardToken": c.Token}

	rep := dataMap(t, pcs(t, srv, tok, "report-card-issue", map[string]any{"cardId": c.ID, "statusReason": "STOLEN",
		"remarks": "taken at the mall"}))
	assert.ElementsMatch(t, []string{"id", "cardId", "cardToken", "status", "statusReason", "remarks", "createdAt", "updatedAt"},
		keysOf(rep))
	assert.Equal(t, "REPORTED", rep["status"])
	assert.Equal(t, "STOLEN", rep["statusReason"])
	var card wireCard
	decodeData(t, pcs(t, srv, tok, "cards/details", map[string]any{"cardId": c.ID}), &card)
	assert.Equal(t, "ACTIVE", card.Status, "reporting leaves the status")
	assert.Equal(t, "STOLEN", card.StatusReason)

	assert.Contains(t, refused(t, pcs(t, srv, tok, "report-card-issue", map[string]any{"cardId": c.ID, "statusReason": "LOST"}),
		"cardId"), "open report")
	assert.Contains(t, refused(t, pcs(t, srv, tok, "renew-card", ref), "cardId"), "REVIEWED")
	refused(t, pcs(t, srv, tok, "renew-card", map[string]any{"cardToken": c.Token}), "cardId")
	assert.Equal(t, "REVIEWED", dataMap(t, pcs(t, srv, tok, "review-report-card-issue", map[string]any{"cardToken": c.Token,
		"remarks": "checked"}))["status"])
	refused(t, pcs(t, srv, tok, "review-report-card-issue", ref), "cardId")

	renewed := dataMap(t, pcs(t, srv, tok, "renew-card", map[string]any{"cardId": c.ID, "cardToken": c.Token, "remarks": "Card was stolen"}))
	assert.ElementsMatch(t, []string{"cardId", "cardToken", "status", "message"}, keysOf(renewed))
	assert.Equal(t, "ISSUANCE_IN_PROGRESS", renewed["status"])
	assert.Equal(t, "Card renew successfully!", renewed["message"])
	newID := int64(renewed["cardId"].(float64))
	assert.NotEqual(t, c.ID, newID)
	assert.NotEqual(t, float64(c.Token), renewed["cardToken"])
	status, _ := cardState(srv, c.ID)
	assert.Equal(t, vaultspay.CardStatusBlock, status, "the original is blocked")
	assert.Contains(t, refused(t, pcs(t, srv, tok, "update-card-status", map[string]any{"cardId": c.ID, "statusReason": "x",
		"cardStatus": "ACTIVE"}), "cardId"), "replaced by card")
	refused(t, pcs(t, srv, tok, "renew-card", ref), "cardId")
	activate(t, srv, tok, newID) // a VIRTUAL card in ISSUANCE_IN_PROGRESS is activated directly

	// Decline: FREEZE with the reported reason and the remarks; un-freezing afterwards is allowed.
	d := issue(t, srv, tok, "VIRTUAL")
	pcs(t, srv, tok, "report-card-issue", map[string]any{"cardId": d.ID, "statusReason": "My card is lost."})
	pcs(t, srv, tok, "review-report-card-issue", map[string]any{"cardId": d.ID})
	dec := dataMap(t, pcs(t, srv, tok, "decline-card", map[string]any{"cardId": d.ID, "remarks": "remarks for decline"}))
	assert.Equal(t, map[string]any{"cardId": float64(d.ID), "cardToken": float64(d.Token), "cardStatus": "FREEZE",
		"statusReason": "My card is lost.", "remarks": "remarks for decline"}, dec)
	assert.Equal(t, "ACTIVE", dataMap(t, pcs(t, srv, tok, "toggle-freeze-card", map[string]any{"cardId": d.ID}))["cardStatus"])

	// Replace a physical card: the new one keeps the PIN and continues at manufacturing.
	p := activePhysical(t, srv, tok)
	pcs(t, srv, tok, "report-card-issue", map[string]any{"cardId": p.ID, "statusReason": "DAMAGED"})
	pcs(t, srv, tok, "review-report-card-issue", map[string]any{"cardId": p.ID})
	repl := dataMap(t, pcs(t, srv, tok, "replace-card", map[string]any{"cardId": p.ID}))
	assert.Equal(t, "Card replace successfully!", repl["message"])
	var np wireCard
	decodeData(t, pcs(t, srv, tok, "cards/details", map[string]any{"cardId": repl["cardId"]}), &np)
	assert.Equal(t, "PHYSICAL", np.CardType)
	assert.True(t, np.PINSet)
	assert.Equal(t, p.EmbossName, np.EmbossName)
	pcs(t, srv, tok, "update-card-manufacturing", map[string]any{"cardId": np.ID, "cardManufacturingStatus": "MANUFACTURED"})
	pcs(t, srv, tok, "update-delivery-status", map[string]any{"cardId": np.ID, "deliveryStatus": "DELIVERED"})
	activate(t, srv, tok, np.ID)

	// The list: newest first, paged, filtered.
	pcs(t, srv, tok, "report-card-issue", map[string]any{"cardId": np.ID, "statusReason": "LOST"})
	var page struct {
		Data       []map[string]any
		Pagination vaultspay.Pagination
	}
	a := apiJSON(t, srv, tok, http.MethodGet, pathPCS+"card-reported-issues?perPage=2", nil)
	require.Equal(t, http.StatusOK, a.Status)
	require.NoError(t, json.Unmarshal(a.Plain, &page))
	assert.Equal(t, 4, page.Pagination.TotalCount)
	assert.Equal(t, 2, page.Pagination.TotalPages)
	require.Len(t, page.Data, 2)
	assert.Equal(t, float64(np.ID), page.Data[0]["cardId"], "newest first")
	var only []map[string]any
	decodeData(t, apiJSON(t, srv, tok, http.MethodGet, pathPCS+"card-reported-issues?status=REPORTED", nil), &only)
	require.Len(t, only, 1)
	decodeData(t, apiJSON(t, srv, tok, http.MethodGet, fmt.Sprintf("%scard-reported-issues?cardId=%d", pathPCS, d.ID), nil), &only)
	require.Len(t, only, 1)
	assert.Equal(t, "REVIEWED", only[0]["status"], "a settled report stays REVIEWED")
	assert.Equal(t, "remarks for decline", only[0]["remarks"])
	a = apiJSON(t, srv, tok, http.MethodGet, pathPCS+"card-reported-issues?cardId=x", nil)
	requireAPIError(t, http.StatusUnprocessableEntity, 1000, a.Status, a.Plain)

	decodeData(t, pcs(t, srv, tok, "cards/details", map[string]any{"cardId": d.ID}), &card)
	var raw map[string]any
	decodeData(t, pcs(t, srv, tok, "cards/details", map[string]any{"cardId": d.ID}), &raw)
	assert.Len(t, raw["reportedCards"], 1, "the card lists its reports")
}

func TestCardConversion(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	tok := login(t, srv)
	c := issue(t, srv, tok, "VIRTUAL")
	noCoords := cardAddress()
	delete(noCoords, "longitude")
	delete(noCoords, "latitude")
	tests := []struct {
		body map[string]any
		keys []string
	}{
		{map[string]any{"cardId": c.ID}, []string{"address"}},
		{map[string]any{"cardId": c.ID, "addressId": 1, "address": cardAddress()}, []string{"address"}},
		{map[string]any{"cardId": c.ID, "address": noCoords}, []string{"address.longitude", "address.latitude"}},
	}
	for _, tt := range tests {
		a := pcs(t, srv, tok, "virtual-to-physical", tt.body)
		assert.ElementsMatch(t, tt.keys, requireAPIError(t, http.StatusUnprocessableEntity, 1000, a.Status, a.Plain).keys())
	}
	refused(t, pcs(t, srv, tok, "virtual-to-physical", map[string]any{"cardId": c.ID, "addressId": 999}), "addressId")

	applied := dataMap(t, pcs(t, srv, tok, "virtual-to-physical", map[string]any{"cardId": c.ID, "address": cardAddress()}))
	assert.Equal(t, "APPLIED", applied["cardConversionStatus"])
	assert.Equal(t, "ACTIVE", applied["status"])
	assert.Equal(t, "VIRTUAL", applied["cardType"])
	refused(t, pcs(t, srv, tok, "virtual-to-physical", map[string]any{"cardId": c.ID, "address": cardAddress()}), "cardId")
	refused(t, pcs(t, srv, tok, "virtual-to-physical-process", map[string]any{"cardId": c.ID, "cardConversionStatus": "APPLIED"}),
		"cardConversionStatus")
	rejected := dataMap(t, pcs(t, srv, tok, "virtual-to-physical-process", map[string]any{"cardId": c.ID,
		"cardConversionStatus": "REJECTED", "remarks": "no stock"}))
	assert.Equal(t, "REJECTED", rejected["cardConversionStatus"])
	assert.Equal(t, "VIRTUAL", rejected["cardType"])
	refused(t, pcs(t, srv, tok, "virtual-to-physical-process", map[string]any{"cardId": c.ID, "cardConversionStatus": "APPROVED"}),
		"cardId")

	// Again, to the user's KYC mailing address, and approved: PHYSICAL in ISSUANCE_IN_PROGRESS.
	var addr struct{ ID int64 }
	decodeData(t, apiJSON(t, srv, tok, http.MethodPost, "/us/api/v1/kyc/addresses", map[string]any{"userId": c.UserID,
		"type": "MAILING", "countryId": 167, "stateId": 3176, "cityId": 85566, "addressLine1": "12 Murree Road",
		"postalCode": "46000"}), &addr)
	pcs(t, srv, tok, "virtual-to-physical", map[string]any{"cardId": c.ID, "addressId": addr.ID})
	approved := dataMap(t, pcs(t, srv, tok, "virtual-to-physical-process", map[string]any{"cardId": c.ID,
		"cardConversionStatus": "APPROVED"}))
	assert.Equal(t, "APPROVED", approved["cardConversionStatus"])
	assert.Equal(t, "PHYSICAL", approved["cardType"])
	assert.Equal(t, "ISSUANCE_IN_PROGRESS", approved["status"])
	delivery := approved["delivery"].(map[string]any)["address"].(map[string]any)
	assert.Equal(t, map[string]any{"country": "PAK", "state": "Punjab", "city": "Rawalpindi", "addressLine1": "12 Murree Road",
		"type": "MAILING", "postalCode": "46000"}, delivery)
	pcs(t, srv, tok, "update-card-manufacturing", map[string]any{"cardId": c.ID, "cardManufacturingStatus": "MANUFACTURED"})
	pcs(t, srv, tok, "update-delivery-status", map[string]any{"cardId": c.ID, "deliveryStatus": "DELIVERED"})
	activate(t, srv, tok, c.ID)
}

// TestCardLifecycleSwitches: with every §4.4 check off, the vendor's own example bodies go through
// unchanged, and the initial statuses are the configured ones.
func TestCardLifecycleSwitches(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, WithCardLifecycle(CardLifecycle{VirtualStatus: "PENDING", PhysicalStatus: "CREATED",
		SkipPINCheck: true, SkipManufacturingCheck: true, SkipActivationCheck: true, SkipEmbossingCheck: true}))
	tok := login(t, srv)
	user, account := cardHolder(t, srv, tok, "Ali", "Ammar")

	body := string(specGolden(t, "cards/create-card.request"))
	body = strings.NewReplacer(`"customerId": 799`, fmt.Sprintf(`"customerId": %d`, user),
		`"accountId": 360`, fmt.Sprintf(`"accountId": %d`, account)).Replace(body)
	var p wireCard
	decodeData(t, apiCall(t, srv, tok, http.MethodPost, pathPCS+"cards", body), &p)
	assert.Equal(t, "CREATED", p.Status)
	assert.Equal(t, "Test Card Owner", p.EmbossName, "any name when the embossing check is off")
	pcs(t, srv, tok, "process-card-request", map[string]any{"cardId": p.ID, "status": "ISSUANCE_IN_PROGRESS"})
	d := dataMap(t, pcs(t, srv, tok, "update-delivery-status", map[string]any{"cardId": p.ID, "deliveryStatus": "DELIVERED"}))
	assert.Equal(t, "PENDING_VERIFICATION", d["cardStatus"], "no PIN, no manufacturing needed")
	act := pcs(t, srv, tok, "activate-card", map[string]any{"cardId": p.ID, "pan": "5408968100040422", "expiryDate": "08/28"})
	assert.Equal(t, "ACTIVE", dataMap(t, act)["cardStatus"], "the vendor's example PAN activates any card")

	var v wireCard
	decodeData(t, pcs(t, srv, tok, "cards", createBody(user, account, "VIRTUAL")), &v)
	assert.Equal(t, "PENDING", v.Status)
	pcs(t, srv, tok, "process-card-request", map[string]any{"cardId": v.ID, "status": "ISSUANCE_IN_PROGRESS"})
	activate(t, srv, tok, v.ID)
}

func TestCardBackOffice(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	tok := login(t, srv)
	c := issue(t, srv, tok, "VIRTUAL")
	purchase := fmt.Sprintf("/_fake/cards/%d/purchase", c.ID)

	status, body := control(t, srv, http.MethodPost, purchase, map[string]any{"amount": "10.00"})
	assert.Equal(t, http.StatusInternalServerError, status)
	assert.JSONEq(t, `{"code":1010,"message":"Insufficient balance","type":"BAD_REQUEST"}`, string(body))
	require.NoError(t, srv.FundAccount(vaultspay.ID(c.Account.AccountID), vaultspay.MustParseAmount("500")))

	// A PURCHASE limit of 100 for this card, set over the API: 60 goes through, 50 more does not.
	a := apiJSON(t, srv, tok, http.MethodPut, pathLimits, map[string]any{"transactionType": "PURCHASE",
		"cardId": fmt.Sprint(c.ID), "id": "2", "value": "100"})
	require.Equal(t, http.StatusOK, a.Status, "body %s", a.Plain)
	status, body = control(t, srv, http.MethodPost, purchase, map[string]any{"amount": "60.00", "currency": "AED"})
	require.Equal(t, http.StatusOK, status, "body %s", body)
	assert.Contains(t, string(body), `"transactionType":"Purchase"`)
	assert.Contains(t, string(body), fmt.Sprintf(`"lastFourDigits":"%s"`, c.LastFourDigit))
	status, body = control(t, srv, http.MethodPost, purchase, map[string]any{"amount": "50"})
	assert.Equal(t, http.StatusInternalServerError, status)
	assert.JSONEq(t, `{"code":1050,"message":"Transaction has been locked.","type":"TRANSACTION_LOCKED_BY_RULE"}`, string(body))

	for _, bad := range []struct {
		path   string
		body   any
		status int
		key    string
	}{
		{purchase, map[string]any{"amount": "1", "currency": "USD"}, 422, "currency"},
		{purchase, map[string]any{"amount": "0"}, 422, "amount"},
		{purchase, map[string]any{}, 422, "amount"},
		{"/_fake/cards/999/purchase", map[string]any{"amount": "1"}, 400, ""},
		{fmt.Sprintf("/_fake/cards/%d/manufacturing", c.ID), map[string]any{"status": "MANUFACTURED"}, 422, "cardId"},
		{fmt.Sprintf("/_fake/cards/%d/delivery", c.ID), map[string]any{}, 422, "status"},
		{"/_fake/cards/x/delivery", map[string]any{"status": "DELIVERED"}, 400, ""},
	} {
		status, body := control(t, srv, http.MethodPost, bad.path, bad.body)
		assert.Equal(t, bad.status, status, "%s %v: %s", bad.path, bad.body, body)
		if bad.key != "" {
			assert.Contains(t, string(body), `"key":"`+bad.key+`"`)
		}
	}
	var txs []map[string]any
	decodeData(t, apiJSON(t, srv, tok, http.MethodGet, "/tme/api/v1/transactions?transactionType=Purchase", nil), &txs)
	require.Len(t, txs, 1)
	assert.Equal(t, float64(c.ID), txs[0]["card"].(map[string]any)["id"])

	// The production steps as the card bureau reports them.
	p := issue(t, srv, tok, "PHYSICAL")
	pcs(t, srv, tok, "set-pin", map[string]any{"cardId": p.ID, "pin": "1234"})
	pcs(t, srv, tok, "process-card-request", map[string]any{"cardId": p.ID, "status": "ISSUANCE_IN_PROGRESS"})
	status, body = control(t, srv, http.MethodPost, fmt.Sprintf("/_fake/cards/%d/manufacturing", p.ID), map[string]any{"status": "MANUFACTURED"})
	require.Equal(t, http.StatusOK, status, "body %s", body)
	assert.Contains(t, string(body), `"cardManufacturingStatus":"MANUFACTURED"`)
	require.NoError(t, srv.SetCardDelivery(vaultspay.ID(p.ID), vaultspay.CardDeliveryStatusDelivered))
	st, _ := cardState(srv, p.ID)
	assert.Equal(t, vaultspay.CardStatusPendingVerification, st)
	err := srv.SetCardManufacturing(vaultspay.ID(p.ID), vaultspay.CardManufacturingStatusManufactured)
	var apiErr *vaultspay.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, vaultspay.CodeInvalidPayload, apiErr.Code)
	require.ErrorAs(t, srv.SetCardDelivery(12345, "DELIVERED"), &apiErr)
	assert.Equal(t, vaultspay.CodeBadRequest, apiErr.Code)

	assert.Equal(t, 2, srv.State().Cards)
	srv.Reset()
	assert.Zero(t, srv.State().Cards)
}
