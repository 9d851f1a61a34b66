package vaultspay

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// validTransfer is the spec's request example as a SendTransferRequest.
func validTransfer() SendTransferRequest {
	return SendTransferRequest{SenderAccountID: 1234, CurrencyCode: "AED", PaymentContactID: 9876, Purpose: PurposeRent,
		Description: "Monthly rent August", Amount: MustParseAmount("1000.00")}
}

const transferAnswer = `{"data":{"id":14757,"transactionId":"3ac58f37-3cc3-49b3-b3dd-9f83e4263b13","gatewayRefId":"GW-1",` +
	`"currencyCode":"AED","amount":100000,"totalCharges":0,"narration":"DIRECT TRANSFER","status":"PENDING","later":"kept"}}`

func TestTransfersWire(t *testing.T) {
	t.Parallel()
	// The spec's request examples carry the placeholder IBAN AE000000000000000000000, whose mod-97
	// checksum fails: the SDK refuses it before sending (rows "… placeholder IBAN"), so the body rows
	// send the verbatim example with a real IBAN in its place.
	withIBAN := func(name, iban string) string {
		return strings.Replace(string(specGolden(t, name)), "AE000000000000000000000", iban, 1)
	}
	runWireCases(t, []wireCase{
		{
			name: "validate IBAN (normalized before sending)", method: http.MethodPost, path: "/be/api/v1/validate-iban",
			body:   withIBAN("transfers/validate-iban.request.json", "AE580300000002000007377"),
			answer: specGolden(t, "transfers/validate-iban.response.json"),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Transfers.ValidateIBAN(ctx, &ValidateIBANRequest{IBAN: " ae58 0300 0000 0200 0007 377"})
			},
			check: func(t *testing.T, got any) {
				v := got.(*IBANValidation)
				assert.True(t, v.Valid)
				assert.Equal(t, BankDetails{BankCode: "030", AccountTitle: "johm*", IBAN: "AE580300000002000007377",
					SwiftCode: "IBTFAEASXXX", BankName: "INVESTBANK"}, v.Details)
			},
		},
		{
			name: "validate IBAN: placeholder IBAN", wantErrKeys: []string{"iban"},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Transfers.ValidateIBAN(ctx, &ValidateIBANRequest{IBAN: "AE000000000000000000000"})
			},
		},
		{
			name: "create contact", method: http.MethodPost, path: "/be/api/v1/direct-payment-contact",
			body:   withIBAN("transfers/create-payment-contact.request.json", "AE680961000648060000040"),
			answer: specGolden(t, "transfers/create-payment-contact.response.json"),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Transfers.CreateContact(ctx, &CreateContactRequest{Title: "John Salary Account", IBAN: "AE680961000648060000040"})
			},
			check: func(t *testing.T, got any) {
				pc := got.(*PaymentContact)
				assert.Equal(t, ID(1995), pc.ID)
				assert.Equal(t, ID(14), pc.ThirdPartyConfigID)
				assert.Equal(t, "Zand Bank PJSC", pc.Details.BankName)
			},
		},
		{
			name: "create contact: placeholder IBAN, no title", wantErrKeys: []string{"title", "iban"},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Transfers.CreateContact(ctx, &CreateContactRequest{IBAN: "AE000000000000000000000"})
			},
		},
		{
			name: "send transfer: the spec's example body", method: http.MethodPost, path: "/tc/api/v1/direct-transfer",
			body: string(specGolden(t, "transfers/initiate-transfer.request.json")), answer: []byte(transferAnswer),
			call: func(ctx context.Context, c *Client) (any, error) {
				r := validTransfer()
				return c.Transfers.Send(ctx, &r)
			},
			check: func(t *testing.T, got any) {
				tr := got.(*Transfer)
				assert.Equal(t, ID(14757), tr.ID)
				assert.Equal(t, "100000", tr.Amount.String())
				major, err := tr.Amount.Major(2)
				require.NoError(t, err)
				assert.Equal(t, "1000.00", major.StringFixed(2))
				assert.Equal(t, TransactionStatusPending, tr.Status)
				assert.Contains(t, string(tr.RawJSON()), `"later":"kept"`, "fields after the cut are kept raw")
			},
		},
		{
			name: "send transfer: currency only", method: http.MethodPost, path: "/tc/api/v1/direct-transfer",
			body:   `{"currencyCode":"KWD","paymentContactId":"9876","purpose":"TRAVEL","description":"Trip 2","amount":1234}`,
			answer: []byte(transferAnswer),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Transfers.Send(ctx, &SendTransferRequest{CurrencyCode: "KWD", PaymentContactID: 9876,
					Purpose: PurposeTravel, Description: "Trip 2", Amount: MustParseAmount("1.234")})
			},
			check: func(t *testing.T, got any) { assert.NotNil(t, got) },
		},
	})
}

func TestSendTransferValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(r *SendTransferRequest)
		keys   []string
	}{
		{"no sender account and no currency", func(r *SendTransferRequest) { r.SenderAccountID, r.CurrencyCode = 0, "" }, []string{"senderAccountId"}},
		{"no contact", func(r *SendTransferRequest) { r.PaymentContactID = 0 }, []string{"paymentContactId"}},
		{"no purpose", func(r *SendTransferRequest) { r.Purpose = "" }, []string{"purpose"}},
		{"unknown purpose", func(r *SendTransferRequest) { r.Purpose = "GIFT" }, []string{"purpose"}},
		{"empty description", func(r *SendTransferRequest) { r.Description = "" }, []string{"description"}},
		{"punctuation in description", func(r *SendTransferRequest) { r.Description = "Rent, August" }, []string{"description"}},
		{"non-ASCII letter in description", func(r *SendTransferRequest) { r.Description = "Miete für August" }, []string{"description"}},
		{"101 characters", func(r *SendTransferRequest) { r.Description = strings.Repeat("a", 101) }, []string{"description"}},
		{"zero amount", func(r *SendTransferRequest) { r.Amount = Amount{} }, []string{"amount"}},
		{"negative amount", func(r *SendTransferRequest) { r.Amount = MustParseAmount("-1") }, []string{"amount"}},
		{"three decimals in AED", func(r *SendTransferRequest) { r.Amount = MustParseAmount("10.555") }, []string{"amount"}},
		{"decimals in JPY", func(r *SendTransferRequest) { r.CurrencyCode, r.Amount = "JPY", MustParseAmount("10.5") }, []string{"amount"}},
		{"everything wrong", func(r *SendTransferRequest) { *r = SendTransferRequest{} },
			[]string{"senderAccountId", "paymentContactId", "purpose", "description", "amount"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := validTransfer()
			tt.change(&r)
			keys := validationKeys(t, r.validate())
			assert.Equal(t, tt.keys, keys)
		})
	}
	r := validTransfer()
	r.Description = strings.Repeat("a", 100)
	require.NoError(t, r.validate())
	_, err := (&Client{Transfers: &TransfersService{}}).Transfers.Send(context.Background(), nil)
	require.ErrorIs(t, err, ErrValidation)
}

// TestTransferErrorGoldens sends each documented error answer of the transfer pages through the client
// and checks its classification.
func TestTransferErrorGoldens(t *testing.T) {
	t.Parallel()
	tests := []struct {
		golden       string
		status       int
		wantKey      string
		invalidIBAN  bool
		contactExist bool
	}{
		{golden: "validate-iban.error-422-account-title-missing.json", status: 422, wantKey: "accountTitle"},
		{golden: "validate-iban.error-500-invalid-iban.json", status: 500, invalidIBAN: true},
		{golden: "create-payment-contact.error-422-account-title-missing.json", status: 422, wantKey: "accountTitle"},
		{golden: "create-payment-contact.error-422-title-missing.json", status: 422, wantKey: "title"},
		{golden: "create-payment-contact.error-500-already-exists.json", status: 500, contactExist: true},
		{golden: "create-payment-contact.error-500-invalid-iban.json", status: 500, invalidIBAN: true},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			t.Parallel()
			c, mt := newRetryingWireClient(t, 2, httpmock.NewBytesResponder(tt.status, specGolden(t, "transfers/"+tt.golden)))
			ctx := context.Background()
			var err error
			if strings.HasPrefix(tt.golden, "validate") {
				_, err = c.Transfers.ValidateIBAN(ctx, &ValidateIBANRequest{IBAN: "AE580300000002000007377"})
			} else {
				_, err = c.Transfers.CreateContact(ctx, &CreateContactRequest{Title: "t", IBAN: "AE580300000002000007377"})
			}
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a coded answer is an answer, even with HTTP 500")
			assert.Equal(t, 1, mt.GetTotalCallCount(), "a coded answer is not retried")
			if tt.wantKey != "" {
				_, ok := apiErr.Field(tt.wantKey)
				assert.True(t, ok)
				assert.ErrorIs(t, err, ErrInvalidPayload)
			}
			assert.Equal(t, tt.invalidIBAN, IsInvalidIBAN(err))
			assert.Equal(t, tt.contactExist, IsContactExists(err))
			assert.False(t, IsInsufficientFunds(err))
		})
	}
}

