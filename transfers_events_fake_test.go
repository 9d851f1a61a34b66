package vaultspay_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// TestFakeTransferEvents: a transfer that settles sends one TRANSACTION_PERFORMED SUCCESS event, and a
// back-office reversal one REVERSED event, to a receiver built with NewWebhookHandler.
func TestFakeTransferEvents(t *testing.T) {
	t.Parallel()
	srv := newFake(t, fastHooks)
	client := srv.Client()
	ctx := context.Background()
	var s sink
	recv := httptest.NewServer(vaultspay.NewWebhookHandler(s.fn))
	t.Cleanup(recv.Close)
	require.NoError(t, srv.SetWebhook(recv.URL, ""))

	a := openAccount(t, srv, client, "5000.00")
	c := newContact(t, client, "AE58 0300 0000 0200 0007 377")
	tr, err := client.Transfers.Send(ctx, rent(a, c, "1000.00"))
	require.NoError(t, err)
	waitWebhooks(t, srv)
	_, got := s.snapshot()
	assert.Empty(t, got, "no event while the transfer is pending")

	require.NoError(t, srv.Advance(vaultspaytest.SettleDelay))
	waitWebhooks(t, srv)
	require.NoError(t, srv.ReverseTransfer(tr.ID))
	require.Error(t, srv.ReverseTransfer(tr.ID), "a transfer is reversed once")
	waitWebhooks(t, srv)

	_, got = s.snapshot()
	require.Len(t, got, 2)
	for i, want := range []vaultspay.TransferEventStatus{vaultspay.TransferEventSuccess, vaultspay.TransferEventReversed} {
		ev, ok := got[i].(*vaultspay.TransferEvent)
		require.True(t, ok, "event %d is %T", i, got[i])
		assert.Equal(t, want, ev.Status)
		assert.Equal(t, tr.TransactionID, ev.TransactionID)
		assert.Equal(t, vaultspay.MustParseAmount("1000"), ev.Amount)
		assert.Equal(t, tr.GatewayRefID, ev.RefID)
	}

	acct, err := client.Wallets.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, vaultspay.MustParseAmount("5000"), acct.Balance, "the reversal gave the money back")
	got1, err := client.Transactions.Get(ctx, tr.ID)
	require.NoError(t, err)
	assert.Equal(t, vaultspay.TransactionStatusReversed, got1.Status)
}

// TestFakeTransferLockedByRule: a transfer limit lowered through client.Rules makes a larger transfer
// fail with 1050 TRANSACTION_LOCKED_BY_RULE, and no money moves.
func TestFakeTransferLockedByRule(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	client := srv.Client()
	ctx := context.Background()
	a := openAccount(t, srv, client, "5000.00")
	c := newContact(t, client, "AE58 0300 0000 0200 0007 377")

	limits, err := client.Rules.TransactionLimits(ctx, &vaultspay.TransactionLimitListOptions{TransactionType: "TRANSFER"})
	require.NoError(t, err)
	var oneTime *vaultspay.TransactionLimit
	for i := range limits {
		if limits[i].Frequency == vaultspay.LimitFrequencyOneTime && limits[i].LimitType == vaultspay.LimitTypeLimit {
			oneTime = &limits[i]
		}
	}
	require.NotNil(t, oneTime, "the fake has a one-time transfer limit")
	_, err = client.Rules.UpdateTransactionLimit(ctx, &vaultspay.UpdateTransactionLimitRequest{ID: oneTime.ID,
		TransactionType: oneTime.TransactionType, Value: vaultspay.MustParseAmount("500"), Current: oneTime})
	require.NoError(t, err)

	before := srv.State()
	_, err = client.Transfers.Send(ctx, rent(a, c, "1000.00"))
	var apiErr *vaultspay.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, vaultspay.CodeTransactionLockedByRule, apiErr.Code)
	assert.ErrorIs(t, err, vaultspay.ErrLockedByRule)
	assert.NotErrorIs(t, err, vaultspay.ErrOutcomeUnknown, "a coded answer is not an unknown outcome")
	assert.Equal(t, before, srv.State(), "nothing recorded")

	_, err = client.Transfers.Send(ctx, rent(a, c, "400.00"))
	require.NoError(t, err, "under the limit")
}
