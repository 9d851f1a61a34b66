package vaultspay_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

const (
	transferPath = "/tc/api/v1/direct-transfer"
	contactPath  = "/be/api/v1/direct-payment-contact"
)

// newContact saves iban as a payment contact.
func newContact(t testing.TB, client *vaultspay.Client, iban string) *vaultspay.PaymentContact {
	t.Helper()
	c, err := client.Transfers.CreateContact(context.Background(), &vaultspay.CreateContactRequest{Title: "Landlord", IBAN: iban})
	require.NoError(t, err)
	return c
}

func rent(a *vaultspay.Account, c *vaultspay.PaymentContact, amount string) *vaultspay.SendTransferRequest {
	return &vaultspay.SendTransferRequest{SenderAccountID: a.ID, CurrencyCode: a.CurrencyCode, PaymentContactID: c.ID,
		Purpose: vaultspay.PurposeRent, Description: "Rent " + vaultspay.NewTransferReference(), Amount: vaultspay.MustParseAmount(amount)}
}

// TestFakeTransferFlow: validate, save the contact, send, and find the transfer in the ledger and the
// transactions, PENDING until the fake's clock passes SettleDelay.
func TestFakeTransferFlow(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	client := srv.Client()
	ctx := context.Background()
	a := openAccount(t, srv, client, "5000.00")

	v, err := client.Transfers.ValidateIBAN(ctx, &vaultspay.ValidateIBANRequest{IBAN: "AE58 0300 0000 0200 0007 377"})
	require.NoError(t, err)
	assert.True(t, v.Valid)
	assert.Equal(t, "johm*", v.Details.AccountTitle)
	c := newContact(t, client, v.Details.IBAN)
	assert.Equal(t, "INVESTBANK", c.Details.BankName)

	req := rent(a, c, "1000.00")
	tr, err := client.Transfers.Send(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, vaultspay.TransactionStatusPending, tr.Status)
	assert.Equal(t, "100000", tr.Amount.String())
	assert.Equal(t, "0", tr.TotalCharges.String())

	got, err := client.Wallets.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, "4000", got.Balance.String())
	ledger, err := client.Wallets.ListLedger(ctx, a.ID, nil)
	require.NoError(t, err)
	require.Len(t, ledger.Items, 2)
	assert.Equal(t, "1000", ledger.Items[0].Debit.String())
	assert.Equal(t, tr.ID, ledger.Items[0].TransactionID)

	tx, err := client.Transactions.Get(ctx, tr.ID)
	require.NoError(t, err)
	assert.Equal(t, vaultspay.TransactionTypeTransfer, tx.TransactionType)
	assert.Equal(t, vaultspay.TransactionStatusPending, tx.Status)
	assert.Equal(t, tr.TransactionID, tx.TransactionID)
	assert.Equal(t, vaultspaytest.TestIBANInvestBank, tx.ReceiverAccount.IBAN)
	assert.Contains(t, tx.Narration, req.Description)

	list, err := client.Transactions.List(ctx, &vaultspay.TransactionListOptions{TransactionType: vaultspay.TransactionTypeTransfer})
	require.NoError(t, err)
	require.Len(t, list.Items, 1)
	assert.Nil(t, list.Items[0].Charges, "summaries leave out the detail fields")
	found, err := client.Transfers.FindSent(ctx, vaultspay.TransferMatch{SenderAccountID: a.ID, Amount: req.Amount,
		Description: req.Description, ContactIBAN: vaultspaytest.TestIBANInvestBank, Since: time.Now().Add(-time.Minute)})
	require.NoError(t, err)
	require.Len(t, found, 1)
	assert.Equal(t, tr.ID, found[0].ID)

	require.NoError(t, srv.Advance(vaultspaytest.SettleDelay))
	tx, err = client.Transactions.Get(ctx, tr.ID)
	require.NoError(t, err)
	assert.Equal(t, vaultspay.TransactionStatusSuccess, tx.Status)

	_, err = client.Transfers.Send(ctx, rent(a, c, "4000.01"))
	require.True(t, vaultspay.IsInsufficientFunds(err), "%v", err)
	assert.NotErrorIs(t, err, vaultspay.ErrOutcomeUnknown)
	assert.Equal(t, 1, srv.State().Transfers)
	got, err = client.Wallets.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, "4000", got.Balance.String(), "a refused transfer moves nothing")

	_, err = client.Transfers.Send(ctx, rent(a, c, "4000"))
	require.NoError(t, err, "the whole balance can go")
}

