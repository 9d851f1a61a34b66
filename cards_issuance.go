package vaultspay

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
)

// EmbossingNameOptions is the answer of Embossing Name Options.
type EmbossingNameOptions struct {
	Names []string `json:"names"`
}

// CardAddress is a card's delivery address (Create Card, Request For Conversion). Request For
// Conversion lists no AddressLine2 and no Type, and requires the coordinates.
type CardAddress struct {
	Country      string          `json:"country"` // ISO 3166-1 alpha-3, e.g. "PAK"
	State        string          `json:"state"`
	City         string          `json:"city"`
	AddressLine1 string          `json:"addressLine1"`
	AddressLine2 *string         `json:"addressLine2,omitempty"`
	Type         CardAddressType `json:"type,omitempty"` // required by Create Card
	PostalCode   string          `json:"postalCode"`
	Longitude    *string         `json:"longitude,omitempty"` // a decimal as text; not range-checked
	Latitude     *string         `json:"latitude,omitempty"`  // a decimal as text; not range-checked
}

// addressRules says which optional CardAddress fields an endpoint requires.
type addressRules struct {
	typ, coords bool
}

// check adds the problems of a sent address: every field the endpoint marks conditional is required
// once an address is given.
func (a *CardAddress) check(v *fieldErrors, rules addressRules) {
	const p = "address."
	switch {
	case blank(a.Country):
		v.add(p+"country", "must not be blank")
	case len(a.Country) != 3 || !upperLetters(a.Country):
		v.add(p+"country", "must be an ISO 3166-1 alpha-3 code such as PAK")
	}
	v.require(p+"state", !blank(a.State))
	v.require(p+"city", !blank(a.City))
	v.require(p+"addressLine1", !blank(a.AddressLine1))
	v.require(p+"postalCode", !blank(a.PostalCode))
	if rules.typ {
		v.require(p+"type", !blank(string(a.Type)))
	}
	if rules.coords {
		v.require(p+"longitude", a.Longitude != nil && !blank(*a.Longitude))
		v.require(p+"latitude", a.Latitude != nil && !blank(*a.Latitude))
	}
}

func upperLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// CreateCardRequest is the body of Create Card.
//
// UNKNOWN decided: an Address sent with a VIRTUAL card is sent as given (whether the API ignores or
// refuses it is undocumented).
type CreateCardRequest struct {
	CardTierID     ID           `json:"cardTierId"` // a CardTier.ID from ListTiers
	CustomerID     ID           `json:"customerId"` // the user who will own the card
	Address        *CardAddress `json:"address,omitempty"`
	CardType       CardType     `json:"cardType"`
	AccountID      ID           `json:"accountId"`      // the funding account
	CardHolderName string       `json:"cardHolderName"` // one of EmbossingNames(CustomerID), unchanged
}

func (r *CreateCardRequest) validate() error {
	var v fieldErrors
	positive(&v, "cardTierId", r.CardTierID)
	positive(&v, "customerId", r.CustomerID)
	positive(&v, "accountId", r.AccountID)
	switch {
	case r.CardType == "":
		v.add("cardType", "must not be blank")
	case !r.CardType.IsKnown():
		v.add("cardType", "must be PHYSICAL or VIRTUAL")
	}
	v.require("cardHolderName", !blank(r.CardHolderName))
	if r.Address != nil {
		r.Address.check(&v, addressRules{typ: true})
	} else if r.CardType == CardTypePhysical {
		v.add("address", "is required for a PHYSICAL card")
	}
	return v.err()
}

// ProcessCardRequest is the body of Process Card Request.
type ProcessCardRequest struct {
	CardID       ID         `json:"cardId"`
	Remarks      *string    `json:"remarks,omitempty"`
	StatusReason *string    `json:"statusReason,omitempty"` // stored with the new status, e.g. "new card"
	Status       CardStatus `json:"status"`                 // must be ISSUANCE_IN_PROGRESS; "" sends it
}

// MarshalJSON sends Status, or CardStatusIssuanceInProgress when it is empty.
func (r ProcessCardRequest) MarshalJSON() ([]byte, error) {
	type plain ProcessCardRequest
	if r.Status == "" {
		r.Status = CardStatusIssuanceInProgress
	}
	return json.Marshal(plain(r))
}

