package vaultspay

import (
	"context"
	"net/http"
)

// EnrollThreeDSRequest is the body of Enroll Card 3DS. Schema unverified: the vendor page is missing
// and this is the project's default shape (40-cards-issuance.md §20); Extra adds or overrides
// top-level JSON fields.
type EnrollThreeDSRequest struct {
	CardRef
	Extra map[string]any `json:"-"`
}

// MarshalJSON merges Extra into the body.
func (r EnrollThreeDSRequest) MarshalJSON() ([]byte, error) {
	type plain EnrollThreeDSRequest
	return marshalWithExtra(plain(r), r.Extra)
}

// UnmarshalJSON reads what MarshalJSON writes; keys that name no field go to Extra.
func (r *EnrollThreeDSRequest) UnmarshalJSON(b []byte) error {
	type plain EnrollThreeDSRequest
	return unmarshalWithExtra(b, (*plain)(r), &r.Extra)
}

func (r *EnrollThreeDSRequest) validate() error {
	var v fieldErrors
	r.check(&v, "cardToken")
	return v.err()
}

// removeThreeDSBody is the body of Remove Card 3DS: cardId or cardToken.
type removeThreeDSBody struct {
	CardRef
}

func (r *removeThreeDSBody) validate() error {
	var v fieldErrors
	r.check(&v, "cardToken")
	return v.err()
}

// UpdateCardStatusRequest is the body of Update Card Status.
type UpdateCardStatusRequest struct {
	CardRef
	StatusReason string     `json:"statusReason"` // free text, required
	CardStatus   CardStatus `json:"cardStatus"`   // ACTIVE or BLOCK only
}

func (r *UpdateCardStatusRequest) validate() error {
	var v fieldErrors
	r.check(&v, "cardToken")
	v.require("statusReason", !blank(r.StatusReason))
	switch r.CardStatus {
	case CardStatusActive, CardStatusBlock:
	case "":
		v.add("cardStatus", "must not be blank")
	default:
		v.add("cardStatus", "must be ACTIVE or BLOCK (freeze with ToggleFreeze)")
	}
	return v.err()
}

// ToggleFreezeRequest is the body of Toggle Freeze. Schema unverified: the vendor page is missing and
// this is the project's default shape (40-cards-issuance.md §20); Extra adds or overrides top-level
// JSON fields.
type ToggleFreezeRequest struct {
	CardRef
	StatusReason *string        `json:"statusReason,omitempty"`
	Extra        map[string]any `json:"-"`
}

// MarshalJSON merges Extra into the body.
func (r ToggleFreezeRequest) MarshalJSON() ([]byte, error) {
	type plain ToggleFreezeRequest
	return marshalWithExtra(plain(r), r.Extra)
}

// UnmarshalJSON reads what MarshalJSON writes; keys that name no field go to Extra.
func (r *ToggleFreezeRequest) UnmarshalJSON(b []byte) error {
	type plain ToggleFreezeRequest
	return unmarshalWithExtra(b, (*plain)(r), &r.Extra)
}

func (r *ToggleFreezeRequest) validate() error {
	var v fieldErrors
	r.check(&v, "cardToken")
	return v.err()
}

// UpdateCardAccountRequest is the body of Update Card Linked Account (no token alternative).
type UpdateCardAccountRequest struct {
	CardID    ID `json:"cardId"`
	AccountID ID `json:"accountId"` // the Digital Wallets account to link
}

func (r *UpdateCardAccountRequest) validate() error {
	var v fieldErrors
	positive(&v, "cardId", r.CardID)
	positive(&v, "accountId", r.AccountID)
	return v.err()
}

// CardAccountLink is the answer of Update Card Linked Account: the account now linked and the
// remarks stored on the card. It does not echo the card id.
type CardAccountLink struct {
	rawJSON
	AccountID ID     `json:"accountId"`
	Remarks   string `json:"remarks,omitempty"`
}

