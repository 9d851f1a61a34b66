package main

import (
	"context"
	"flag"
	"iter"

	"github.com/vaultspay-go/vaultspay"
)

func transactionCommands() []command {
	return []command{
		{name: "transactions list", summary: "list transactions, newest first (every page unless --page)", setup: transactionsList},
		{name: "transactions get", args: "<id>", nargs: 1, summary: "show one transaction in detail (integer id, not the UUID)", setup: transactionsGet},
	}
}

func transactionsList(fs *flag.FlagSet) action {
	var o vaultspay.TransactionListOptions
	fs.Var((*idValue)(&o.UserID), "user-id", "only transactions of user `id`")
	fs.StringVar((*string)(&o.TransactionType), "transaction-type", "", "only this `type`: Purchase, Transfer, Deposit …")
	fs.StringVar(&o.CurrencyCode, "currency-code", "", "only this `currency`, e.g. AED")
	fs.StringVar(&o.TransactionID, "transaction-id", "", "only the transaction with this `uuid`")
	dateFlags(fs, &o.DateRange)
	pageFlags(fs, &o.ListOptions)
	return func(ctx context.Context, c *cli, _ []vaultspay.ID) error {
		items, err := fetchAll(ctx, c, "transactions", &o.ListOptions,
			func(ctx context.Context) (*vaultspay.Page[vaultspay.Transaction], error) {
				return c.client.Transactions.List(ctx, &o)
			},
			func(ctx context.Context) iter.Seq2[vaultspay.Transaction, error] {
				return c.client.Transactions.ListIter(ctx, &o)
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
		return c.printList(items, []string{"ID", "DATE", "TYPE", "STATUS", "AMOUNT", "CARD", "NARRATION"}, rows)
	}
}

func transactionsGet(*flag.FlagSet) action {
	return func(ctx context.Context, c *cli, ids []vaultspay.ID) error {
		id := ids[0]
		t, err := c.client.Transactions.Get(ctx, id)
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
		for _, a := range []struct {
			label string
			acct  *vaultspay.AccountSummary
		}{{"SENDER", t.SenderAccount}, {"RECEIVER", t.ReceiverAccount}} {
			if a.acct != nil {
				fields = append(fields, field{a.label, a.acct.ID.String() + " " + a.acct.AccountTitle + " " + a.acct.AccountNumber})
			}
		}
		if m := t.Merchant; m != nil {
			fields = append(fields, field{"MERCHANT", m.Name + " (MCC " + m.MCC + ") " + m.City + " " + m.CountryCode})
		}
		return c.printRecord(t, fields)
	}
}

// money prints an amount with its currency's decimals and code, or "" for none.
func money(m *vaultspay.MoneyAmount) string {
	if m == nil {
		return ""
	}
	return amount(m.Amount, vaultspay.CurrencyExponent(m.CurrencyCode)) + " " + m.CurrencyCode
}

// charges prints a transaction's total charges, in its billing currency.
func charges(t *vaultspay.Transaction) string {
	if t.BillingAmount == nil {
		return t.TotalCharges.String()
	}
	return money(&vaultspay.MoneyAmount{Amount: t.TotalCharges, CurrencyCode: t.BillingAmount.CurrencyCode})
}
