package vaultspay_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// Every example runs against a fresh vaultspaytest server, through the full encrypted pipeline, and
// prints only facts that do not vary between runs: statuses, counts, masked values.

// exampleAccount creates the user Ada Lovelace and an AED account for her in srv, and has the fake's
// back office credit the account with each of deposits (major units). ExampleUsersService_Create shows
// the first call; Wallets.Create opens the account.
func exampleAccount(ctx context.Context, srv *vaultspaytest.Server, deposits ...string) (*vaultspay.User, *vaultspay.Account, error) {
	client := srv.Client()
	user, err := client.Users.Create(ctx, &vaultspay.CreateUserRequest{FirstName: "Ada", LastName: "Lovelace",
		Email: "ada@example.com", Status: vaultspay.UserStatusActive})
	if err != nil {
		return nil, nil, err
	}
	acct, err := client.Wallets.Create(ctx, &vaultspay.CreateAccountRequest{UserID: user.ID, CurrencyID: 2,
		AccountType: vaultspay.AccountTypeDigital})
	if err != nil {
		return nil, nil, err
	}
	for _, d := range deposits {
		amount, err := vaultspay.ParseAmount(d)
		if err == nil {
			err = srv.FundAccount(acct.ID, amount)
		}
		if err != nil {
			return nil, nil, err
		}
	}
	return user, acct, nil
}