func (r *ProcessCardRequest) validate() error {
	var v fieldErrors
	positive(&v, "cardId", r.CardID)
	if r.Status != "" && r.Status != CardStatusIssuanceInProgress {
		v.add("status", "must be ISSUANCE_IN_PROGRESS")
	}
	return v.err()
}

// UpdateCardManufacturingRequest is the body of Update Card Manufacturing. Schema unverified: the
// vendor page is missing and this is the project's default shape (40-cards-issuance.md §20); Extra
// adds or overrides top-level JSON fields.
type UpdateCardManufacturingRequest struct {
	CardRef
	CardManufacturingStatus CardManufacturingStatus `json:"cardManufacturingStatus"` // open enum, e.g. MANUFACTURED
	StatusReason            *string                 `json:"statusReason,omitempty"`
	Extra                   map[string]any          `json:"-"`
}

// MarshalJSON merges Extra into the body.
func (r UpdateCardManufacturingRequest) MarshalJSON() ([]byte, error) {
	type plain UpdateCardManufacturingRequest
	return marshalWithExtra(plain(r), r.Extra)
}

// UnmarshalJSON reads what MarshalJSON writes; keys that name no field go to Extra.
func (r *UpdateCardManufacturingRequest) UnmarshalJSON(b []byte) error {
	type plain UpdateCardManufacturingRequest
	return unmarshalWithExtra(b, (*plain)(r), &r.Extra)
}

func (r *UpdateCardManufacturingRequest) validate() error {
	var v fieldErrors
	r.check(&v, "cardToken")
	v.require("cardManufacturingStatus", !blank(string(r.CardManufacturingStatus)))
	return v.err()
}

// UpdateCardDeliveryRequest is the body of Update Card Delivery. Note the request spells
// "estimateDeliveryTime" where the answer spells "estimatedDeliveryTime".
type UpdateCardDeliveryRequest struct {
	CardID               ID                 `json:"cardId"`
	EstimateDeliveryTime *DeliveryTime      `json:"estimateDeliveryTime,omitempty"`
	DeliveryStatus       CardDeliveryStatus `json:"deliveryStatus"` // open enum; DELIVERED moves the card on
}

func (r *UpdateCardDeliveryRequest) validate() error {
	var v fieldErrors
	positive(&v, "cardId", r.CardID)
	v.require("deliveryStatus", !blank(string(r.DeliveryStatus)))
	return v.err()
}

// ActivateCardRequest is the body of Activate Card: the card and the PAN and expiry printed on it,
// sent in clear inside the (encrypted) body. It prints and logs with the PAN and expiry masked.
//
// UNKNOWN decided: the vendor states no PAN rule; the SDK requires 12 to 19 digits passing the Luhn
// check (true of every VISA and Mastercard number) and an ExpiryDate of "MM/YY" with a real month.
type ActivateCardRequest struct {
	CardRef
	PAN        PAN    `json:"pan"`
	ExpiryDate Expiry `json:"expiryDate"` // "MM/YY", e.g. "08/28"
}

// LogValue logs the card and the masked PAN; the expiry stays redacted.
func (r ActivateCardRequest) LogValue() slog.Value {
	return slog.GroupValue(slog.Int64("cardId", int64(r.ID)), slog.Int64("cardToken", int64(r.Token)),
		slog.Any("pan", r.PAN), slog.Any("expiryDate", r.ExpiryDate))
}

func (r *ActivateCardRequest) validate() error {
	var v fieldErrors
	r.check(&v, "cardToken")
	if r.PAN == "" {
		v.add("pan", "must not be blank")
	} else if why := panShape(string(r.PAN)); why != "" {
		v.add("pan", why)
	}
	if r.ExpiryDate == "" {
		v.add("expiryDate", "must not be blank")
	} else if _, _, err := r.ExpiryDate.MonthYear(); err != nil {
		v.add("expiryDate", "must be MM/YY with a month from 01 to 12")
	}
	return v.err()
}

// SetPINRequest is the body of Set PIN. Schema unverified: the current vendor page is missing and
// this is the project's default shape (40-cards-issuance.md §20): the PIN as a digit string inside
// the encrypted body. Extra adds or overrides top-level JSON fields (for example if the live API
// wants another name). It prints and logs with the PIN redacted.
//
// UNKNOWN decided: PIN rule 4 to 6 digits.
type SetPINRequest struct {
	CardRef
	PIN   PIN            `json:"pin"`
	Extra map[string]any `json:"-"`
}

