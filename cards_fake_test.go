package vaultspay_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// Behaviour tests of client.Cards against vaultspaytest, through the encrypted pipeline.

const cardsPath = "/pcs/api/v1/cards"

// cardFixture is a user "Ali Ammar" with an AED account, and a client to issue cards for them.
type cardFixture struct {
	srv     *vaultspaytest.Server
	client  *vaultspay.Client
	account *vaultspay.Account
}

func newCardFixture(t *testing.T, opts ...vaultspaytest.Option) *cardFixture {
	t.Helper()
	srv := newFake(t, opts...)
	client := srv.Client()
	return &cardFixture{srv: srv, client: client, account: openAccount(t, srv, client, "")}
}

func cardAddress() *vaultspay.CardAddress {
	return &vaultspay.CardAddress{Country: "PAK", State: "Punjab", City: "RWP", AddressLine1: "line 1 address",
		Type: vaultspay.CardAddressTypeMailing, PostalCode: "44000", Longitude: vaultspay.Ptr("127.45"),
		Latitude: vaultspay.Ptr("716.70")}
}

// issue creates a card of typ with the user's full embossing name.
func (f *cardFixture) issue(t *testing.T, typ vaultspay.CardType) *vaultspay.Card {
	t.Helper()
	ctx := context.Background()
	names, err := f.client.Cards.EmbossingNames(ctx, f.account.UserID)
	require.NoError(t, err)
	require.Contains(t, names, "ALI AMMAR")
	req := &vaultspay.CreateCardRequest{CardTierID: vaultspaytest.CardTierDebit, CustomerID: f.account.UserID,
		AccountID: f.account.ID, CardType: typ, CardHolderName: "ALI AMMAR"}
	if typ == vaultspay.CardTypePhysical {
		req.Address = cardAddress()
	}
	c, err := f.client.Cards.Create(ctx, req)
	require.NoError(t, err)
	return c
}

// activate proves possession with the card's own PAN and expiry, read through the API.
func (f *cardFixture) activate(t *testing.T, card vaultspay.CardRef) *vaultspay.CardUpdate {
	t.Helper()
	ctx := context.Background()
	pan, err := f.client.Cards.PAN(ctx, card)
	require.NoError(t, err)
	expiry, err := f.client.Cards.Expiry(ctx, card)
	require.NoError(t, err)
	up, err := f.client.Cards.Activate(ctx, &vaultspay.ActivateCardRequest{CardRef: card, PAN: pan, ExpiryDate: expiry})
	require.NoError(t, err)
	assert.Equal(t, vaultspay.CardStatusActive, up.Status)
	return up
}

// produce takes a PHYSICAL card in ISSUANCE_IN_PROGRESS through manufacturing and delivery.
func (f *cardFixture) produce(t *testing.T, id vaultspay.ID) {
	t.Helper()
	ctx := context.Background()
	m, err := f.client.Cards.UpdateManufacturing(ctx, &vaultspay.UpdateCardManufacturingRequest{CardRef: vaultspay.CardByID(id),
		CardManufacturingStatus: vaultspay.CardManufacturingStatusManufactured})
	require.NoError(t, err)
	assert.Equal(t, vaultspay.CardManufacturingStatusManufactured, m.CardManufacturingStatus)
	d, err := f.client.Cards.UpdateDelivery(ctx, &vaultspay.UpdateCardDeliveryRequest{CardID: id,
		DeliveryStatus: vaultspay.CardDeliveryStatusDelivered})
	require.NoError(t, err)
	assert.Equal(t, vaultspay.CardStatusPendingVerification, d.Status)
}

// activePhysical issues a PHYSICAL card and takes it to ACTIVE.
func (f *cardFixture) activePhysical(t *testing.T, pin vaultspay.PIN) *vaultspay.Card {
	t.Helper()
	ctx := context.Background()
	c := f.issue(t, vaultspay.CardTypePhysical)
	_, err := f.client.Cards.SetPIN(ctx, &vaultspay.SetPINRequest{CardRef: vaultspay.CardByID(c.ID), PIN: pin})
	require.NoError(t, err)
	_, err = f.client.Cards.ProcessRequest(ctx, &vaultspay.ProcessCardRequest{CardID: c.ID})
	require.NoError(t, err)
	f.produce(t, c.ID)
	f.activate(t, vaultspay.CardByID(c.ID))
	return c
}

