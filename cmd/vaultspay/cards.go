package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/internal/fakeserve"
)

func (a *app) cardsCommand() *cobra.Command {
	details := a.cardsDetails("details [<cardId>]", "show one card; its number only as **** 1234 unless --reveal")
	get := a.cardsDetails("get [<cardId>]", "the same as details")
	get.Hidden = true
	return group("cards", "issue cards, show them, freeze, block, activate, set the PIN",
		a.cardsCreate(), details, get,
		a.cardsStatus("freeze", "freeze an ACTIVE card (a frozen one is left as it is)", vaultspay.CardStatusFreeze),
		a.cardsStatus("unfreeze", "unfreeze a FROZEN card (an ACTIVE one is left as it is)", vaultspay.CardStatusActive),
		a.cardsBlock(), a.cardsActivate(), a.cardsSetPIN())
}

// cardRef is a card named by a positional id or by --token.
type cardRef struct{ token vaultspay.ID }

func (r *cardRef) register(fs *pflag.FlagSet) {
	fs.Var((*idValue)(&r.token), "token", "name the card by its token (the numeric surrogate of its number) instead of its id")
}

// ref returns the card named by args or --token: exactly one of them.
func (r *cardRef) ref(cmd string, args []string) (vaultspay.CardRef, error) {
	switch {
	case len(args) == 1 && r.token == 0:
		id, err := parseID(args[0])
		if err != nil {
			return vaultspay.CardRef{}, usagef("%s: cardId: %v", cmd, err)
		}
		return vaultspay.CardByID(id), nil
	case len(args) == 0 && r.token != 0:
		return vaultspay.CardByToken(vaultspay.CardToken(r.token)), nil
	}
	return vaultspay.CardRef{}, usagef("%s: give exactly one of <cardId> and --token", cmd)
}

// cardView is the JSON of cards details: the SDK's Card (which never holds the PAN, CVV or expiry),
// the masked number and, with --reveal only, the card data.
type cardView struct {
	*vaultspay.Card
	MaskedPAN string `json:"maskedPan,omitempty"`
	PAN       string `json:"pan,omitempty"`
	CVV       string `json:"cvv,omitempty"`
	Expiry    string `json:"expiry,omitempty"`
}

func (a *app) cardsDetails(use, short string) *cobra.Command {
	var r cardRef
	var reveal bool
	cmd := &cobra.Command{Use: use, Short: short, Args: cobra.MaximumNArgs(1)}
	r.register(cmd.Flags())
	cmd.Flags().BoolVar(&reveal, "reveal", false, "also read and print the full card number, CVV and expiry (they land in your terminal's scrollback)")
	cmd.RunE = a.do(func(ctx context.Context, args []string) error {
		ref, err := r.ref("cards details", args)
		if err != nil {
			return err
		}
		c, err := a.sdk()
		if err != nil {
			return err
		}
		card, err := c.Cards.Details(ctx, ref)
		if err != nil {
			return err
		}
		view := cardView{Card: card, MaskedPAN: masked(card.LastFourDigits)}
		if reveal {
			pan, err := c.Cards.PAN(ctx, ref)
			if err != nil {
				return err
			}
			cvv, err := c.Cards.CVV(ctx, ref)
			if err != nil {
				return err
			}
			exp, err := c.Cards.Expiry(ctx, ref)
			if err != nil {
				return err
			}
			view.PAN, view.CVV, view.Expiry = pan.Reveal(), cvv.Reveal(), exp.Reveal()
		}
		return a.printRecord(view, cardFields(&view))
	})
	return cmd
}

func cardFields(v *cardView) []field {
	card := v.Card
	number := v.MaskedPAN
	if v.PAN != "" {
		number = v.PAN
	}
	fields := []field{
		{"ID", card.ID.String()}, {"TOKEN", tokenText(card.Token)}, {"USER", card.UserID.String()},
		{"STATUS", string(card.Status)}, {"STATUS REASON", card.StatusReason}, {"CARD", number},
	}
	if v.PAN != "" {
		fields = append(fields, field{"CVV", v.CVV}, field{"EXPIRY", v.Expiry})
	}
	fields = append(fields, field{"TYPE", string(card.CardType)}, field{"NETWORK", string(card.CardNetwork)},
		field{"PAYMENT TYPE", string(card.PaymentCardType)}, field{"EMBOSS NAME", card.EmbossName}, field{"PIN SET", yesNo(card.PINSet)})
	if ac := card.Account; ac != nil {
		fields = append(fields, field{"ACCOUNT", ac.AccountID.String() + " " + ac.CurrencyCode})
	}
	if t := card.CardTier; t != nil {
		fields = append(fields, field{"TIER", t.ID.String()})
	}
	if s := card.ThreeDSecure; s != nil {
		fields = append(fields, field{"3-D SECURE", yesNo(s.Status)})
	}
	return append(fields, field{"CREATED", formatTime(card.CreatedAt)}, field{"UPDATED", formatTime(card.UpdatedAt)})
}

