package main

import (
	"context"
	"fmt"

	"github.com/vaultspay-go/vaultspay"
)

// issueCard issues a physical card on acct, delivered to the user's KYC address, and activates it once
// it has arrived; then it reads the card's limits and security settings. Offline, the fake's back
// office plays the card bureau and the courier; against a real environment the card is activated with
// Cards.Activate when it arrives, so this stops after submitting it.
func (s *story) issueCard(ctx context.Context, user *vaultspay.User, acct *vaultspay.Account) error {
	c := s.client
	tiers, err := c.Cards.ListTiers(ctx)
	if err != nil || len(tiers) == 0 {
		return fmt.Errorf("card tiers: %d, %v", len(tiers), err)
	}
	names, err := c.Cards.EmbossingNames(ctx, user.ID) // the name printed must be one of these
	if err != nil || len(names) == 0 {
		return fmt.Errorf("embossing names: %d, %v", len(names), err)
	}
	name := names[0]
	for _, n := range names[1:] { // the fullest name the card can carry
		if len(n) > len(name) {
			name = n
		}
	}
	home := s.home
	card, err := c.Cards.Create(ctx, &vaultspay.CreateCardRequest{CardTierID: tiers[0].ID, CustomerID: user.ID,
		AccountID: acct.ID, CardType: vaultspay.CardTypePhysical, CardHolderName: name,
		Address: &vaultspay.CardAddress{Country: home.CountryCode, State: home.StateName, City: home.CityName,
			AddressLine1: home.AddressLine1, PostalCode: home.PostalCode, Type: vaultspay.CardAddressTypeMailing}})
	if err != nil {
		return fmt.Errorf("create card: %w", err)
	}
	s.say("issued physical %s card %d (%s) for %q on account %d: %s", card.CardNetwork, card.ID, tiers[0].Title,
		card.EmbossName, acct.ID, card.Status)

	ref := vaultspay.CardByID(card.ID)
	if _, err := c.Cards.SetPIN(ctx, &vaultspay.SetPINRequest{CardRef: ref, PIN: "2580"}); err != nil {
		return fmt.Errorf("set PIN: %w", err)
	}
	processed, err := c.Cards.ProcessRequest(ctx, &vaultspay.ProcessCardRequest{CardID: card.ID})
	if err != nil {
		return fmt.Errorf("submit card: %w", err)
	}
	s.say("PIN set, card submitted for production: %s", processed.Status)

	if s.fake == nil {
		s.say("VaultsPay's card bureau now makes and ships the card; activate it with Cards.Activate when it arrives")
		return s.readRules(ctx, card.ID)
	}
	if err := s.fake.SetCardManufacturing(card.ID, vaultspay.CardManufacturingStatusManufactured); err != nil {
		return err
	}
	if err := s.fake.SetCardDelivery(card.ID, vaultspay.CardDeliveryStatusDelivered); err != nil {
		return err
	}
	s.say("back office (fake): card manufactured and delivered")

	// The holder types in the number and expiry printed on the card; here they are read through the API.
	pan, err := c.Cards.PAN(ctx, ref)
	if err != nil {
		return fmt.Errorf("read PAN: %w", err)
	}
	expiry, err := c.Cards.Expiry(ctx, ref)
	if err != nil {
		return fmt.Errorf("read expiry: %w", err)
	}
	activated, err := c.Cards.Activate(ctx, &vaultspay.ActivateCardRequest{CardRef: ref, PAN: pan, ExpiryDate: expiry})
	if err != nil {
		return fmt.Errorf("activate card: %w", err)
	}
	s.say("activated card %v (expiry %v) with the number and expiry printed on it: %s", pan, expiry, activated.Status)
	return s.readRules(ctx, card.ID)
}

// readRules prints a card's transaction limits and security settings.
func (s *story) readRules(ctx context.Context, cardID vaultspay.ID) error {
	limits, err := s.client.Rules.TransactionLimits(ctx, &vaultspay.TransactionLimitListOptions{CardID: cardID})
	if err != nil {
		return fmt.Errorf("transaction limits: %w", err)
	}
	s.say("transaction limits of card %d:", cardID)
	for _, l := range limits {
		fmt.Fprintf(s.out, "    %-8s %-15s %s %s %s (may be raised to %s)\n", l.Frequency, l.TransactionType, l.Operator,
			l.Limit, l.CurrencyCode, l.AllowedLimit)
	}
	settings, err := s.client.Rules.CardSecurity(ctx, cardID)
	if err != nil {
		return fmt.Errorf("card security: %w", err)
	}
	s.say("security settings of card %d:", cardID)
	for _, st := range settings {
		state := "off"
		if st.Enabled {
			state = "on"
		}
		fmt.Fprintf(s.out, "    %-3s %s\n", state, st.Title)
	}
	return nil
}
