package bench

import (
	"context"
	"crypto/rsa"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// TestBaselineMatchesSDK: the hand-written client reads the same account as the SDK, plain and
// encrypted, so the benchmarks compare equal work.
func TestBaselineMatchesSDK(t *testing.T) {
	srv := vaultspaytest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	sdk := srv.Client()
	id, err := openAccount(ctx, sdk, "baseline")
	require.NoError(t, err)
	require.NoError(t, srv.FundAccount(id, vaultspay.MustParseAmount("250.50")))
	want, err := sdk.Wallets.Get(ctx, id)
	require.NoError(t, err)

	for _, tt := range []struct {
		name string
		pub  *rsa.PublicKey
	}{{"plain", nil}, {"encrypted", srv.PublicKey()}} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewBaseline(&http.Client{}, srv.URL, srv.AppID(), tt.pub)
			require.NoError(t, err)
			require.NoError(t, c.Login(ctx, srv.ClientID(), srv.ClientSecret()))
			got, err := c.GetAccount(ctx, int64(id))
			require.NoError(t, err)
			assert.Equal(t, want.ID, got.ID)
			assert.Equal(t, want.Balance, got.Balance)
			assert.Equal(t, want.Currency, got.Currency)
			assert.Equal(t, want.AccountNumber, got.AccountNumber)
			assert.Equal(t, *want.TotalTransactions, *got.TotalTransactions)

			_, err = c.GetAccount(ctx, 999_999)
			assert.ErrorContains(t, err, "status 422")
		})
	}
	bad, err := NewBaseline(&http.Client{}, srv.URL, srv.AppID(), nil)
	require.NoError(t, err)
	assert.ErrorContains(t, bad.Login(ctx, srv.ClientID(), "wrong"), "status 401")
}
