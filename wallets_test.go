package vaultspay

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWalletsWire(t *testing.T) {
	t.Parallel()
	gst := time.FixedZone("GST", 4*3600)
	runWireCases(t, []wireCase{
		{
			name: "create account", method: http.MethodPost, path: "/be/api/v1/accounts",
			body:   string(specGolden(t, "wallets/create-account.request.json")),
			answer: specGolden(t, "wallets/create-account.response.json"),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Wallets.Create(ctx, &CreateAccountRequest{UserID: 6, CurrencyID: 2, AccountType: AccountTypeDigital})
			},
			check: func(t *testing.T, got any) {
				a := got.(*Account)
				assert.Equal(t, ID(12), a.ID)
				assert.Equal(t, "AED", a.CurrencyCode)
				assert.Equal(t, 2, a.Currency.DecimalPoint)
				assert.True(t, a.Balance.IsZero())
				assert.Equal(t, "1000", a.CreditLimit.String())
				assert.Nil(t, a.TotalTransactions)
				assert.Nil(t, a.IBAN)
				assert.True(t, a.Status.IsKnown())
				assert.NotEmpty(t, a.RawJSON())
			},
		},
		{
			name: "create account: bad fields", wantErrKeys: []string{"userId", "currencyId", "accountType"},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Wallets.Create(ctx, &CreateAccountRequest{})
			},
		},
		{
			name: "list accounts with every filter", method: http.MethodGet, path: "/be/api/v1/accounts",
			query: "accountType=DIGITAL&userId=3&shownMyAccounts=true&thirdPartyConfigSlug=pmt-mastercard-issuing" +
				"&currencyCode=AED&transactionType=Transfer&page=2&perPage=20",
			answer: specGolden(t, "wallets/get-accounts.response.json"),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Wallets.List(ctx, &AccountListOptions{AccountType: AccountTypeDigital, UserID: 3, ShownMyAccounts: Ptr(true),
					ThirdPartyConfigSlug: "pmt-mastercard-issuing", CurrencyCode: "AED", TransactionType: "Transfer",
					ListOptions: ListOptions{Page: 2, PerPage: 20}})
			},
			check: func(t *testing.T, got any) {
				p := got.(*Page[Account])
				require.Len(t, p.Items, 1)
				assert.Equal(t, ID(12), p.Items[0].ID)
				assert.Equal(t, &Pagination{CurrentPage: 1, PerPage: 20, TotalPages: 1, TotalCount: 1, Sort: "id: DESC"}, p.Pagination)
			},
		},
		{
			name: "list accounts without options", method: http.MethodGet, path: "/be/api/v1/accounts",
			answer: specGolden(t, "wallets/get-accounts.response.json"),
			call:   func(ctx context.Context, c *Client) (any, error) { return c.Wallets.List(ctx, nil) },
			check:  func(t *testing.T, got any) { assert.Len(t, got.(*Page[Account]).Items, 1) },
		},
		{
			name: "get account", method: http.MethodGet, path: "/be/api/v1/accounts/12",
			answer: specGolden(t, "wallets/get-account-by-id.response.json"),
			call:   func(ctx context.Context, c *Client) (any, error) { return c.Wallets.Get(ctx, 12) },
			check: func(t *testing.T, got any) {
				require.NotNil(t, got.(*Account).TotalTransactions)
				assert.Equal(t, int64(0), *got.(*Account).TotalTransactions)
			},
		},
		{
			name: "get account: bad id", wantErrKeys: []string{"id"},
			call: func(ctx context.Context, c *Client) (any, error) { return c.Wallets.Get(ctx, 0) },
		},
		{
			name: "ledger with every filter, dates sent in UTC", method: http.MethodGet, path: "/be/api/v1/account-ledger/12",
			query:  "userId=3&startDate=2024-10-03T00:00:00Z&endDate=2024-10-03T23:59:59Z&transactionId=81&page=1&perPage=100",
			answer: specGolden(t, "wallets/get-account-ledger.response.json"),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Wallets.ListLedger(ctx, 12, &LedgerListOptions{UserID: 3, DateRange: DateRange{
					StartDate: time.Date(2024, 10, 3, 4, 0, 0, 0, gst), EndDate: time.Date(2024, 10, 4, 3, 59, 59, 0, gst)},
					TransactionID: 81, ListOptions: ListOptions{Page: 1, PerPage: 100}})
			},
			check: func(t *testing.T, got any) {
				p := got.(*Page[LedgerEntry])
				require.Len(t, p.Items, 2)
				assert.Nil(t, p.Pagination, "the documented ledger has no pagination: one page")
				e := p.Items[0]
				assert.Equal(t, ID(80), e.ID)
				assert.Equal(t, ID(81), e.TransactionID)
				assert.Equal(t, ID(13432435435242), e.TransactionRefID)
				assert.True(t, e.Debit.IsZero())
				assert.Equal(t, "10000", e.Credit.String())
				assert.Equal(t, "10658503", e.Balance.String())
				assert.Equal(t, "100", p.Items[1].Debit.String())
				assert.Equal(t, time.Date(2024, 10, 3, 7, 23, 15, 928_000_000, time.UTC), e.Date.UTC())
			},
		},
	})
}

// TestListLedgerIterWithoutPagination: the documented ledger answer (no pagination object) is one page.
func TestListLedgerIterWithoutPagination(t *testing.T) {
	t.Parallel()
	c, mt := newRetryingWireClient(t, 2, httpmock.NewBytesResponder(http.StatusOK, specGolden(t, "wallets/get-account-ledger.response.json")))
	var ids []ID
	for e, err := range c.Wallets.ListLedgerIter(context.Background(), 12, nil) {
		require.NoError(t, err)
		ids = append(ids, e.ID)
	}
	assert.Equal(t, []ID{80, 77}, ids)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}
