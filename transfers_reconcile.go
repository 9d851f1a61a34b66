package vaultspay

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Messages of the 1010 BAD_REQUEST answers of the transfer pages. The code is shared, so only the
// message tells them apart (fragile: the vendor may reword it).
const (
	MessageInvalidIBAN         = "Invalid IBAN"
	MessageContactExists       = "Payment Contact already exists"
	MessageInsufficientBalance = "Insufficient balance" // vaultspaytest's choice; the vendor's text is lost
)

// IsInvalidIBAN reports whether err is the API's 1010 "Invalid IBAN".
func IsInvalidIBAN(err error) bool { return isBadRequest(err, MessageInvalidIBAN) }

// IsContactExists reports whether err is the API's 1010 "Payment Contact already exists".
func IsContactExists(err error) bool { return isBadRequest(err, MessageContactExists) }

// IsInsufficientFunds reports whether err is a 1010 refusal for a balance too low.
func IsInsufficientFunds(err error) bool { return isBadRequest(err, "Insufficient") }

func isBadRequest(err error, message string) bool {
	var e *APIError
	return errors.As(err, &e) && e.Code == CodeBadRequest &&
		strings.Contains(strings.ToLower(e.Message), strings.ToLower(message))
}

// TransferUnknownError is Send's error when the transfer may or may not have happened. It matches
// ErrOutcomeUnknown and unwraps to the transport or response failure. Do not send again before
// FindSent(ctx, e.Match()) has looked for it.
type TransferUnknownError struct {
	Request SendTransferRequest // what was sent
	SentAt  time.Time           // this machine's clock just before sending
	Err     error               // the failure; wraps ErrOutcomeUnknown
}

func (e *TransferUnknownError) Error() string {
	r := e.Request
	return fmt.Sprintf("vaultspay: transfer of %s %s from account %s to contact %s: %s", r.Amount, r.CurrencyCode,
		r.SenderAccountID, r.PaymentContactID, unprefixed(e.Err))
}

// Unwrap returns the failure, which wraps ErrOutcomeUnknown.
func (e *TransferUnknownError) Unwrap() error { return e.Err }

// Match returns the search FindSent needs: the same account, currency, amount and description, from
// five minutes before SentAt (allowing for clock skew).
func (e *TransferUnknownError) Match() TransferMatch {
	r := e.Request
	return TransferMatch{SenderAccountID: r.SenderAccountID, CurrencyCode: r.CurrencyCode, Amount: r.Amount,
		Description: r.Description, Since: e.SentAt.Add(-5 * time.Minute)}
}

// ContactUnknownError is CreateContact's error when the contact may or may not have been created. It
// matches ErrOutcomeUnknown. The API cannot list contacts: creating it again answers 1010 "Payment
// Contact already exists" (IsContactExists) if the first attempt landed, and then its id is lost.
type ContactUnknownError struct {
	Request CreateContactRequest // what was sent (IBAN normalized)
	SentAt  time.Time
	Err     error // the failure; wraps ErrOutcomeUnknown
}

func (e *ContactUnknownError) Error() string {
	return fmt.Sprintf("vaultspay: payment contact %q: %s", e.Request.Title, unprefixed(e.Err))
}

// Unwrap returns the failure, which wraps ErrOutcomeUnknown.
func (e *ContactUnknownError) Unwrap() error { return e.Err }

// TransferMatch describes a transfer to look for among recent transactions. Zero fields do not
// filter, except that SenderAccountID or CurrencyCode, and Amount, must be set.
type TransferMatch struct {
	SenderAccountID ID
	CurrencyCode    string
	Amount          Amount // major units, compared with the transaction's billing amount
	// Description must appear in the transaction's narration (case and spacing ignored).
	// UNKNOWN decided: the vendor does not say whether the description is echoed; vaultspaytest echoes
	// it. If your environment does not, leave it empty and match on the other fields.
	Description string
	ContactIBAN string    // when set, the receiver account's IBAN must be this one
	Since       time.Time // only transactions at or after this time (sent as startDate)
	MaxScan     int       // transactions to look at before giving up; default 1000
}

// ErrReconcileIncomplete is matched (errors.Is) by the *ReconcileIncompleteError FindSent returns when
// it stopped before covering the whole search window.
var ErrReconcileIncomplete = errors.New("vaultspay: reconciliation incomplete")