func tokenText(t vaultspay.CardToken) string {
	if t == 0 {
		return ""
	}
	return t.String()
}

func (a *app) cardsCreate() *cobra.Command {
	var (
		userID, accountID, tierID vaultspay.ID
		cardType, name            string
	)
	cmd := &cobra.Command{Use: "create", Short: "issue a virtual or physical card on an account", Args: cobra.NoArgs,
		Long: "Issues a card. Unless given, the tier is the first the API lists, the name the fullest of the user's\n" +
			"embossing names and, for a physical card, the mailing address the user's first KYC address."}
	fs := cmd.Flags()
	fs.Var((*idValue)(&userID), "user-id", "the card holder, KYC-verified (required)")
	fs.Var((*idValue)(&accountID), "account-id", "the funding account (required)")
	fs.StringVar(&cardType, "type", "virtual", "virtual or physical")
	fs.Var((*idValue)(&tierID), "tier-id", "card tier (default: the first listed)")
	fs.StringVar(&name, "name", "", "name on the card, one of the user's embossing names (default: the fullest)")
	cmd.RunE = a.do(func(ctx context.Context, _ []string) error {
		t := vaultspay.CardType(strings.ToUpper(cardType))
		if t != vaultspay.CardTypeVirtual && t != vaultspay.CardTypePhysical {
			return usagef("cards create: --type %q is neither virtual nor physical", cardType)
		}
		if userID == 0 {
			return usagef("cards create: --user-id is required")
		}
		c, err := a.sdk()
		if err != nil {
			return err
		}
		var home *vaultspay.Address
		if t == vaultspay.CardTypePhysical {
			k, err := c.KYC.Get(ctx, userID)
			if err != nil {
				return err
			}
			if len(k.Addresses) == 0 {
				return usagef("cards create: user %s has no KYC address to mail a physical card to (kyc address)", userID)
			}
			home = &k.Addresses[0]
		}
		req, err := fakeserve.NewCardRequest(ctx, c, userID, accountID, t, home)
		if err != nil {
			return err
		}
		if tierID != 0 {
			req.CardTierID = tierID
		}
		if name != "" {
			req.CardHolderName = name
		}
		card, err := c.Cards.Create(ctx, req)
		if err != nil {
			return err
		}
		view := cardView{Card: card, MaskedPAN: masked(card.LastFourDigits)}
		return a.printRecord(view, cardFields(&view))
	})
	return cmd
}

// printCardUpdate prints what a card write answered.
func (a *app) printCardUpdate(u *vaultspay.CardUpdate) error {
	fields := []field{{"CARD", u.CardID.String()}, {"STATUS", string(u.Status)}, {"STATUS REASON", u.StatusReason}}
	if u.PINSet != nil {
		fields = append(fields, field{"PIN SET", yesNo(*u.PINSet)})
	}
	return a.printRecord(u, fields)
}

// cardCommand is a command on one card, named by <cardId> or --token: flags adds its own flags, fn
// does the work with the SDK client.
func (a *app) cardCommand(use, short string, flags func(fs *pflag.FlagSet),
	fn func(ctx context.Context, c *vaultspay.Client, ref vaultspay.CardRef) error) *cobra.Command {
	var r cardRef
	cmd := &cobra.Command{Use: use + " [<cardId>]", Short: short, Args: cobra.MaximumNArgs(1)}
	r.register(cmd.Flags())
	flags(cmd.Flags())
	cmd.RunE = a.do(func(ctx context.Context, args []string) error {
		ref, err := r.ref("cards "+use, args)
		if err != nil {
			return err
		}
		c, err := a.sdk()
		if err != nil {
			return err
		}
		return fn(ctx, c, ref)
	})
	return cmd
}

