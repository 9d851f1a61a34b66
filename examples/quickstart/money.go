package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// moveMoney opens an AED account for user, funds it (in the fake only), sends a transfer to a saved
// payment contact, prints the transactions and the ledger, and returns the account.
func (s *story) moveMoney(ctx context.Context, user *vaultspay.User) (*vaultspay.Account, error) {
	c := s.client
	acct, err := c.Wallets.Create(ctx, &vaultspay.CreateAccountRequest{UserID: user.ID, CurrencyID: 2, AccountType: vaultspay.AccountTypeDigital})
	if err != nil {
		return nil, fmt.Errorf("open account: %w", err)
	}
	s.say("opened %s account %d (number %s) for user %d", acct.CurrencyCode, acct.ID, acct.AccountNumber, user.ID)

	deposit := vaultspay.MustParseAmount("500.00")
	if s.fake != nil {
		if err := s.fake.FundAccount(acct.ID, deposit); err != nil {
			return nil, fmt.Errorf("fund: %w", err)
		}
		s.say("back office (fake): funded account %d with %s %s", acct.ID, deposit.StringFixed(2), acct.CurrencyCode)
	} else {
		s.say("funding skipped: on a real environment VaultsPay's back office funds accounts")
	}

	check, err := c.Transfers.ValidateIBAN(ctx, &vaultspay.ValidateIBANRequest{IBAN: vaultspaytest.TestIBANInvestBank})
	if err != nil {
		return nil, fmt.Errorf("validate IBAN: %w", err)
	}
	s.say("IBAN %s is valid: %s, %s, account title %s", check.Details.IBAN, check.Details.BankName, check.Details.SwiftCode, check.Details.AccountTitle)

	contact, err := c.Transfers.CreateContact(ctx, &vaultspay.CreateContactRequest{Title: "Landlord", IBAN: check.Details.IBAN})
	if err != nil {
		return nil, fmt.Errorf("create contact: %w", err)
	}
	s.say("saved payment contact %d (%s)", contact.ID, contact.Title)

	amount := vaultspay.MustParseAmount("125.50")
	current, err := c.Wallets.Get(ctx, acct.ID)
	if err != nil {
		return nil, fmt.Errorf("get account: %w", err)
	}
	if current.Balance.Cmp(amount) < 0 {
		s.say("balance %s %s is below %s: no transfer sent", current.Balance, acct.CurrencyCode, amount)
		return acct, nil
	}
	req := &vaultspay.SendTransferRequest{SenderAccountID: acct.ID, CurrencyCode: acct.CurrencyCode, PaymentContactID: contact.ID,
		Purpose: vaultspay.PurposeRent, Description: "Quickstart rent " + vaultspay.NewTransferReference(), Amount: amount}
	tr, err := c.Transfers.Send(ctx, req)
	var unknown *vaultspay.TransferUnknownError
	if errors.As(err, &unknown) {
		found, ferr := c.Transfers.FindSent(ctx, unknown.Match())
		var incomplete *vaultspay.ReconcileIncompleteError
		if errors.As(ferr, &incomplete) {
			found = incomplete.Found // the scan stopped early: only a match is conclusive
		} else if ferr != nil {
			return nil, fmt.Errorf("transfer outcome unknown, and looking for it failed: %w", ferr)
		}
		return nil, fmt.Errorf("transfer outcome unknown (%d matching transactions found; do not resend blindly): %w", len(found), err)
	}
	if err != nil {
		return nil, fmt.Errorf("send transfer: %w", err)
	}
	s.say("sent transfer %d: %s cents (%s %s), status %s", tr.ID, tr.Amount, amount.StringFixed(2), tr.CurrencyCode, tr.Status)

	page, err := c.Transactions.List(ctx, &vaultspay.TransactionListOptions{ListOptions: vaultspay.ListOptions{PerPage: 10}})
	if err != nil {
		return nil, fmt.Errorf("list transactions: %w", err)
	}
	s.say("latest transactions:")
	for _, tx := range page.Items {
		line := fmt.Sprintf("    %d %-8s %-8s", tx.ID, tx.TransactionType, tx.Status)
		if b := tx.BillingAmount; b != nil {
			line += fmt.Sprintf(" %s %s", b.Amount.StringFixed(2), b.CurrencyCode)
		}
		fmt.Fprintln(s.out, line)
	}

	s.say("ledger of account %d, newest first:", acct.ID)
	for e, err := range c.Wallets.ListLedgerIter(ctx, acct.ID, nil) {
		if err != nil {
			return nil, fmt.Errorf("ledger: %w", err)
		}
		fmt.Fprintf(s.out, "    %s  debit %8s  credit %8s  balance %8s  %s\n", e.Date.UTC().Format("2006-01-02 15:04:05"),
			e.Debit.StringFixed(2), e.Credit.StringFixed(2), e.Balance.StringFixed(2), e.Narration)
	}
	return acct, nil
}
