package vaultspaytest

import (
	"crypto/rand"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vaultspay-go/vaultspay"
)

// SettleDelay is how long, on the fake's clock, a transfer stays PENDING before it reads SUCCESS.
const SettleDelay = time.Minute

// txRecord is a transaction of the fake. Transfers read PENDING until settleAt, then SUCCESS.
type txRecord struct {
	vaultspay.Transaction
	settleAt      time.Time      // zero: the status is final
	senderAccount *accountRecord // transfers only
	gatewayRefID  string         // transfers only: the refId of their webhook events
}

// transactionsState holds transactions in creation order.
type transactionsState struct {
	list   []*txRecord
	byID   map[vaultspay.ID]*txRecord
	nextID vaultspay.ID
}

func newTransactionsState() transactionsState {
	return transactionsState{byID: map[vaultspay.ID]*txRecord{}, nextID: 14755}
}

func (s *Server) transactionRoutes() {
	s.handle("GET /tme/api/v1/transactions", authRequired, s.listTransactions)
	s.handle("GET /tme/api/v1/transactions/{id}", authRequired, s.getTransaction)
}

// recordTransactionLocked records a transaction of amount (major units) on account a; to is the
// receiver of a transfer (nil for a deposit, where a itself receives).
func (s *Server) recordTransactionLocked(typ vaultspay.TransactionType, status vaultspay.TransactionStatus,
	a *accountRecord, to *vaultspay.AccountSummary, amount vaultspay.Amount, narration string) *txRecord {
	ts := &s.st.transactions
	ts.nextID++
	now := s.nowLocked().UTC()
	summary := &vaultspay.AccountSummary{ID: a.ID, UserID: a.UserID, AccountTitle: a.AccountTitle,
		AccountNumber: mask(a.AccountNumber), AccountType: a.AccountType}
	if a.IBAN != nil {
		summary.IBAN = *a.IBAN
	}
	billing := &vaultspay.MoneyAmount{Amount: amount, CurrencyCode: a.CurrencyCode, AmountType: vaultspay.AmountTypeBilling}
	tx := &txRecord{Transaction: vaultspay.Transaction{ID: ts.nextID, TransactionID: newUUID(), TransactionType: typ,
		DateTime: vaultspay.Time{Time: now}, Status: status, Narration: narration, BillingAmount: billing,
		TransactionAmount: &vaultspay.MoneyAmount{Amount: amount, CurrencyCode: a.CurrencyCode, AmountType: vaultspay.AmountTypeTransaction},
		Conversions:       &vaultspay.Conversions{TransactionToBillingCR: vaultspay.MustParseAmount("1")},
		Charges:           []vaultspay.Charge{}}}
	if to == nil {
		tx.ReceiverAccount, tx.ThirdPartyConfigSlug = summary, "vp-back-office"
	} else {
		tx.SenderAccount, tx.ReceiverAccount, tx.ThirdPartyConfigSlug = summary, to, "vp-direct-transfer"
	}
	if status == vaultspay.TransactionStatusPending {
		tx.settleAt = now.Add(SettleDelay)
	}
	ts.list = append(ts.list, tx)
	ts.byID[tx.ID] = tx
	return tx
}

// settleDueLocked marks every pending transfer whose settle time has passed SUCCESS and sends its
// TRANSACTION_PERFORMED event, once. It runs before transactions are read and when the clock moves,
// so settlement is seen as soon as anything can observe it.
//
// UNKNOWN decided: the vendor's event example carries 1000.00 for the documented 100000-cent transfer,
// so the fake sends the amount in major units despite the "in cents" wording.
func (s *Server) settleDueLocked() {
	now := s.nowLocked()
	for _, tx := range s.st.transactions.list {
		if tx.settleAt.IsZero() || now.Before(tx.settleAt) {
			continue
		}
		tx.Status, tx.settleAt = vaultspay.TransactionStatusSuccess, time.Time{}
		s.emitTransferEventLocked(tx.TransactionID, tx.BillingAmount.Amount, vaultspay.TransferEventSuccess, tx.gatewayRefID)
	}
}

// viewLocked is the transaction as read; callers settle what is due first (settleDueLocked).
func (s *Server) viewLocked(tx *txRecord) vaultspay.Transaction {
	out := tx.Transaction
	out.APIStatus = out.Status
	return out
}

// listTransactions answers summaries newest first, filtered by startDate, endDate, transactionType,
// currencyCode, userId (sender or receiver) and transactionId (the UUID).
func (s *Server) listTransactions(r *request) (any, error) {
	q := r.URL.Query()
	var bad checks
	from, to := queryTime(q, "startDate", &bad), queryTime(q, "endDate", &bad)
	userID := queryID(q, "userId", &bad)
	if err := bad.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleDueLocked()
	var out []txSummaryWire
	for _, tx := range slices.Backward(s.st.transactions.list) {
		if !inRange(tx.DateTime.Time, from, to) ||
			q.Get("transactionType") != "" && !strings.EqualFold(string(tx.TransactionType), q.Get("transactionType")) ||
			q.Get("currencyCode") != "" && !strings.EqualFold(tx.BillingAmount.CurrencyCode, q.Get("currencyCode")) ||
			q.Get("transactionId") != "" && tx.TransactionID != q.Get("transactionId") ||
			userID != 0 && !involves(tx, userID) {
			continue
		}
		out = append(out, summaryWire(s.viewLocked(tx)))
	}
	return paginate(r, out)
}

func involves(tx *txRecord, user vaultspay.ID) bool {
	return tx.SenderAccount != nil && tx.SenderAccount.UserID == user ||
		tx.ReceiverAccount != nil && tx.ReceiverAccount.UserID == user
}

// getTransaction answers the detail; an unknown id is 422 1000 on key id.
func (s *Server) getTransaction(r *request) (any, error) {
	id, err := pathID(r, "id", vaultspay.CodeBadRequest)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleDueLocked()
	tx := s.st.transactions.byID[id]
	if tx == nil {
		return nil, errInvalidPayload(vaultspay.FieldError{Key: "id", Reason: "Transaction does not exist with this id"})
	}
	return detailWire(s.viewLocked(tx)), nil
}

// mask keeps the last four characters: "************0907".
func mask(s string) string {
	if len(s) <= 4 {
		return s
	}
	return strings.Repeat("*", len(s)-4) + s[len(s)-4:]
}

// newUUID returns a random version 4 UUID.
func newUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