func TestFakeContactsAndIBANs(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	client := srv.Client()
	ctx := context.Background()

	v, err := client.Transfers.ValidateIBAN(ctx, &vaultspay.ValidateIBANRequest{IBAN: "GB82WEST12345698765432"})
	require.NoError(t, err, "any valid IBAN resolves (00-conventions §13)")
	assert.True(t, v.Valid)
	require.NoError(t, srv.RegisterIBAN(vaultspaytest.IBANEntry{IBAN: "GB82WEST12345698765432", Unknown: true}))
	_, err = client.Transfers.ValidateIBAN(ctx, &vaultspay.ValidateIBANRequest{IBAN: "GB82WEST12345698765432"})
	require.True(t, vaultspay.IsInvalidIBAN(err), "a well-formed IBAN registered as unknown at the bank: %v", err)
	_, err = client.Transfers.ValidateIBAN(ctx, &vaultspay.ValidateIBANRequest{IBAN: vaultspaytest.TestIBANNoTitle})
	var apiErr *vaultspay.APIError
	require.ErrorAs(t, err, &apiErr)
	reason, ok := apiErr.Field("accountTitle")
	assert.True(t, ok)
	assert.Equal(t, "Account title is missing", reason)
	v, err = client.Transfers.ValidateIBAN(ctx, &vaultspay.ValidateIBANRequest{IBAN: vaultspaytest.TestIBANNoTitle, AccountTitle: vaultspay.Ptr("Omar Khan")})
	require.NoError(t, err)
	assert.Equal(t, "Omar Khan", v.Details.AccountTitle)

	c := newContact(t, client, vaultspaytest.TestIBANZand)
	assert.Equal(t, "Adamz Ahme*", c.Details.AccountTitle)
	_, err = client.Transfers.CreateContact(ctx, &vaultspay.CreateContactRequest{Title: "Again", IBAN: "ae68 0961 0006 4806 0000 040"})
	require.True(t, vaultspay.IsContactExists(err), "%v", err)
	_, err = client.Transfers.CreateContact(ctx, &vaultspay.CreateContactRequest{Title: "Unknown", IBAN: "GB82WEST12345698765432"})
	require.True(t, vaultspay.IsInvalidIBAN(err), "%v", err)
	assert.Equal(t, 1, srv.State().PaymentContacts)
}

// faultCase is one way the network fails a write; landed says whether the fake's handler ran.
type faultCase struct {
	name    string
	fault   vaultspaytest.Fault
	timeout time.Duration // per-attempt timeout of the client
	landed  bool
}

func faultCases(path string) []faultCase {
	f := func(kind vaultspaytest.FaultKind) vaultspaytest.Fault {
		return vaultspaytest.Fault{Method: http.MethodPost, Path: path, Kind: kind}
	}
	status := func(code int, body string, header map[string]string) vaultspaytest.Fault {
		x := f(vaultspaytest.FaultStatus)
		x.Status, x.Body, x.Header = code, body, header
		return x
	}
	delay := f(vaultspaytest.FaultDelay)
	delay.MS = 60_000
	return []faultCase{
		{name: "connection reset after the request was written", fault: f(vaultspaytest.FaultResetAfterHandler), landed: true},
		{name: "response timeout", fault: delay, timeout: 500 * time.Millisecond},
		{name: "500 without a VaultsPay code", fault: status(500, "", nil)},
		{name: "502 from a gateway", fault: status(502, "<html><body>502 Bad Gateway</body></html>", nil)},
		{name: "503", fault: status(503, "", nil)},
		{name: "429 with Retry-After", fault: status(429, `{"code":1005,"message":"Too many requests. Please try again later.","type":"THROTTLE"}`,
			map[string]string{"Retry-After": "1"})},
		{name: "truncated response", fault: f(vaultspaytest.FaultTruncateBody), landed: true},
		{name: "connection reset before the handler", fault: f(vaultspaytest.FaultResetBeforeHandler)},
		{name: "corrupted ciphertext", fault: f(vaultspaytest.FaultCorruptCiphertext), landed: true},
	}
}