// TestFakeCardsAllEndpoints drives every card endpoint, each answered 200 at least once: a physical
// card from creation to ACTIVE and through the controls, a virtual card converted to physical, and
// reports settled each way.
func TestFakeCardsAllEndpoints(t *testing.T) {
	t.Parallel()
	f := newCardFixture(t)
	ctx := context.Background()
	cards := f.client.Cards

	tiers, err := cards.ListTiers(ctx)
	require.NoError(t, err)
	require.Len(t, tiers, 2)
	assert.Equal(t, vaultspay.CardNetworkMastercard, tiers[0].CardNetwork)

	// Physical: INACTIVE → PIN → ISSUANCE_IN_PROGRESS → MANUFACTURED → DELIVERED → ACTIVE.
	p := f.issue(t, vaultspay.CardTypePhysical)
	assert.Equal(t, vaultspaytest.CardStatusInactive, p.Status)
	assert.False(t, p.Status.IsKnown(), "the fake's name for the undocumented first status")
	assert.False(t, p.PINSet)
	pin, err := cards.SetPIN(ctx, &vaultspay.SetPINRequest{CardRef: vaultspay.CardByToken(p.Token), PIN: "0042"})
	require.NoError(t, err)
	require.NotNil(t, pin.PINSet)
	assert.True(t, *pin.PINSet)
	processed, err := cards.ProcessRequest(ctx, &vaultspay.ProcessCardRequest{CardID: p.ID, Remarks: vaultspay.Ptr("request accepted"),
		StatusReason: vaultspay.Ptr("new card")})
	require.NoError(t, err)
	assert.Equal(t, vaultspay.CardStatusIssuanceInProgress, processed.Status)
	assert.True(t, processed.PINSet)
	f.produce(t, p.ID)
	act := f.activate(t, vaultspay.CardByToken(p.Token))
	assert.Equal(t, p.ID, act.CardID)
	assert.Zero(t, act.CardToken, "Activate answers no token")
	assert.Equal(t, "new card", act.StatusReason)

	details, err := cards.Details(ctx, vaultspay.CardByToken(p.Token))
	require.NoError(t, err)
	assert.Equal(t, vaultspay.CardStatusActive, details.Status)
	pan, err := cards.PAN(ctx, vaultspay.CardByID(p.ID))
	require.NoError(t, err)
	assert.Equal(t, details.LastFourDigits, pan.Last4())
	assert.Equal(t, "**** "+details.LastFourDigits, pan.String())
	cvv, err := cards.CVV(ctx, vaultspay.CardByToken(p.Token))
	require.NoError(t, err)
	assert.Len(t, cvv.Reveal(), 3)
	expiry, err := cards.Expiry(ctx, vaultspay.CardByID(p.ID))
	require.NoError(t, err)
	_, _, err = expiry.MonthYear()
	require.NoError(t, err, "the fake answers MM/YY")

	// Controls: freeze and unfreeze, block and unblock, 3-D Secure, another account.
	for _, want := range []vaultspay.CardStatus{vaultspay.CardStatusFreeze, vaultspay.CardStatusActive} {
		up, err := cards.ToggleFreeze(ctx, &vaultspay.ToggleFreezeRequest{CardRef: vaultspay.CardByID(p.ID)})
		require.NoError(t, err)
		assert.Equal(t, want, up.Status)
	}
	for _, want := range []vaultspay.CardStatus{vaultspay.CardStatusBlock, vaultspay.CardStatusActive} {
		up, err := cards.UpdateStatus(ctx, &vaultspay.UpdateCardStatusRequest{CardRef: vaultspay.CardByToken(p.Token),
			StatusReason: "by the test", CardStatus: want})
		require.NoError(t, err)
		assert.Equal(t, want, up.Status)
		assert.Equal(t, p.Token, up.CardToken, "decoded from the documented id/token/status names")
	}
	on, err := cards.EnrollThreeDS(ctx, &vaultspay.EnrollThreeDSRequest{CardRef: vaultspay.CardByID(p.ID)})
	require.NoError(t, err)
	require.NotNil(t, on.ThreeDSecure)
	assert.True(t, on.ThreeDSecure.Status)
	off, err := cards.RemoveThreeDS(ctx, vaultspay.CardByToken(p.Token))
	require.NoError(t, err)
	assert.False(t, off.ThreeDSecure.Status)
	usd, err := f.client.Wallets.Create(ctx, &vaultspay.CreateAccountRequest{UserID: f.account.UserID, CurrencyID: 1,
		AccountType: vaultspay.AccountTypeDigital})
	require.NoError(t, err)
	link, err := cards.UpdateAccount(ctx, &vaultspay.UpdateCardAccountRequest{CardID: p.ID, AccountID: usd.ID})
	require.NoError(t, err)
	assert.Equal(t, usd.ID, link.AccountID)
	assert.NotEmpty(t, link.Remarks)

	// Virtual → physical: applied, rejected, applied again, approved, produced, activated.
	v := f.issue(t, vaultspay.CardTypeVirtual)
	assert.Equal(t, vaultspay.CardStatusActive, v.Status)
	applied, err := cards.RequestPhysical(ctx, &vaultspay.CardConversionRequest{CardID: v.ID, Address: cardAddress()})
	require.NoError(t, err)
	assert.Equal(t, vaultspay.CardConversionStatusApplied, applied.CardConversionStatus)
	rejected, err := cards.ProcessPhysicalRequest(ctx, &vaultspay.ProcessCardConversionRequest{CardID: v.ID,
		CardConversionStatus: vaultspay.CardConversionStatusRejected, Remarks: vaultspay.Ptr("no stock")})
	require.NoError(t, err)
	assert.Equal(t, vaultspay.CardTypeVirtual, rejected.CardType)
	_, err = cards.RequestPhysical(ctx, &vaultspay.CardConversionRequest{CardID: v.ID, Address: cardAddress()})
	require.NoError(t, err)
	approved, err := cards.ProcessPhysicalRequest(ctx, &vaultspay.ProcessCardConversionRequest{CardID: v.ID,
		CardConversionStatus: vaultspay.CardConversionStatusApproved})
	require.NoError(t, err)
	assert.Equal(t, vaultspay.CardTypePhysical, approved.CardType)
	assert.Equal(t, vaultspay.CardStatusIssuanceInProgress, approved.Status)
	f.produce(t, v.ID)
	f.activate(t, vaultspay.CardByID(v.ID))

	// Reports: renewed, replaced, declined; then the list, paged.
	settle := []func(context.Context, *vaultspay.ReportedCardRequest, ...vaultspay.RequestOption) (*vaultspay.ReissuedCard, error){
		cards.Renew, cards.Replace}
	for i, reason := range []vaultspay.CardReportReason{vaultspay.CardReportReasonDamaged, vaultspay.CardReportReasonStolen} {
		c := f.issue(t, vaultspay.CardTypeVirtual)
		issue, err := cards.ReportIssue(ctx, &vaultspay.ReportIssueRequest{CardRef: vaultspay.CardByID(c.ID), StatusReason: reason})
		require.NoError(t, err)
		assert.Equal(t, vaultspay.ReportedIssueStatusReported, issue.Status)
		reviewed, err := cards.ReviewReport(ctx, &vaultspay.ReviewReportRequest{CardRef: vaultspay.CardByToken(c.Token)})
		require.NoError(t, err)
		assert.Equal(t, vaultspay.ReportedIssueStatusReviewed, reviewed.Status)
		n, err := settle[i](ctx, &vaultspay.ReportedCardRequest{CardRef: vaultspay.CardRef{ID: c.ID, Token: c.Token}})
		require.NoError(t, err)
		assert.Equal(t, vaultspay.CardStatusIssuanceInProgress, n.Status)
		assert.NotEqual(t, c.ID, n.CardID)
		f.activate(t, vaultspay.CardByToken(n.CardToken))
		old, err := cards.Details(ctx, vaultspay.CardByID(c.ID))
		require.NoError(t, err)
		assert.Equal(t, vaultspay.CardStatusBlock, old.Status)
		assert.Len(t, old.ReportedCards, 1)
	}
	d := f.issue(t, vaultspay.CardTypeVirtual)
	_, err = cards.ReportIssue(ctx, &vaultspay.ReportIssueRequest{CardRef: vaultspay.CardByID(d.ID), StatusReason: "My card is lost."})
	require.NoError(t, err)
	_, err = cards.ReviewReport(ctx, &vaultspay.ReviewReportRequest{CardRef: vaultspay.CardByID(d.ID)})
	require.NoError(t, err)
	declined, err := cards.Decline(ctx, &vaultspay.ReportedCardRequest{CardRef: vaultspay.CardByID(d.ID), Remarks: vaultspay.Ptr("not lost")})
	require.NoError(t, err)
	assert.Equal(t, vaultspay.CardStatusFreeze, declined.Status)
	assert.Equal(t, "My card is lost.", declined.StatusReason)
	assert.Equal(t, "not lost", declined.Remarks)

	page, err := cards.ListReportedIssues(ctx, &vaultspay.ReportedIssueListOptions{ListOptions: vaultspay.ListOptions{PerPage: 2}})
	require.NoError(t, err)
	assert.Len(t, page.Items, 2)
	var ids []vaultspay.ID
	for issue, err := range cards.ListReportedIssuesIter(ctx, &vaultspay.ReportedIssueListOptions{ListOptions: vaultspay.ListOptions{PerPage: 1}}) {
		require.NoError(t, err)
		ids = append(ids, issue.ID)
	}
	assert.Len(t, ids, 3)
	assert.True(t, slices.IsSortedFunc(ids, func(a, b vaultspay.ID) int { return int(b - a) }), "newest first")
	byCard, err := cards.ListReportedIssues(ctx, &vaultspay.ReportedIssueListOptions{CardID: d.ID})
	require.NoError(t, err)
	require.Len(t, byCard.Items, 1)
	assert.Equal(t, vaultspay.CardReportReason("My card is lost."), byCard.Items[0].StatusReason)

	// Every one of the 25 endpoints answered 200 at least once.
	ok := map[string]bool{}
	for _, r := range f.srv.Requests() {
		if strings.HasPrefix(r.Path, "/pcs/") && r.Status == http.StatusOK {
			ok[r.Method+" "+strings.TrimSuffix(r.Path, "/"+f.account.UserID.String())] = true
		}
	}
	assert.Len(t, ok, 25, "%v", ok)
}