// cardsStatus is freeze (want FREEZE) or unfreeze (want ACTIVE). The API only toggles, so the card is
// read first: a card already in the wanted status is left alone, which makes both commands safe to
// repeat (a toggle sent twice would flip the card back).
func (a *app) cardsStatus(verb, short string, want vaultspay.CardStatus) *cobra.Command {
	var reason string
	return a.cardCommand(verb, short, func(fs *pflag.FlagSet) {
		fs.StringVar(&reason, "reason", "", "status reason recorded with the change")
	}, func(ctx context.Context, c *vaultspay.Client, ref vaultspay.CardRef) error {
		card, err := c.Cards.Details(ctx, ref)
		if err != nil {
			return err
		}
		from := vaultspay.CardStatusActive
		if want == vaultspay.CardStatusActive {
			from = vaultspay.CardStatusFreeze
		}
		switch card.Status {
		case want:
			fmt.Fprintf(a.stderr, "card %s is already %s: nothing sent\n", card.ID, want)
			view := cardView{Card: card, MaskedPAN: masked(card.LastFourDigits)}
			return a.printRecord(view, cardFields(&view))
		case from:
		default:
			return usagef("cards %s: card %s is %s; only a %s card can be %sd", verb, card.ID, card.Status, from, verb)
		}
		req := &vaultspay.ToggleFreezeRequest{CardRef: ref}
		if reason != "" {
			req.StatusReason = &reason
		}
		u, err := c.Cards.ToggleFreeze(ctx, req)
		if err != nil {
			return err
		}
		return a.printCardUpdate(u)
	})
}

func (a *app) cardsBlock() *cobra.Command {
	var reason string
	return a.cardCommand("block", "block a card (the API requires a --reason)", func(fs *pflag.FlagSet) {
		fs.StringVar(&reason, "reason", "", "why the card is blocked (required by the API)")
	}, func(ctx context.Context, c *vaultspay.Client, ref vaultspay.CardRef) error {
		u, err := c.Cards.UpdateStatus(ctx, &vaultspay.UpdateCardStatusRequest{CardRef: ref, StatusReason: reason, CardStatus: vaultspay.CardStatusBlock})
		if err != nil {
			return err
		}
		return a.printCardUpdate(u)
	})
}

func (a *app) cardsActivate() *cobra.Command {
	var fromStdin bool
	cmd := a.cardCommand("activate", "activate a delivered physical card with the number and expiry printed on it", func(fs *pflag.FlagSet) {
		fs.BoolVar(&fromStdin, "stdin", false, "read the card number and expiry from standard input, one per line")
	}, func(ctx context.Context, c *vaultspay.Client, ref vaultspay.CardRef) error {
		in, err := a.secretInput("--stdin", fromStdin, "Card number", "Expiry (MM/YY)")
		if err != nil {
			return err
		}
		u, err := c.Cards.Activate(ctx, &vaultspay.ActivateCardRequest{CardRef: ref, PAN: vaultspay.PAN(in[0]), ExpiryDate: vaultspay.Expiry(in[1])})
		if err != nil {
			return err
		}
		return a.printCardUpdate(u)
	})
	cmd.Long = "Activates a physical card. The card number and expiry (MM/YY) are typed on the terminal without echo, or\n" +
		"piped in with --stdin, one per line; they are never flags (command lines show in ps and shell history)."
	return cmd
}

func (a *app) cardsSetPIN() *cobra.Command {
	var fromStdin bool
	return a.cardCommand("set-pin", "set a card's PIN, typed twice without echo (or piped with --stdin), never a flag", func(fs *pflag.FlagSet) {
		fs.BoolVar(&fromStdin, "stdin", false, "read the PIN from the first line of standard input")
	}, func(ctx context.Context, c *vaultspay.Client, ref vaultspay.CardRef) error {
		prompts := []string{"New PIN", "Repeat the PIN"}
		if fromStdin {
			prompts = prompts[:1]
		}
		in, err := a.secretInput("--stdin", fromStdin, prompts...)
		if err != nil {
			return err
		}
		if len(in) == 2 && in[0] != in[1] {
			return usagef("cards set-pin: the two PINs differ; nothing sent")
		}
		u, err := c.Cards.SetPIN(ctx, &vaultspay.SetPINRequest{CardRef: ref, PIN: vaultspay.PIN(in[0])})
		if err != nil {
			return err
		}
		return a.printCardUpdate(u)
	})
}