// EnrollThreeDS enrols a card in 3-D Secure; the answer's ThreeDSecure.Status is true and the card
// status does not change. Schema unverified (see EnrollThreeDSRequest).
//
// API: POST /pcs/api/v1/enroll-card-three-ds
// Docs: not published (NOT FOUND; project default shape, 40-cards-issuance.md §20)
// Retries: only if the request provably never left this process; otherwise the error wraps
// ErrOutcomeUnknown (whether a repeat is a no-op or refused is undocumented).
// Errors: *ValidationError before any I/O; *APIError.
func (s *CardsService) EnrollThreeDS(ctx context.Context, req *EnrollThreeDSRequest,
	opts ...RequestOption) (*CardUpdate, error) {
	return callChecked[CardUpdate](ctx, s.client,
		endpoint{method: http.MethodPost, path: "/pcs/api/v1/enroll-card-three-ds", retry: retryIfUnsent}, req, opts)
}

// RemoveThreeDS withdraws a card from 3-D Secure; the answer's ThreeDSecure.Status is false and the
// card status does not change.
//
// API: POST /pcs/api/v1/remove-card-three-ds
// Docs: https://apidoc-issuance.vaultspay.dev/payment-cards/remove-card-3ds
// Retries: only if the request provably never left this process; otherwise the error wraps
// ErrOutcomeUnknown (whether removing an unenrolled card is a no-op or refused is undocumented).
// Errors: *ValidationError when card names neither id nor token; *APIError.
func (s *CardsService) RemoveThreeDS(ctx context.Context, card CardRef, opts ...RequestOption) (*CardUpdate, error) {
	return callChecked[CardUpdate](ctx, s.client,
		endpoint{method: http.MethodPost, path: "/pcs/api/v1/remove-card-three-ds", retry: retryIfUnsent},
		&removeThreeDSBody{card}, opts)
}

// UpdateStatus sets a card to CardStatusActive or CardStatusBlock. The card must currently be ACTIVE,
// BLOCK or FREEZE, so it also unfreezes or blocks a frozen card.
//
// API: POST /pcs/api/v1/update-card-status
// Docs: https://apidoc-issuance.vaultspay.dev/payment-cards/update-card-status
// Retries: only if the request provably never left this process; otherwise the error wraps
// ErrOutcomeUnknown (whether setting the current status again is accepted is undocumented).
// Errors: *ValidationError before any I/O; *APIError (no code is documented for a card in another
// status).
func (s *CardsService) UpdateStatus(ctx context.Context, req *UpdateCardStatusRequest,
	opts ...RequestOption) (*CardUpdate, error) {
	return callChecked[CardUpdate](ctx, s.client,
		endpoint{method: http.MethodPost, path: "/pcs/api/v1/update-card-status", retry: retryIfUnsent}, req, opts)
}

// ToggleFreeze flips a card between CardStatusActive and CardStatusFreeze. Schema unverified (see
// ToggleFreezeRequest); cards in other statuses are refused by the project's fake.
//
// API: POST /pcs/api/v1/toggle-freeze-card
// Docs: not published (NOT FOUND; project default shape, 40-cards-issuance.md §20)
// Retries: only if the request provably never left this process; otherwise the error wraps
// ErrOutcomeUnknown (a toggle is not idempotent: a repeat would flip the card back).
// Errors: *ValidationError before any I/O; *APIError.
func (s *CardsService) ToggleFreeze(ctx context.Context, req *ToggleFreezeRequest,
	opts ...RequestOption) (*CardUpdate, error) {
	return callChecked[CardUpdate](ctx, s.client,
		endpoint{method: http.MethodPost, path: "/pcs/api/v1/toggle-freeze-card", retry: retryIfUnsent}, req, opts)
}

// UpdateAccount links a card to another funding account.
//
// API: POST /pcs/api/v1/update-card-account
// Docs: https://apidoc-issuance.vaultspay.dev/payment-cards/update-card-account
// Retries: only if the request provably never left this process; otherwise the error wraps
// ErrOutcomeUnknown (the call moves what the card spends from; nothing documents it as repeatable).
// Errors: *ValidationError before any I/O; *APIError.
func (s *CardsService) UpdateAccount(ctx context.Context, req *UpdateCardAccountRequest,
	opts ...RequestOption) (*CardAccountLink, error) {
	return callChecked[CardAccountLink](ctx, s.client,
		endpoint{method: http.MethodPost, path: "/pcs/api/v1/update-card-account", retry: retryIfUnsent}, req, opts)
}
