package vaultspay_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
)

const (
	cardSecurityPath = "/re/api/v1/card-security"
	limitsPath       = "/re/api/v1/transaction-limits"
)

// settingTitled finds a security setting by title: ids are read, never hard-coded.
func settingTitled(t *testing.T, ss []vaultspay.SecuritySetting, title string) vaultspay.SecuritySetting {
	t.Helper()
	for _, s := range ss {
		if s.Title == title {
			return s
		}
	}
	require.Failf(t, "no setting", "title %q", title)
	return vaultspay.SecuritySetting{}
}

func TestFakeRulesCardSecurity(t *testing.T) {
	t.Parallel()
	f := newCardFixture(t)
	srv, client := f.srv, f.client
	ctx := context.Background()
	card := f.issue(t, vaultspay.CardTypeVirtual).ID

	ss, err := client.Rules.CardSecurity(ctx, card)
	require.NoError(t, err)
	require.Len(t, ss, 4)
	for _, s := range ss {
		assert.False(t, s.Enabled, "default off: %s", s.Title)
		assert.True(t, s.TransactionType.IsKnown())
	}

	atm := settingTitled(t, ss, "Block ATM Withdrawal Transactions")
	got, err := client.Rules.UpdateCardSecurity(ctx, &vaultspay.UpdateCardSecurityRequest{CardID: card, ID: atm.ID,
		TransactionType: atm.TransactionType, Enabled: true})
	require.NoError(t, err)
	assert.True(t, got.Enabled)
	assert.Equal(t, atm.ID, got.ID)

	ss, err = client.Rules.CardSecurity(ctx, card)
	require.NoError(t, err)
	assert.True(t, settingTitled(t, ss, atm.Title).Enabled)

	reset, err := client.Rules.ResetCardSecurity(ctx, card)
	require.NoError(t, err)
	require.Len(t, reset, 4)
	for _, s := range reset {
		assert.False(t, s.Enabled)
	}
	assert.Equal(t, 2, srv.CountRequests(http.MethodGet, cardSecurityPath))
	assert.Equal(t, 1, srv.CountRequests(http.MethodPut, cardSecurityPath))
	assert.Equal(t, 1, srv.CountRequests(http.MethodPatch, cardSecurityPath+"/reset"))

	// An unknown setting id: the fake's clear 1000 error naming the field.
	_, err = client.Rules.UpdateCardSecurity(ctx, &vaultspay.UpdateCardSecurityRequest{CardID: card, ID: 4242,
		TransactionType: vaultspay.RuleTransactionTypeAll, Enabled: true})
	require.ErrorIs(t, err, vaultspay.ErrInvalidPayload)
	var apiErr *vaultspay.APIError
	require.ErrorAs(t, err, &apiErr)
	reason, ok := apiErr.Field("id")
	assert.True(t, ok)
	assert.Equal(t, "Security setting does not exist with this id", reason)
}

func TestFakeRulesTransactionLimits(t *testing.T) {
	t.Parallel()
	f := newCardFixture(t)
	srv, client := f.srv, f.client
	ctx := context.Background()
	card := f.issue(t, vaultspay.CardTypeVirtual).ID

	all, err := client.Rules.TransactionLimits(ctx, nil)
	require.NoError(t, err)
	assert.NotEmpty(t, all)

	ls, err := client.Rules.TransactionLimits(ctx, &vaultspay.TransactionLimitListOptions{CardID: card,
		TransactionType: vaultspay.RuleTransactionTypeATMWithdrawal})
	require.NoError(t, err)
	require.Len(t, ls, 1)
	atm := ls[0]
	assert.Equal(t, vaultspay.LimitTypeLimit, atm.LimitType)
	assert.Equal(t, "pmt-mastercard-issuing", atm.ThirdPartyConfig)

	// Above the ceiling of the entry read: refused before sending.
	over, err := atm.AllowedLimit.Add(vaultspay.MustParseAmount("0.01"))
	require.NoError(t, err)
	_, err = client.Rules.UpdateTransactionLimit(ctx, &vaultspay.UpdateTransactionLimitRequest{ID: atm.ID, CardID: card,
		TransactionType: atm.TransactionType, Value: over, Current: &atm})
	require.ErrorIs(t, err, vaultspay.ErrValidation)
	assert.Zero(t, srv.CountRequests(http.MethodPut, limitsPath), "nothing sent")

	// Without Current the fake refuses it itself.
	_, err = client.Rules.UpdateTransactionLimit(ctx, &vaultspay.UpdateTransactionLimitRequest{ID: atm.ID, CardID: card,
		TransactionType: atm.TransactionType, Value: over})
	var apiErr *vaultspay.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, vaultspay.CodeInvalidPayload, apiErr.Code)
	_, ok := apiErr.Field("value")
	assert.True(t, ok)

	updated, err := client.Rules.UpdateTransactionLimit(ctx, &vaultspay.UpdateTransactionLimitRequest{ID: atm.ID, CardID: card,
		TransactionType: atm.TransactionType, Value: vaultspay.MustParseAmount("45000"), Current: &atm})
	require.NoError(t, err)
	assert.Equal(t, vaultspay.MustParseAmount("45000"), updated.Limit)
	assert.Equal(t, atm.AllowedLimit, updated.AllowedLimit)

	ls, err = client.Rules.TransactionLimits(ctx, &vaultspay.TransactionLimitListOptions{CardID: card,
		TransactionType: vaultspay.RuleTransactionTypeATMWithdrawal})
	require.NoError(t, err)
	assert.Equal(t, vaultspay.MustParseAmount("45000"), ls[0].Limit)
	assert.Contains(t, string(ls[0].RawJSON()), `"limit":"45000"`, "sent back as a string")
}