// TestFakeTransferFaults sends a transfer through each fault: every one returns the outcome-unknown
// error carrying the request, the fake holds exactly one transfer when its handler ran and none
// otherwise, the request reached the server once, and FindSent reconciles to the same answer.
func TestFakeTransferFaults(t *testing.T) {
	var runs, duplicates atomic.Int64
	t.Cleanup(func() {
		t.Logf("transfer fault cases run: %d, duplicate transfers: %d", runs.Load(), duplicates.Load())
	})
	for _, tt := range faultCases(transferPath) {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t)
			client := srv.Client(fastRetries)
			ctx := context.Background()
			a := openAccount(t, srv, client, "100.00")
			c := newContact(t, client, vaultspaytest.TestIBANInvestBank)
			sender := srv.Client(fastRetries, vaultspay.WithRequestTimeout(tt.timeout))
			require.NoError(t, sender.Login(ctx))
			require.NoError(t, srv.InjectFault(tt.fault))
			req := rent(a, c, "25.00")

			_, err := sender.Transfers.Send(ctx, req)
			runs.Add(1)
			require.ErrorIs(t, err, vaultspay.ErrOutcomeUnknown)
			var unknown *vaultspay.TransferUnknownError
			require.ErrorAs(t, err, &unknown)
			assert.Equal(t, *req, unknown.Request)

			want := 0
			if tt.landed {
				want = 1
			}
			got := srv.State().Transfers
			duplicates.Add(int64(max(got-1, 0)))
			assert.Equal(t, want, got, "transfers in the fake")
			assert.Equal(t, 1, srv.CountRequests(http.MethodPost, transferPath), "never sent twice")

			found, err := client.Transfers.FindSent(ctx, unknown.Match())
			require.NoError(t, err)
			assert.Len(t, found, want, "reconciliation agrees with the fake")
			acct, err := client.Wallets.Get(ctx, a.ID)
			require.NoError(t, err)
			assert.Equal(t, []string{"100", "75"}[want], acct.Balance.String())
		})
	}
}

// TestFakeContactFaults: the same faults on CreateContact.
func TestFakeContactFaults(t *testing.T) {
	var runs atomic.Int64
	t.Cleanup(func() { t.Logf("contact fault cases run: %d", runs.Load()) })
	for _, tt := range faultCases(contactPath) {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t)
			client := srv.Client(fastRetries, vaultspay.WithRequestTimeout(tt.timeout))
			require.NoError(t, client.Login(context.Background()))
			require.NoError(t, srv.InjectFault(tt.fault))
			_, err := client.Transfers.CreateContact(context.Background(), &vaultspay.CreateContactRequest{Title: "Landlord", IBAN: vaultspaytest.TestIBANZand})
			runs.Add(1)
			var unknown *vaultspay.ContactUnknownError
			require.ErrorAs(t, err, &unknown)
			require.ErrorIs(t, err, vaultspay.ErrOutcomeUnknown)
			want := 0
			if tt.landed {
				want = 1
			}
			assert.Equal(t, want, srv.State().PaymentContacts)
			assert.Equal(t, 1, srv.CountRequests(http.MethodPost, contactPath))
		})
	}
}

