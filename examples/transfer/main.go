// Command transfer sends money so that it moves exactly once, even when the answer to a transfer is
// lost. The API has no idempotency key, so the SDK never retries a transfer that may have reached the
// server: Transfers.Send returns a *vaultspay.TransferUnknownError instead, and Transfers.FindSent looks
// for the transfer among recent transactions before anything is sent again.
//
//	go run ./examples/transfer    # offline: the fake drops the connection in two different ways
//	go run ./examples/transfer -account 360 -contact 7 -amount 10.00    # with VAULTSPAY_* set: one real transfer
//	go run ./examples/transfer -account 360 -iban AE580300000002000007377 -amount 10.00
//
// With no VAULTSPAY_* variables set it starts the vaultspaytest fake in-process and shows both cases of
// an unknown outcome: the connection drops after the server made the transfer (FindSent finds it; it
// is not sent again), and before it did (FindSent finds nothing; it is sent once more, with the same
// reference). It prints amounts, ids and statuses, never a credential.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

const transferPath = "/tc/api/v1/direct-transfer"

func main() {
	account := flag.Int64("account", 0, "sender account id (real environment)")
	contact := flag.Int64("contact", 0, "payment contact id (real environment; or -iban)")
	iban := flag.String("iban", "", "IBAN to save as a new payment contact (real environment)")
	amount := flag.String("amount", "", "amount in major units, e.g. 10.00 (real environment)")
	currency := flag.String("currency", "AED", "currency of the sender account")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var err error
	if vaultspay.EnvConfigured() {
		err = live(ctx, os.Stdout, liveArgs{account: vaultspay.ID(*account), contact: vaultspay.ID(*contact),
			iban: *iban, amount: *amount, currency: *currency})
	} else {
		err = demo(ctx, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "transfer:", err)
		os.Exit(1)
	}
}

// sender sends transfers that move money at most once, looking for a transfer whose outcome is unknown
// before sending it again.
type sender struct {
	client *vaultspay.Client
	out    io.Writer
	checks int           // how many times FindSent looks before concluding the transfer did not land
	wait   time.Duration // between two looks: a transfer may take a moment to be listed
}

// sendOnce sends req and returns the id of the one transaction it made. req.Description must carry a
// reference of its own (vaultspay.NewTransferReference), which is how FindSent recognises it.
func (s *sender) sendOnce(ctx context.Context, req *vaultspay.SendTransferRequest) (vaultspay.ID, error) {
	tr, err := s.client.Transfers.Send(ctx, req)
	if err == nil {
		fmt.Fprintf(s.out, "   accepted: transaction %d, %s cents, %s\n", tr.ID, tr.Amount, tr.Status)
		return tr.ID, nil
	}
	var unknown *vaultspay.TransferUnknownError
	if !errors.As(err, &unknown) {
		return 0, err // an answer (a refusal) or a failure before sending: no money moved
	}
	fmt.Fprintf(s.out, "   %T: %v\n", unknown, err)
	fmt.Fprintf(s.out, "   outcome unknown (errors.Is ErrOutcomeUnknown: %v): looking for it before sending anything again\n",
		errors.Is(err, vaultspay.ErrOutcomeUnknown))
	found, err := s.find(ctx, unknown.Match())
	var incomplete *vaultspay.ReconcileIncompleteError
	switch {
	case errors.As(err, &incomplete) && len(incomplete.Found) == 1:
		fmt.Fprintf(s.out, "   found it before the scan gave up: transaction %d: it was sent, so it is not sent again\n", incomplete.Found[0].ID)
		return incomplete.Found[0].ID, nil
	case errors.As(err, &incomplete):
		// Three outcomes: found, not found within the window, and this one: the scan stopped after
		// MaxScan transactions before reaching the window's start, so "not found" would prove nothing.
		return 0, fmt.Errorf("looking for the transfer: %w (stop: widen TransferMatch.MaxScan or narrow Since, never send it again on this)", err)
	case err != nil:
		return 0, fmt.Errorf("looking for the transfer: %w (stop: do not send it again before it is found or ruled out)", err)
	case len(found) == 1:
		fmt.Fprintf(s.out, "   found it: transaction %d, %s: it was sent, so it is not sent again\n", found[0].ID, found[0].Status)
		return found[0].ID, nil
	case len(found) > 1:
		return 0, fmt.Errorf("%d transactions match reference %q: stop, a person must look", len(found), req.Description)
	}
	fmt.Fprintf(s.out, "   not found after %d looks over the whole window: it did not land; sending it again with the same reference\n", s.checks)
	tr, err = s.client.Transfers.Send(ctx, req)
	if err != nil {
		return 0, fmt.Errorf("second attempt: %w (stop: a person must look)", err)
	}
	fmt.Fprintf(s.out, "   accepted: transaction %d, %s cents, %s\n", tr.ID, tr.Amount, tr.Status)
	return tr.ID, nil
}

// find runs FindSent up to s.checks times, until it finds something.
func (s *sender) find(ctx context.Context, m vaultspay.TransferMatch) ([]vaultspay.Transaction, error) {
	for i := 0; ; i++ {
		found, err := s.client.Transfers.FindSent(ctx, m)
		if err != nil || len(found) > 0 || i+1 >= s.checks {
			return found, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(s.wait):
		}
	}
}

