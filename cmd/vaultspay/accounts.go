package main

import (
	"context"
	"iter"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/vaultspay-go/vaultspay"
)

// accountsCommand is the Wallets service: accounts and their ledgers.
func (a *app) accountsCommand() *cobra.Command {
	return group("accounts", "list, show and open accounts; read ledgers",
		a.accountsList(),
		&cobra.Command{Use: "get <accountId>", Short: "show one account with its balance", Args: ids("accountId"),
			RunE: a.withIDs(func(ctx context.Context, ids []vaultspay.ID) error { return a.accountsGet(ctx, ids[0]) })},
		a.accountsCreate(),
		a.ledger("ledger <accountId>", "list an account's ledger, newest first (every page unless --page)"),
	)
}

// ledgerCommand is `vaultspay ledger <accountId>`, a shorthand for accounts ledger.
func (a *app) ledgerCommand() *cobra.Command {
	return a.ledger("ledger <accountId>", "shorthand for accounts ledger")
}

func (a *app) accountsList() *cobra.Command {
	var o vaultspay.AccountListOptions
	cmd := &cobra.Command{Use: "list", Short: "list accounts (every page unless --page)", Args: cobra.NoArgs}
	fs := cmd.Flags()
	fs.Var((*idValue)(&o.UserID), "user-id", "only accounts of this user")
	fs.StringVar((*string)(&o.AccountType), "account-type", "", "only this account type, e.g. DIGITAL")
	fs.StringVar(&o.CurrencyCode, "currency-code", "", "only this currency, e.g. AED")
	pageFlags(fs, &o.ListOptions)
	cmd.RunE = a.do(func(ctx context.Context, _ []string) error {
		c, err := a.sdk()
		if err != nil {
			return err
		}
		items, err := fetchAll(ctx, a, "accounts", &o.ListOptions,
			func(ctx context.Context) (*vaultspay.Page[vaultspay.Account], error) { return c.Wallets.List(ctx, &o) },
			func(ctx context.Context, opts ...vaultspay.RequestOption) iter.Seq2[vaultspay.Account, error] {
				return c.Wallets.ListIter(ctx, &o, opts...)
			})
		if err != nil {
			return err
		}
		rows := make([][]string, len(items))
		for i := range items {
			ac := &items[i]
			rows[i] = []string{ac.ID.String(), ac.UserID.String(), ac.AccountTitle, ac.AccountNumber,
				accountMoney(ac.Balance, ac), accountMoney(ac.BalanceOnHold, ac), string(ac.Status), yesNo(ac.IsPrimary)}
		}
		return a.printList(items, []string{"ID", "USER", "TITLE", "NUMBER", "BALANCE", "ON HOLD", "STATUS", "PRIMARY"}, rows)
	})
	return cmd
}

func (a *app) accountsGet(ctx context.Context, id vaultspay.ID) error {
	c, err := a.sdk()
	if err != nil {
		return err
	}
	ac, err := c.Wallets.Get(ctx, id)
	if err != nil {
		return err
	}
	return a.printAccount(ac)
}

func (a *app) printAccount(ac *vaultspay.Account) error {
	total, iban := "", ""
	if ac.TotalTransactions != nil {
		total = strconv.FormatInt(*ac.TotalTransactions, 10)
	}
	if ac.IBAN != nil {
		iban = *ac.IBAN
	}
	return a.printRecord(ac, []field{
		{"ID", ac.ID.String()}, {"USER", ac.UserID.String()}, {"TITLE", ac.AccountTitle}, {"NUMBER", ac.AccountNumber},
		{"IBAN", iban}, {"TYPE", string(ac.AccountType)}, {"CURRENCY", ac.CurrencyCode}, {"BALANCE", accountMoney(ac.Balance, ac)},
		{"ON HOLD", accountMoney(ac.BalanceOnHold, ac)}, {"CREDIT LIMIT", accountMoney(ac.CreditLimit, ac)},
		{"STATUS", string(ac.Status)}, {"PRIMARY", yesNo(ac.IsPrimary)}, {"TRANSACTIONS", total},
	})
}

func (a *app) accountsCreate() *cobra.Command {
	var r vaultspay.CreateAccountRequest
	cmd := &cobra.Command{Use: "create", Short: "open an account for a KYC-verified user", Args: cobra.NoArgs}
	fs := cmd.Flags()
	fs.Var((*idValue)(&r.UserID), "user-id", "the account's owner (required)")
	fs.Var((*idValue)(&r.CurrencyID), "currency-id", "the platform's currency id, not the ISO code: 2 is AED (required)")
	fs.StringVar((*string)(&r.AccountType), "account-type", string(vaultspay.AccountTypeDigital), "account type")
	cmd.RunE = a.do(func(ctx context.Context, _ []string) error {
		c, err := a.sdk()
		if err != nil {
			return err
		}
		ac, err := c.Wallets.Create(ctx, &r)
		if err != nil {
			return err
		}
		return a.printAccount(ac)
	})
	return cmd
}

func (a *app) ledger(use, short string) *cobra.Command {
	var o vaultspay.LedgerListOptions
	cmd := &cobra.Command{Use: use, Short: short, Args: ids("accountId")}
	fs := cmd.Flags()
	fs.Var((*idValue)(&o.UserID), "user-id", "only entries of this user")
	fs.Var((*idValue)(&o.TransactionID), "transaction-id", "only entries of this integer transaction id")
	dateFlags(fs, &o.DateRange)
	pageFlags(fs, &o.ListOptions)
	cmd.RunE = a.withIDs(func(ctx context.Context, ids []vaultspay.ID) error {
		c, err := a.sdk()
		if err != nil {
			return err
		}
		id := ids[0]
		ac, err := c.Wallets.Get(ctx, id) // the ledger's lines carry no currency
		if err != nil {
			return err
		}
		items, err := fetchAll(ctx, a, "ledger entries", &o.ListOptions,
			func(ctx context.Context) (*vaultspay.Page[vaultspay.LedgerEntry], error) {
				return c.Wallets.ListLedger(ctx, id, &o)
			},
			func(ctx context.Context, opts ...vaultspay.RequestOption) iter.Seq2[vaultspay.LedgerEntry, error] {
				return c.Wallets.ListLedgerIter(ctx, id, &o, opts...)
			})
		if err != nil {
			return err
		}
		rows := make([][]string, len(items))
		for i, e := range items {
			rows[i] = []string{e.ID.String(), formatTime(&e.Date), e.TransactionID.String(), accountMoney(e.Debit, ac),
				accountMoney(e.Credit, ac), accountMoney(e.Balance, ac), e.Narration}
		}
		return a.printList(items, []string{"ID", "DATE", "TRANSACTION", "DEBIT", "CREDIT", "BALANCE", "NARRATION"}, rows)
	})
	return cmd
}
