package main

import (
	"context"
	"flag"
	"iter"
	"strconv"

	"github.com/vaultspay-go/vaultspay"
)

// accountCommands are the Wallets service: accounts and their ledgers.
func accountCommands() []command {
	return []command{
		{name: "accounts list", summary: "list accounts (every page unless --page)", setup: accountsList},
		{name: "accounts get", args: "<accountId>", nargs: 1, summary: "show one account with its balance", setup: accountsGet},
		{name: "accounts ledger", args: "<accountId>", nargs: 1, summary: "list an account's ledger (every page unless --page)", setup: ledger},
		{name: "ledger", args: "<accountId>", nargs: 1, summary: "shorthand for accounts ledger", setup: ledger},
	}
}

func accountsList(fs *flag.FlagSet) action {
	var o vaultspay.AccountListOptions
	fs.Var((*idValue)(&o.UserID), "user-id", "only accounts of user `id`")
	fs.StringVar((*string)(&o.AccountType), "account-type", "", "only this account `type`, e.g. DIGITAL")
	fs.StringVar(&o.CurrencyCode, "currency-code", "", "only this `currency`, e.g. AED")
	pageFlags(fs, &o.ListOptions)
	return func(ctx context.Context, c *cli, _ []vaultspay.ID) error {
		items, err := fetchAll(ctx, c, "accounts", &o.ListOptions,
			func(ctx context.Context) (*vaultspay.Page[vaultspay.Account], error) {
				return c.client.Wallets.List(ctx, &o)
			},
			func(ctx context.Context) iter.Seq2[vaultspay.Account, error] {
				return c.client.Wallets.ListIter(ctx, &o)
			})
		if err != nil {
			return err
		}
		rows := make([][]string, len(items))
		for i, a := range items {
			rows[i] = []string{a.ID.String(), a.UserID.String(), a.AccountTitle, a.AccountNumber, a.CurrencyCode,
				amount(a.Balance, a.Currency.DecimalPoint), amount(a.BalanceOnHold, a.Currency.DecimalPoint), string(a.Status), yesNo(a.IsPrimary)}
		}
		return c.printList(items, []string{"ID", "USER", "TITLE", "NUMBER", "CURRENCY", "BALANCE", "ON HOLD", "STATUS", "PRIMARY"}, rows)
	}
}

func accountsGet(*flag.FlagSet) action {
	return func(ctx context.Context, c *cli, ids []vaultspay.ID) error {
		id := ids[0]
		a, err := c.client.Wallets.Get(ctx, id)
		if err != nil {
			return err
		}
		total, iban := "", ""
		if a.TotalTransactions != nil {
			total = strconv.FormatInt(*a.TotalTransactions, 10)
		}
		if a.IBAN != nil {
			iban = *a.IBAN
		}
		return c.printRecord(a, []field{
			{"ID", a.ID.String()}, {"USER", a.UserID.String()}, {"TITLE", a.AccountTitle}, {"NUMBER", a.AccountNumber},
			{"IBAN", iban}, {"TYPE", string(a.AccountType)}, {"CURRENCY", a.CurrencyCode}, {"BALANCE", amount(a.Balance, a.Currency.DecimalPoint)},
			{"ON HOLD", amount(a.BalanceOnHold, a.Currency.DecimalPoint)},
			{"CREDIT LIMIT", amount(a.CreditLimit, a.Currency.DecimalPoint)}, {"STATUS", string(a.Status)},
			{"PRIMARY", yesNo(a.IsPrimary)}, {"TRANSACTIONS", total},
		})
	}
}

func ledger(fs *flag.FlagSet) action {
	var o vaultspay.LedgerListOptions
	fs.Var((*idValue)(&o.UserID), "user-id", "only entries of user `id`")
	fs.Var((*idValue)(&o.TransactionID), "transaction-id", "only entries of this integer transaction `id`")
	dateFlags(fs, &o.DateRange)
	pageFlags(fs, &o.ListOptions)
	return func(ctx context.Context, c *cli, ids []vaultspay.ID) error {
		id := ids[0]
		items, err := fetchAll(ctx, c, "ledger entries", &o.ListOptions,
			func(ctx context.Context) (*vaultspay.Page[vaultspay.LedgerEntry], error) {
				return c.client.Wallets.ListLedger(ctx, id, &o)
			},
			func(ctx context.Context) iter.Seq2[vaultspay.LedgerEntry, error] {
				return c.client.Wallets.ListLedgerIter(ctx, id, &o)
			})
		if err != nil {
			return err
		}
		rows := make([][]string, len(items))
		for i, e := range items {
			rows[i] = []string{e.ID.String(), formatTime(&e.Date), e.TransactionID.String(), e.Debit.String(),
				e.Credit.String(), e.Balance.String(), e.Narration}
		}
		return c.printList(items, []string{"ID", "DATE", "TRANSACTION", "DEBIT", "CREDIT", "BALANCE", "NARRATION"}, rows)
	}
}
