package openapi

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/stretchr/testify/require"
)

// TestLoadValidatesTheDescription: vaultspay.yaml loads and passes OpenAPI document validation,
// examples included.
func TestLoadValidatesTheDescription(t *testing.T) {
	c, err := Load()
	require.NoError(t, err)
	require.NotNil(t, c.Document())
}

// seedIndex is shared/api/seed-endpoint-index.txt: the 53 endpoints the SDK covers.
var seedIndex = []string{
	"POST /as/api/v1/saas-login", "POST /as/api/v1/saas-refresh-token", "POST /as/api/v1/users",
	"GET /us/api/v1/countries", "GET /us/api/v1/states/{countryId}", "GET /us/api/v1/cities/{stateId}",
	"POST /us/api/v1/kyc/personal", "PATCH /us/api/v1/kyc/personal", "POST /us/api/v1/kyc/addresses",
	"PATCH /us/api/v1/kyc/addresses", "POST /us/api/v1/kyc/identification", "PATCH /us/api/v1/kyc/identification",
	"GET /us/api/v1/kyc/{userId}", "POST /be/api/v1/accounts", "GET /be/api/v1/accounts", "GET /be/api/v1/accounts/{id}",
	"GET /be/api/v1/account-ledger/{id}", "POST /be/api/v1/validate-iban", "POST /be/api/v1/direct-payment-contact",
	"POST /tc/api/v1/direct-transfer", "GET /tme/api/v1/transactions", "GET /tme/api/v1/transactions/{id}",
	"GET /pcs/api/v1/card-tiers", "GET /pcs/api/v1/embossing-names/{userId}", "POST /pcs/api/v1/cards",
	"POST /pcs/api/v1/process-card-request", "POST /pcs/api/v1/update-card-manufacturing",
	"POST /pcs/api/v1/update-delivery-status", "POST /pcs/api/v1/activate-card", "POST /pcs/api/v1/set-pin",
	"POST /pcs/api/v1/cards/details", "POST /pcs/api/v1/get-card-pan", "POST /pcs/api/v1/get-card-cvv",
	"POST /pcs/api/v1/get-card-expiry", "POST /pcs/api/v1/enroll-card-three-ds", "POST /pcs/api/v1/remove-card-three-ds",
	"POST /pcs/api/v1/update-card-status", "POST /pcs/api/v1/toggle-freeze-card", "POST /pcs/api/v1/update-card-account",
	"POST /pcs/api/v1/report-card-issue", "POST /pcs/api/v1/review-report-card-issue", "POST /pcs/api/v1/replace-card",
	"POST /pcs/api/v1/renew-card", "POST /pcs/api/v1/decline-card", "GET /pcs/api/v1/card-reported-issues",
	"POST /pcs/api/v1/virtual-to-physical", "POST /pcs/api/v1/virtual-to-physical-process", "GET /re/api/v1/card-security",
	"PUT /re/api/v1/card-security", "PATCH /re/api/v1/card-security/reset", "GET /re/api/v1/transaction-limits",
	"PUT /re/api/v1/transaction-limits", "GET /v1/ping",
}

// unverified are the endpoints whose vendor page was not found (20-users-kyc §0, 40-cards-issuance,
// 41-cards-controls, 00-conventions §10).
var unverified = []string{
	"GET /us/api/v1/countries", "POST /us/api/v1/kyc/personal", "POST /us/api/v1/kyc/identification",
	"PATCH /us/api/v1/kyc/identification", "POST /pcs/api/v1/update-card-manufacturing", "POST /pcs/api/v1/set-pin",
	"POST /pcs/api/v1/enroll-card-three-ds", "POST /pcs/api/v1/toggle-freeze-card", "POST /pcs/api/v1/report-card-issue",
	"POST /pcs/api/v1/review-report-card-issue", "POST /pcs/api/v1/replace-card", "GET /pcs/api/v1/card-reported-issues",
	"POST /pcs/api/v1/virtual-to-physical-process", "GET /v1/ping",
}

// TestDescriptionCoversTheSeedIndex: the description has exactly the 53 endpoints of the seed
// index outside /_fake/, the unverified ones marked, and every /_fake/ route in the fake-control tag
// without security.
func TestDescriptionCoversTheSeedIndex(t *testing.T) {
	c, err := Load()
	require.NoError(t, err)
	require.Len(t, seedIndex, 53)
	var api []string
	marked := map[string]bool{}
	for path, item := range c.Document().Paths.Map() {
		for method, op := range item.Operations() {
			key := method + " " + path
			if strings.HasPrefix(path, "/_fake/") {
				assert.Equal(t, []string{"fake-control"}, op.Tags, key)
				require.NotNil(t, op.Security, key)
				assert.Empty(t, *op.Security, key)
				continue
			}
			api = append(api, key)
			marked[key] = op.Extensions["x-schema-unverified"] == true
			assert.NotEmpty(t, op.OperationID, key)
			assert.NotNil(t, op.Responses.Value("200"), key)
			assert.NotNil(t, op.Responses.Default(), "%s: the error object as default answer", key)
		}
	}
	assert.ElementsMatch(t, seedIndex, api)
	for key, isMarked := range marked {
		assert.Equal(t, slices.Contains(unverified, key), isMarked, "x-schema-unverified on %s", key)
	}
}

func keys(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.In+" "+p.Key)
	}
	return out
}