// TestFakeCardsRefusedTransitions: the fake's documented refusal, a 422 1000 keyed on the card
// identifier, for a forbidden step in several states; nothing changes.
func TestFakeCardsRefusedTransitions(t *testing.T) {
	t.Parallel()
	f := newCardFixture(t)
	ctx := context.Background()
	cards := f.client.Cards
	p := f.issue(t, vaultspay.CardTypePhysical)
	v := f.issue(t, vaultspay.CardTypeVirtual)
	vpan, err := cards.PAN(ctx, vaultspay.CardByID(v.ID))
	require.NoError(t, err)
	vexp, err := cards.Expiry(ctx, vaultspay.CardByID(v.ID))
	require.NoError(t, err)
	tests := []struct {
		name string
		call func() error
		key  string
	}{
		{"process before the PIN", func() error {
			_, err := cards.ProcessRequest(ctx, &vaultspay.ProcessCardRequest{CardID: p.ID})
			return err
		}, "cardId"},
		{"activate an INACTIVE card", func() error {
			_, err := cards.Activate(ctx, &vaultspay.ActivateCardRequest{CardRef: vaultspay.CardByToken(p.Token), PAN: vpan, ExpiryDate: vexp})
			return err
		}, "cardToken"},
		{"unblock an INACTIVE card", func() error {
			_, err := cards.UpdateStatus(ctx, &vaultspay.UpdateCardStatusRequest{CardRef: vaultspay.CardByID(p.ID),
				StatusReason: "x", CardStatus: vaultspay.CardStatusActive})
			return err
		}, "cardId"},
		{"deliver before processing", func() error {
			_, err := cards.UpdateDelivery(ctx, &vaultspay.UpdateCardDeliveryRequest{CardID: p.ID, DeliveryStatus: vaultspay.CardDeliveryStatusDelivered})
			return err
		}, "cardId"},
		{"activate an ACTIVE virtual card", func() error {
			_, err := cards.Activate(ctx, &vaultspay.ActivateCardRequest{CardRef: vaultspay.CardByID(v.ID), PAN: vpan, ExpiryDate: vexp})
			return err
		}, "cardId"},
		{"a PIN for a virtual card", func() error {
			_, err := cards.SetPIN(ctx, &vaultspay.SetPINRequest{CardRef: vaultspay.CardByID(v.ID), PIN: "1234"})
			return err
		}, "cardId"},
		{"decline without a report", func() error {
			_, err := cards.Decline(ctx, &vaultspay.ReportedCardRequest{CardRef: vaultspay.CardByID(v.ID)})
			return err
		}, "cardId"},
		{"convert a physical card", func() error {
			_, err := cards.RequestPhysical(ctx, &vaultspay.CardConversionRequest{CardID: p.ID, Address: cardAddress()})
			return err
		}, "cardId"},
		{"approve without a request", func() error {
			_, err := cards.ProcessPhysicalRequest(ctx, &vaultspay.ProcessCardConversionRequest{CardID: v.ID,
				CardConversionStatus: vaultspay.CardConversionStatusApproved})
			return err
		}, "cardId"},
		{"an unknown card", func() error { _, err := cards.Details(ctx, vaultspay.CardByID(999999)); return err }, "cardId"},
		{"an account of nobody's card", func() error {
			_, err := cards.UpdateAccount(ctx, &vaultspay.UpdateCardAccountRequest{CardID: v.ID, AccountID: 999999})
			return err
		}, "accountId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireFields(t, tt.call(), tt.key)
		})
	}
	for _, c := range []*vaultspay.Card{p, v} {
		got, err := cards.Details(ctx, vaultspay.CardByID(c.ID))
		require.NoError(t, err)
		assert.Equal(t, c.Status, got.Status, "unchanged")
	}

	_, err = cards.Create(ctx, &vaultspay.CreateCardRequest{CardTierID: vaultspaytest.CardTierDebit, CustomerID: f.account.UserID,
		AccountID: f.account.ID, CardType: vaultspay.CardTypeVirtual, CardHolderName: "Ali Ammar"})
	requireFields(t, err, "cardHolderName")
	assert.Equal(t, 2, f.srv.State().Cards)
}