// This example configures a client explicitly, as for a real environment, and pings the API. Against
// VaultsPay, use WithEnvironment(vaultspay.UAT) or WithEnvironment(vaultspay.Production) and the
// credentials, app id and RSA public key from the dashboard (or NewClientFromEnv).
func Example() {
	srv := vaultspaytest.NewServer()
	defer srv.Close()
	ctx := context.Background()

	client, err := vaultspay.NewClient(
		vaultspay.WithBaseURL(srv.URL), // WithEnvironment(vaultspay.UAT) for the vendor's test environment
		vaultspay.WithCredentials(srv.ClientID(), srv.ClientSecret()),
		vaultspay.WithAppID(srv.AppID()),
		vaultspay.WithRSAPublicKey(srv.PublicKeyBase64()),
		vaultspay.WithUserAgent("acme-payouts/1.0"),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	msg, err := client.Ping(ctx) // logs in first: the first call of a client does
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(msg)
	_, ok := client.AccessTokenExpiry()
	fmt.Println("holds a token:", ok)
	// Output:
	// Service is up and running!
	// holds a token: true
}

// This example creates an end user; the user's ID is the userId of every KYC, wallet and card call.
func ExampleUsersService_Create() {
	srv := vaultspaytest.NewServer()
	defer srv.Close()
	client, ctx := srv.Client(), context.Background()

	user, err := client.Users.Create(ctx, &vaultspay.CreateUserRequest{FirstName: "Ada", LastName: "Lovelace",
		Email: "ada@example.com", CountryCode: "971", Phone: "501234567", Status: vaultspay.UserStatusActive})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(user.FullName, user.UserType, user.Status, user.PhoneNumber)

	// Client-side validation: nothing is sent, and every bad field is named with its JSON name.
	_, err = client.Users.Create(ctx, &vaultspay.CreateUserRequest{LastName: "Lovelace"})
	var invalid *vaultspay.ValidationError
	if errors.As(err, &invalid) {
		for _, f := range invalid.Errors {
			fmt.Println("invalid:", f.Key)
		}
	}
	fmt.Println("users in the fake:", srv.State().Users)
	// Output:
	// Ada Lovelace USER ACTIVE 971501234567
	// invalid: firstName
	// invalid: status
	// invalid: email
	// users in the fake: 1
}

// This example onboards a user through KYC: personal information goes in as PENDING, a VaultsPay admin
// decides (here the fake's back office, SetKYCStatus), and KYC.Get reads the decision.
func ExampleKYCService_Get() {
	srv := vaultspaytest.NewServer()
	defer srv.Close()
	client, ctx := srv.Client(), context.Background()

	user, err := client.Users.Create(ctx, &vaultspay.CreateUserRequest{FirstName: "Ada", LastName: "Lovelace",
		Email: "ada@example.com", Status: vaultspay.UserStatusActive})
	if err != nil {
		fmt.Println(err)
		return
	}
	dob := vaultspay.NewDate(1990, 5, 15)
	info, err := client.KYC.CreatePersonal(ctx, &vaultspay.CreatePersonalInfoRequest{UserID: user.ID,
		PersonalInfoFields: vaultspay.PersonalInfoFields{FirstName: "Ada", LastName: "Lovelace", DOB: &dob,
			Gender: vaultspay.GenderFemale, Nationality: "ARE", CountryOfResidence: "ARE"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("personal info submitted:", info.Status)

	if err := srv.SetKYCStatus(user.ID, vaultspay.KYCStatusVerified); err != nil { // the back office decides
		fmt.Println(err)
		return
	}
	kyc, err := client.KYC.Get(ctx, user.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("KYC:", kyc.Status, "personal info:", kyc.PersonalInfo != nil, "identification:", kyc.IdentificationInfo != nil)
	// Output:
	// personal info submitted: PENDING
	// KYC: VERIFIED personal info: true identification: false
}

// This example walks a 25-line ledger 10 lines per page. The iterator fetches one page at a time and
// stops after the last; breaking out of the loop stops it early.
func ExampleWalletsService_ListLedgerIter() {
	srv := vaultspaytest.NewServer()
	defer srv.Close()
	client, ctx := srv.Client(), context.Background()

	var deposits []string
	for i := 1; i <= 25; i++ {
		deposits = append(deposits, fmt.Sprintf("%d.00", i))
	}
	_, acct, err := exampleAccount(ctx, srv, deposits...) // an AED account credited 1.00, 2.00, … 25.00 by the back office
	if err != nil {
		fmt.Println(err)
		return
	}

	lines, credits := 0, vaultspay.Amount{}
	opts := &vaultspay.LedgerListOptions{ListOptions: vaultspay.ListOptions{PerPage: 10}}
	for e, err := range client.Wallets.ListLedgerIter(ctx, acct.ID, opts) {
		if err != nil { // an error is yielded once and ends the walk
			fmt.Println(err)
			return
		}
		lines++
		if credits, err = credits.Add(e.Credit); err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Printf("%d lines, %s AED credited, %d pages fetched\n", lines, credits.StringFixed(2),
		srv.CountRequests(http.MethodGet, fmt.Sprintf("/be/api/v1/account-ledger/%d", acct.ID)))

	for e, err := range client.Wallets.ListLedgerIter(ctx, acct.ID, opts) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("newest:", e.Narration, "balance", e.Balance.StringFixed(2))
		break // no further page is fetched
	}
	// Output:
	// 25 lines, 325.00 AED credited, 3 pages fetched
	// newest: DEPOSIT AMT 25.00 AED balance 325.00
}

// This example lists one page of transactions, filtered by type; Page.HasNext says whether another
// page exists (ListIter walks them all).
func ExampleTransactionsService_List() {
	srv := vaultspaytest.NewServer()
	defer srv.Close()
	client, ctx := srv.Client(), context.Background()

	if _, _, err := exampleAccount(ctx, srv, "100.00", "250.50", "49.50"); err != nil { // three deposits
		fmt.Println(err)
		return
	}

	page, err := client.Transactions.List(ctx, &vaultspay.TransactionListOptions{
		TransactionType: vaultspay.TransactionTypeDeposit, ListOptions: vaultspay.ListOptions{PerPage: 2}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, tx := range page.Items {
		fmt.Println(tx.TransactionType, tx.Status, tx.BillingAmount.Amount.StringFixed(2), tx.BillingAmount.CurrencyCode)
	}
	fmt.Printf("page %d of %d, %d in all, more: %v\n", page.Pagination.CurrentPage, page.Pagination.TotalPages,
		page.Pagination.TotalCount, page.HasNext())
	// Output:
	// Deposit SUCCESS 49.50 AED
	// Deposit SUCCESS 250.50 AED
	// page 1 of 2, 3 in all, more: true
}

// This example issues a virtual card. Card data is a set of types that never print in clear: a PAN
// prints as "**** 1234", a CVV and an expiry as "[redacted]"; Reveal is the deliberate way out.
func ExampleCardsService_Create() {
	srv := vaultspaytest.NewServer()
	defer srv.Close()
	client, ctx := srv.Client(), context.Background()

	user, acct, err := exampleAccount(ctx, srv) // a user and the AED account the card spends from
	if err != nil {
		fmt.Println(err)
		return
	}
	tiers, err := client.Cards.ListTiers(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	names, err := client.Cards.EmbossingNames(ctx, user.ID) // the name printed must be one of these
	if err != nil {
		fmt.Println(err)
		return
	}
	card, err := client.Cards.Create(ctx, &vaultspay.CreateCardRequest{CardTierID: tiers[0].ID, CustomerID: user.ID,
		AccountID: acct.ID, CardType: vaultspay.CardTypeVirtual, CardHolderName: names[0]})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(card.CardType, card.CardNetwork, card.Status, "on", tiers[0].Title)

	ref := vaultspay.CardByID(card.ID)
	pan, err := client.Cards.PAN(ctx, ref)
	if err != nil {
		fmt.Println(err)
		return
	}
	cvv, err := client.Cards.CVV(ctx, ref)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("PAN masked:", fmt.Sprint(pan) == "**** "+card.LastFourDigits, "digits:", len(pan.Reveal()))
	fmt.Printf("CVV: %v %s %q\n", cvv, cvv, cvv)
	// Output:
	// VIRTUAL MASTERCARD ACTIVE on VaultsPay Debit Card Tier
	// PAN masked: true digits: 16
	// CVV: [redacted] [redacted] [redacted]
}

// This example reads a card's transaction limits, lowers its daily purchase limit, and shows the rules
// engine refusing a purchase over it with 1050 TRANSACTION_LOCKED_BY_RULE (the purchase is made by the
// fake's back office, as the card network would).
func ExampleRulesService_TransactionLimits() {
	srv := vaultspaytest.NewServer()
	defer srv.Close()
	client, ctx := srv.Client(), context.Background()

	user, acct, err := exampleAccount(ctx, srv, "500.00") // a user and an AED account holding 500.00
	if err != nil {
		fmt.Println(err)
		return
	}
	card, err := client.Cards.Create(ctx, &vaultspay.CreateCardRequest{CardTierID: vaultspaytest.CardTierDebit,
		CustomerID: user.ID, AccountID: acct.ID, CardType: vaultspay.CardTypeVirtual, CardHolderName: "ADA LOVELACE"})
	if err != nil {
		fmt.Println(err)
		return
	}

	limits, err := client.Rules.TransactionLimits(ctx, &vaultspay.TransactionLimitListOptions{CardID: card.ID})
	if err != nil {
		fmt.Println(err)
		return
	}
	var daily vaultspay.TransactionLimit
	for _, l := range limits {
		fmt.Println(l.Frequency, l.TransactionType, l.Operator, l.Limit, l.CurrencyCode, "up to", l.AllowedLimit)
		if l.TransactionType == vaultspay.RuleTransactionTypePurchase && l.Frequency == vaultspay.LimitFrequencyDaily {
			daily = l
		}
	}
	updated, err := client.Rules.UpdateTransactionLimit(ctx, &vaultspay.UpdateTransactionLimitRequest{ID: daily.ID,
		TransactionType: daily.TransactionType, CardID: card.ID, Value: vaultspay.MustParseAmount("100"), Current: &daily})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("daily purchase limit now", updated.Limit, updated.CurrencyCode)

	_, err = srv.CardPurchase(card.ID, vaultspay.MustParseAmount("150.00"), "AED")
	fmt.Println("purchase of 150.00 locked by rule:", errors.Is(err, vaultspay.ErrLockedByRule))
	// Output:
	// DAILY ATM_WITHDRAWAL LESS_THAN_OR_EQUAL 10000 AED up to 2000000
	// DAILY PURCHASE LESS_THAN_OR_EQUAL 20000 AED up to 200000
	// daily purchase limit now 100 AED
	// purchase of 150.00 locked by rule: true
}

// This example receives webhooks with NewWebhookHandler. The same card event delivered twice is
// processed once: the handler de-duplicates on the event id and answers 200 to the repeat.
func ExampleNewWebhookHandler() {
	handler := vaultspay.NewWebhookHandler(func(ctx context.Context, ev vaultspay.Event) error {
		switch e := ev.(type) {
		case *vaultspay.CardEvent:
			fmt.Println("card ending", e.Card.LastFourDigits, "is now", e.Status.Current.Code)
		case *vaultspay.TransferEvent:
			fmt.Println("transfer", e.TransactionID, e.Status)
		case *vaultspay.UnknownEvent:
			fmt.Println("unknown event", e.EventType())
		}
		return nil // an error answers 500, and VaultsPay delivers the event again
	})
	// In a program: http.Handle("/vaultspay/webhooks", handler). Here requests are served in memory.
	deliver := func(body string) int {
		req := httptest.NewRequest(http.MethodPost, "/vaultspay/webhooks", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		return rec.Code
	}
	card := `{"id":"01hvjr8fz6mbw6f9r9v3e5b5yw","type":"card.status.active","occurred_at":"2026-03-13T09:20:12Z",
		"status":{"previous":{"code":"BLOCK","label":"DECLINE_ALL_TXNS"},"current":{"code":"ACTIVE","label":"FULLY_OPERATIONAL"},
		"reason":"Card was unblocked by the admin"},
		"card":{"token":987654321,"last_four_digits":"3321","tier":"VaultsPay Debit Card Tier","network":"MC","type":"PHYSICAL"}}`
	fmt.Println("first delivery:", deliver(card))
	fmt.Println("repeated delivery:", deliver(card))
	fmt.Println("transfer:", deliver(`{"transactionId":"3ac58f37-3cc3-49b3-b3dd-9f83e4263b13","amount":1000.00,"status":"SUCCESS","refId":"CH-998877"}`))
	fmt.Println("not JSON:", deliver(`<html>`))
	// Output:
	// card ending 3321 is now ACTIVE
	// first delivery: 200
	// repeated delivery: 200
	// transfer 3ac58f37-3cc3-49b3-b3dd-9f83e4263b13 SUCCESS
	// transfer: 200
	// not JSON: 400
}

// This example parses webhook bodies without the handler, e.g. from a queue. Unknown shapes are not
// errors: they become *UnknownEvent with the raw JSON kept.
func ExampleParseEvent() {
	for _, body := range []string{
		`{"transactionId":"3ac58f37-3cc3-49b3-b3dd-9f83e4263b13","amount":1000.00,"status":"REVERSED","refId":"CH-998877"}`,
		`{"id":"e1","type":"card.status.block","status":{"current":{"code":"BLOCK","label":"DECLINE_ALL_TXNS"}},"card":{"token":616929771,"last_four_digits":"0422"}}`,
		`{"type":"account.frozen","account":{"id":360}}`,
	} {
		ev, err := vaultspay.ParseEvent([]byte(body))
		if err != nil {
			fmt.Println(err)
			continue
		}
		switch e := ev.(type) {
		case *vaultspay.TransferEvent:
			fmt.Println("transfer", e.Status, "amount", e.Amount, "ref", e.RefID)
		case *vaultspay.CardEvent:
			fmt.Println("card", e.Type, e.Status.Current.Code, "previous known:", e.Status.Previous != nil)
		case *vaultspay.UnknownEvent:
			fmt.Println("unknown", e.EventType(), len(e.RawJSON()), "bytes kept")
		}
	}
	_, err := vaultspay.ParseEvent([]byte(`[1,2]`))
	fmt.Println("not an object:", errors.Is(err, vaultspay.ErrInvalidWebhook))
	// Output:
	// transfer REVERSED amount 1000 ref CH-998877
	// card card.status.block BLOCK previous known: false
	// unknown account.frozen 46 bytes kept
	// not an object: true
}

// This example classifies errors. Validation fails before anything is sent (*ValidationError); the API's
// answers are *APIError, classified by Code rather than HTTP status (a business refusal such as 1010
// arrives with HTTP 500); the sentinels work with errors.Is.
func ExampleAPIError() {
	srv := vaultspaytest.NewServer()
	defer srv.Close()
	client, ctx := srv.Client(), context.Background()

	_, err := client.Wallets.Get(ctx, 0)
	var invalid *vaultspay.ValidationError
	fmt.Println("validation:", errors.As(err, &invalid), errors.Is(err, vaultspay.ErrValidation), len(srv.Requests()))

	_, err = client.Wallets.Get(ctx, 999)
	var apiErr *vaultspay.APIError
	if errors.As(err, &apiErr) {
		reason, _ := apiErr.Field("id")
		fmt.Println(apiErr.StatusCode, apiErr.Code, apiErr.Type, "id:", reason)
		fmt.Println("invalid payload:", errors.Is(err, vaultspay.ErrInvalidPayload))
	}

	// The fake resolves any valid IBAN; this one is registered as unknown at the bank.
	_ = srv.RegisterIBAN(vaultspaytest.IBANEntry{IBAN: "GB82WEST12345698765432", Unknown: true})
	_, err = client.Transfers.ValidateIBAN(ctx, &vaultspay.ValidateIBANRequest{IBAN: "GB82 WEST 1234 5698 7654 32"})
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code, apiErr.Message, "invalid IBAN:", vaultspay.IsInvalidIBAN(err))
	}
	switch {
	case errors.Is(err, vaultspay.ErrOutcomeUnknown):
		fmt.Println("look the object up before repeating the call")
	case errors.Is(err, vaultspay.ErrThrottled):
		fmt.Println("slow down")
	case errors.Is(err, vaultspay.ErrBadRequest):
		fmt.Println("refused: fix the request")
	}
	// Output:
	// validation: true true 0
	// 422 1000 INVALID_PAYLOAD id: Account does not exist with this id
	// invalid payload: true
	// 500 1010 Invalid IBAN invalid IBAN: true
	// refused: fix the request
}

// This example shows what to do with ErrOutcomeUnknown on a call that creates something. The connection
// drops after the server opened the account, so the client cannot know whether it did; it does not
// retry, since the API has no idempotency key. Listing the user's accounts settles the question before
// anything is created again. (Transfers have their own helper: see ExampleTransfersService_Send.)
func Example_outcomeUnknown() {
	srv := vaultspaytest.NewServer()
	defer srv.Close()
	client, ctx := srv.Client(), context.Background()

	user, err := client.Users.Create(ctx, &vaultspay.CreateUserRequest{FirstName: "Ada", LastName: "Lovelace",
		Email: "ada@example.com", Status: vaultspay.UserStatusActive})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = srv.InjectFault(vaultspaytest.Fault{Method: "POST", Path: "/be/api/v1/accounts", Kind: vaultspaytest.FaultResetAfterHandler})

	req := &vaultspay.CreateAccountRequest{UserID: user.ID, CurrencyID: 2, AccountType: vaultspay.AccountTypeDigital}
	_, err = client.Wallets.Create(ctx, req)
	fmt.Println("outcome unknown:", errors.Is(err, vaultspay.ErrOutcomeUnknown))
	if errors.Is(err, vaultspay.ErrOutcomeUnknown) {
		page, err := client.Wallets.List(ctx, &vaultspay.AccountListOptions{UserID: user.ID, CurrencyCode: "AED"})
		if err != nil {
			fmt.Println(err)
			return
		}
		if len(page.Items) > 0 {
			fmt.Println("the account was opened:", page.Items[0].CurrencyCode, page.Items[0].Status, "- not creating another")
		} else if _, err := client.Wallets.Create(ctx, req); err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Println("accounts in the fake:", srv.State().Accounts, "POSTs sent:", srv.CountRequests("POST", "/be/api/v1/accounts"))
	// Output:
	// outcome unknown: true
	// the account was opened: AED ACTIVE - not creating another
	// accounts in the fake: 1 POSTs sent: 1
}