// failFirstDial fails the first request to path as a refused dial, before anything is written.
type failFirstDial struct {
	inner  http.RoundTripper
	path   string
	failed atomic.Bool
}

func (f *failFirstDial) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path == f.path && f.failed.CompareAndSwap(false, true) {
		if r.Body != nil {
			_ = r.Body.Close()
		}
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	}
	return f.inner.RoundTrip(r)
}

// TestFakeTransferDialFailureRetried: a transfer that never left is retried and happens once.
func TestFakeTransferDialFailureRetried(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	inner := &http.Transport{}
	t.Cleanup(inner.CloseIdleConnections)
	rt := &failFirstDial{inner: inner, path: transferPath}
	client := srv.Client(fastRetries, vaultspay.WithHTTPClient(&http.Client{Transport: rt}))
	a := openAccount(t, srv, client, "100.00")
	c := newContact(t, client, vaultspaytest.TestIBANInvestBank)

	var res vaultspay.Response
	tr, err := client.Transfers.Send(context.Background(), rent(a, c, "10"), vaultspay.WithResponseInto(&res))
	require.NoError(t, err)
	assert.True(t, rt.failed.Load(), "the first dial failed")
	assert.Equal(t, 2, res.Attempts)
	assert.Equal(t, 1, srv.State().Transfers)
	assert.Equal(t, 1, srv.CountRequests(http.MethodPost, transferPath))
	assert.Equal(t, "1000", tr.Amount.String())
	assert.False(t, errors.Is(err, vaultspay.ErrOutcomeUnknown))
}

// TestFindSentSaysWhenItGaveUp: with five transfers in the window, a scan of three cannot say "not
// found"; it says how far it got, and still reports a match it saw. A scan that covers the window
// answers found or not found with a nil error.
func TestFindSentSaysWhenItGaveUp(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	client := srv.Client()
	ctx := context.Background()
	a := openAccount(t, srv, client, "5000.00")
	c := newContact(t, client, vaultspaytest.TestIBANInvestBank)
	var sent []*vaultspay.SendTransferRequest
	for _, amount := range []string{"10.00", "11.00", "12.00", "13.00", "14.00"} {
		req := rent(a, c, amount)
		_, err := client.Transfers.Send(ctx, req)
		require.NoError(t, err)
		sent = append(sent, req)
	}
	since := time.Now().Add(-time.Hour)
	match := func(req *vaultspay.SendTransferRequest, maxScan int) vaultspay.TransferMatch {
		return vaultspay.TransferMatch{SenderAccountID: a.ID, Amount: req.Amount, Description: req.Description, Since: since, MaxScan: maxScan}
	}
	absent := &vaultspay.SendTransferRequest{Amount: vaultspay.MustParseAmount("99.00"), Description: "never sent"}

	tests := []struct {
		name       string
		m          vaultspay.TransferMatch
		incomplete bool
		found      int
	}{
		{"not found within the window", match(absent, 10), false, 0},
		{"window exactly covered", match(absent, 5), false, 0},
		{"gave up before the window's start", match(absent, 3), true, 0},
		{"found", match(sent[4], 10), false, 1},
		{"found, though the scan gave up", match(sent[4], 2), true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			found, err := client.Transfers.FindSent(ctx, tt.m)
			if !tt.incomplete {
				require.NoError(t, err)
				assert.Len(t, found, tt.found)
				return
			}
			require.ErrorIs(t, err, vaultspay.ErrReconcileIncomplete)
			assert.Nil(t, found, "an incomplete scan answers through its error")
			var inc *vaultspay.ReconcileIncompleteError
			require.ErrorAs(t, err, &inc)
			assert.Equal(t, tt.m.MaxScan, inc.Scanned)
			assert.Len(t, inc.Found, tt.found)
			assert.False(t, inc.Reached.IsZero(), "says how far back it got")
			assert.Contains(t, err.Error(), "MaxScan")
		})
	}
}