// TestFakeCardsCreateFaults: Create is never retried once it may have reached the server; whatever
// the network does, the fake holds one card when the handler ran and none otherwise, never two. Only
// a 429, the API's refusal, is sent again.
func TestFakeCardsCreateFaults(t *testing.T) {
	for _, tt := range faultCases(cardsPath) {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newCardFixture(t)
			ctx := context.Background()
			client := f.srv.Client(fastRetries, vaultspay.WithRequestTimeout(tt.timeout))
			require.NoError(t, client.Login(ctx))
			require.NoError(t, f.srv.InjectFault(tt.fault))
			_, err := client.Cards.Create(ctx, &vaultspay.CreateCardRequest{CardTierID: vaultspaytest.CardTierDebit,
				CustomerID: f.account.UserID, AccountID: f.account.ID, CardType: vaultspay.CardTypeVirtual, CardHolderName: "ALI AMMAR"})
			if tt.fault.Status == http.StatusTooManyRequests {
				require.NoError(t, err, "a throttled request was refused, so it is sent again")
				assert.Equal(t, 1, f.srv.State().Cards)
				assert.Equal(t, 2, f.srv.CountRequests(http.MethodPost, cardsPath))
				return
			}
			require.ErrorIs(t, err, vaultspay.ErrOutcomeUnknown)
			want := 0
			if tt.landed {
				want = 1
			}
			assert.Equal(t, want, f.srv.State().Cards)
			assert.Equal(t, 1, f.srv.CountRequests(http.MethodPost, cardsPath), "not retried")
		})
	}
}

