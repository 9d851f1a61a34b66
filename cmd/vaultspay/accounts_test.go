package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

var cliUserSeq atomic.Int64

// openFundedAccount creates a user with an AED account (currencyId 2) through the SDK and funds it
// with each amount through the fake's back office.
func openFundedAccount(t *testing.T, srv *vaultspaytest.Server, amounts ...string) *vaultspay.Account {
	t.Helper()
	ctx := context.Background()
	sdk := srv.Client()
	u, err := sdk.Users.Create(ctx, &vaultspay.CreateUserRequest{FirstName: "Sara", LastName: "Khan",
		Email: fmt.Sprintf("sara.%d@example.com", cliUserSeq.Add(1)), Status: vaultspay.UserStatusActive})
	require.NoError(t, err)
	a, err := sdk.Wallets.Create(ctx, &vaultspay.CreateAccountRequest{UserID: u.ID, CurrencyID: 2, AccountType: vaultspay.AccountTypeDigital})
	require.NoError(t, err)
	for _, amt := range amounts {
		require.NoError(t, srv.FundAccount(a.ID, vaultspay.MustParseAmount(amt)))
	}
	return a
}

func TestCLIAccountsList(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)
	a := openFundedAccount(t, srv, "250.00")
	b := openFundedAccount(t, srv)

	res := runCLI(t, srv, "accounts", "list", "--user-id", a.UserID.String())
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Empty(t, res.stderr, "no progress: stderr is not a terminal")
	rows := tableRows(res.stdout)
	require.Len(t, rows, 2, res.stdout)
	assert.Equal(t, []string{"ID", "USER", "TITLE", "NUMBER", "BALANCE", "ON HOLD", "STATUS", "PRIMARY"}, rows[0])
	assert.Equal(t, []string{a.ID.String(), a.UserID.String(), a.AccountTitle, a.AccountNumber, "250.00 AED", "0.00 AED", "ACTIVE", "yes"}, rows[1])

	// Every page, one account per page, newest first; --json keeps the SDK's exact amounts.
	got := decodeJSON[[]vaultspay.Account](t, runCLI(t, srv, "accounts", "list", "--per-page", "1", "--json"))
	require.Len(t, got, 2)
	assert.Equal(t, []vaultspay.ID{b.ID, a.ID}, []vaultspay.ID{got[0].ID, got[1].ID})
	assert.Equal(t, "250.00", got[1].Balance.StringFixed(2))

	// --page fetches that page only.
	got = decodeJSON[[]vaultspay.Account](t, runCLI(t, srv, "-o", "json", "accounts", "list", "--page", "2", "--per-page", "1"))
	require.Len(t, got, 1)
	assert.Equal(t, a.ID, got[0].ID)

	// A filter matching nothing: the header only, and [] in JSON.
	res = runCLI(t, srv, "accounts", "list", "--currency-code", "EUR")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Len(t, tableRows(res.stdout), 1)
	res = runCLI(t, srv, "accounts", "list", "--currency-code", "EUR", "--json")
	assert.Equal(t, "[]\n", res.stdout)
}

func TestCLIAccountsGet(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)
	a := openFundedAccount(t, srv, "250.00", "0.5")

	res := runCLI(t, srv, "accounts", "get", a.ID.String())
	require.Equal(t, exitOK, res.code, res.stderr)
	f := recordFields(t, res.stdout)
	assert.Equal(t, a.ID.String(), f["ID"])
	assert.Equal(t, "250.50 AED", f["BALANCE"])
	assert.Equal(t, "AED", f["CURRENCY"])
	assert.Equal(t, "2", f["TRANSACTIONS"])
	assert.Equal(t, "-", f["IBAN"], "null until assigned")

	got := decodeJSON[vaultspay.Account](t, runCLI(t, srv, "accounts", "get", "--output", "json", a.ID.String()))
	assert.Equal(t, a.ID, got.ID)
	assert.Equal(t, "250.50", got.Balance.StringFixed(2))

	res = runCLI(t, srv, "accounts", "get", "999999")
	assert.Equal(t, exitAPI, res.code)
	assert.Contains(t, res.stderr, "vaultspay: HTTP 422 INVALID_PAYLOAD (1000)")
	assert.NotContains(t, res.stderr, "vaultspay: vaultspay:")
	assert.Empty(t, res.stdout)
}

