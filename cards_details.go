package vaultspay

import (
	"context"
	"log/slog"
)

// cardLookup is the body of the card-details reads: the card's id and/or token, the token under the
// name "token" (not "cardToken").
type cardLookup struct {
	CardID ID        `json:"cardId,omitempty"`
	Token  CardToken `json:"token,omitempty"`
}

func lookup(card CardRef) *cardLookup { return &cardLookup{CardID: card.ID, Token: card.Token} }

func (r *cardLookup) validate() error {
	var v fieldErrors
	CardRef{ID: r.CardID, Token: r.Token}.check(&v, "token")
	return v.err()
}

// CardPAN is the answer of Get Card PAN. It prints and logs with the PAN masked.
type CardPAN struct {
	PAN PAN `json:"pan"` // 16 digits in the vendor's example
}

// LogValue logs the masked PAN.
func (p CardPAN) LogValue() slog.Value { return slog.GroupValue(slog.Any("pan", p.PAN)) }

// CardCVV is the answer of Get Card CVV. It prints and logs with the CVV redacted.
type CardCVV struct {
	CVV CVV `json:"cvv"` // 3 or 4 digits, as text
}

// LogValue keeps the CVV redacted.
func (c CardCVV) LogValue() slog.Value { return slog.GroupValue(slog.Any("cvv", c.CVV)) }

// CardExpiry is the answer of Get Card Expiry. It prints and logs with the expiry redacted.
type CardExpiry struct {
	Expiry Expiry `json:"expiry"` // as received; see Expiry for the MM/YY versus YY/MM question
}

// LogValue keeps the expiry redacted.
func (e CardExpiry) LogValue() slog.Value { return slog.GroupValue(slog.Any("expiry", e.Expiry)) }

// Details reads one card's full record, by id or token, in any status. It never contains the PAN,
// CVV or expiry (see PAN, CVV, Expiry).
//
// API: POST /pcs/api/v1/cards/details
// Docs: https://apidoc-issuance.vaultspay.dev/payment-cards/card-details
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code (a read, although sent as POST).
// Errors: *ValidationError when card names neither id nor token; *APIError (no code is documented
// for an unknown card).
func (s *CardsService) Details(ctx context.Context, card CardRef, opts ...RequestOption) (*Card, error) {
	return callChecked[Card](ctx, s.client,
		opCardsDetails.at(), lookup(card), opts)
}

// PAN reads a card's full number in clear (protected in transit only by TLS and the encrypted body).
// The PAN prints masked; call Reveal to use the digits, and keep access to this call audited.
//
// API: POST /pcs/api/v1/get-card-pan
// Docs: https://apidoc-issuance.vaultspay.dev/payment-cards/get-card-pan
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code (a read, although sent as POST).
// Errors: *ValidationError when card names neither id nor token; *APIError.
func (s *CardsService) PAN(ctx context.Context, card CardRef, opts ...RequestOption) (PAN, error) {
	out, err := callChecked[CardPAN](ctx, s.client,
		opCardsPAN.at(), lookup(card), opts)
	if err != nil {
		return "", err
	}
	return out.PAN, nil
}

// CVV reads a card's CVV/CVC in clear. The value prints redacted; call Reveal to use it.
//
// API: POST /pcs/api/v1/get-card-cvv
// Docs: https://apidoc-issuance.vaultspay.dev/payment-cards/get-card-cvv
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code (a read, although sent as POST).
// Errors: *ValidationError when card names neither id nor token; *APIError.
func (s *CardsService) CVV(ctx context.Context, card CardRef, opts ...RequestOption) (CVV, error) {
	out, err := callChecked[CardCVV](ctx, s.client,
		opCardsCVV.at(), lookup(card), opts)
	if err != nil {
		return "", err
	}
	return out.CVV, nil
}

// Expiry reads a card's expiry date, exactly as the API writes it. The value prints redacted; call
// Reveal for the text or MonthYear to read it as MM/YY.
//
// API: POST /pcs/api/v1/get-card-expiry
// Docs: https://apidoc-issuance.vaultspay.dev/payment-cards/get-card-expiry
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code (a read, although sent as POST).
// Errors: *ValidationError when card names neither id nor token; *APIError.
func (s *CardsService) Expiry(ctx context.Context, card CardRef, opts ...RequestOption) (Expiry, error) {
	out, err := callChecked[CardExpiry](ctx, s.client,
		opCardsExpiry.at(), lookup(card), opts)
	if err != nil {
		return "", err
	}
	return out.Expiry, nil
}
