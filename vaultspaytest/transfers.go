package vaultspaytest

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/vaultspay-go/vaultspay"
)

// contactThirdPartyConfigID is the payment rail of every contact (the vendor's example value).
const contactThirdPartyConfigID = 14

// transfersState holds payment contacts and counts transfers.
type transfersState struct {
	contacts  map[vaultspay.ID]*vaultspay.PaymentContact
	nextID    vaultspay.ID
	transfers int
}

func newTransfersState() transfersState {
	return transfersState{contacts: map[vaultspay.ID]*vaultspay.PaymentContact{}, nextID: 1994}
}

func (s *Server) transferRoutes() {
	s.handle("POST /be/api/v1/validate-iban", authRequired, s.validateIBAN)
	s.handle("POST /be/api/v1/direct-payment-contact", authRequired, s.createContact)
	s.handle("POST /tc/api/v1/direct-transfer", authRequired, s.sendTransfer)
}

// ibanBody is the body of validate-iban and the IBAN part of a contact.
type ibanBody struct {
	IBAN         string  `json:"iban"`
	AccountTitle *string `json:"accountTitle"`
}

// contactBody is the body of direct-payment-contact.
type contactBody struct {
	Title string `json:"title"`
	ibanBody
}

// lookUpIBAN is the bank look-up: 500 1010 "Invalid IBAN" for an IBAN the directory refuses, 422 on
// accountTitle when the bank has no title and none was given (with bad, the other payload problems,
// listed too).
func (s *Server) lookUpIBAN(in ibanBody, bad checks) (vaultspay.BankDetails, error) {
	s.mu.Lock()
	d, e := s.resolveIBANLocked(in.IBAN)
	s.mu.Unlock()
	if e != nil {
		if err := bad.err(); err != nil {
			return d, err
		}
		return d, e
	}
	if d.AccountTitle == "" {
		if in.AccountTitle == nil || strings.TrimSpace(*in.AccountTitle) == "" {
			bad.add("accountTitle", "Account title is missing")
		} else {
			d.AccountTitle = strings.TrimSpace(*in.AccountTitle)
		}
	}
	return d, bad.err()
}

func (s *Server) validateIBAN(r *request) (any, error) {
	in, err := decode[ibanBody](r)
	if err != nil {
		return nil, err
	}
	d, err := s.lookUpIBAN(in, nil)
	if err != nil {
		return nil, err
	}
	return vaultspay.IBANValidation{Valid: true, UniqueReference: d.IBAN, Details: d}, nil
}

// createContact saves a beneficiary for the calling app (its agent user owns every contact). A second
// contact with the same IBAN is 500 1010 "Payment Contact already exists".
func (s *Server) createContact(r *request) (any, error) {
	in, err := decode[contactBody](r)
	if err != nil {
		return nil, err
	}
	var bad checks
	if strings.TrimSpace(in.Title) == "" {
		bad.add("title", "Payment Contact Title is required")
	}
	d, err := s.lookUpIBAN(in.ibanBody, bad)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := &s.st.transfers
	owner := s.st.users.agent.ID
	for _, c := range ts.contacts {
		if c.UserID == owner && c.Details.IBAN == d.IBAN {
			return nil, errBadRequest(http.StatusInternalServerError, vaultspay.MessageContactExists)
		}
	}
	ts.nextID++
	c := &vaultspay.PaymentContact{ID: ts.nextID, Title: strings.TrimSpace(in.Title), UserID: owner, Details: d,
		Status: true, ThirdPartyConfigID: contactThirdPartyConfigID}
	ts.contacts[c.ID] = c
	return *c, nil
}

// transferBody is the wire form of a transfer: the ids are numeric text and amount an integer in
// cents (the description has checked both before the handler runs).
type transferBody struct {
	SenderAccountID  *numericText `json:"senderAccountId"`
	CurrencyCode     *string      `json:"currencyCode"`
	PaymentContactID numericText  `json:"paymentContactId"`
	Purpose          string       `json:"purpose"`
	Description      string       `json:"description"`
	Amount           int64        `json:"amount"`
}

var fakeDescription = regexp.MustCompile(`^[A-Za-z0-9 ]{1,100}$`)

