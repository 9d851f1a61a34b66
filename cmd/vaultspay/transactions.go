package main

import (
	"context"
	"iter"

	"github.com/spf13/cobra"

	"github.com/vaultspay-go/vaultspay"
)

func (a *app) transactionsCommand() *cobra.Command {
	return group("transactions", "list and show transactions",
		a.transactionsList(),
		&cobra.Command{Use: "get <id>", Short: "show one transaction in detail (integer id, not the UUID)", Args: ids("id"),
			RunE: a.withIDs(func(ctx context.Context, ids []vaultspay.ID) error { return a.transactionsGet(ctx, ids[0]) })},
	)
}

func (a *app) transactionsList() *cobra.Command {
	var o vaultspay.TransactionListOptions
	cmd := &cobra.Command{Use: "list", Short: "list transactions, newest first (every page unless --page)", Args: cobra.NoArgs}
	fs := cmd.Flags()
	fs.Var((*idValue)(&o.UserID), "user-id", "only transactions of this user")
	fs.StringVar((*string)(&o.TransactionType), "transaction-type", "", "only this type: Purchase, Transfer, Deposit …")
	fs.StringVar(&o.CurrencyCode, "currency-code", "", "only this currency, e.g. AED")
	fs.StringVar(&o.TransactionID, "transaction-id", "", "only the transaction with this UUID")
	dateFlags(fs, &o.DateRange)
	pageFlags(fs, &o.ListOptions)
	cmd.RunE = a.do(func(ctx context.Context, _ []string) error {
		c, err := a.sdk()
		if err != nil {
			return err
		}
		items, err := fetchAll(ctx, a, "transactions", &o.ListOptions,
			func(ctx context.Context) (*vaultspay.Page[vaultspay.Transaction], error) {
				return c.Transactions.List(ctx, &o)
			},
			func(ctx context.Context, opts ...vaultspay.RequestOption) iter.Seq2[vaultspay.Transaction, error] {
				return c.Transactions.ListIter(ctx, &o, opts...)
			})
		if err != nil {
			return err
		}
		rows := make([][]string, len(items))
		for i, t := range items {
			card := ""
			if t.Card != nil {
				card = masked(t.Card.LastFourDigits)
			}
			rows[i] = []string{t.ID.String(), formatTime(&t.DateTime), string(t.TransactionType), string(t.Status),
				money(t.BillingAmount), card, t.Narration}
		}
		return a.printList(items, []string{"ID", "DATE", "TYPE", "STATUS", "AMOUNT", "CARD", "NARRATION"}, rows)
	})
	return cmd
}

func (a *app) transactionsGet(ctx context.Context, id vaultspay.ID) error {
	c, err := a.sdk()
	if err != nil {
		return err
	}
	t, err := c.Transactions.Get(ctx, id)
	if err != nil {
		return err
	}
	fields := []field{
		{"ID", t.ID.String()}, {"TRANSACTION ID", t.TransactionID}, {"TYPE", string(t.TransactionType)},
		{"STATUS", string(t.Status)}, {"API STATUS", string(t.APIStatus)}, {"DATE", formatTime(&t.DateTime)},
		{"BILLING AMOUNT", money(t.BillingAmount)}, {"TRANSACTION AMOUNT", money(t.TransactionAmount)},
		{"TOTAL CHARGES", charges(t)}, {"NARRATION", t.Narration},
	}
	if t.Card != nil {
		fields = append(fields, field{"CARD", masked(t.Card.LastFourDigits) + " " + string(t.Card.CardType)})
	}
	for _, s := range []struct {
		label string
		acct  *vaultspay.AccountSummary
	}{{"SENDER", t.SenderAccount}, {"RECEIVER", t.ReceiverAccount}} {
		if s.acct != nil {
			fields = append(fields, field{s.label, s.acct.ID.String() + " " + s.acct.AccountTitle + " " + s.acct.AccountNumber})
		}
	}
	if m := t.Merchant; m != nil {
		fields = append(fields, field{"MERCHANT", m.Name + " (MCC " + m.MCC + ") " + m.City + " " + m.CountryCode})
	}
	return a.printRecord(t, fields)
}

// charges prints a transaction's total charges, in its billing currency.
func charges(t *vaultspay.Transaction) string {
	code := ""
	if t.BillingAmount != nil {
		code = t.BillingAmount.CurrencyCode
	}
	return formatMoney(t.TotalCharges, code, -1)
}