// MarshalJSON merges Extra into the body.
func (r SetPINRequest) MarshalJSON() ([]byte, error) {
	type plain SetPINRequest
	return marshalWithExtra(plain(r), r.Extra)
}

// UnmarshalJSON reads what MarshalJSON writes; keys that name no field go to Extra.
func (r *SetPINRequest) UnmarshalJSON(b []byte) error {
	type plain SetPINRequest
	return unmarshalWithExtra(b, (*plain)(r), &r.Extra)
}

// LogValue logs the card only; the PIN stays redacted and Extra is left out.
func (r SetPINRequest) LogValue() slog.Value {
	return slog.GroupValue(slog.Int64("cardId", int64(r.ID)), slog.Int64("cardToken", int64(r.Token)),
		slog.Any("pin", r.PIN))
}

func (r *SetPINRequest) validate() error {
	var v fieldErrors
	r.check(&v, "cardToken")
	if r.PIN == "" {
		v.add("pin", "must not be blank")
	} else if why := pinShape(string(r.PIN)); why != "" {
		v.add("pin", why)
	}
	return v.err()
}

// ListTiers lists the card products (tiers) the VaultsPay admin configured for the app; a tier's ID
// is CreateCardRequest.CardTierID. Read-only; the list is not paginated.
//
// API: GET /pcs/api/v1/card-tiers
// Docs: https://apidoc-issuance.vaultspay.dev/payment-cards/card-tier-listing
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code (a read).
// Errors: *APIError.
func (s *CardsService) ListTiers(ctx context.Context, opts ...RequestOption) ([]CardTier, error) {
	return listAll[CardTier](ctx, s.client,
		endpoint{method: http.MethodGet, path: "/pcs/api/v1/card-tiers", retry: retrySafe}, opts)
}

// EmbossingNames returns the names that may be printed on a card for user userID; Create's
// CardHolderName must be one of them, passed back unchanged.
//
// API: GET /pcs/api/v1/embossing-names/{userId}
// Docs: https://apidoc-issuance.vaultspay.dev/payment-cards/embossing-names
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code (a read).
// Errors: *ValidationError for a userID that is not positive; *APIError with CodeInvalidPayload and
// field "id" when the user does not exist.
func (s *CardsService) EmbossingNames(ctx context.Context, userID ID, opts ...RequestOption) ([]string, error) {
	var v fieldErrors
	positive(&v, "userId", userID)
	if err := v.err(); err != nil {
		return nil, err
	}
	out, err := call[EmbossingNameOptions](ctx, s.client, endpoint{method: http.MethodGet,
		path: "/pcs/api/v1/embossing-names/" + userID.String(), retry: retrySafe}, nil, opts)
	if err != nil {
		return nil, err
	}
	return out.Names, nil
}

// Create issues a virtual or physical card for a user, linked to a tier and a funding account. A
// physical card needs Address and then goes through SetPIN, ProcessRequest, UpdateManufacturing,
// UpdateDelivery and Activate. The status a new card starts in is not documented.
//
// API: POST /pcs/api/v1/cards
// Docs: https://apidoc-issuance.vaultspay.dev/payment-cards/create-card
// Retries: only if the request provably never left this process; otherwise the error wraps
// ErrOutcomeUnknown (the API has no idempotency key, so a retry could issue a second card).
// Errors: *ValidationError before any I/O; *APIError (the vendor documents no code for a name that
// is not an embossing name or an unknown tier or account).
func (s *CardsService) Create(ctx context.Context, req *CreateCardRequest, opts ...RequestOption) (*Card, error) {
	return callChecked[Card](ctx, s.client,
		endpoint{method: http.MethodPost, path: "/pcs/api/v1/cards", retry: retryIfUnsent}, req, opts)
}