func TestCLILedger(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)
	a := openFundedAccount(t, srv, "100.00", "25.25", "0.75")

	res := runCLI(t, srv, "ledger", a.ID.String())
	require.Equal(t, exitOK, res.code, res.stderr)
	rows := tableRows(res.stdout)
	require.Len(t, rows, 4, res.stdout)
	assert.Equal(t, []string{"ID", "DATE", "TRANSACTION", "DEBIT", "CREDIT", "BALANCE", "NARRATION"}, rows[0])
	assert.Equal(t, []string{"0.00 AED", "0.75 AED", "126.00 AED"}, rows[1][3:6], "the account's currency and decimals")
	balances := []string{rows[1][5], rows[2][5], rows[3][5]}
	assert.ElementsMatch(t, []string{"100.00 AED", "125.25 AED", "126.00 AED"}, balances)

	// accounts ledger is the same command; flags may follow the argument.
	same := runCLI(t, srv, "accounts", "ledger", a.ID.String(), "--per-page", "2")
	require.Equal(t, exitOK, same.code, same.stderr)
	assert.Equal(t, res.stdout, same.stdout, "two pages of two and one")

	got := decodeJSON[[]vaultspay.LedgerEntry](t, runCLI(t, srv, "ledger", a.ID.String(), "--json", "--page", "1", "--per-page", "1"))
	require.Len(t, got, 1)
	assert.False(t, got[0].Credit.IsZero())

	res = runCLI(t, srv, "ledger", a.ID.String(), "--end-date", "2000-01-01")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Len(t, tableRows(res.stdout), 1, "no entry before 2000")
}

func TestCLIProgress(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)
	a := openFundedAccount(t, srv, "1", "2", "3")
	for _, tty := range []bool{true, false} {
		var stdout, stderr bytes.Buffer
		c := &app{client: srv.Client(), stdout: &stdout, stderr: &stderr, tty: tty}
		o := vaultspay.LedgerListOptions{ListOptions: vaultspay.ListOptions{PerPage: 1}}
		items, err := fetchAll(context.Background(), c, "ledger entries", &o.ListOptions,
			func(ctx context.Context) (*vaultspay.Page[vaultspay.LedgerEntry], error) {
				return c.client.Wallets.ListLedger(ctx, a.ID, &o)
			},
			func(ctx context.Context, opts ...vaultspay.RequestOption) iter.Seq2[vaultspay.LedgerEntry, error] {
				return c.client.Wallets.ListLedgerIter(ctx, a.ID, &o, opts...)
			})
		require.NoError(t, err)
		assert.Len(t, items, 3)
		if !tty {
			assert.Empty(t, stderr.String(), "no progress unless stderr is a terminal")
			continue
		}
		out := stderr.String()
		assert.True(t, strings.HasPrefix(out, "\rfetching ledger entries: 1 of 3"), "%q", out)
		assert.Contains(t, out, "\rfetching ledger entries: 3 of 3", "the last count is always drawn")
		assert.True(t, strings.HasSuffix(out, "\r\x1b[K"), "the line is erased at the end: %q", out)
		assert.Empty(t, stdout.String(), "progress never goes to stdout")
	}
}

// tokenFunc is a fixed bearer token for a client of a hand-written server.
type tokenFunc func() string

func (f tokenFunc) AccessToken(context.Context) (vaultspay.Secret, error) {
	return vaultspay.Secret(f()), nil
}

// TestCLIListHostilePaging: a server that alternates two pages without page numbers, or never ends
// its list, ends the CLI's walk with an error after a bounded number of requests.
func TestCLIListHostilePaging(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		answer  func(n int64) string
		wantErr error
		maxReqs int64
	}{
		{"alternating pages", func(n int64) string {
			return fmt.Sprintf(`{"data":[{"id":%d,"currencyCode":"AED","balance":"1.00"}],"pagination":{"totalPages":999999}}`, n%2+1)
		}, vaultspay.ErrRepeatedPage, 3},
		{"never ends", func(n int64) string {
			return fmt.Sprintf(`{"data":[{"id":%d,"currencyCode":"AED","balance":"1.00"}],"pagination":{"currentPage":%d,"totalPages":999999}}`, n, n)
		}, vaultspay.ErrPagingLimit, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var n atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.WriteString(w, tt.answer(n.Add(1)))
			}))
			defer srv.Close()
			client, err := vaultspay.NewClient(vaultspay.WithBaseURL(srv.URL), vaultspay.WithAppID("app"), vaultspay.WithEncryption(false),
				vaultspay.WithTokenSource(tokenFunc(func() string { return "tok" })), vaultspay.WithPagingLimits(vaultspay.PagingLimits{MaxPages: 5}))
			require.NoError(t, err)
			var stdout, stderr bytes.Buffer
			c := &app{client: client, stdout: &stdout, stderr: &stderr}
			var o vaultspay.AccountListOptions
			_, err = fetchAll(context.Background(), c, "accounts", &o.ListOptions,
				func(ctx context.Context) (*vaultspay.Page[vaultspay.Account], error) {
					return client.Wallets.List(ctx, &o)
				},
				func(ctx context.Context, opts ...vaultspay.RequestOption) iter.Seq2[vaultspay.Account, error] {
					return client.Wallets.ListIter(ctx, &o, opts...)
				})
			require.ErrorIs(t, err, tt.wantErr)
			assert.LessOrEqual(t, n.Load(), tt.maxReqs)
		})
	}
}
