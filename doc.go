// Package vaultspay is the typed Go client for the VaultsPay Issuance API: users and KYC, wallets and
// ledgers, IBAN transfers, transactions, payment cards and their lifecycle, the rules engine and
// webhooks.
//
// A [Client] logs in lazily with the app's credentials, refreshes its token before it expires, seals
// every request in the AES-GCM + RSA envelope the API requires and opens every answer. Its services
// follow the vendor's areas: Client.Users, Client.KYC, Client.Wallets, Client.Transfers,
// Client.Transactions, Client.Cards and Client.Rules. Every call takes a context.Context first and
// returns a typed model or a typed error.
//
//	client, err := vaultspay.NewClientFromEnv()
//	if err != nil {
//		return err
//	}
//	msg, err := client.Ping(ctx) // "Service is up and running!"
//
// # Configuration
//
// [NewClient] takes options; each bad value makes it return an error wrapping [ErrInvalidConfig] that
// names the option (NewClient never panics):
//
//	client, err := vaultspay.NewClient(
//		vaultspay.WithEnvironment(vaultspay.UAT),          // or Production, or WithBaseURL
//		vaultspay.WithCredentials(clientID, clientSecret), // Dashboard > API Keys > Apps
//		vaultspay.WithAppID("17"),                         // sent as x-device-id
//		vaultspay.WithRSAPublicKey(vaultspayPublicKey),    // Base64 SPKI or PEM, as VaultsPay shares it
//		vaultspay.WithRequestTimeout(20*time.Second),      // one attempt; ctx bounds the whole call
//	)
//
// [NewClientFromEnv] reads VAULTSPAY_BASE_URL ("uat", "production" or a URL), VAULTSPAY_CLIENT_ID,
// VAULTSPAY_CLIENT_SECRET, VAULTSPAY_APP_ID and VAULTSPAY_RSA_PUBLIC_KEY, then applies its options;
// [EnvConfigured] reports whether any of them is set. Plain http:// is refused except to loopback.
// The User-Agent is "vaultspay-go/" + [Version], after the token given to [WithUserAgent].
//
// Timeouts: the ctx given to a call bounds all of it (every attempt, backoff and token refresh);
// [WithRequestTimeout] bounds one attempt (default [DefaultRequestTimeout], 0 for none) and
// [WithAttemptTimeout] does so for one call. A nil ctx is [ErrNilContext], never a panic.
//
// # The wire profile
//
// The vendor's description of the envelope stops mid-sample, so several details are undocumented.
// [WireProfile] names each choice: how the AES key is wrapped with RSA (PKCS#1 v1.5 or one of three
// OAEP variants), whether the raw key or its Base64 text is wrapped, how the ciphertext travels in the
// body, and where a response's IV comes from. Its zero value is the default, the ordinary reading of
// the vendor's Java sample; if the live API differs, one option changes it:
//
//	vaultspay.WithWireProfile(vaultspay.WireProfile{KeyWrap: vaultspay.KeyWrapOAEPSHA256})
//
// Every attempt is sealed with a fresh AES-256 key and IV. [WithEncryption](false) sends plain JSON
// with x-enable-encryption: false, and is accepted only for UAT and loopback hosts.
//
// # Errors
//
// An answer of the API that is an error is an [*APIError]; classify it by Code, never by HTTP status
// (business refusals such as 1010 BAD_REQUEST arrive with HTTP 500). It matches the sentinels of its
// code's category with errors.Is ([ErrInvalidPayload], [ErrBadRequest], [ErrThrottled],
// [ErrLockedByRule], …). A request that fails client-side validation is a [*ValidationError] naming
// each bad field by its JSON name; nothing was sent. An answer that cannot be read (HTML, truncated,
// a failed GCM tag) is a [*ResponseError] wrapping [ErrMalformedResponse] or [ErrUndecryptable].
//
//	var apiErr *vaultspay.APIError
//	switch {
//	case errors.As(err, &apiErr) && apiErr.Code == vaultspay.CodeInvalidPayload:
//		reason, _ := apiErr.Field("iban")
//	case vaultspay.IsInsufficientFunds(err):
//	case errors.Is(err, vaultspay.ErrOutcomeUnknown): // see below
//	}
//
// No error string contains a header, a token or card data; a [*ResponseError] carries at most a short,
// redacted snippet of the body. [WithResponseInto] gives the status, headers, request id and decrypted
// body of any call.
//
// # Retries and money safety
//
// Retries belong to each endpoint, and each method's doc comment has a "Retries:" line. Reads, and
// updates that set a value, are retried after transport errors, throttling (429 or code 1005) and 5xx
// answers without a VaultsPay code (except 501). Calls that create or move something are retried only
// when the request provably never left this process (no header byte written) or was throttled;
// transfers and payment contacts are not retried on 429 either. An answer carrying a VaultsPay code is
// never retried, whatever its status. A token refused with its documented status (401 with 1003 or
// 1004, 400 with 1036) is refreshed and the call replayed once; any other pairing proves nothing and a
// write that meets it is an unknown outcome. Nothing below the SDK resends a write: net/http and HTTP/2
// are handed bodies they cannot rewind. [Client.Do] treats every method but GET and HEAD as moving
// money unless the call passes [WithRepeatable]. [WithRetryPolicy], [WithMaxRetries] and
// [WithMaxRetryAfter] set how often and how long to wait.
//
// The API has no idempotency key. When a call that creates or moves something may have reached the
// server but nothing proves what happened (no answer, an unreadable one, a gateway's 5xx, or a success
// that does not name the object it made), its error wraps [ErrOutcomeUnknown]: look the object up
// before repeating the call. For transfers the error is a [*TransferUnknownError], and
// [TransfersService.FindSent] does the looking up; put [NewTransferReference] in the description so
// the transfer can be recognised:
//
//	req.Description = "Rent " + vaultspay.NewTransferReference()
//	tr, err := client.Transfers.Send(ctx, req)
//	var unknown *vaultspay.TransferUnknownError
//	if errors.As(err, &unknown) {
//		found, ferr := client.Transfers.FindSent(ctx, unknown.Match())
//		// len(found) > 0: it was sent; do not send again.
//		// Empty: not visible now, which is not proof it never will be.
//	}
//
// Money is exact: [Amount] is a decimal, never a float64, and [Cents] counts minor units where the
// API does (transfer amounts).
//
// # Paging
//
// Each paginated list method returns one [Page] and has an …Iter twin that walks every page, one
// request at a time, as a range-over-func iterator ([WalletsService.ListIter],
// [WalletsService.ListLedgerIter], [TransactionsService.ListIter], [CardsService.ListReportedIssuesIter]). An error is yielded once and ends the walk; breaking out of the loop stops
// fetching.
//
//	opts := &vaultspay.LedgerListOptions{ListOptions: vaultspay.ListOptions{PerPage: 100}}
//	for entry, err := range client.Wallets.ListLedgerIter(ctx, accountID, opts) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(entry.Date, entry.Credit, entry.Debit, entry.Balance)
//	}
//
// # Webhooks
//
// VaultsPay POSTs card status changes and transfer outcomes to one URL registered in its dashboard.
// [NewWebhookHandler] receives them: POST JSON only, a size limit, de-duplication by event id, and a
// 2xx only after the function returned nil, so a failure is delivered again. [ParseEvent] reads a body
// without the handler.
//
//	http.Handle("/vaultspay/webhooks", vaultspay.NewWebhookHandler(
//		func(ctx context.Context, ev vaultspay.Event) error {
//			switch e := ev.(type) {
//			case *vaultspay.CardEvent: // e.Card.Token, e.Status.Current.Code
//			case *vaultspay.TransferEvent: // e.TransactionID, e.Status (SUCCESS or REVERSED)
//			case *vaultspay.UnknownEvent: // e.RawJSON()
//			}
//			return nil
//		}))
//
// The vendor documents no signature: without [WithWebhookVerifier] unsigned events are accepted.
//
// # Secrets
//
// The client secret, tokens, PANs, CVVs, PINs, expiry dates and KYC document numbers have their own
// types ([Secret], [PAN], [CVV], [PIN], [Expiry], [DocumentNumber]) that print masked or "[redacted]"
// with every fmt verb and in slog; only JSON (the wire) and Reveal show them.
//
// # Testing with vaultspaytest
//
// Package vaultspaytest is an in-memory, stateful fake of the API shaped like net/http/httptest. It
// speaks the real wire protocol, envelope included, and plays the VaultsPay back office: funding
// accounts, KYC decisions, card manufacturing and delivery, card purchases, a movable clock and
// injected faults.
//
//	srv := vaultspaytest.NewServer()
//	defer srv.Close()
//	client := srv.Client() // a *vaultspay.Client configured for srv
//	err := srv.FundAccount(accountID, vaultspay.MustParseAmount("250.00"))
//	err = srv.InjectFault(vaultspaytest.Fault{Method: "POST", Path: "/tc/api/v1/direct-transfer",
//		Kind: vaultspaytest.FaultResetAfterHandler}) // the next transfer lands but its answer is lost
//	err = srv.Advance(vaultspaytest.SettleDelay) // tokens age, transfers settle
//
// For tests in other languages, the command cmd/vaultspay-fake serves the same fake and prints its URL
// and credentials as one JSON line; its back office is plain JSON under /_fake/.
package vaultspay