// ProcessRequest submits a physical card whose PIN is set for production: the card moves to
// CardStatusIssuanceInProgress. req.Status may be left empty.
//
// API: POST /pcs/api/v1/process-card-request
// Docs: https://apidoc-issuance.vaultspay.dev/payment-cards/process-card-request
// Retries: only if the request provably never left this process; otherwise the error wraps
// ErrOutcomeUnknown (it starts manufacturing, and a repeat may be refused as a wrong transition).
// Errors: *ValidationError before any I/O; *APIError (e.g. the PIN is not set; no code documented).
func (s *CardsService) ProcessRequest(ctx context.Context, req *ProcessCardRequest,
	opts ...RequestOption) (*Card, error) {
	return callChecked[Card](ctx, s.client,
		endpoint{method: http.MethodPost, path: "/pcs/api/v1/process-card-request", retry: retryIfUnsent}, req, opts)
}

// UpdateManufacturing records a physical card's manufacturing status (MANUFACTURED before delivery).
// The card status does not change. Schema unverified (see UpdateCardManufacturingRequest).
//
// API: POST /pcs/api/v1/update-card-manufacturing
// Docs: not published (NOT FOUND; project default shape, 40-cards-issuance.md §20)
// Retries: only if the request provably never left this process; otherwise the error wraps
// ErrOutcomeUnknown (nothing documents the call as repeatable).
// Errors: *ValidationError before any I/O; *APIError.
func (s *CardsService) UpdateManufacturing(ctx context.Context, req *UpdateCardManufacturingRequest,
	opts ...RequestOption) (*CardUpdate, error) {
	return callChecked[CardUpdate](ctx, s.client,
		endpoint{method: http.MethodPost, path: "/pcs/api/v1/update-card-manufacturing", retry: retryIfUnsent}, req, opts)
}

// UpdateDelivery records a physical card's delivery status; DELIVERED moves the card from
// CardStatusIssuanceInProgress to CardStatusPendingVerification, ready for Activate.
//
// API: POST /pcs/api/v1/update-delivery-status
// Docs: https://apidoc-issuance.vaultspay.dev/payment-cards/update-card-delivery
// Retries: only if the request provably never left this process; otherwise the error wraps
// ErrOutcomeUnknown (a repeat after DELIVERED may be refused as a wrong transition).
// Errors: *ValidationError before any I/O; *APIError.
func (s *CardsService) UpdateDelivery(ctx context.Context, req *UpdateCardDeliveryRequest,
	opts ...RequestOption) (*CardUpdate, error) {
	return callChecked[CardUpdate](ctx, s.client,
		endpoint{method: http.MethodPost, path: "/pcs/api/v1/update-delivery-status", retry: retryIfUnsent}, req, opts)
}

// Activate activates a delivered physical card: the holder proves possession with the PAN and expiry
// printed on it. The card must be CardStatusPendingVerification and becomes CardStatusActive; the
// answer carries no card token. How a VIRTUAL card made by Renew or Replace (in
// CardStatusIssuanceInProgress) becomes ACTIVE is undocumented; the project's fake activates it here.
//
// API: POST /pcs/api/v1/activate-card
// Docs: https://apidoc-issuance.vaultspay.dev/payment-cards/activate-card
// Retries: only if the request provably never left this process; otherwise the error wraps
// ErrOutcomeUnknown (a repeat on an active card may be refused).
// Errors: *ValidationError before any I/O (its text never contains the PAN or expiry); *APIError
// (no code is documented for a wrong PAN, expiry or status).
func (s *CardsService) Activate(ctx context.Context, req *ActivateCardRequest,
	opts ...RequestOption) (*CardUpdate, error) {
	return callChecked[CardUpdate](ctx, s.client,
		endpoint{method: http.MethodPost, path: "/pcs/api/v1/activate-card", retry: retryIfUnsent}, req, opts)
}

// SetPIN sets or changes a physical card's PIN; the first PIN must be set before ProcessRequest.
// The answer's PINSet is true. Schema unverified (see SetPINRequest).
//
// API: POST /pcs/api/v1/set-pin
// Docs: not published (NOT FOUND in its current version; project default shape, 40-cards-issuance.md §20)
// Retries: only if the request provably never left this process; otherwise the error wraps
// ErrOutcomeUnknown.
// Errors: *ValidationError before any I/O (its text never contains the PIN); *APIError.
func (s *CardsService) SetPIN(ctx context.Context, req *SetPINRequest, opts ...RequestOption) (*CardUpdate, error) {
	return callChecked[CardUpdate](ctx, s.client,
		endpoint{method: http.MethodPost, path: "/pcs/api/v1/set-pin", retry: retryIfUnsent}, req, opts)
}
