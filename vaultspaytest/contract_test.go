package vaultspaytest

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/openapi"
)

// TestCardTiersSendFalseFlags is cause 1: a tier whose enableAutoRenewalCard (or is3DS) is false
// sends the member with false, never leaves it out.
func TestCardTiersSendFalseFlags(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	tok := login(t, srv)
	tiers := dataOf[[]map[string]any](t, apiCall(t, srv, tok, http.MethodGet, pathPCS+"card-tiers", nil))
	require.Len(t, tiers, 2)
	premium := tiers[1]
	require.EqualValues(t, CardTierPremium, premium["id"])
	assert.Contains(t, premium, "enableAutoRenewalCard")
	assert.Equal(t, false, premium["enableAutoRenewalCard"])
	for _, tier := range tiers {
		for _, k := range []string{"id", "cardCategory", "consumerType", "title", "description", "userId", "cardNetwork",
			"paymentCardType", "cardTypes", "billingCurrencyCode", "settlementCurrencyCode", "expiryPeriod", "cardStackSize",
			"cardLimit", "cardStockMinimumThreshold", "enableAutoRenewalCard", "is3DS"} {
			assert.Contains(t, tier, k)
		}
	}
}

// TestDigitStringIsNoInteger is cause 2: "cardId": "2" in process-card-request is refused with 422
// 1000 keyed cardId, before the handler runs (the card is left as it was).
func TestDigitStringIsNoInteger(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	tok := login(t, srv)
	c := issue(t, srv, tok, "PHYSICAL")
	a := apiCall(t, srv, tok, http.MethodPost, pathPCS+"process-card-request",
		`{"cardId": "`+strconv.FormatInt(c.ID, 10)+`", "status": "ISSUANCE_IN_PROGRESS", "address": {"city": 5}}`)
	e := requireAPIError(t, http.StatusUnprocessableEntity, 1000, a.Status, a.Plain)
	assert.Equal(t, []string{"address", "cardId"}, e.keys(), "every problem under the field's JSON name, sorted")
	assert.Equal(t, "must be a JSON integer", e.Errors[1].Reason)
	assert.Equal(t, string(CardStatusInactive), string(srv.st.cards.byID[vaultspay.ID(c.ID)].Status))
}

// TestStrictPathAndQuery: a path id that is no positive integer is 400 "Invalid or missing <name>
// parameter." (1401 for countryId, as documented); a bad query parameter is 422 on its name.
func TestStrictPathAndQuery(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	tok := login(t, srv)
	a := apiCall(t, srv, tok, http.MethodGet, "/us/api/v1/states/abc", nil)
	assert.Equal(t, http.StatusBadRequest, a.Status)
	assert.JSONEq(t, `{"code":1401,"message":"Invalid or missing countryId parameter.","type":"BAD_REQUEST"}`, string(a.Plain))
	a = apiCall(t, srv, tok, http.MethodGet, "/be/api/v1/accounts/0", nil)
	assert.Equal(t, http.StatusBadRequest, a.Status)
	assert.JSONEq(t, `{"code":1010,"message":"Invalid or missing id parameter.","type":"BAD_REQUEST"}`, string(a.Plain))
	a = apiCall(t, srv, tok, http.MethodGet, "/be/api/v1/accounts?page=x&userId=1.5", nil)
	assert.Equal(t, []string{"page", "userId"}, requireAPIError(t, http.StatusUnprocessableEntity, 1000, a.Status, a.Plain).keys())
}

// TestAnswerViolationIsRecorded: an answer that breaks the description is replaced by a 500 with
// code 9999 naming the problem and recorded for ContractViolations; WithoutAnswerValidation sends
// it as it is.
func TestAnswerViolationIsRecorded(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, WithoutAnswerValidation())
	r := &request{Request: httptest.NewRequest(http.MethodGet, "/pcs/api/v1/card-tiers", nil)}
	bad := []byte(`{"data":[{"id":"67"}]}`)
	status, body := srv.checkAnswer(r, http.StatusOK, bad)
	assert.Equal(t, http.StatusOK, status, "switched off")
	assert.Equal(t, bad, body)

	k, _ := testKeys(t)
	checked, err := NewUnstartedServer(WithRSAKey(k))
	require.NoError(t, err)
	status, body = checked.checkAnswer(r, http.StatusOK, bad)
	assert.Equal(t, http.StatusInternalServerError, status)
	assert.Contains(t, string(body), `"code":9999`)
	assert.Contains(t, string(body), "data[0].id: must be a JSON integer")
	v := checked.ContractViolations()
	require.Len(t, v, 1)
	assert.Equal(t, ContractViolation{Method: "GET", Path: "/pcs/api/v1/card-tiers", Status: 200, Problems: v[0].Problems}, v[0])
	assert.Contains(t, v[0].Problems, "body data[0].cardCategory: must not be blank")
}

// TestControlOpenAPI: GET /_fake/openapi.yaml serves the description the fake holds itself to.
func TestControlOpenAPI(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	res, raw := do(t, plainRequest(t, http.MethodGet, srv.URL+"/_fake/openapi.yaml", nil, nil))
	require.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "application/yaml", res.Header.Get("Content-Type"))
	assert.Equal(t, openapi.YAML(), raw)
}

// TestEveryDescribedRouteIsServed: each operation of the description, API and control alike, is a
// route of the fake (not 404 or 405). The other direction is checked on every request: a route the
// description lacks is recorded as a contract violation, which newTestServer's cleanup fails on.
func TestEveryDescribedRouteIsServed(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, WithoutEncryption())
	c, err := openapi.Load()
	require.NoError(t, err)
	n := 0
	for path, item := range c.Document().Paths.Map() {
		for method := range item.Operations() {
			concrete := strings.NewReplacer("{countryId}", "1", "{stateId}", "1", "{userId}", "1", "{id}", "1").Replace(path)
			res, _ := do(t, plainRequest(t, method, srv.URL+concrete, map[string]string{"x-device-os": "SAAS", "x-device-id": srv.AppID()}, nil))
			assert.NotContains(t, []int{http.StatusNotFound, http.StatusMethodNotAllowed}, res.StatusCode, "%s %s", method, path)
			n++
		}
	}
	assert.Greater(t, n, 53+15)
}
