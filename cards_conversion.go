package vaultspay

import (
	"context"
	"net/http"
)

// CardConversionRequest is the body of Request For Conversion: the virtual card and where to deliver
// the physical one, as AddressID or Address.
//
// UNKNOWN decided: the vendor says "either addressId or address is required"; the SDK requires
// exactly one, since which would win if both were sent is undocumented.
type CardConversionRequest struct {
	CardID    ID           `json:"cardId"`
	AddressID ID           `json:"addressId,omitempty"` // an existing delivery address
	Address   *CardAddress `json:"address,omitempty"`   // every field but AddressLine2 and Type is required
}

func (r *CardConversionRequest) validate() error {
	var v fieldErrors
	positive(&v, "cardId", r.CardID)
	switch {
	case r.AddressID < 0:
		v.add("addressId", "must be a positive integer")
	case r.AddressID == 0 && r.Address == nil:
		v.add("address", "addressId or address is required")
	case r.AddressID != 0 && r.Address != nil:
		v.add("address", "give addressId or address, not both")
	}
	if r.Address != nil {
		r.Address.check(&v, addressRules{coords: true})
	}
	return v.err()
}

// ProcessCardConversionRequest is the body of Process Conversion Request: approve or reject a card's
// pending conversion. Schema unverified: the vendor page is missing and this is the project's default
// shape (40-cards-issuance.md §20); Extra adds or overrides top-level JSON fields.
type ProcessCardConversionRequest struct {
	CardID               ID                   `json:"cardId"`
	CardConversionStatus CardConversionStatus `json:"cardConversionStatus"` // APPROVED or REJECTED
	Remarks              *string              `json:"remarks,omitempty"`
	Extra                map[string]any       `json:"-"`
}

// MarshalJSON merges Extra into the body.
func (r ProcessCardConversionRequest) MarshalJSON() ([]byte, error) {
	type plain ProcessCardConversionRequest
	return marshalWithExtra(plain(r), r.Extra)
}

// UnmarshalJSON reads what MarshalJSON writes; keys that name no field go to Extra.
func (r *ProcessCardConversionRequest) UnmarshalJSON(b []byte) error {
	type plain ProcessCardConversionRequest
	return unmarshalWithExtra(b, (*plain)(r), &r.Extra)
}

func (r *ProcessCardConversionRequest) validate() error {
	var v fieldErrors
	positive(&v, "cardId", r.CardID)
	switch r.CardConversionStatus {
	case CardConversionStatusApproved, CardConversionStatusRejected:
	case "":
		v.add("cardConversionStatus", "must not be blank")
	default:
		v.add("cardConversionStatus", "must be APPROVED or REJECTED")
	}
	return v.err()
}

// RequestPhysical asks for a physical card to be made from an active virtual card. The card keeps
// its status and gets CardConversionStatus APPLIED until ProcessPhysicalRequest decides.
//
// API: POST /pcs/api/v1/virtual-to-physical
// Docs: https://apidoc-issuance.vaultspay.dev/payment-cards/virtual-to-physical
// Retries: only if the request provably never left this process; otherwise the error wraps
// ErrOutcomeUnknown (it orders a physical card).
// Errors: *ValidationError before any I/O; *APIError (no code is documented for a physical card or a
// request already pending).
func (s *CardsService) RequestPhysical(ctx context.Context, req *CardConversionRequest,
	opts ...RequestOption) (*Card, error) {
	return callChecked[Card](ctx, s.client,
		endpoint{method: http.MethodPost, path: "/pcs/api/v1/virtual-to-physical", retry: retryIfUnsent}, req, opts)
}

// ProcessPhysicalRequest approves or rejects a card's pending conversion. Approval makes the card
// PHYSICAL in CardStatusIssuanceInProgress, to continue with UpdateManufacturing (project default;
// the vendor page is missing). Schema unverified (see ProcessCardConversionRequest).
//
// API: POST /pcs/api/v1/virtual-to-physical-process
// Docs: not published (NOT FOUND; project default shape, 40-cards-issuance.md §20)
// Retries: only if the request provably never left this process; otherwise the error wraps
// ErrOutcomeUnknown (approval starts a physical issuance).
// Errors: *ValidationError before any I/O; *APIError.
func (s *CardsService) ProcessPhysicalRequest(ctx context.Context, req *ProcessCardConversionRequest,
	opts ...RequestOption) (*Card, error) {
	return callChecked[Card](ctx, s.client,
		endpoint{method: http.MethodPost, path: "/pcs/api/v1/virtual-to-physical-process", retry: retryIfUnsent}, req, opts)
}
