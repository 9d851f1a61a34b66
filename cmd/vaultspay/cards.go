package main

import (
	"context"
	"flag"

	"github.com/vaultspay-go/vaultspay"
)

func cardCommands() []command {
	return []command{
		{name: "cards get", args: "(--card-id <id> | --token <token>)", summary: "show one card; its number is masked (**** 1234)",
			setup: cardsGet},
	}
}

// cardView is the JSON of cards get: the SDK's Card (which never holds the PAN, CVV or expiry) and
// the masked number.
type cardView struct {
	*vaultspay.Card
	MaskedPAN string `json:"maskedPan,omitempty"`
}

func cardsGet(fs *flag.FlagSet) action {
	var ref vaultspay.CardRef
	fs.Var((*idValue)(&ref.ID), "card-id", "the card's `id`")
	fs.Var((*idValue)(&ref.Token), "token", "the card's `token` (the numeric surrogate of its number)")
	return func(ctx context.Context, c *cli, _ []vaultspay.ID) error {
		if (ref.ID == 0) == (ref.Token == 0) {
			return usagef("cards get: give exactly one of --card-id and --token")
		}
		card, err := c.client.Cards.Details(ctx, ref)
		if err != nil {
			return err
		}
		fields := []field{
			{"ID", card.ID.String()}, {"TOKEN", tokenText(card.Token)}, {"USER", card.UserID.String()},
			{"STATUS", string(card.Status)}, {"STATUS REASON", card.StatusReason}, {"CARD", masked(card.LastFourDigits)},
			{"TYPE", string(card.CardType)}, {"NETWORK", string(card.CardNetwork)}, {"PAYMENT TYPE", string(card.PaymentCardType)},
			{"EMBOSS NAME", card.EmbossName}, {"PIN SET", yesNo(card.PINSet)},
		}
		if a := card.Account; a != nil {
			fields = append(fields, field{"ACCOUNT", a.AccountID.String() + " " + a.CurrencyCode})
		}
		if t := card.CardTier; t != nil {
			fields = append(fields, field{"TIER", t.ID.String()})
		}
		if s := card.ThreeDSecure; s != nil {
			fields = append(fields, field{"3-D SECURE", yesNo(s.Status)})
		}
		fields = append(fields, field{"CREATED", formatTime(card.CreatedAt)}, field{"UPDATED", formatTime(card.UpdatedAt)})
		return c.printRecord(cardView{Card: card, MaskedPAN: masked(card.LastFourDigits)}, fields)
	}
}

func tokenText(t vaultspay.CardToken) string {
	if t == 0 {
		return ""
	}
	return t.String()
}