// TestFakeCardsStatusEvent: one status change is one card event at a receiver built with
// NewWebhookHandler; a call that keeps the status sends none; a new card's event has no previous status.
func TestFakeCardsStatusEvent(t *testing.T) {
	t.Parallel()
	s := &sink{}
	recv := httptest.NewServer(vaultspay.NewWebhookHandler(s.fn))
	t.Cleanup(recv.Close)
	f := newCardFixture(t, fastHooks)
	ctx := context.Background()
	c := f.issue(t, vaultspay.CardTypeVirtual) // before the URL is set: its creation event goes nowhere
	require.NoError(t, f.srv.SetWebhook(recv.URL+"/vaultspay", ""))

	_, err := f.client.Cards.ToggleFreeze(ctx, &vaultspay.ToggleFreezeRequest{CardRef: vaultspay.CardByID(c.ID),
		StatusReason: vaultspay.Ptr("travel")})
	require.NoError(t, err)
	_, err = f.client.Cards.EnrollThreeDS(ctx, &vaultspay.EnrollThreeDSRequest{CardRef: vaultspay.CardByID(c.ID)})
	require.NoError(t, err)
	waitWebhooks(t, f.srv)
	calls, processed := s.snapshot()
	assert.Equal(t, 1, calls)
	require.Len(t, processed, 1)
	ce, ok := processed[0].(*vaultspay.CardEvent)
	require.True(t, ok, "%T", processed[0])
	assert.Equal(t, vaultspay.CardEventStatusFreeze, ce.Type)
	require.NotNil(t, ce.Status.Previous)
	assert.Equal(t, vaultspay.CardEventStatus{Code: vaultspay.CardStatusActive, Label: vaultspay.CardStatusLabelFullyOperational},
		*ce.Status.Previous)
	assert.Equal(t, vaultspay.CardStatusFreeze, ce.Status.Current.Code, "the codes are the card statuses")
	assert.Equal(t, "travel", ce.Status.Reason)
	assert.Equal(t, vaultspay.CardEventCard{Token: c.Token, LastFourDigits: c.LastFourDigits, Tier: "VaultsPay Debit Card Tier",
		Network: vaultspay.CardEventNetworkMC, Type: c.CardType}, ce.Card)

	f.issue(t, vaultspay.CardTypePhysical)
	waitWebhooks(t, f.srv)
	_, processed = s.snapshot()
	assert.Len(t, processed, 1, "a card's creation sends no event (40-cards-issuance §20)")
	assert.Len(t, f.srv.WebhookDeliveries(), 1)
}