// TestSendNeverReplays: once a transfer may have reached the server, no failure is retried, 429 with
// Retry-After included, and the error carries the request; a 429 on a RetryRead call is retried.
func TestSendNeverReplays(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
	}{
		{"429 with Retry-After", 429, http.Header{"Retry-After": {"1"}}, `{"code":1005,"message":"Too many requests. Please try again later.","type":"THROTTLE"}`},
		{"429 without a body", 429, nil, ""},
		{"1005 with HTTP 500", 500, nil, `{"code":1005,"message":"Too many requests.","type":"THROTTLE"}`},
		{"500 without a code", 500, nil, ""},
		{"502 HTML", 502, nil, "<html>bad gateway</html>"},
		{"503", 503, nil, ""},
		{"504", 504, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newRetryingWireClient(t, 3, func(*http.Request) (*http.Response, error) {
				r := httpmock.NewStringResponse(tt.status, tt.body)
				for k, v := range tt.header {
					r.Header[k] = v
				}
				return r, nil
			})
			req := validTransfer()
			_, err := c.Transfers.Send(context.Background(), &req)
			require.ErrorIs(t, err, ErrOutcomeUnknown)
			var unknown *TransferUnknownError
			require.ErrorAs(t, err, &unknown)
			assert.Equal(t, req, unknown.Request)
			assert.False(t, unknown.SentAt.IsZero())
			m := unknown.Match()
			assert.Equal(t, ID(1234), m.SenderAccountID)
			assert.Equal(t, "Monthly rent August", m.Description)
			assert.Equal(t, 0, m.Amount.Cmp(MustParseAmount("1000")))
			assert.Equal(t, 1, mt.GetTotalCallCount(), "never repeated")
			assert.NotContains(t, err.Error(), "tok")

			_, err = c.Transfers.CreateContact(context.Background(), &CreateContactRequest{Title: "x", IBAN: "AE580300000002000007377"})
			var cu *ContactUnknownError
			require.ErrorAs(t, err, &cu)
			assert.Equal(t, "AE580300000002000007377", cu.Request.IBAN)
			assert.True(t, errors.Is(err, ErrOutcomeUnknown))
			assert.Equal(t, 2, mt.GetTotalCallCount(), "never repeated")
		})
	}
}

func TestFindSentValidation(t *testing.T) {
	t.Parallel()
	c := &Client{}
	c.Transfers = &TransfersService{client: c}
	_, err := c.Transfers.FindSent(context.Background(), TransferMatch{})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Len(t, ve.Errors, 2)
	assert.Len(t, NewTransferReference(), 12)
	assert.Regexp(t, `^[A-Z0-9]{12}$`, NewTransferReference())
}

// TestFindSentCountsEachTransactionOnce: a transfer that a newer one pushed from page 1 to page 2
// between the two fetches is listed twice by the server, and found once.
func TestFindSentCountsEachTransactionOnce(t *testing.T) {
	t.Parallel()
	c, mt, rec := newWireClient(t)
	tx := func(id int, desc string) string {
		return fmt.Sprintf(`{"id":%d,"transactionType":"Transfer","dateTime":"2025-06-26T06:19:53.956+00:00","status":"PENDING",`+
			`"narration":"DIRECT TRANSFER 10.00 AED %s","billingAmount":{"amount":10,"currencyCode":"AED"},"senderAccount":{"id":47}}`, id, desc)
	}
	pages := []string{
		`{"data":[` + tx(3, "Other") + `,` + tx(2, "Rent ABC") + `],"pagination":{"currentPage":1,"perPage":2,"totalPages":2,"totalCount":4}}`,
		`{"data":[` + tx(2, "Rent ABC") + `,` + tx(1, "Other") + `],"pagination":{"currentPage":2,"perPage":2,"totalPages":2,"totalCount":4}}`,
	}
	n := 0
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		n++
		return rec.reply(http.StatusOK, pages[min(n, 2)-1])(r)
	})
	found, err := c.Transfers.FindSent(context.Background(), TransferMatch{SenderAccountID: 47, Amount: MustParseAmount("10"),
		Description: "Rent ABC"})
	require.NoError(t, err)
	require.Len(t, found, 1)
	assert.Equal(t, ID(2), found[0].ID)
	assert.Len(t, rec.all(), 2, "both pages read")
}
