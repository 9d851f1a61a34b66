package main

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
)

func TestCLITransactions(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)
	a := openFundedAccount(t, srv, "40.00", "2.5")
	openFundedAccount(t, srv, "9.99") // another user's

	res := runCLI(t, srv, "transactions", "list", "--user-id", a.UserID.String())
	require.Equal(t, exitOK, res.code, res.stderr)
	rows := tableRows(res.stdout)
	require.Len(t, rows, 3, res.stdout)
	assert.Equal(t, []string{"ID", "DATE", "TYPE", "STATUS", "AMOUNT", "CARD", "NARRATION"}, rows[0])
	assert.Equal(t, "Deposit", rows[1][2])
	assert.Equal(t, "2.50 AED", rows[1][4], "newest first, with the currency's decimals")
	assert.Equal(t, "40.00 AED", rows[2][4])
	assert.Equal(t, "-", rows[1][5], "no card")

	all := decodeJSON[[]vaultspay.Transaction](t, runCLI(t, srv, "transactions", "list", "--json", "--per-page", "2"))
	require.Len(t, all, 3, "every page")
	mine := decodeJSON[[]vaultspay.Transaction](t, runCLI(t, srv, "transactions", "list", "--json", "--user-id", a.UserID.String(),
		"--transaction-type", "Deposit", "--currency-code", "AED"))
	require.Len(t, mine, 2)
	byUUID := decodeJSON[[]vaultspay.Transaction](t, runCLI(t, srv, "transactions", "list", "--json", "--transaction-id", mine[0].TransactionID))
	require.Len(t, byUUID, 1)
	assert.Equal(t, mine[0].ID, byUUID[0].ID)

	// Get, by the integer id.
	want, err := srv.Client().Transactions.Get(context.Background(), mine[1].ID)
	require.NoError(t, err)
	res = runCLI(t, srv, "transactions", "get", mine[1].ID.String())
	require.Equal(t, exitOK, res.code, res.stderr)
	f := recordFields(t, res.stdout)
	assert.Equal(t, mine[1].ID.String(), f["ID"])
	assert.Equal(t, want.TransactionID, f["TRANSACTION ID"])
	assert.Equal(t, "40.00 AED", f["BILLING AMOUNT"])
	assert.Equal(t, string(want.Status), f["STATUS"])

	got := decodeJSON[vaultspay.Transaction](t, runCLI(t, srv, "--json", "transactions", "get", mine[1].ID.String()))
	assert.Equal(t, want.TransactionID, got.TransactionID)
	require.NotNil(t, got.BillingAmount)
	assert.Zero(t, got.BillingAmount.Amount.Cmp(vaultspay.MustParseAmount("40")), "exact amount: %s", got.BillingAmount.Amount)

	res = runCLI(t, srv, "transactions", "get", "987654")
	assert.Equal(t, exitAPI, res.code)
	assert.Contains(t, res.stderr, "INVALID_PAYLOAD (1000)")
}
