package vaultspay

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// transactionDetail is an invented detail answer (the vendor's example is lost) with every field of
// the detail table.
const transactionDetail = `{"data":{"id":14756,"transactionId":"ff5bd5cd-ca1d-413d-a98b-130ba38755b3","transactionType":"Purchase",
"dateTime":"2025-06-26T06:19:53.956+00:00","status":"SUCCESS","totalCharges":30.20000000,"narration":"POS AT W.H.Smith",
"card":{"id":21,"cardToken":"616929771","lastFourDigits":"9066","cardType":"VIRTUAL","cardTierId":3,"cardNetwork":"MASTERCARD","paymentCardType":"DEBIT"},
"billingAmount":{"amount":100.00000000,"currencyCode":"AED","amountType":"BILLING"},
"transactionAmount":{"amount":21.50,"currencyCode":"GBP","amountType":"TRANSACTION"},
"conversions":{"transactionToBillingCR":4.65116279},
"senderAccount":{"id":47,"userId":652,"accountTitle":"ALI AMMAR","accountNumber":"************0907","accountType":"DIGITAL","iban":"AE360961000648060000907"},
"receiverAccount":null,"location":{"id":6021,"countryCode":"GBR"},
"merchant":{"id":6017,"mcc":"6050","name":"W.H.Smith Signature","city":"Edinburgh","country":"United Kingdom","countryCode":"GBR"},
"apiStatus":"FAILED","thirdPartyConfigSlug":"pmt-mastercard-issuing",
"charges":[{"title":"FX fee","fixed":false,"value":2.5,"chargeType":"PERCENTAGE","billingAmount":2.5,"inclusive":true}]}}`

func TestTransactionsWire(t *testing.T) {
	t.Parallel()
	from := time.Date(2025, 6, 26, 10, 0, 0, 0, time.FixedZone("GST", 4*3600))
	runWireCases(t, []wireCase{
		{
			name: "list with every filter", method: http.MethodGet, path: "/tme/api/v1/transactions",
			query: "startDate=2025-06-26T06:00:00Z&endDate=2025-06-27T00:00:00Z&transactionType=Transfer&currencyCode=AED" +
				"&userId=652&transactionId=ff5bd5cd-ca1d-413d-a98b-130ba38755b3&status=SUCCESS&cardId=21&page=3&perPage=50",
			answer: specGolden(t, "transactions/transactions-listing.response.completed.json"),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Transactions.List(ctx, &TransactionListOptions{DateRange: DateRange{StartDate: from, EndDate: time.Date(2025, 6, 27, 0, 0, 0, 0, time.UTC)},
					TransactionType: TransactionTypeTransfer, CurrencyCode: "AED", UserID: 652,
					TransactionID: "ff5bd5cd-ca1d-413d-a98b-130ba38755b3", Extra: Filters{"status": "SUCCESS", "cardId": "21"},
					ListOptions: ListOptions{Page: 3, PerPage: 50}})
			},
			check: func(t *testing.T, got any) {
				p := got.(*Page[Transaction])
				require.Len(t, p.Items, 1)
				tx := p.Items[0]
				assert.Equal(t, ID(14756), tx.ID)
				assert.Equal(t, TransactionTypePurchase, tx.TransactionType)
				assert.Equal(t, TransactionStatusSuccess, tx.Status)
				assert.Equal(t, "30.2", tx.TotalCharges.String())
				assert.Equal(t, "100", tx.BillingAmount.Amount.String())
				assert.Equal(t, ID(47), tx.SenderAccount.ID)
				assert.Equal(t, "6050", tx.Merchant.MCC)
				assert.Equal(t, 1, p.Pagination.TotalCount)
			},
		},
		{
			name: "get detail", method: http.MethodGet, path: "/tme/api/v1/transactions/14756", answer: []byte(transactionDetail),
			call: func(ctx context.Context, c *Client) (any, error) { return c.Transactions.Get(ctx, 14756) },
			check: func(t *testing.T, got any) {
				tx := got.(*Transaction)
				assert.Equal(t, "21.5", tx.TransactionAmount.Amount.String())
				assert.Equal(t, "4.65116279", tx.Conversions.TransactionToBillingCR.String())
				assert.Equal(t, TransactionStatusFailed, tx.APIStatus)
				assert.Equal(t, CardToken(616929771), tx.Card.CardToken)
				assert.Equal(t, CardTypeVirtual, tx.Card.CardType)
				require.Len(t, tx.Charges, 1)
				assert.JSONEq(t, "2.5", string(tx.Charges[0].BillingAmount))
				assert.Nil(t, tx.ReceiverAccount)
			},
		},
		{
			name: "get detail: bad id", wantErrKeys: []string{"id"},
			call: func(ctx context.Context, c *Client) (any, error) { return c.Transactions.Get(ctx, -1) },
		},
	})
}
