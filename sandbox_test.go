//go:build sandbox

package vaultspay_test

// The sandbox smoke suite: read-only calls against the vendor's UAT with credentials from the
// VAULTSPAY_* variables. It is compiled only with -tags sandbox, so `go test ./...` never reaches the
// network; see docs/SANDBOX.md.

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
)

// sandboxClient returns a client for UAT configured from the environment. It skips the test, naming
// what is missing, when the credentials are not all set, and fails when VAULTSPAY_BASE_URL points at
// production: the suite is for the sandbox only.
func sandboxClient(t *testing.T) *vaultspay.Client {
	t.Helper()
	var missing []string
	for _, k := range []string{vaultspay.EnvClientID, vaultspay.EnvClientSecret, vaultspay.EnvAppID, vaultspay.EnvRSAPublicKey} {
		if strings.TrimSpace(os.Getenv(k)) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		t.Skipf("sandbox: %s not set; export the UAT credentials to run this suite (docs/SANDBOX.md)", strings.Join(missing, ", "))
	}
	base := strings.ToLower(strings.TrimSpace(os.Getenv(vaultspay.EnvBaseURL)))
	if base == "production" || base == "prod" || strings.Contains(base, strings.TrimPrefix(string(vaultspay.Production), "https://")) {
		t.Fatalf("sandbox: %s=%q is production; this suite runs against UAT only (unset it or use \"uat\")", vaultspay.EnvBaseURL, base)
	}
	c, err := vaultspay.NewClientFromEnv(vaultspay.WithUserAgent("vaultspay-go-sandbox"), vaultspay.WithRequestTimeout(30*time.Second))
	require.NoError(t, err, "sandbox: the VAULTSPAY_* configuration")
	return c
}

// TestSandboxSmoke logs in and makes a handful of reads; it creates, moves and changes nothing.
func TestSandboxSmoke(t *testing.T) {
	c := sandboxClient(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	if !t.Run("login", func(t *testing.T) {
		require.NoError(t, c.Login(ctx))
		exp, ok := c.AccessTokenExpiry()
		require.True(t, ok)
		if !exp.IsZero() {
			t.Logf("access token expires %s", exp.UTC().Format(time.RFC3339))
		}
	}) {
		t.FailNow() // every other call needs a token
	}

	t.Run("ping", func(t *testing.T) {
		var res vaultspay.Response
		msg, err := c.Ping(ctx, vaultspay.WithResponseInto(&res))
		require.NoError(t, err)
		assert.Equal(t, vaultspay.PingMessage, msg)
		t.Logf("ping: %v", res)
	})

	t.Run("countries", func(t *testing.T) {
		countries, err := c.Users.ListCountries(ctx)
		require.NoError(t, err)
		require.NotEmpty(t, countries)
		for _, co := range countries {
			assert.Positive(t, int64(co.ID), "country %q", co.Name)
			assert.NotEmpty(t, co.Name, "country %d", co.ID)
		}
		t.Logf("%d countries", len(countries))
	})

	t.Run("accounts", func(t *testing.T) {
		page, err := c.Wallets.List(ctx, &vaultspay.AccountListOptions{ListOptions: vaultspay.ListOptions{Page: 1, PerPage: 5}})
		require.NoError(t, err)
		t.Logf("%d accounts on page 1 (pagination %+v)", len(page.Items), page.Pagination)
		if len(page.Items) == 0 {
			return
		}
		a, err := c.Wallets.Get(ctx, page.Items[0].ID)
		require.NoError(t, err)
		assert.Equal(t, page.Items[0].ID, a.ID)
		assert.NotEmpty(t, a.CurrencyCode)
	})

	t.Run("transactions", func(t *testing.T) {
		page, err := c.Transactions.List(ctx, &vaultspay.TransactionListOptions{ListOptions: vaultspay.ListOptions{Page: 1, PerPage: 5}})
		require.NoError(t, err)
		t.Logf("%d transactions on page 1 (pagination %+v)", len(page.Items), page.Pagination)
		if len(page.Items) == 0 {
			return
		}
		tx, err := c.Transactions.Get(ctx, page.Items[0].ID)
		require.NoError(t, err)
		assert.Equal(t, page.Items[0].ID, tx.ID)
	})

	t.Run("card tiers", func(t *testing.T) {
		tiers, err := c.Cards.ListTiers(ctx)
		require.NoError(t, err)
		for _, tier := range tiers {
			assert.Positive(t, int64(tier.ID), "tier %q", tier.Title)
		}
		t.Logf("%d card tiers", len(tiers))
	})
}
