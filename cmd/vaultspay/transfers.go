package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vaultspay-go/vaultspay"
)

func (a *app) transfersCommand() *cobra.Command {
	return group("transfers", "check IBANs, save payment contacts, send money",
		a.transfersValidateIBAN(),
		group("contacts", "payment contacts (the API cannot list them)", a.contactsCreate()),
		a.transfersSend())
}

// optString is a string flag that is nil until given, for the API's nullable accountTitle.
type optString struct{ p **string }

func (o optString) String() string {
	if o.p == nil || *o.p == nil {
		return ""
	}
	return **o.p
}
func (o optString) Type() string { return "string" }
func (o optString) Set(s string) error {
	*o.p = &s
	return nil
}

func bankFields(d vaultspay.BankDetails) []field {
	return []field{{"IBAN", d.IBAN}, {"BANK", d.BankName}, {"BANK CODE", d.BankCode}, {"SWIFT", d.SwiftCode}, {"ACCOUNT TITLE", d.AccountTitle}}
}

func (a *app) transfersValidateIBAN() *cobra.Command {
	var r vaultspay.ValidateIBANRequest
	cmd := &cobra.Command{Use: "validate-iban <iban>", Short: "check an IBAN and look up its bank and account title", Args: cobra.ExactArgs(1)}
	cmd.Flags().Var(optString{&r.AccountTitle}, "account-title", "the account's title, when the bank returns none")
	cmd.RunE = a.do(func(ctx context.Context, args []string) error {
		r.IBAN = args[0]
		c, err := a.sdk()
		if err != nil {
			return err
		}
		v, err := c.Transfers.ValidateIBAN(ctx, &r)
		if err != nil {
			return err
		}
		return a.printRecord(v, append([]field{{"VALID", yesNo(v.Valid)}}, bankFields(v.Details)...))
	})
	return cmd
}

func (a *app) contactsCreate() *cobra.Command {
	var r vaultspay.CreateContactRequest
	cmd := &cobra.Command{Use: "create", Short: "save an IBAN as a payment contact", Args: cobra.NoArgs}
	fs := cmd.Flags()
	fs.StringVar(&r.Title, "title", "", "your label for the contact (required)")
	fs.StringVar(&r.IBAN, "iban", "", "the contact's IBAN (required)")
	fs.Var(optString{&r.AccountTitle}, "account-title", "the account's title, when the bank returns none")
	cmd.RunE = a.do(func(ctx context.Context, _ []string) error {
		c, err := a.sdk()
		if err != nil {
			return err
		}
		p, err := c.Transfers.CreateContact(ctx, &r)
		if err != nil {
			return err
		}
		return a.printRecord(p, append([]field{{"ID", p.ID.String()}, {"TITLE", p.Title}}, bankFields(p.Details)...))
	})
	return cmd
}

// transferView is what transfers send prints: the API's answer with the amount in major units.
type transferView struct {
	*vaultspay.Transfer
	AmountMajor string `json:"amountMajor"`
}

