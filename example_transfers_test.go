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

	user, err := client.Users.Create(ctx, &vaultspay.CreateUserRequest{FirstName: "Ada", LastName: "Lovelace",
		Email: "ada@example.com", Status: vaultspay.UserStatusActive})
	if err != nil {
		fmt.Println(err)
		return
	}
	acct, err := client.Wallets.Create(ctx, &vaultspay.CreateAccountRequest{UserID: user.ID, CurrencyID: 2, AccountType: vaultspay.AccountTypeDigital})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := srv.FundAccount(acct.ID, vaultspay.MustParseAmount("100.00")); err != nil {
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
