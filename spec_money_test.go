package vaultspay

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// strictDecode decodes b into v refusing fields v does not model.
func strictDecode(t *testing.T, b []byte, v any) {
	t.Helper()
	require.NoError(t, decodeStrict(b, v))
}

// envelopeOf is a success answer with its data decoded as T.
type envelopeOf[T any] struct {
	Data       T           `json:"data"`
	Pagination *Pagination `json:"pagination"`
}

// webhookTransfer is the TRANSACTION_PERFORMED payload as documented in 31-transfers.md §3.1, modelled
// here only to prove that its "cents" amount with a decimal point decodes exactly into Cents.
type webhookTransfer struct {
	TransactionID string            `json:"transactionId"`
	Amount        Cents             `json:"amount"`
	Status        TransactionStatus `json:"status"`
	RefID         string            `json:"refId"`
}

// TestSpecExamplesMoney decodes every JSON example of 30-wallets.md, 31-transfers.md and
// 32-transactions.md (copied verbatim into testdata/spec) with unknown fields refused, so every
// documented field is modelled.
func TestSpecExamplesMoney(t *testing.T) {
	t.Parallel()
	decoders := map[string]func(t *testing.T, b []byte){
		"wallets/create-account.request.json": func(t *testing.T, b []byte) {
			var v CreateAccountRequest
			strictDecode(t, b, &v)
			assert.Equal(t, CreateAccountRequest{UserID: 6, CurrencyID: 2, AccountType: AccountTypeDigital}, v)
		},
		"wallets/create-account.response.json":     decodeAs[Account],
		"wallets/get-account-by-id.response.json":  decodeAs[Account],
		"wallets/get-accounts.response.json":       decodeAs[[]Account],
		"wallets/get-account-ledger.response.json": decodeAs[[]LedgerEntry],
		"transfers/validate-iban.request.json": func(t *testing.T, b []byte) {
			var v ValidateIBANRequest
			strictDecode(t, b, &v)
			assert.Nil(t, v.AccountTitle)
		},
		"transfers/validate-iban.response.json": decodeAs[IBANValidation],
		"transfers/create-payment-contact.request.json": func(t *testing.T, b []byte) {
			var v CreateContactRequest
			strictDecode(t, b, &v)
			assert.Equal(t, "John Salary Account", v.Title)
		},
		"transfers/create-payment-contact.response.json": decodeAs[PaymentContact],
		"transfers/initiate-transfer.request.json": func(t *testing.T, b []byte) {
			var v sendTransferBody
			strictDecode(t, b, &v)
			n, whole := v.Amount.Int64()
			assert.True(t, whole)
			assert.Equal(t, int64(100000), n)
			assert.True(t, v.Purpose.IsKnown())
		},
		"transfers/webhook-transaction-performed.success.json":  decodeWebhook,
		"transfers/webhook-transaction-performed.reversed.json": decodeWebhook,
		"transactions/transactions-listing.response.completed.json": func(t *testing.T, b []byte) {
			decodeAs[[]Transaction](t, b)
			truncated := string(specGolden(t, "transactions/transactions-listing.response.truncated.txt"))
			prefix, _, found := strings.Cut(truncated, "<<< stored copy ends here >>>")
			require.True(t, found)
			assert.True(t, strings.HasPrefix(string(b), strings.TrimRight(prefix, "\n")), "the completion keeps the verbatim part")
		},
		"transactions/transactions-listing.response.truncated.txt": func(*testing.T, []byte) {}, // checked with its completion
	}
	for _, area := range []string{"wallets", "transfers", "transactions"} {
		files, err := os.ReadDir(filepath.Join("testdata", "spec", area))
		require.NoError(t, err)
		for _, f := range files {
			name := area + "/" + f.Name()
			t.Run(name, func(t *testing.T) {
				b := specGolden(t, name)
				if strings.Contains(name, ".error-") {
					decodeError(t, b)
					return
				}
				dec, ok := decoders[name]
				require.True(t, ok, "every spec example has a decoder")
				dec(t, b)
			})
		}
	}
}

func decodeAs[T any](t *testing.T, b []byte) {
	t.Helper()
	var env envelopeOf[T]
	strictDecode(t, b, &env)
	var zero T
	assert.NotEqual(t, zero, env.Data)
}

func decodeWebhook(t *testing.T, b []byte) {
	var v webhookTransfer
	strictDecode(t, b, &v)
	assert.Equal(t, "1000", v.Amount.String())
	assert.True(t, v.Status.IsKnown())
}

func decodeError(t *testing.T, b []byte) {
	var v apiErrorBody
	strictDecode(t, b, &v)
	assert.Equal(t, TypeInvalidPayload == v.Type, v.code() == CodeInvalidPayload)
	assert.NotEmpty(t, v.Message)
}