// TestFakeCardsPurchaseRules: a purchase limit and a purchase block set through client.Rules refuse
// the fake's card purchases with 1050; the purchases let through are transactions of the account.
func TestFakeCardsPurchaseRules(t *testing.T) {
	t.Parallel()
	f := newCardFixture(t)
	ctx := context.Background()
	require.NoError(t, f.srv.FundAccount(f.account.ID, vaultspay.MustParseAmount("500.00")))
	c := f.issue(t, vaultspay.CardTypeVirtual)
	other := f.issue(t, vaultspay.CardTypeVirtual)

	ls, err := f.client.Rules.TransactionLimits(ctx, &vaultspay.TransactionLimitListOptions{CardID: c.ID,
		TransactionType: vaultspay.RuleTransactionTypePurchase})
	require.NoError(t, err)
	require.Len(t, ls, 1)
	_, err = f.client.Rules.UpdateTransactionLimit(ctx, &vaultspay.UpdateTransactionLimitRequest{ID: ls[0].ID, CardID: c.ID,
		TransactionType: ls[0].TransactionType, Value: vaultspay.MustParseAmount("100"), Current: &ls[0]})
	require.NoError(t, err)

	tx, err := f.srv.CardPurchase(c.ID, vaultspay.MustParseAmount("60.00"), "AED")
	require.NoError(t, err)
	assert.Equal(t, vaultspay.TransactionTypePurchase, tx.TransactionType)
	require.NotNil(t, tx.Card)
	assert.Equal(t, c.ID, tx.Card.ID)
	_, err = f.srv.CardPurchase(c.ID, vaultspay.MustParseAmount("40.01"), "")
	requireAPIError(t, err, http.StatusInternalServerError, vaultspay.CodeTransactionLockedByRule)
	assert.ErrorIs(t, err, vaultspay.ErrLockedByRule)
	_, err = f.srv.CardPurchase(other.ID, vaultspay.MustParseAmount("150"), "")
	require.NoError(t, err, "the limit is the card's own")

	ss, err := f.client.Rules.CardSecurity(ctx, other.ID)
	require.NoError(t, err)
	block := settingTitled(t, ss, "Block Purchase Transactions")
	_, err = f.client.Rules.UpdateCardSecurity(ctx, &vaultspay.UpdateCardSecurityRequest{CardID: other.ID, ID: block.ID,
		TransactionType: block.TransactionType, Enabled: true})
	require.NoError(t, err)
	_, err = f.srv.CardPurchase(other.ID, vaultspay.MustParseAmount("1"), "")
	assert.ErrorIs(t, err, vaultspay.ErrLockedByRule)

	_, err = f.client.Cards.ToggleFreeze(ctx, &vaultspay.ToggleFreezeRequest{CardRef: vaultspay.CardByID(c.ID)})
	require.NoError(t, err)
	_, err = f.srv.CardPurchase(c.ID, vaultspay.MustParseAmount("1"), "")
	requireFields(t, err, "cardId")

	page, err := f.client.Transactions.List(ctx, &vaultspay.TransactionListOptions{TransactionType: vaultspay.TransactionTypePurchase})
	require.NoError(t, err)
	assert.Len(t, page.Items, 2)
	acct, err := f.client.Wallets.Get(ctx, f.account.ID)
	require.NoError(t, err)
	assert.Equal(t, "290.00", acct.Balance.StringFixed(2))
	_, err = f.client.Rules.CardSecurity(ctx, 999999)
	requireFields(t, err, "cardId")
}

