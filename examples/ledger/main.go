// Command ledger walks an account's whole ledger with Wallets.ListLedgerIter, one page at a time, and
// checks that the lines add up to the balance, with exact decimal arithmetic (vaultspay.Amount).
//
//	go run ./examples/ledger                            # offline: a fake account with a long ledger
//	go run ./examples/ledger -account 360 -per-page 50  # with VAULTSPAY_* set: a real account
//
// With no VAULTSPAY_* variables set it starts the vaultspaytest fake in-process, opens an account and
// has the fake's back office write a long ledger (deposits, and transfers out). With them set it reads
// the account given by -account (default: the first account listed). It prints amounts, balances and
// narrations, never a credential.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

func main() {
	account := flag.Int64("account", 0, "account id (default: the first account listed)")
	perPage := flag.Int("per-page", 10, "ledger lines per page")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout, !vaultspay.EnvConfigured(), vaultspay.ID(*account), *perPage); err != nil {
		fmt.Fprintln(os.Stderr, "ledger:", err)
		os.Exit(1)
	}
}

// run reads the ledger of account (0: the first account listed) perPage lines at a time; offline, of
// an account it makes in an in-process fake.
func run(ctx context.Context, out io.Writer, offline bool, account vaultspay.ID, perPage int) error {
	if perPage < 1 {
		return errors.New("-per-page must be at least 1")
	}
	client, fake, err := connect(offline)
	if err != nil {
		return err
	}
	if fake != nil {
		defer fake.Close()
		fmt.Fprintf(out, "no VAULTSPAY_* variables set: using an in-process fake at %s\n", fake.URL)
		if account, err = seed(ctx, client, fake, out); err != nil {
			return err
		}
	} else if account == 0 {
		if account, err = firstAccount(ctx, client); err != nil {
			return err
		}
	}

	acct, err := client.Wallets.Get(ctx, account)
	if err != nil {
		return fmt.Errorf("get account %d: %w", account, err)
	}
	fmt.Fprintf(out, "ledger of %s account %d (%s), newest first, %d lines per page:\n", acct.CurrencyCode, acct.ID, acct.AccountTitle, perPage)

	var lines int
	var credits, debits vaultspay.Amount
	opts := &vaultspay.LedgerListOptions{ListOptions: vaultspay.ListOptions{PerPage: perPage}}
	for e, err := range client.Wallets.ListLedgerIter(ctx, acct.ID, opts) {
		if err != nil { // yielded once; the walk is over
			return fmt.Errorf("ledger after %d lines: %w", lines, err)
		}
		lines++
		if credits, err = credits.Add(e.Credit); err == nil {
			debits, err = debits.Add(e.Debit)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "  %3d  %s  %9s  balance %8s  %s\n", lines, e.Date.UTC().Format("2006-01-02 15:04"),
			signed(e.Credit, e.Debit), e.Balance.StringFixed(2), e.Narration)
	}
	pages := (lines + perPage - 1) / perPage
	if fake != nil {
		pages = fake.CountRequests(http.MethodGet, fmt.Sprintf("/be/api/v1/account-ledger/%d", acct.ID))
	}
	net, err := credits.Sub(debits)
	if err != nil {
		return err
	}
	unit := "pages"
	if pages == 1 {
		unit = "page"
	}
	fmt.Fprintf(out, "%d lines in %d %s: credits %s, debits %s, net %s %s\n", lines, pages, unit,
		credits.StringFixed(2), debits.StringFixed(2), net.StringFixed(2), acct.CurrencyCode)
	if net.Cmp(acct.Balance) == 0 {
		fmt.Fprintf(out, "the ledger adds up to the balance, %s %s\n", acct.Balance.StringFixed(2), acct.CurrencyCode)
	} else {
		fmt.Fprintf(out, "the ledger nets %s but the balance is %s (a filtered or partial ledger, or holds)\n",
			net.StringFixed(2), acct.Balance.StringFixed(2))
	}
	return nil
}

// signed prints a line's movement: +credit or -debit.
func signed(credit, debit vaultspay.Amount) string {
	if debit.Sign() > 0 {
		return "-" + debit.StringFixed(2)
	}
	return "+" + credit.StringFixed(2)
}

// connect uses the VAULTSPAY_* variables, or offline an in-process fake (returned, to be closed, so
// that its back office can seed the ledger).
func connect(offline bool) (*vaultspay.Client, *vaultspaytest.Server, error) {
	if !offline {
		c, err := vaultspay.NewClientFromEnv()
		return c, nil, err
	}
	srv, err := vaultspaytest.NewUnstartedServer()
	if err != nil {
		return nil, nil, err
	}
	if err := srv.Start(); err != nil {
		return nil, nil, err
	}
	return srv.Client(), srv, nil
}

// firstAccount returns the id of the first account listed. Breaking out of the iterator after one
// item fetches only the first page.
func firstAccount(ctx context.Context, c *vaultspay.Client) (vaultspay.ID, error) {
	for a, err := range c.Wallets.ListIter(ctx, nil) {
		if err != nil {
			return 0, fmt.Errorf("list accounts: %w", err)
		}
		return a.ID, nil
	}
	return 0, errors.New("the app has no account; give one with -account")
}

// seed opens an AED account in the fake and writes a long ledger through the fake's back office:
// 30 deposits of 10.00 to 300.00 AED and, every tenth line, a transfer out to a payment contact.
func seed(ctx context.Context, c *vaultspay.Client, fake *vaultspaytest.Server, out io.Writer) (vaultspay.ID, error) {
	user, err := c.Users.Create(ctx, &vaultspay.CreateUserRequest{FirstName: "Grace", LastName: "Hopper",
		Email: "grace@example.com", Status: vaultspay.UserStatusActive})
	if err != nil {
		return 0, fmt.Errorf("create user: %w", err)
	}
	acct, err := c.Wallets.Create(ctx, &vaultspay.CreateAccountRequest{UserID: user.ID, CurrencyID: 2,
		AccountType: vaultspay.AccountTypeDigital})
	if err != nil {
		return 0, fmt.Errorf("open account: %w", err)
	}
	contact, err := c.Transfers.CreateContact(ctx, &vaultspay.CreateContactRequest{Title: "Savings",
		IBAN: vaultspaytest.TestIBANZand})
	if err != nil {
		return 0, fmt.Errorf("create contact: %w", err)
	}
	transfers := 0
	for i := 1; i <= 30; i++ {
		if err := fake.FundAccount(acct.ID, vaultspay.MustParseAmount(fmt.Sprintf("%d.00", 10*i))); err != nil {
			return 0, fmt.Errorf("fund: %w", err)
		}
		if i%10 != 0 {
			continue
		}
		_, err := c.Transfers.Send(ctx, &vaultspay.SendTransferRequest{SenderAccountID: acct.ID, CurrencyCode: "AED",
			PaymentContactID: contact.ID, Purpose: vaultspay.PurposeOwnAccountTransfer,
			Description: fmt.Sprintf("Savings %d", i/10), Amount: vaultspay.MustParseAmount("125.25")})
		if err != nil {
			return 0, fmt.Errorf("transfer: %w", err)
		}
		transfers++
	}
	fmt.Fprintf(out, "back office (fake): account %d credited 30 times, %d transfers sent from it\n", acct.ID, transfers)
	return acct.ID, nil
}
