package vaultspaytest

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/vaultspay-go/vaultspay"
)

// Back-office card actions: the card network's side (a purchase) and the production steps a card
// bureau reports (manufacturing, delivery). Each is a Server method and a /_fake/ route; the two
// production steps do what the API calls update-card-manufacturing and update-delivery-status do.

// CardPurchase makes a purchase of amount (major units, e.g. 12.50) in currency ("" is the linked
// account's) with card cardID at the fake's test merchant, as the card network would, and returns the
// SUCCESS Purchase transaction it records (visible in Transactions.List and the account's ledger). The
// card must be ACTIVE and currency the account's (the fake converts nothing). The rules engine decides
// first: a switched-on security setting of type PURCHASE or ALL for the card, or a PURCHASE limit the
// amount (with the day's or month's earlier purchases) would break, refuses it with 500 1050
// TRANSACTION_LOCKED_BY_RULE. Then the account must cover it (500 1010 "Insufficient balance"). It
// mirrors POST /_fake/cards/{id}/purchase.
//
// Errors: *vaultspay.APIError, as a client would see it (errors.Is(err, vaultspay.ErrLockedByRule)).
func (s *Server) CardPurchase(cardID vaultspay.ID, amount vaultspay.Amount, currency string) (vaultspay.Transaction, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.purchaseLocked(cardID, amount, currency)
	if err != nil {
		return vaultspay.Transaction{}, publicError(err)
	}
	return tx, nil
}

func (s *Server) purchaseLocked(cardID vaultspay.ID, amount vaultspay.Amount, currency string) (vaultspay.Transaction, error) {
	c := s.st.cards.byID[cardID]
	if c == nil {
		return vaultspay.Transaction{}, errNoCardID()
	}
	if err := needStatus(c, "cardId", "a purchase", vaultspay.CardStatusActive); err != nil {
		return vaultspay.Transaction{}, err
	}
	a := s.st.wallets.byID[c.Account.AccountID]
	var bad checks
	if amount.Sign() <= 0 || amount.Decimals() > a.Currency.DecimalPoint {
		bad.add("amount", fmt.Sprintf("must be greater than zero with at most %d decimal places", a.Currency.DecimalPoint))
	}
	if currency != "" && !strings.EqualFold(currency, a.CurrencyCode) {
		bad.add("currency", "must be the currency of the card's account, "+a.CurrencyCode)
	}
	if err := bad.err(); err != nil {
		return vaultspay.Transaction{}, err
	}
	t := ruleTxn{CardID: c.ID, Type: vaultspay.RuleTransactionTypePurchase, Amount: amount, Currency: a.CurrencyCode}
	if err := s.checkRulesLocked(t); err != nil {
		return vaultspay.Transaction{}, err
	}
	if a.Balance.Cmp(amount) < 0 {
		return vaultspay.Transaction{}, errBadRequest(http.StatusInternalServerError, vaultspay.MessageInsufficientBalance)
	}
	merchant := vaultspay.Merchant{ID: 1, MCC: "5999", Name: "VAULTSPAY TEST MERCHANT", City: "DUBAI",
		Country: "United Arab Emirates", CountryCode: "ARE"}
	narration := fmt.Sprintf("PURCHASE %s %s AT %s CARD ****%s", amount.StringFixed(a.Currency.DecimalPoint), a.CurrencyCode,
		merchant.Name, c.LastFourDigits)
	tx := s.recordTransactionLocked(vaultspay.TransactionTypePurchase, vaultspay.TransactionStatusSuccess, a,
		&vaultspay.AccountSummary{AccountTitle: merchant.Name}, amount, narration)
	tx.ThirdPartyConfigSlug, tx.Merchant, tx.Location = cardProcessor, &merchant, &vaultspay.Location{ID: 1, CountryCode: "ARE"}
	tx.Card = &vaultspay.TransactionCard{ID: c.ID, CardToken: c.Token, LastFourDigits: c.LastFourDigits, CardType: c.CardType,
		CardTierID: c.CardTier.ID, CardNetwork: string(c.CardNetwork), PaymentCardType: string(c.PaymentCardType)}
	if err := s.postLocked(a, tx.ID, amount.Neg(), narration); err != nil {
		return vaultspay.Transaction{}, err
	}
	s.recordRuleUsageLocked(t)
	return s.viewLocked(tx), nil
}