// TestCheckRequestNamesEachField: every problem of a body is named by the field's JSON name (nested
// objects dotted, array items indexed); a digit string is no integer.
func TestCheckRequestNamesEachField(t *testing.T) {
	c, err := Load()
	require.NoError(t, err)
	tests := []struct {
		name, method, path, body string
		want                     []string
	}{
		{"cause 2: a digit string for an integer", "POST", "/pcs/api/v1/process-card-request",
			`{"cardId": "2", "status": "ISSUANCE_IN_PROGRESS"}`, []string{"body cardId"}},
		{"valid", "POST", "/pcs/api/v1/process-card-request", `{"cardId": 2, "status": "ISSUANCE_IN_PROGRESS"}`, nil},
		{"closed enum", "POST", "/pcs/api/v1/process-card-request", `{"cardId": 2, "status": "ACTIVE"}`, []string{"body status"}},
		{"nested, unknown and missing at once", "POST", "/pcs/api/v1/cards",
			`{"cardTierId": 67, "customerId": 1, "accountId": 2, "cardHolderName": "A", "token": 5,
			  "address": {"country": "ARE", "state": "Dubai", "city": 5, "addressLine1": "x", "postalCode": "1"}}`,
			[]string{"body address.city", "body address.type", "body token", "body cardType"}},
		{"array items", "POST", "/us/api/v1/kyc/identification",
			`{"userId": 1, "documents": [{"documentType": "PASSPORT", "documentNumber": "X", "fileName": "a.pdf", "contentType": "application/pdf", "content": 5}]}`,
			[]string{"body documents[0].content"}},
		{"numeric text where the spec says String", "PUT", "/re/api/v1/card-security",
			`{"transactionType": "ALL", "cardId": 1, "id": "69", "value": "1"}`, []string{"body cardId"}},
		{"empty body", "POST", "/be/api/v1/accounts", ``, []string{"body body"}},
		{"not JSON", "POST", "/be/api/v1/accounts", `userId=1`, []string{"body body"}},
		{"a number for a string", "POST", "/be/api/v1/validate-iban", `{"iban": 12}`, []string{"body iban"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body []byte
			if tt.body != "" {
				body = []byte(tt.body)
			}
			probs, err := c.CheckRequestBody(tt.method, tt.path, body)
			require.NoError(t, err)
			assert.ElementsMatch(t, tt.want, keys(probs), "%v", probs)
		})
	}
	_, err = c.CheckRequestBody("POST", "/nowhere", []byte(`{}`))
	assert.ErrorIs(t, err, ErrNoOperation)
}

// TestCheckRequestParameters: path and query parameters are checked with the body.
func TestCheckRequestParameters(t *testing.T) {
	c, err := Load()
	require.NoError(t, err)
	h := http.Header{"X-Device-Os": {"SAAS"}, "X-Device-Id": {"17"}}
	probs, err := c.CheckRequest(httptest.NewRequest("GET", "/be/api/v1/accounts/x", nil), nil)
	require.NoError(t, err)
	assert.Contains(t, keys(probs), "path id")
	assert.Contains(t, keys(probs), "header x-device-os")
	r := httptest.NewRequest("GET", "/be/api/v1/accounts?page=0&userId=abc&perPage=20", nil)
	r.Header = h
	probs, err = c.CheckRequest(r, nil)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"query page", "query userId"}, keys(probs))
}

// TestCheckResponseFindsOmissions is cause 1 at the contract level: a card tier without its false
// booleans is refused, named by its place in the answer.
func TestCheckResponseFindsOmissions(t *testing.T) {
	c, err := Load()
	require.NoError(t, err)
	tier := `{"id": 67, "cardCategory": "STANDARD", "consumerType": "CONSUMER", "title": "T", "description": "D", "userId": 4,
		"cardNetwork": "VISA", "paymentCardType": "DEBIT", "cardTypes": "PHYSICAL", "billingCurrencyCode": "AED",
		"settlementCurrencyCode": "AED", "expiryPeriod": 36, "cardStackSize": 1, "cardLimit": 1, "cardStockMinimumThreshold": 1%s}`
	full := fmt.Sprintf(tier, `, "enableAutoRenewalCard": false, "is3DS": false`)
	probs, err := c.CheckResponse("GET", "/pcs/api/v1/card-tiers", 200, nil, []byte(`{"data": [`+full+`]}`))
	require.NoError(t, err)
	assert.Empty(t, probs)
	probs, err = c.CheckResponse("GET", "/pcs/api/v1/card-tiers", 200, nil, []byte(`{"data": [`+fmt.Sprintf(tier, "")+`]}`))
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"body data[0].enableAutoRenewalCard", "body data[0].is3DS"}, keys(probs))
	probs, err = c.CheckResponse("GET", "/pcs/api/v1/card-tiers", 418, nil, []byte(`{"code": 1005, "message": "m", "type": "THROTTLE"}`))
	require.NoError(t, err)
	assert.Empty(t, probs, "any other status answers the error object")
	probs, err = c.CheckResponse("GET", "/pcs/api/v1/card-tiers", 500, nil, []byte(`{"code": "1010"}`))
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"body code", "body message", "body type"}, keys(probs))
}

// TestValidateRequestBody: the one-call form for the SDK's wire-test harness.
func TestValidateRequestBody(t *testing.T) {
	c, err := Load()
	require.NoError(t, err)
	require.NoError(t, c.ValidateRequestBody("POST", "/pcs/api/v1/process-card-request", []byte(`{"cardId": 2, "status": "ISSUANCE_IN_PROGRESS"}`)))
	err = c.ValidateRequestBody("POST", "/pcs/api/v1/process-card-request", []byte(`{"cardId": "2", "status": "ISSUANCE_IN_PROGRESS"}`))
	require.ErrorIs(t, err, ErrBreaksDescription)
	assert.Contains(t, err.Error(), "body cardId: must be a JSON integer")
	assert.ErrorIs(t, c.ValidateRequestBody("GET", "/nowhere", nil), ErrNoOperation)
	require.NoError(t, c.ValidateRequestBody("GET", "/be/api/v1/accounts/12", nil), "a GET has no body")
}
