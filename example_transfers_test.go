package vaultspay_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// ExampleTransfersService_Send shows the reconciliation pattern: the connection drops after the server
// has processed the transfer, Send says the outcome is unknown instead of sending again, and FindSent
// finds the transfer among recent transactions.
func ExampleTransfersService_Send() {
	srv := vaultspaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	_, acct, err := exampleAccount(ctx, srv, "100.00") // a user's AED account, credited by the back office
	if err != nil {
		fmt.Println(err)
		return
	}
	contact, err := client.Transfers.CreateContact(ctx, &vaultspay.CreateContactRequest{Title: "Landlord", IBAN: vaultspaytest.TestIBANInvestBank})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = srv.InjectFault(vaultspaytest.Fault{Method: "POST", Path: "/tc/api/v1/direct-transfer", Kind: vaultspaytest.FaultResetAfterHandler})

	req := &vaultspay.SendTransferRequest{SenderAccountID: acct.ID, CurrencyCode: "AED", PaymentContactID: contact.ID,
		Purpose: vaultspay.PurposeRent, Description: "Rent " + vaultspay.NewTransferReference(), Amount: vaultspay.MustParseAmount("25.00")}
	_, err = client.Transfers.Send(ctx, req)
	var unknown *vaultspay.TransferUnknownError
	if errors.As(err, &unknown) {
		fmt.Println("outcome unknown:", errors.Is(err, vaultspay.ErrOutcomeUnknown))
		found, err := client.Transfers.FindSent(ctx, unknown.Match())
		if err != nil {
			fmt.Println(err)
			return
		}
		if len(found) > 0 {
			fmt.Printf("already sent (%d match, %s %s): do not send again\n", len(found), found[0].TransactionType, found[0].Status)
		}
	}
	fmt.Println("transfers in the fake:", srv.State().Transfers)
	// Output:
	// outcome unknown: true
	// already sent (1 match, Transfer PENDING): do not send again
	// transfers in the fake: 1
}

// This example is a transfer from start to end: the IBAN is checked, saved as a payment contact, and the
// transfer is sent in major units (the API counts cents). The answer means accepted, not settled: the
// final status comes from Transactions.Get or the TRANSACTION_PERFORMED webhook.
func ExampleTransfersService_Send_settlement() {
	srv := vaultspaytest.NewServer()
	defer srv.Close()
	client, ctx := srv.Client(), context.Background()

	_, acct, err := exampleAccount(ctx, srv, "1500.00") // a user's AED account, credited by the back office
	if err != nil {
		fmt.Println(err)
		return
	}

	check, err := client.Transfers.ValidateIBAN(ctx, &vaultspay.ValidateIBANRequest{IBAN: "AE58 0300 0000 0200 0007 377"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("valid:", check.Valid, check.Details.BankName, "title", check.Details.AccountTitle)
	contact, err := client.Transfers.CreateContact(ctx, &vaultspay.CreateContactRequest{Title: "Supplier", IBAN: check.Details.IBAN})
	if err != nil {
		fmt.Println(err)
		return
	}
	tr, err := client.Transfers.Send(ctx, &vaultspay.SendTransferRequest{SenderAccountID: acct.ID, CurrencyCode: "AED",
		PaymentContactID: contact.ID, Purpose: vaultspay.PurposeGoodsBought, Description: "Invoice 1042",
		Amount: vaultspay.MustParseAmount("1000.00")})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("sent", tr.Amount, "cents:", tr.Status)

	_ = srv.Advance(vaultspaytest.SettleDelay) // the fake's clock: the transfer settles
	tx, err := client.Transactions.Get(ctx, tr.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tx.TransactionType, tx.Status, tx.BillingAmount.Amount.StringFixed(2), tx.BillingAmount.CurrencyCode)
	// Output:
	// valid: true INVESTBANK title johm*
	// sent 100000 cents: PENDING
	// Transfer SUCCESS 1000.00 AED
}