// SetCardManufacturing records a PHYSICAL card's manufacturing status (e.g. MANUFACTURED) as the card
// bureau would; the rules are update-card-manufacturing's. It mirrors POST
// /_fake/cards/{id}/manufacturing.
//
// Errors: *vaultspay.APIError.
func (s *Server) SetCardManufacturing(cardID vaultspay.ID, status vaultspay.CardManufacturingStatus) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.cardStepLocked(cardID, func(c *cardRecord) (any, error) {
		return s.manufactureLocked(c, "cardId", status, "")
	})
	return publicError(err)
}

// SetCardDelivery records a PHYSICAL card's delivery status as the courier would; DELIVERED moves it
// to PENDING_VERIFICATION. The rules are update-delivery-status's. It mirrors POST
// /_fake/cards/{id}/delivery.
//
// Errors: *vaultspay.APIError.
func (s *Server) SetCardDelivery(cardID vaultspay.ID, status vaultspay.CardDeliveryStatus) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.cardStepLocked(cardID, func(c *cardRecord) (any, error) {
		return s.deliverLocked(c, "cardId", status, nil)
	})
	return publicError(err)
}

// cardStepLocked runs step on card id; an unknown id is 1010 (00-conventions.md §14).
func (s *Server) cardStepLocked(id vaultspay.ID, step func(c *cardRecord) (any, error)) (any, error) {
	c := s.st.cards.byID[id]
	if c == nil {
		return nil, errNoCardID()
	}
	return step(c)
}

// errNoCardID is the back office's answer for an unknown card id.
func errNoCardID() *apiError {
	return errBadRequest(http.StatusBadRequest, "Card does not exist with this id")
}

// publicError turns the fake's error object into the *vaultspay.APIError a client would decode; nil
// stays nil.
func publicError(err error) error {
	var e *apiError
	if !errors.As(err, &e) {
		return err
	}
	return &vaultspay.APIError{StatusCode: e.status, Code: e.Code, Type: e.Type, Message: e.Message, Errors: e.Errors}
}

// cardControlRoutes serves the back-office card routes under /_fake/cards/{id}/.
func (s *Server) cardControlRoutes() {
	s.control.HandleFunc("POST /_fake/cards/{id}/purchase", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Amount   *vaultspay.Amount `json:"amount"`
			Currency string            `json:"currency"`
		}
		if !readControl(w, r, &in) {
			return
		}
		if in.Amount == nil {
			controlError(w, errInvalidPayload(vaultspay.FieldError{Key: "amount", Reason: "must not be blank"}))
			return
		}
		s.mu.Lock()
		tx, err := s.purchaseLocked(controlID(r), *in.Amount, in.Currency)
		s.mu.Unlock()
		replyControl(w, tx, err)
	})
	s.control.HandleFunc("POST /_fake/cards/{id}/manufacturing", func(w http.ResponseWriter, r *http.Request) {
		s.cardStep(w, r, func(c *cardRecord, status string) (any, error) {
			return s.manufactureLocked(c, "cardId", vaultspay.CardManufacturingStatus(status), "")
		})
	})
	s.control.HandleFunc("POST /_fake/cards/{id}/delivery", func(w http.ResponseWriter, r *http.Request) {
		s.cardStep(w, r, func(c *cardRecord, status string) (any, error) {
			return s.deliverLocked(c, "cardId", vaultspay.CardDeliveryStatus(status), nil)
		})
	})
}

// cardStep serves a production step route: body {"status": "..."}, answer the small card response.
func (s *Server) cardStep(w http.ResponseWriter, r *http.Request, step func(c *cardRecord, status string) (any, error)) {
	var in struct {
		Status string `json:"status"`
	}
	if !readControl(w, r, &in) {
		return
	}
	if strings.TrimSpace(in.Status) == "" {
		controlError(w, errInvalidPayload(vaultspay.FieldError{Key: "status", Reason: "must not be blank"}))
		return
	}
	s.mu.Lock()
	out, err := s.cardStepLocked(controlID(r), func(c *cardRecord) (any, error) { return step(c, in.Status) })
	s.mu.Unlock()
	replyControl(w, out, err)
}

// replyControl answers v, or err as the error object.
func replyControl(w http.ResponseWriter, v any, err error) {
	if err != nil {
		controlFail(w, err)
		return
	}
	controlReply(w, v)
}
