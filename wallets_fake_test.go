package vaultspay_test

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

var userSeq atomic.Int64

// newUser creates a user with a unique email.
func newUser(t testing.TB, client *vaultspay.Client) *vaultspay.User {
	t.Helper()
	u, err := client.Users.Create(context.Background(), &vaultspay.CreateUserRequest{FirstName: "Ali", LastName: "Ammar",
		Email: fmt.Sprintf("ali.%d@example.com", userSeq.Add(1)), Status: vaultspay.UserStatusActive})
	require.NoError(t, err)
	return u
}

// openAccount opens an AED account (currencyId 2) for a new user and funds it with amount, if any.
func openAccount(t testing.TB, srv *vaultspaytest.Server, client *vaultspay.Client, amount string) *vaultspay.Account {
	t.Helper()
	u := newUser(t, client)
	a, err := client.Wallets.Create(context.Background(), &vaultspay.CreateAccountRequest{UserID: u.ID, CurrencyID: 2,
		AccountType: vaultspay.AccountTypeDigital})
	require.NoError(t, err)
	if amount != "" {
		require.NoError(t, srv.FundAccount(a.ID, vaultspay.MustParseAmount(amount)))
	}
	return a
}

func TestFakeWallets(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	client := srv.Client()
	ctx := context.Background()

	a := openAccount(t, srv, client, "")
	assert.Equal(t, "AED", a.CurrencyCode)
	assert.Equal(t, 2, a.Currency.DecimalPoint)
	assert.True(t, a.IsPrimary)
	assert.True(t, a.Balance.IsZero())
	assert.Nil(t, a.TotalTransactions)

	second, err := client.Wallets.Create(ctx, &vaultspay.CreateAccountRequest{UserID: a.UserID, CurrencyID: 1, AccountType: vaultspay.AccountTypeDigital})
	require.NoError(t, err)
	assert.Equal(t, "USD", second.CurrencyCode)
	assert.True(t, second.IsPrimary, "first USD account of the user")

	require.NoError(t, srv.FundAccount(a.ID, vaultspay.MustParseAmount("250.00")))
	require.NoError(t, srv.FundAccount(a.ID, vaultspay.MustParseAmount("0.5")))
	got, err := client.Wallets.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, "250.50", got.Balance.StringFixed(2))
	require.NotNil(t, got.TotalTransactions)
	assert.Equal(t, int64(2), *got.TotalTransactions)

	page, err := client.Wallets.List(ctx, &vaultspay.AccountListOptions{UserID: a.UserID, CurrencyCode: "AED"})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, a.ID, page.Items[0].ID)
	var all []vaultspay.ID
	for acct, err := range client.Wallets.ListIter(ctx, &vaultspay.AccountListOptions{ListOptions: vaultspay.ListOptions{PerPage: 1}}) {
		require.NoError(t, err)
		all = append(all, acct.ID)
	}
	assert.Equal(t, []vaultspay.ID{second.ID, a.ID}, all, "newest first, one per page")

	ledger, err := client.Wallets.ListLedger(ctx, a.ID, nil)
	require.NoError(t, err)
	require.Len(t, ledger.Items, 2)
	assert.Equal(t, "0.5", ledger.Items[0].Credit.String())
	assert.Equal(t, "250.5", ledger.Items[0].Balance.String())
	assert.Equal(t, "250", ledger.Items[1].Balance.String())
	tx, err := client.Transactions.Get(ctx, ledger.Items[0].TransactionID)
	require.NoError(t, err)
	assert.Equal(t, vaultspay.TransactionTypeDeposit, tx.TransactionType)
	assert.Equal(t, vaultspay.TransactionStatusSuccess, tx.Status)

	future, err := client.Wallets.ListLedger(ctx, a.ID, &vaultspay.LedgerListOptions{DateRange: vaultspay.DateRange{StartDate: srv.Now().Add(time.Hour)}})
	require.NoError(t, err)
	assert.Empty(t, future.Items)

	_, err = client.Wallets.Create(ctx, &vaultspay.CreateAccountRequest{UserID: 999999, CurrencyID: 99, AccountType: "SAVINGS"})
	var apiErr *vaultspay.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusUnprocessableEntity, apiErr.StatusCode)
	for _, k := range []string{"userId", "currencyId", "accountType"} {
		_, ok := apiErr.Field(k)
		assert.True(t, ok, k)
	}
	_, err = client.Wallets.Get(ctx, 999999)
	require.ErrorIs(t, err, vaultspay.ErrInvalidPayload)
	require.Error(t, srv.FundAccount(999999, vaultspay.MustParseAmount("1")))
	require.Error(t, srv.FundAccount(a.ID, vaultspay.MustParseAmount("0.001")), "AED has two decimals")
	assert.Equal(t, 2, srv.State().Accounts)
}

// TestFakeLedgerPaging walks a ledger of 10,000 lines 100 at a time through the encrypted pipeline and
// stops exactly at the end: 100 requests, every line once, newest first.
func TestFakeLedgerPaging(t *testing.T) {
	t.Parallel()
	const lines, perPage = 10_000, 100
	srv := newFake(t)
	client := srv.Client()
	a := openAccount(t, srv, client, "")
	one := vaultspay.MustParseAmount("1.00")
	for range lines {
		require.NoError(t, srv.FundAccount(a.ID, one)) // the back office, in process: no HTTP per line
	}

	start := time.Now()
	n, prev := 0, vaultspay.ID(0)
	for e, err := range client.Wallets.ListLedgerIter(context.Background(), a.ID, &vaultspay.LedgerListOptions{ListOptions: vaultspay.ListOptions{PerPage: perPage}}) {
		require.NoError(t, err)
		if n == 0 {
			assert.Equal(t, fmt.Sprint(lines), e.Balance.String(), "newest first")
		} else {
			require.Less(t, e.ID, prev, "strictly newest first, no line twice")
		}
		prev = e.ID
		n++
	}
	t.Logf("ledger paging: %d lines, %d per page, %d requests, %s", n, perPage,
		srv.CountRequests(http.MethodGet, fmt.Sprintf("/be/api/v1/account-ledger/%d", a.ID)), time.Since(start))
	assert.Equal(t, lines, n)
	assert.Equal(t, lines/perPage, srv.CountRequests(http.MethodGet, fmt.Sprintf("/be/api/v1/account-ledger/%d", a.ID)),
		"no request past the last page")
}