func (a *app) transfersSend() *cobra.Command {
	var (
		r           vaultspay.SendTransferRequest
		amount, cur string
		yes         bool
	)
	cmd := &cobra.Command{Use: "send", Short: "send money from an account to a payment contact (asks first; --yes to skip)",
		Args: cobra.NoArgs, Long: `Sends money from an account to a payment contact.

It shows what will move and asks on a terminal; elsewhere it needs --yes. It never sends twice: when
the outcome is unknown (a timeout, a cut connection, a 5xx), it looks for the transfer among recent
transactions (FindSent, matching account, amount and description) and says what it found. Keep a
unique marker in --description: by default one is generated.`}
	fs := cmd.Flags()
	fs.Var((*idValue)(&r.SenderAccountID), "from", "the sending account's id (required)")
	fs.Var((*idValue)(&r.PaymentContactID), "to", "the payment contact's id (required)")
	fs.StringVar(&amount, "amount", "", `amount in major units, e.g. 25.00 (required)`)
	fs.StringVar(&cur, "currency", "", "currency code (default: the account's)")
	fs.StringVar((*string)(&r.Purpose), "purpose", string(vaultspay.PurposePersonal), "purpose code, e.g. RENT, PERSONAL, FAMILY_SUPPORT")
	fs.StringVar(&r.Description, "description", "", `letters, digits and spaces (default: "Transfer <unique reference>")`)
	fs.BoolVarP(&yes, "yes", "y", false, "send without asking")
	cmd.RunE = a.do(func(ctx context.Context, _ []string) error {
		if amount == "" {
			return usagef("transfers send: --amount is required")
		}
		amt, err := vaultspay.ParseAmount(amount)
		if err != nil {
			return usagef("transfers send: --amount: %v", err)
		}
		r.Amount = amt
		if r.Description == "" {
			r.Description = "Transfer " + vaultspay.NewTransferReference()
		}
		r.CurrencyCode = strings.ToUpper(cur)
		c, err := a.sdk()
		if err != nil {
			return err
		}
		check := func(ctx context.Context, dry *vaultspay.Client) error {
			_, err := dry.Transfers.Send(ctx, &r)
			return err
		}
		if err := a.validate(check); err != nil { // before any I/O
			return err
		}
		acct, err := c.Wallets.Get(ctx, r.SenderAccountID)
		if err != nil {
			return fmt.Errorf("reading the sending account: %w", err)
		}
		if r.CurrencyCode == "" {
			r.CurrencyCode = acct.CurrencyCode
			if err := a.validate(check); err != nil { // the amount's decimals against the currency
				return err
			}
		}
		fmt.Fprintf(a.stderr, "About to send %s\n  from account %s %q (balance %s)\n  to payment contact %s\n  purpose %s, description %q\n",
			formatMoney(r.Amount, r.CurrencyCode, -1), acct.ID, acct.AccountTitle, accountMoney(acct.Balance, acct),
			r.PaymentContactID, r.Purpose, r.Description)
		if !yes {
			if !a.interactive() {
				return usagef("transfers send: not on a terminal, so nothing to ask: pass --yes to send")
			}
			ok, err := a.confirm("Send it?")
			if err != nil {
				return err
			}
			if !ok {
				return errors.New("not confirmed: nothing sent")
			}
		}
		tr, err := c.Transfers.Send(ctx, &r)
		var unknown *vaultspay.TransferUnknownError
		if errors.As(err, &unknown) {
			return a.reconcile(unknown)
		}
		if err != nil {
			return err
		}
		view := transferView{Transfer: tr}
		major, merr := tr.Amount.Major(vaultspay.CurrencyExponent(tr.CurrencyCode))
		shown := tr.Amount.String() + " minor units " + tr.CurrencyCode
		if merr == nil {
			view.AmountMajor = major.StringFixed(vaultspay.CurrencyExponent(tr.CurrencyCode))
			shown = formatMoney(major, tr.CurrencyCode, -1)
		}
		return a.printRecord(view, []field{{"ID", tr.ID.String()}, {"TRANSACTION ID", tr.TransactionID}, {"AMOUNT", shown},
			{"STATUS", string(tr.Status)}, {"NARRATION", tr.Narration}})
	})
	return cmd
}

// reconcile runs after a transfer whose outcome is unknown: it looks for it among recent transactions
// (with a fresh --timeout, the first may be spent) and says what it found. It never sends again. It
// returns nil when the transfer was found (it landed), else an error (exit 1).
func (a *app) reconcile(unknown *vaultspay.TransferUnknownError) error {
	c, err := a.sdk()
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "The transfer's outcome is unknown (%v).\nIt is not sent again. Looking for it among recent transactions…\n", unknown.Err)
	ctx := context.Background()
	if a.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, a.timeout)
		defer cancel()
	}
	found, err := c.Transfers.FindSent(ctx, unknown.Match())
	if err != nil {
		return fmt.Errorf("the transfer's outcome is unknown and looking for it failed (%v); check with "+
			"`vaultspay transactions list --transaction-type Transfer` before sending again: %w", err, unknown)
	}
	if len(found) == 0 {
		return fmt.Errorf("the transfer is not among recent transactions now, which does not prove it never will be: "+
			"check `vaultspay transactions list --transaction-type Transfer` later, or wait for its webhook, before sending again: %w", unknown)
	}
	fmt.Fprintf(a.stderr, "It landed: %d matching transaction(s); do not send it again.\n", len(found))
	rows := make([][]string, len(found))
	for i, t := range found {
		rows[i] = []string{t.ID.String(), t.TransactionID, formatTime(&t.DateTime), string(t.Status), money(t.BillingAmount), t.Narration}
	}
	return a.printList(found, []string{"ID", "TRANSACTION ID", "DATE", "STATUS", "AMOUNT", "NARRATION"}, rows)
}
