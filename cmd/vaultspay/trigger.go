package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/internal/fakeserve"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// Events trigger makes the fake send.
const (
	triggerCardStatus       = "card.status"
	triggerTransferSuccess  = "transfer.success"
	triggerTransferReversed = "transfer.reversed"
)

// fakeClockMargin is how far past the settle delay trigger moves the fake's clock.
const fakeClockMargin = time.Second

// triggerResult is what trigger prints.
type triggerResult struct {
	Event      string       `json:"event"`
	Done       string       `json:"done"`
	CardID     vaultspay.ID `json:"cardId,omitempty"`
	TransferID vaultspay.ID `json:"transferId,omitempty"`
	Created    string       `json:"created,omitempty"`
}

func (a *app) triggerCommand() *cobra.Command {
	var cardID, accountID, contactID vaultspay.ID
	cmd := &cobra.Command{Use: "trigger <event>", Short: "make the fake send a webhook: card.status, transfer.success or transfer.reversed",
		Long: `Makes the fake at VAULTSPAY_BASE_URL send one webhook, by a real state change through the API:

  card.status         freezes an ACTIVE card (or unfreezes a frozen one): card.status.freeze / .active
  transfer.success    sends 1.00 and moves the fake's clock past settlement: TRANSACTION_PERFORMED SUCCESS
                      (any other pending transfer settles too, each with its own event)
  transfer.reversed   sends 1.00 and has the back office reverse it: TRANSACTION_PERFORMED REVERSED

Without --card-id (or --account-id and --contact-id) it first creates what it needs: a verified
user, a funded account, a payment contact, a virtual card. Register a receiver first:
vaultspay webhooks listen --fake.`,
		Args: cobra.ExactArgs(1), ValidArgs: []string{triggerCardStatus, triggerTransferSuccess, triggerTransferReversed}}
	fs := cmd.Flags()
	fs.Var((*idValue)(&cardID), "card-id", "card.status: the card to freeze or unfreeze")
	fs.Var((*idValue)(&accountID), "account-id", "transfer.*: the funded account to send from")
	fs.Var((*idValue)(&contactID), "contact-id", "transfer.*: the payment contact to send to")
	cmd.RunE = a.do(func(ctx context.Context, args []string) error {
		event := args[0]
		switch event {
		case triggerCardStatus, triggerTransferSuccess, triggerTransferReversed:
		default:
			return usagef("trigger: unknown event %q: want %s, %s or %s", event, triggerCardStatus, triggerTransferSuccess, triggerTransferReversed)
		}
		if (accountID == 0) != (contactID == 0) {
			return usagef("trigger: give both --account-id and --contact-id, or neither")
		}
		ctl, err := a.fakeControl()
		if err != nil {
			return err
		}
		c, err := a.sdk()
		if err != nil {
			return err
		}
		f := &fakeserve.Fixtures{Client: c, Control: ctl}
		var res *triggerResult
		if event == triggerCardStatus {
			res, err = a.triggerCard(ctx, f, cardID)
		} else {
			res, err = a.triggerTransfer(ctx, f, event, accountID, contactID)
		}
		if err != nil {
			return a.notFake(err)
		}
		return a.printRecord(res, []field{{"EVENT", res.Event}, {"DONE", res.Done}, {"CREATED", res.Created}})
	})
	return cmd
}

// triggerUser creates a verified user with a funded account.
func triggerUser(ctx context.Context, f *fakeserve.Fixtures) (*vaultspay.User, *vaultspay.Account, error) {
	u, _, err := f.VerifiedUser(ctx, "Trigger", "Fixture")
	if err != nil {
		return nil, nil, err
	}
	acct, err := f.FundedAccount(ctx, u.ID, vaultspay.MustParseAmount("100.00"))
	if err != nil {
		return nil, nil, err
	}
	return u, acct, nil
}

func (a *app) triggerCard(ctx context.Context, f *fakeserve.Fixtures, cardID vaultspay.ID) (*triggerResult, error) {
	res := &triggerResult{Event: triggerCardStatus}
	if cardID == 0 {
		u, acct, err := triggerUser(ctx, f)
		if err != nil {
			return nil, err
		}
		card, err := f.Card(ctx, u.ID, acct.ID, vaultspay.CardTypeVirtual, nil)
		if err != nil {
			return nil, err
		}
		cardID = card.ID
		res.Created = fmt.Sprintf("user %s, account %s, virtual card %s", u.ID, acct.ID, card.ID)
	}
	ref := vaultspay.CardByID(cardID)
	card, err := f.Client.Cards.Details(ctx, ref)
	if err != nil {
		return nil, err
	}
	if card.Status != vaultspay.CardStatusActive && card.Status != vaultspay.CardStatusFreeze {
		return nil, usagef("trigger card.status: card %s is %s; only an ACTIVE or FREEZE card can be toggled", cardID, card.Status)
	}
	reason := "vaultspay trigger"
	u, err := f.Client.Cards.ToggleFreeze(ctx, &vaultspay.ToggleFreezeRequest{CardRef: ref, StatusReason: &reason})
	if err != nil {
		return nil, err
	}
	res.CardID = cardID
	res.Done = fmt.Sprintf("card %s: %s → %s", cardID, card.Status, u.Status)
	return res, nil
}

func (a *app) triggerTransfer(ctx context.Context, f *fakeserve.Fixtures, event string, accountID, contactID vaultspay.ID) (*triggerResult, error) {
	res := &triggerResult{Event: event}
	var acct *vaultspay.Account
	if accountID == 0 {
		u, ac, err := triggerUser(ctx, f)
		if err != nil {
			return nil, err
		}
		contact, err := f.Contact(ctx, "Trigger contact", fakeserve.NewTestIBAN())
		if err != nil {
			return nil, err
		}
		acct, contactID = ac, contact.ID
		res.Created = fmt.Sprintf("user %s, account %s, payment contact %s", u.ID, ac.ID, contact.ID)
	} else {
		var err error
		if acct, err = f.Client.Wallets.Get(ctx, accountID); err != nil {
			return nil, err
		}
	}
	amount := vaultspay.MustParseAmount("1.00")
	tr, err := f.Transfer(ctx, acct, contactID, amount, "Trigger")
	if err != nil {
		return nil, err
	}
	res.TransferID = tr.ID
	what := fmt.Sprintf("sent %s from account %s to contact %s (transfer %s)", formatMoney(amount, acct.CurrencyCode, -1), acct.ID, contactID, tr.ID)
	if event == triggerTransferSuccess {
		if err := f.Control.Advance(ctx, vaultspaytest.SettleDelay+fakeClockMargin); err != nil {
			return nil, err
		}
		res.Done = what + ", then moved the fake's clock past settlement"
		return res, nil
	}
	if err := f.Control.ReverseTransfer(ctx, tr.ID); err != nil {
		return nil, err
	}
	res.Done = what + ", then had the back office reverse it"
	return res, nil
}