// demo runs both unknown-outcome cases against an in-process fake.
func demo(ctx context.Context, out io.Writer) error {
	srv, err := vaultspaytest.NewUnstartedServer()
	if err != nil {
		return err
	}
	if err := srv.Start(); err != nil {
		return err
	}
	defer srv.Close()
	client := srv.Client()
	fmt.Fprintf(out, "no VAULTSPAY_* variables set: using an in-process fake at %s\n", srv.URL)

	user, err := client.Users.Create(ctx, &vaultspay.CreateUserRequest{FirstName: "Ada", LastName: "Lovelace",
		Email: "ada@example.com", Status: vaultspay.UserStatusActive})
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	acct, err := client.Wallets.Create(ctx, &vaultspay.CreateAccountRequest{UserID: user.ID, CurrencyID: 2,
		AccountType: vaultspay.AccountTypeDigital})
	if err != nil {
		return fmt.Errorf("open account: %w", err)
	}
	if err := srv.FundAccount(acct.ID, vaultspay.MustParseAmount("1000.00")); err != nil {
		return err
	}
	contact, err := client.Transfers.CreateContact(ctx, &vaultspay.CreateContactRequest{Title: "Landlord",
		IBAN: vaultspaytest.TestIBANInvestBank})
	if err != nil {
		return fmt.Errorf("create contact: %w", err)
	}
	fmt.Fprintf(out, "account %d holds 1000.00 AED; payment contact %d (%s)\n", acct.ID, contact.ID, contact.Title)

	s := &sender{client: client, out: out, checks: 3}
	cases := []struct {
		what  string
		fault vaultspaytest.FaultKind
	}{
		{"the connection drops after the server made the transfer", vaultspaytest.FaultResetAfterHandler},
		{"the connection drops before the server saw the transfer", vaultspaytest.FaultResetBeforeHandler},
	}
	for i, c := range cases {
		fmt.Fprintf(out, "%d. %s:\n", i+1, c.what)
		if err := srv.InjectFault(vaultspaytest.Fault{Method: "POST", Path: transferPath, Kind: c.fault}); err != nil {
			return err
		}
		req := &vaultspay.SendTransferRequest{SenderAccountID: acct.ID, CurrencyCode: "AED", PaymentContactID: contact.ID,
			Purpose: vaultspay.PurposeRent, Description: "Rent " + vaultspay.NewTransferReference(),
			Amount: vaultspay.MustParseAmount("250.00")}
		if _, err := s.sendOnce(ctx, req); err != nil {
			return err
		}
		found, err := client.Transfers.FindSent(ctx, vaultspay.TransferMatch{SenderAccountID: acct.ID, CurrencyCode: "AED",
			Amount: req.Amount, Description: req.Description})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "   transactions with this reference: %d\n", len(found))
	}

	final, err := client.Wallets.Get(ctx, acct.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "2 transfers wanted, %d requests sent, %d transfers made; balance %s AED\n",
		srv.CountRequests("POST", transferPath), srv.State().Transfers, final.Balance.StringFixed(2))
	return nil
}

// liveArgs are the flags of a run against a real environment.
type liveArgs struct {
	account, contact vaultspay.ID
	iban, amount     string
	currency         string
}

// live sends one real transfer with the same care.
func live(ctx context.Context, out io.Writer, a liveArgs) error {
	if a.account == 0 || a.amount == "" || (a.contact == 0) == (a.iban == "") {
		return errors.New("with VAULTSPAY_* set, give -account, -amount and one of -contact or -iban: this sends real money")
	}
	amount, err := vaultspay.ParseAmount(a.amount)
	if err != nil {
		return err
	}
	client, err := vaultspay.NewClientFromEnv()
	if err != nil {
		return err
	}
	if a.contact == 0 {
		c, err := client.Transfers.CreateContact(ctx, &vaultspay.CreateContactRequest{Title: "examples/transfer", IBAN: a.iban})
		if vaultspay.IsContactExists(err) {
			return errors.New("a payment contact with this IBAN exists already (the API cannot list contacts): give its id with -contact")
		}
		if err != nil {
			return fmt.Errorf("create contact: %w", err)
		}
		a.contact = c.ID
		fmt.Fprintf(out, "saved payment contact %d\n", c.ID)
	}
	req := &vaultspay.SendTransferRequest{SenderAccountID: a.account, CurrencyCode: a.currency, PaymentContactID: a.contact,
		Purpose: vaultspay.PurposeOwnAccountTransfer, Description: "Example " + vaultspay.NewTransferReference(), Amount: amount}
	fmt.Fprintf(out, "sending %s %s from account %d to contact %d, reference %q:\n", amount, a.currency, a.account, a.contact, req.Description)
	s := &sender{client: client, out: out, checks: 5, wait: 2 * time.Second}
	id, err := s.sendOnce(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "done: transaction %d; its final status comes from Transactions.Get or the TRANSACTION_PERFORMED webhook\n", id)
	return nil
}
