package openapi

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The cost the fake pays per request and per answer (go test -bench . ./openapi).

func BenchmarkCheckRequestBody(b *testing.B) {
	c, err := Load()
	require.NoError(b, err)
	body := []byte(`{"cardTierId": 67, "customerId": 1, "accountId": 2, "cardHolderName": "ALI AMMAR", "cardType": "PHYSICAL",
		"address": {"country": "ARE", "state": "Dubai", "city": "Dubai", "addressLine1": "x", "type": "MAILING", "postalCode": "1"}}`)
	b.ReportAllocs()
	for b.Loop() {
		if probs, err := c.CheckRequestBody("POST", "/pcs/api/v1/cards", body); err != nil || len(probs) > 0 {
			b.Fatal(err, probs)
		}
	}
}

func BenchmarkCheckResponse(b *testing.B) {
	c, err := Load()
	require.NoError(b, err)
	tier := `{"id": 67, "cardCategory": "STANDARD", "consumerType": "CONSUMER", "title": "T", "description": "D", "userId": 4,
		"cardNetwork": "VISA", "paymentCardType": "DEBIT", "cardTypes": "PHYSICAL", "billingCurrencyCode": "AED",
		"settlementCurrencyCode": "AED", "expiryPeriod": 36, "cardStackSize": 1, "cardLimit": 1, "cardStockMinimumThreshold": 1,
		"enableAutoRenewalCard": false, "is3DS": true}`
	body := []byte(`{"data": [` + tier + `,` + tier + `]}`)
	b.ReportAllocs()
	for b.Loop() {
		if probs, err := c.CheckResponse("GET", "/pcs/api/v1/card-tiers", 200, nil, body); err != nil || len(probs) > 0 {
			b.Fatal(err, probs)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}