// ReconcileIncompleteError says that FindSent gave up after MaxScan transactions, before reaching the
// start of the search window: "nothing found" is then no evidence at all. Found holds what matched in
// the part scanned (non-empty still proves the transfer landed). To cover the rest, raise
// TransferMatch.MaxScan, or narrow the window with a later Since (the transfer cannot predate the
// moment it was sent).
type ReconcileIncompleteError struct {
	Scanned int           // transactions looked at
	Reached time.Time     // the oldest transaction looked at (the list is newest first)
	Since   time.Time     // the start of the window that was not reached
	Found   []Transaction // matches among the transactions scanned
}

func (e *ReconcileIncompleteError) Error() string {
	return fmt.Sprintf("vaultspay: reconciliation incomplete: stopped after %d transactions, back to %s, before reaching %s (raise TransferMatch.MaxScan or narrow Since)",
		e.Scanned, e.Reached.UTC().Format(time.RFC3339), e.Since.UTC().Format(time.RFC3339))
}

// Is reports whether target is ErrReconcileIncomplete.
func (e *ReconcileIncompleteError) Is(target error) bool { return target == ErrReconcileIncomplete }

// FindSent looks for a transfer among recent transactions (type Transfer) and returns every
// transaction that matches m, newest first as listed, each once (a transaction listed on two pages,
// because new ones pushed the list on between page fetches, is not counted twice). It is the
// reconciliation step after a *TransferUnknownError, with three outcomes:
//   - found (non-empty, nil error): the transfer landed; do not send it again;
//   - not found within the window (empty, nil error): every transaction since m.Since was looked at
//     and none matches; that is not proof that it never will appear (see the README's money-safety
//     section before sending again);
//   - incomplete (*ReconcileIncompleteError, errors.Is ErrReconcileIncomplete): the scan stopped
//     after m.MaxScan transactions before reaching m.Since, so nothing can be concluded; the error
//     holds any matches found so far and says how far back it got.
//
// API: GET /tme/api/v1/transactions (pages of 100, filtered by startDate and transactionType, then
// checked field by field here, since the list's filter names are unverified)
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code.
// Errors: *ValidationError for a match without account or currency, or without amount;
// *ReconcileIncompleteError; *APIError.
func (s *TransfersService) FindSent(ctx context.Context, m TransferMatch, opts ...RequestOption) ([]Transaction, error) {
	var v fieldErrors
	if m.SenderAccountID == 0 && m.CurrencyCode == "" {
		v.add("senderAccountId", "senderAccountId or currencyCode must be given")
	}
	if m.Amount.Sign() <= 0 {
		v.add("amount", "must be greater than zero")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	limit := m.MaxScan
	if limit <= 0 {
		limit = 1000
	}
	q := &TransactionListOptions{DateRange: DateRange{StartDate: m.Since}, TransactionType: TransactionTypeTransfer, ListOptions: ListOptions{PerPage: 100}}
	var found []Transaction
	listed := map[ID]bool{}
	seen := 0
	var reached time.Time
	for tx, err := range (*TransactionsService)(s).ListIter(ctx, q, opts...) {
		if err != nil {
			return nil, err
		}
		if seen == limit {
			// One more transaction exists past the limit: unless it is older than the window (a
			// server that ignores startDate), the window was not covered.
			if m.Since.IsZero() || !tx.DateTime.Before(m.Since) {
				return nil, &ReconcileIncompleteError{Scanned: seen, Reached: reached, Since: m.Since, Found: found}
			}
			break
		}
		seen++
		reached = tx.DateTime.Time
		if m.matches(&tx) && !listed[tx.ID] {
			listed[tx.ID] = true
			found = append(found, tx)
		}
	}
	return found, nil
}

func (m *TransferMatch) matches(tx *Transaction) bool {
	if tx.TransactionType != TransactionTypeTransfer || tx.BillingAmount == nil || tx.BillingAmount.Amount.Cmp(m.Amount) != 0 {
		return false
	}
	if !m.Since.IsZero() && tx.DateTime.Before(m.Since) {
		return false
	}
	if m.CurrencyCode != "" && !strings.EqualFold(tx.BillingAmount.CurrencyCode, m.CurrencyCode) {
		return false
	}
	if m.SenderAccountID != 0 && (tx.SenderAccount == nil || tx.SenderAccount.ID != m.SenderAccountID) {
		return false
	}
	if m.ContactIBAN != "" && (tx.ReceiverAccount == nil || NormalizeIBAN(tx.ReceiverAccount.IBAN) != NormalizeIBAN(m.ContactIBAN)) {
		return false
	}
	squash := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	return m.Description == "" || strings.Contains(squash(tx.Narration), squash(m.Description))
}

// NewTransferReference returns a random 12-character marker of upper-case letters and digits to put
// in a transfer's Description, so that FindSent can recognise that transfer (the API has no client
// reference field).
func NewTransferReference() string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