// TestFakeCardsSecretsNeverLeak runs a physical card's life with a JSON slog logger and checks that
// its PAN, CVV, expiry and PIN appear in no log line, no error text and no formatted result.
func TestFakeCardsSecretsNeverLeak(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f := newCardFixture(t)
	f.client = f.srv.Client(vaultspay.WithLogger(logger))
	ctx := context.Background()
	const pin vaultspay.PIN = "739146"
	c := f.activePhysical(t, pin)
	ref := vaultspay.CardByID(c.ID)
	pan, err := f.client.Cards.PAN(ctx, ref)
	require.NoError(t, err)
	cvv, err := f.client.Cards.CVV(ctx, ref)
	require.NoError(t, err)
	expiry, err := f.client.Cards.Expiry(ctx, ref)
	require.NoError(t, err)
	details, err := f.client.Cards.Details(ctx, ref)
	require.NoError(t, err)
	wrongPAN := vaultspay.PAN(pan.Reveal()[:15] + string(rune('0'+(pan.Reveal()[15]-'0'+1)%10)))
	activation := vaultspay.ActivateCardRequest{CardRef: ref, PAN: pan, ExpiryDate: expiry}

	var texts []string
	for _, call := range []func() error{
		func() error { _, err := f.client.Cards.Activate(ctx, &activation); return err }, // already ACTIVE: the API refuses
		func() error { // fails the Luhn check: refused before sending
			_, err := f.client.Cards.Activate(ctx, &vaultspay.ActivateCardRequest{CardRef: ref, PAN: wrongPAN, ExpiryDate: expiry})
			return err
		},
		func() error {
			_, err := f.client.Cards.SetPIN(ctx, &vaultspay.SetPINRequest{CardRef: ref, PIN: pin + "12"})
			return err
		},
		func() error {
			_, err := f.client.Cards.SetPIN(ctx, &vaultspay.SetPINRequest{CardRef: vaultspay.CardByID(999999), PIN: pin})
			return err
		},
	} {
		err := call()
		require.Error(t, err)
		texts = append(texts, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
		logger.Error("card call failed", "error", err)
	}
	format := func(v any) []string {
		logger.Info("card result", "value", v)
		return []string{fmt.Sprintf("%v", v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v), fmt.Sprintf("%s", v)}
	}
	for _, v := range []any{pan, cvv, expiry, pin} { // the secrets themselves print without a digit, but the last four
		for _, s := range format(v) {
			assert.NotRegexp(t, `\d`, strings.TrimPrefix(s, "**** "+pan.Last4()), "%q", s)
			texts = append(texts, s)
		}
	}
	for _, v := range []any{details, *details, activation, &activation, vaultspay.CardPAN{PAN: pan}, vaultspay.CardCVV{CVV: cvv},
		vaultspay.CardExpiry{Expiry: expiry}, vaultspay.SetPINRequest{CardRef: ref, PIN: pin}} {
		texts = append(texts, format(v)...)
	}
	texts = append(texts, logs.String())
	all := strings.Join(texts, "\n")
	require.Contains(t, logs.String(), `"path":"/pcs/api/v1/activate-card"`, "the run was logged")
	for name, secret := range map[string]string{"PAN": pan.Reveal(), "wrong PAN": wrongPAN.Reveal(), "expiry": expiry.Reveal(),
		"PIN": pin.Reveal(), "CVV": `"` + cvv.Reveal() + `"`} {
		assert.False(t, strings.Contains(all, secret), "the %s appears in a log line, an error or a formatted value", name)
	}
}