// sendTransfer debits the sender and records a PENDING Transfer transaction, all under one lock.
func (s *Server) sendTransfer(r *request) (any, error) {
	in, err := decode[transferBody](r)
	if err != nil {
		return nil, err
	}
	var bad checks
	var sender vaultspay.ID
	if in.SenderAccountID != nil {
		sender = in.SenderAccountID.number(&bad, "senderAccountId")
	}
	currency, contact := deref(in.CurrencyCode), in.PaymentContactID.number(&bad, "paymentContactId")
	if sender == 0 && currency == "" {
		bad.add("senderAccountId", "senderAccountId or currencyCode is required")
	}
	bad.require("paymentContactId", contact > 0)
	if !vaultspay.Purpose(in.Purpose).IsKnown() {
		bad.add("purpose", "must be one of the documented purposes")
	}
	if !fakeDescription.MatchString(in.Description) {
		bad.add("description", "only letters, numbers and spaces, at most 100 characters")
	}
	if in.Amount <= 0 {
		bad.add("amount", "must be a positive integer amount in cents")
	}
	cents := vaultspay.NewCents(in.Amount)
	if err := bad.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, c, err := s.transferPartiesLocked(sender, contact, currency)
	if err != nil {
		return nil, err
	}
	amount, err := cents.Major(a.Currency.DecimalPoint)
	if err != nil {
		return nil, errInvalidPayload(vaultspay.FieldError{Key: "amount", Reason: "is too large"})
	}
	if a.Balance.Cmp(amount) < 0 {
		return nil, errBadRequest(http.StatusInternalServerError, vaultspay.MessageInsufficientBalance)
	}
	rule := ruleTxn{Type: ruleTypeTransfer, Amount: amount, Currency: a.CurrencyCode}
	if err := s.checkRulesLocked(rule); err != nil {
		return nil, err
	}
	narration := fmt.Sprintf("DIRECT TRANSFER %s %s TO IBAN ****%s %s", amount.StringFixed(a.Currency.DecimalPoint), a.CurrencyCode,
		c.Details.IBAN[len(c.Details.IBAN)-4:], in.Description)
	to := &vaultspay.AccountSummary{AccountTitle: c.Details.AccountTitle, AccountNumber: mask(c.Details.IBAN), IBAN: c.Details.IBAN}
	tx := s.recordTransactionLocked(vaultspay.TransactionTypeTransfer, vaultspay.TransactionStatusPending, a, to, amount, narration)
	if err := s.postLocked(a, tx.ID, amount.Neg(), narration); err != nil {
		return nil, err
	}
	s.recordRuleUsageLocked(rule)
	s.st.transfers.transfers++
	tx.senderAccount, tx.gatewayRefID = a, fmt.Sprintf("VPGW%012d", int64(tx.ID))
	return vaultspay.Transfer{ID: tx.ID, TransactionID: tx.TransactionID, GatewayRefID: tx.gatewayRefID,
		CurrencyCode: a.CurrencyCode, Amount: cents, TotalCharges: vaultspay.NewCents(0), Narration: narration,
		Status: vaultspay.TransactionStatusPending}, nil
}

// transferPartiesLocked finds the contact and the sender account: by id, or else the lowest-id
// primary account in currencyCode. Anything missing or inconsistent is 422 1000 naming the field.
func (s *Server) transferPartiesLocked(sender, contact vaultspay.ID, currency string) (*accountRecord, *vaultspay.PaymentContact, error) {
	var bad checks
	c := s.st.transfers.contacts[contact]
	if c == nil {
		bad.add("paymentContactId", "Payment Contact does not exist with this id")
	}
	var a *accountRecord
	if sender != 0 {
		if a = s.st.wallets.byID[sender]; a == nil {
			bad.add("senderAccountId", "Account does not exist with this id")
		} else if currency != "" && !strings.EqualFold(currency, a.CurrencyCode) {
			bad.add("currencyCode", "does not match the currency of the sender account")
		}
	} else {
		for _, x := range s.st.wallets.accounts {
			if x.IsPrimary && strings.EqualFold(x.CurrencyCode, currency) {
				a = x
				break
			}
		}
		if a == nil {
			bad.add("currencyCode", "No account exists in this currency")
		}
	}
	return a, c, bad.err()
}

// ReverseTransfer is the back office reversing a transfer: the amount goes back to the sender (a
// ledger credit), the transaction reads REVERSED, and a TRANSACTION_PERFORMED event with status
// REVERSED is sent to the webhook URL. It fails (*vaultspay.APIError, 1010) for an id that is not a
// transfer or was reversed. It mirrors POST /_fake/transfers/{id}/reverse.
func (s *Server) ReverseTransfer(id vaultspay.ID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.reverseLocked(id); err != nil {
		return publicError(err)
	}
	return nil
}

// reverseLocked reverses transfer id and returns its transaction; 1010 for an id that is not a
// transfer or was reversed already.
func (s *Server) reverseLocked(id vaultspay.ID) (vaultspay.Transaction, *apiError) {
	s.settleDueLocked()
	tx := s.st.transactions.byID[id]
	switch {
	case tx == nil || tx.TransactionType != vaultspay.TransactionTypeTransfer || tx.senderAccount == nil:
		return vaultspay.Transaction{}, errBadRequest(http.StatusBadRequest, "Transfer does not exist with this id")
	case tx.Status == vaultspay.TransactionStatusReversed:
		return vaultspay.Transaction{}, errBadRequest(http.StatusBadRequest, "Transfer is already reversed")
	}
	amount := tx.BillingAmount.Amount
	if err := s.postLocked(tx.senderAccount, tx.ID, amount, "REVERSAL "+tx.Narration); err != nil {
		return vaultspay.Transaction{}, err
	}
	tx.Status, tx.settleAt = vaultspay.TransactionStatusReversed, time.Time{}
	s.emitTransferEventLocked(tx.TransactionID, amount, vaultspay.TransferEventReversed, tx.gatewayRefID)
	return s.viewLocked(tx), nil
}
