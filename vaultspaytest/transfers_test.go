package vaultspaytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestValidateIBANGolden: the vendor's request for a known test IBAN gets the vendor's answer, byte
// for byte in meaning.
func TestValidateIBANGolden(t *testing.T) {
	srv := newTestServer(t)
	tok := login(t, srv)
	want, err := os.ReadFile("../testdata/spec/transfers/validate-iban.response.json")
	require.NoError(t, err)
	a := apiJSON(t, srv, tok, http.MethodPost, "/be/api/v1/validate-iban", map[string]any{"iban": TestIBANInvestBank, "accountTitle": nil})
	require.Equal(t, http.StatusOK, a.Status)
	assert.JSONEq(t, string(want), string(a.Plain))

	a = apiJSON(t, srv, tok, http.MethodPost, "/be/api/v1/validate-iban", map[string]any{"iban": "AE000000000000000000000", "accountTitle": nil})
	assert.Equal(t, http.StatusInternalServerError, a.Status)
	assert.JSONEq(t, `{"code":1010,"message":"Invalid IBAN","type":"BAD_REQUEST"}`, string(a.Plain))
}

func TestDirectTransferRules(t *testing.T) {
	srv := newTestServer(t)
	tok := login(t, srv)
	id := openTestAccount(t, srv, tok)
	status, _ := control(t, srv, http.MethodPost, fmt.Sprintf("/_fake/accounts/%d/fund", id), map[string]any{"amount": "100"})
	require.Equal(t, http.StatusOK, status)
	var contact struct{ ID int64 }
	decodeData(t, apiJSON(t, srv, tok, http.MethodPost, "/be/api/v1/direct-payment-contact",
		map[string]any{"title": "Direct payment", "iban": TestIBANZand, "accountTitle": nil}), &contact)
	a := apiJSON(t, srv, tok, http.MethodPost, "/be/api/v1/direct-payment-contact", map[string]any{"title": "", "iban": TestIBANNoTitle})
	assert.Equal(t, []string{"title", "accountTitle"}, requireAPIError(t, http.StatusUnprocessableEntity, 1000, a.Status, a.Plain).keys())

	body := func(amount any) map[string]any {
		return map[string]any{"senderAccountId": fmt.Sprint(id), "currencyCode": "AED", "paymentContactId": fmt.Sprint(contact.ID),
			"purpose": "RENT", "description": "Monthly rent August", "amount": amount}
	}
	a = apiJSON(t, srv, tok, http.MethodPost, "/tc/api/v1/direct-transfer", body(10001))
	assert.Equal(t, http.StatusInternalServerError, a.Status)
	assert.JSONEq(t, `{"code":1010,"message":"Insufficient balance","type":"BAD_REQUEST"}`, string(a.Plain))
	a = apiJSON(t, srv, tok, http.MethodPost, "/tc/api/v1/direct-transfer", map[string]any{"purpose": "GIFT", "description": "a,b", "amount": 10.5})
	assert.ElementsMatch(t, []string{"paymentContactId", "purpose", "description", "amount"},
		requireAPIError(t, http.StatusUnprocessableEntity, 1000, a.Status, a.Plain).keys(),
		"the description's problems, all at once, before the handler's rules")

	var tr map[string]any
	decodeData(t, apiJSON(t, srv, tok, http.MethodPost, "/tc/api/v1/direct-transfer", body(10000)), &tr)
	assert.Equal(t, "PENDING", tr["status"])
	assert.InDelta(t, 10000, tr["amount"], 0)
	assert.ElementsMatch(t, []string{"id", "transactionId", "gatewayRefId", "currencyCode", "amount", "totalCharges", "narration", "status"}, keysOf(tr))
	var acct struct{ Balance json.Number }
	decodeData(t, apiJSON(t, srv, tok, http.MethodGet, fmt.Sprintf("/be/api/v1/accounts/%d", id), nil), &acct)
	assert.Equal(t, "0", acct.Balance.String())

	byCurrency := body(1)
	delete(byCurrency, "senderAccountId")
	a = apiJSON(t, srv, tok, http.MethodPost, "/tc/api/v1/direct-transfer", byCurrency)
	assert.Equal(t, http.StatusInternalServerError, a.Status, "the primary AED account is used, and it is empty")
	st := srv.State()
	assert.Equal(t, 1, st.Transfers)
	assert.Equal(t, 1, st.PaymentContacts)
	assert.Equal(t, 2, st.Transactions)
}
