package main

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// issueCLICard makes a user, an AED account and a card of type typ in srv through the SDK, and returns
// the card with its PAN and expiry, which the CLI must never print. (Its CVV is three digits, which may
// occur by chance in an id or token; the CLI never asks for it, and the JSON output has no such field.)
func issueCLICard(t *testing.T, srv *vaultspaytest.Server, typ vaultspay.CardType) (*vaultspay.Card, []string) {
	t.Helper()
	ctx, c := context.Background(), srv.Client()
	user, err := c.Users.Create(ctx, &vaultspay.CreateUserRequest{FirstName: "John", LastName: "Mock-Doe",
		Email: "john@example.com", Status: vaultspay.UserStatusActive})
	require.NoError(t, err)
	acct, err := c.Wallets.Create(ctx, &vaultspay.CreateAccountRequest{UserID: user.ID, CurrencyID: 2, AccountType: vaultspay.AccountTypeDigital})
	require.NoError(t, err)
	req := &vaultspay.CreateCardRequest{CardTierID: vaultspaytest.CardTierDebit, CustomerID: user.ID, AccountID: acct.ID,
		CardType: typ, CardHolderName: "JOHN MOCK-DOE"}
	if typ == vaultspay.CardTypePhysical {
		req.Address = &vaultspay.CardAddress{Country: "ARE", State: "Dubai", City: "Dubai", AddressLine1: "1 Sheikh Zayed Road",
			PostalCode: "00000", Type: vaultspay.CardAddressTypeMailing}
	}
	card, err := c.Cards.Create(ctx, req)
	require.NoError(t, err)
	ref := vaultspay.CardByID(card.ID)
	pan, err := c.Cards.PAN(ctx, ref)
	require.NoError(t, err)
	expiry, err := c.Cards.Expiry(ctx, ref)
	require.NoError(t, err)
	return card, []string{pan.Reveal(), expiry.Reveal()}
}

func TestCLICardsGet(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)
	card, cardData := issueCLICard(t, srv, vaultspay.CardTypeVirtual)
	secrets := append([]string{srv.ClientSecret()}, cardData...)

	res := runCLI(t, srv, "cards", "details", card.ID.String())
	require.Equal(t, exitOK, res.code, res.stderr)
	assertNoSecrets(t, res, secrets...)
	f := recordFields(t, res.stdout)
	assert.Equal(t, card.ID.String(), f["ID"])
	assert.Equal(t, card.Token.String(), f["TOKEN"])
	assert.Equal(t, "ACTIVE", f["STATUS"])
	assert.Equal(t, "**** "+card.LastFourDigits, f["CARD"])
	assert.Equal(t, "VIRTUAL", f["TYPE"])
	assert.Equal(t, "MASTERCARD", f["NETWORK"])
	assert.Equal(t, "DEBIT", f["PAYMENT TYPE"])
	assert.Equal(t, "JOHN MOCK-DOE", f["EMBOSS NAME"])
	assert.Equal(t, card.Account.AccountID.String()+" AED", f["ACCOUNT"])
	assert.Equal(t, "no", f["PIN SET"])
	assert.Equal(t, "67", f["TIER"])
	assert.NotEmpty(t, f["CREATED"])

	res = runCLI(t, srv, "cards", "get", "--token", card.Token.String(), "--output", "json")
	assertNoSecrets(t, res, secrets...)
	got := decodeJSON[map[string]any](t, res)
	assert.Equal(t, "**** "+card.LastFourDigits, got["maskedPan"])
	assert.EqualValues(t, card.ID, got["id"])
	assert.EqualValues(t, card.Token, got["token"])
	assert.Equal(t, card.LastFourDigits, got["lastFourDigit"])
	assert.NotContains(t, got, "pan")
	assert.NotContains(t, got, "cvv")

	res = runCLI(t, srv, "cards", "details", "999")
	assert.Equal(t, exitAPI, res.code)
	assert.Contains(t, res.stderr, "cardId: Card does not exist with this id")
	assert.Empty(t, res.stdout)

	assert.Equal(t, 3, srv.CountRequests(http.MethodPost, "/pcs/api/v1/cards/details"))
}

// TestCLICardsGetPhysical: a physical card in production shows whether its PIN is set and its status
// as the card API reports them, and still no card data.
func TestCLICardsGetPhysical(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)
	card, cardData := issueCLICard(t, srv, vaultspay.CardTypePhysical)
	ctx, c := context.Background(), srv.Client()
	_, err := c.Cards.SetPIN(ctx, &vaultspay.SetPINRequest{CardRef: vaultspay.CardByID(card.ID), PIN: "2580"})
	require.NoError(t, err)
	_, err = c.Cards.ProcessRequest(ctx, &vaultspay.ProcessCardRequest{CardID: card.ID})
	require.NoError(t, err)

	res := runCLI(t, srv, "cards", "details", card.ID.String())
	require.Equal(t, exitOK, res.code, res.stderr)
	assertNoSecrets(t, res, cardData...)
	f := recordFields(t, res.stdout)
	assert.Equal(t, "PHYSICAL", f["TYPE"])
	assert.Equal(t, "ISSUANCE_IN_PROGRESS", f["STATUS"])
	assert.Equal(t, "yes", f["PIN SET"])
}
