package vaultspay

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
)

// CardsService issues and manages payment cards: the Payment Cards area, /pcs/api/v1. Its methods are
// split by the vendor's groups: issuance (cards_issuance.go), card details (cards_details.go),
// controls (cards_controls.go), reported cards (cards_reported.go) and conversion
// (cards_conversion.go).
//
// A physical card goes Create → SetPIN → ProcessRequest (CardStatusIssuanceInProgress) →
// UpdateManufacturing → UpdateDelivery with CardDeliveryStatusDelivered
// (CardStatusPendingVerification) → Activate (CardStatusActive). The status right after Create is
// not documented for either card type.
type CardsService service

// CardToken is a card token, the numeric surrogate of a PAN (9 digits in every vendor example). The
// vendor types it "String/Number", Integer and Number on different pages: it decodes from a number or
// a numeric string and is always sent as a JSON number. It is not secret and prints as its digits.
type CardToken int64

// String returns the decimal text.
func (t CardToken) String() string { return ID(t).String() }

// UnmarshalJSON accepts 616929771, "616929771" and null (zero).
func (t *CardToken) UnmarshalJSON(b []byte) error { return (*ID)(t).UnmarshalJSON(b) }

// CardRef names a card by its id, its token, or both. The JSON name of the token differs by endpoint
// ("token" on Card Details and Get PAN/CVV/Expiry, "cardToken" elsewhere); each method sends the right
// one. Embedded in a request it encodes as "cardId" and "cardToken". A zero field is left out.
//
// UNKNOWN decided: which one wins when id and token disagree is not documented; both are sent as
// given, and callers should name one card.
type CardRef struct {
	ID    ID        `json:"cardId,omitempty"`
	Token CardToken `json:"cardToken,omitempty"`
}

// CardByID names a card by its id.
func CardByID(id ID) CardRef { return CardRef{ID: id} }

// CardByToken names a card by its token.
func CardByToken(t CardToken) CardRef { return CardRef{Token: t} }

// check adds the problems of r: at least one of id and token, neither negative. tokenKey is the
// endpoint's JSON name for the token.
func (r CardRef) check(v *fieldErrors, tokenKey string) {
	if r.ID == 0 && r.Token == 0 {
		v.add("cardId", "cardId or "+tokenKey+" is required")
	}
	v.optionalID("cardId", r.ID)
	v.optionalID(tokenKey, ID(r.Token))
}

// blank reports whether s is empty or white space.
func blank(s string) bool { return strings.TrimSpace(s) == "" }

// CardStatus is a card's status (card object "status", small answers "cardStatus"). Open enum: the
// vendor lists no complete set, unknown values decode, and the status right after Create is not
// documented.
type CardStatus string

// Card statuses seen on the vendor pages.
const (
	CardStatusIssuanceInProgress  CardStatus = "ISSUANCE_IN_PROGRESS" // Process Card Request; a card made by Renew
	CardStatusPendingVerification CardStatus = "PENDING_VERIFICATION" // Update Card Delivery, after DELIVERED
	CardStatusActive              CardStatus = "ACTIVE"               // Activate Card, Update Card Status
	CardStatusBlock               CardStatus = "BLOCK"                // Update Card Status
	CardStatusFreeze              CardStatus = "FREEZE"               // Toggle Freeze, Decline Reported Card
)

// IsKnown reports whether s is one of the documented statuses.
func (s CardStatus) IsKnown() bool {
	switch s {
	case CardStatusIssuanceInProgress, CardStatusPendingVerification, CardStatusActive, CardStatusBlock, CardStatusFreeze:
		return true
	}
	return false
}

// CardType is a card's form factor; Create Card documents exactly these two.
type CardType string

// Card types (Create Card).
const (
	CardTypePhysical CardType = "PHYSICAL"
	CardTypeVirtual  CardType = "VIRTUAL"
)

// IsKnown reports whether t is PHYSICAL or VIRTUAL.
func (t CardType) IsKnown() bool { return t == CardTypePhysical || t == CardTypeVirtual }

// CardManufacturingStatus is a physical card's manufacturing stage. Open enum: only MANUFACTURED is
// documented (Update Card Delivery's answer).
type CardManufacturingStatus string

// CardManufacturingStatusManufactured is the one documented manufacturing status.
const CardManufacturingStatusManufactured CardManufacturingStatus = "MANUFACTURED"

// IsKnown reports whether s is MANUFACTURED.
func (s CardManufacturingStatus) IsKnown() bool { return s == CardManufacturingStatusManufactured }

// CardDeliveryStatus is a physical card's delivery stage. Open enum: only DELIVERED is documented
// (Update Card Delivery); it moves the card to CardStatusPendingVerification.
type CardDeliveryStatus string

// CardDeliveryStatusDelivered is the one documented delivery status.
const CardDeliveryStatusDelivered CardDeliveryStatus = "DELIVERED"

// IsKnown reports whether s is DELIVERED.
func (s CardDeliveryStatus) IsKnown() bool { return s == CardDeliveryStatusDelivered }

// CardCategory is a card tier's category (Card Tier Listing: "e.g." list, open enum).
type CardCategory string

// Card categories (Card Tier Listing).
const (
	CardCategoryStandard CardCategory = "STANDARD"
	CardCategoryPremium  CardCategory = "PREMIUM"
)

// IsKnown reports whether c is a documented category.
func (c CardCategory) IsKnown() bool { return c == CardCategoryStandard || c == CardCategoryPremium }

// CardConsumerType says whether a card product is for consumers or companies (Card Tier Listing).
type CardConsumerType string

// Consumer types (Card Tier Listing).
const (
	CardConsumerTypeConsumer  CardConsumerType = "CONSUMER"
	CardConsumerTypeCorporate CardConsumerType = "CORPORATE"
)

// IsKnown reports whether c is a documented consumer type.
func (c CardConsumerType) IsKnown() bool {
	return c == CardConsumerTypeConsumer || c == CardConsumerTypeCorporate
}

// CardNetwork is a card scheme (Card Tier Listing: "e.g." list, open enum). The card webhook writes
// Mastercard as "MC"; that payload is modelled with the webhooks.
type CardNetwork string

// Card networks (Card Tier Listing).
const (
	CardNetworkVisa       CardNetwork = "VISA"
	CardNetworkMastercard CardNetwork = "MASTERCARD"
)

// IsKnown reports whether n is a documented network.
func (n CardNetwork) IsKnown() bool { return n == CardNetworkVisa || n == CardNetworkMastercard }

// PaymentCardType is how a card product is funded (Card Tier Listing: "e.g." list, open enum).
type PaymentCardType string

// Payment card types (Card Tier Listing).
const (
	PaymentCardTypeCredit  PaymentCardType = "CREDIT"
	PaymentCardTypeDebit   PaymentCardType = "DEBIT"
	PaymentCardTypePrepaid PaymentCardType = "PREPAID"
)

// IsKnown reports whether t is a documented payment card type.
func (t PaymentCardType) IsKnown() bool {
	switch t {
	case PaymentCardTypeCredit, PaymentCardTypeDebit, PaymentCardTypePrepaid:
		return true
	}
	return false
}

// CardAddressType is the type of a card delivery address. Open enum: Create Card shows only MAILING
// ("e.g."); whether the KYC address types apply here is not documented.
type CardAddressType string

// CardAddressTypeMailing is the one documented card address type.
const CardAddressTypeMailing CardAddressType = "MAILING"

// IsKnown reports whether t is MAILING.
func (t CardAddressType) IsKnown() bool { return t == CardAddressTypeMailing }

// CardConversionStatus is the state of a virtual-to-physical conversion request ("cardConversionStatus").
//
// UNKNOWN decided: the vendor page shows only the prefix "APP…"; the values are the project's choice
// (40-cards-issuance.md §20): a request is APPLIED, and is then APPROVED or REJECTED.
type CardConversionStatus string

// Conversion statuses (project choice, see the type).
const (
	CardConversionStatusApplied  CardConversionStatus = "APPLIED"
	CardConversionStatusApproved CardConversionStatus = "APPROVED"
	CardConversionStatusRejected CardConversionStatus = "REJECTED"
)

// IsKnown reports whether s is one of the chosen values.
func (s CardConversionStatus) IsKnown() bool {
	switch s {
	case CardConversionStatusApplied, CardConversionStatusApproved, CardConversionStatusRejected:
		return true
	}
	return false
}

// Card is the card object: Create Card, Process Card Request, Card Details and Request For
// Conversion answer it. No vendor page shows it whole, so it is the union of every field named, it
// keeps the JSON it was decoded from (RawJSON), and objects whose insides are undocumented stay raw.
//
// It decodes every documented spelling: "_3dSecure", "_3dsecure" and "card3DSecure"; "lastFourDigit"
// and "lastFourDigits"; "status" and "cardStatus"; "id" and "cardId"; "token" and "cardToken". It
// encodes with the first of each. A Card never holds the PAN, CVV or expiry, and it prints and logs
// only its id, status, type and last four digits (its raw objects and the cardholder's profile stay
// out of logs).
type Card struct {
	rawJSON
	ID                      ID                   `json:"id"`
	UserID                  ID                   `json:"userId"`
	CardIssuerConfigID      *ID                  `json:"cardIssuerConfigId,omitempty"`   // not in Process Card Request's table
	ThirdPartyConfigSlug    *string              `json:"thirdPartyConfigSlug,omitempty"` // issuer slug, if any
	UserProfile             *CardUserProfile     `json:"userProfile,omitempty"`
	ThreeDSecure            *CardThreeDSecure    `json:"_3dSecure,omitempty"` // nil when the card has no 3DS record
	Account                 *CardAccount         `json:"account,omitempty"`
	CardTier                *CardTier            `json:"cardTier,omitempty"`      // id and flags only
	Activation              json.RawMessage      `json:"activation,omitempty"`    // sub-fields undocumented
	Manufacturing           json.RawMessage      `json:"manufacturing,omitempty"` // sub-fields undocumented
	Delivery                json.RawMessage      `json:"delivery,omitempty"`      // sub-fields undocumented
	PaymentCardType         PaymentCardType      `json:"paymentCardType,omitempty"`
	CardNetwork             CardNetwork          `json:"cardNetwork,omitempty"`
	CardType                CardType             `json:"cardType,omitempty"`
	BillingCurrency         string               `json:"billingCurrency,omitempty"`
	EmbossName              string               `json:"embossName,omitempty"`    // the cardHolderName given to Create
	LastFourDigits          string               `json:"lastFourDigit,omitempty"` // "" until the PAN exists
	Token                   CardToken            `json:"token,omitempty"`         // 0 until the card has one
	TokenFlags              string               `json:"tokenFlags,omitempty"`    // bit mask, format undocumented
	PINSet                  bool                 `json:"pinSet"`                  // set by SetPIN
	Status                  CardStatus           `json:"status"`                  // open enum
	CardConversionStatus    CardConversionStatus `json:"cardConversionStatus,omitempty"`
	CardText                string               `json:"cardText,omitempty"` // status or action text
	CardCategory            CardCategory         `json:"cardCategory,omitempty"`
	ConsumerType            CardConsumerType     `json:"consumerType,omitempty"`
	ReportedCards           []json.RawMessage    `json:"reportedCards,omitempty"`    // element shape undocumented
	MaxPurchaseLimit        *Amount              `json:"maxPurchaseLimit,omitempty"` // unit and currency undocumented
	StatusReason            string               `json:"statusReason,omitempty"`
	APICallUniqueIdentifier string               `json:"apiCallUniqueIdentifier,omitempty"`
	CardTokens              []json.RawMessage    `json:"cardTokens,omitempty"` // element shape undocumented
	ProcessedAtThirdParty   bool                 `json:"processedAtThirdParty"`
	CreatedAt               *Time                `json:"createdAt,omitempty"`
	UpdatedAt               *Time                `json:"updatedAt,omitempty"`
}

// proves: a card answer names the card.
func (c *Card) proves() bool { return c.ID > 0 }

// cardFields is Card without its methods; cardWire adds the other spellings of its fields.
type cardFields Card

type cardWire struct {
	*cardFields
	CardID         *ID               `json:"cardId"`
	CardToken      *CardToken        `json:"cardToken"`
	CardStatus     *CardStatus       `json:"cardStatus"`
	LastFourDigits *string           `json:"lastFourDigits"`
	Card3DSecure   *CardThreeDSecure `json:"card3DSecure"`
}

// UnmarshalJSON decodes every documented spelling (see Card).
func (c *Card) UnmarshalJSON(b []byte) error {
	w := cardWire{cardFields: (*cardFields)(c)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	orElse(&c.ID, w.CardID)
	orElse(&c.Token, w.CardToken)
	orElse(&c.Status, w.CardStatus)
	orElse(&c.LastFourDigits, w.LastFourDigits)
	if c.ThreeDSecure == nil {
		c.ThreeDSecure = w.Card3DSecure
	}
	return nil
}

// orElse sets *dst to *alt when *dst is the zero value and alt was sent.
func orElse[T comparable](dst *T, alt *T) {
	var zero T
	if *dst == zero && alt != nil {
		*dst = *alt
	}
}

// String shows the id, status, card type and last four digits only.
func (c Card) String() string {
	return fmt.Sprintf("vaultspay.Card{ID: %d, Status: %s, CardType: %s, LastFourDigits: %s}",
		int64(c.ID), c.Status, c.CardType, c.LastFourDigits)
}

// Format prints String for every verb, so no verb reaches the profile or the raw objects.
func (c Card) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// GoString keeps %#v as safe as %v.
func (c Card) GoString() string { return c.String() }

// LogValue logs the id, status, card type and last four digits only.
func (c Card) LogValue() slog.Value {
	return slog.GroupValue(slog.Int64("id", int64(c.ID)), slog.String("status", string(c.Status)),
		slog.String("cardType", string(c.CardType)), slog.String("last4", c.LastFourDigits))
}

// CardUserProfile is the cardholder's short profile inside a Card.
type CardUserProfile struct {
	ID           ID     `json:"id"` // profile id, not the user id
	PronounTitle string `json:"pronounTitle,omitempty"`
	FirstName    string `json:"firstName,omitempty"`
	LastName     string `json:"lastName,omitempty"`
	Email        string `json:"email,omitempty"`
	CountryCode  string `json:"countryCode,omitempty"` // dial code without "+", e.g. "92"
	Phone        string `json:"phone,omitempty"`
	Language     string `json:"language,omitempty"`
}

// CardThreeDSecure is a card's 3-D Secure record ("_3dSecure", "_3dsecure" or "card3DSecure").
type CardThreeDSecure struct {
	ID       ID   `json:"id"`
	ConfigID ID   `json:"configId"`
	Status   bool `json:"status"` // true while the card is enrolled
}

// CardAccount is the funding account linked to a card.
type CardAccount struct {
	ID            ID      `json:"id"`        // the link record's id
	AccountID     ID      `json:"accountId"` // the Digital Wallets account id
	UserID        ID      `json:"userId"`
	AccountType   string  `json:"accountType,omitempty"` // e.g. "DIGITAL"
	CurrencyCode  string  `json:"currencyCode,omitempty"`
	AccountTitle  string  `json:"accountTitle,omitempty"`
	AccountNumber string  `json:"accountNumber,omitempty"`
	IBAN          *string `json:"iban,omitempty"` // null until assigned
}

// CardTier is a card product configured for the app (ListTiers). Inside a Card only ID and the two
// Enable flags are present. The listing's table is cut after Is3DS; RawJSON keeps any later field.
type CardTier struct {
	rawJSON
	ID                        ID               `json:"id"` // cardTierId for Create
	CardCategory              CardCategory     `json:"cardCategory,omitempty"`
	ConsumerType              CardConsumerType `json:"consumerType,omitempty"`
	Title                     string           `json:"title,omitempty"`
	Description               string           `json:"description,omitempty"`
	UserID                    ID               `json:"userId,omitempty"` // the admin who configured it
	CardNetwork               CardNetwork      `json:"cardNetwork,omitempty"`
	PaymentCardType           PaymentCardType  `json:"paymentCardType,omitempty"`
	CardTypes                 string           `json:"cardTypes,omitempty"` // PHYSICAL, VIRTUAL or both (spelling undocumented)
	BillingCurrencyCode       string           `json:"billingCurrencyCode,omitempty"`
	SettlementCurrencyCode    string           `json:"settlementCurrencyCode,omitempty"`
	ExpiryPeriod              int              `json:"expiryPeriod,omitempty"` // card validity; months or years is undocumented
	CardStackSize             int              `json:"cardStackSize,omitempty"`
	CardLimit                 int              `json:"cardLimit,omitempty"` // most cards under this tier
	CardStockMinimumThreshold int              `json:"cardStockMinimumThreshold,omitempty"`
	EnableAutoRenewalCard     bool             `json:"enableAutoRenewalCard,omitempty"`
	Is3DS                     bool             `json:"is3DS,omitempty"`
	EnableFraudRules          bool             `json:"enableFraudRules"`
	EnableLimits              bool             `json:"enableLimits"`
}

// CardUpdate is the small answer of the calls that change one card: its id, token, status and reason,
// plus whatever the call changed (delivery, manufacturing, PIN, 3-D Secure, remarks). It decodes
// "cardId"/"id", "cardToken"/"token" and "cardStatus"/"status" (Update Card Status uses the short
// names) and encodes with the first of each. A zero CardToken means the answer carried none
// (Activate Card sends no token).
type CardUpdate struct {
	rawJSON
	CardID                  ID                      `json:"cardId"`
	CardToken               CardToken               `json:"cardToken,omitempty"`
	Status                  CardStatus              `json:"cardStatus,omitempty"`
	StatusReason            string                  `json:"statusReason,omitempty"`
	DeliveryStatus          CardDeliveryStatus      `json:"deliveryStatus,omitempty"`
	CardManufacturingStatus CardManufacturingStatus `json:"cardManufacturingStatus,omitempty"`
	EstimatedDeliveryTime   *DeliveryTime           `json:"estimatedDeliveryTime,omitempty"`
	PINSet                  *bool                   `json:"pinSet,omitempty"`       // SetPIN
	ThreeDSecure            *CardThreeDSecure       `json:"card3DSecure,omitempty"` // EnrollThreeDS, RemoveThreeDS
	Remarks                 string                  `json:"remarks,omitempty"`      // Decline
}

type cardUpdateFields CardUpdate

type cardUpdateWire struct {
	*cardUpdateFields
	ID     *ID         `json:"id"`
	Token  *CardToken  `json:"token"`
	Status *CardStatus `json:"status"`
}

// UnmarshalJSON decodes both spellings (see CardUpdate).
func (u *CardUpdate) UnmarshalJSON(b []byte) error {
	w := cardUpdateWire{cardUpdateFields: (*cardUpdateFields)(u)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	orElse(&u.CardID, w.ID)
	orElse(&u.CardToken, w.Token)
	orElse(&u.Status, w.Status)
	return nil
}

// DeliveryTime is an estimated delivery time: a wall-clock date and time without a zone, as Update
// Card Delivery writes it. It decodes "2024-12-24T12:00", "2024-12-24T12:00:00" (with or without a
// fraction) and every other form Time accepts, and is sent as "2024-12-24T12:00" (the request's
// documented form; seconds are dropped).
//
// UNKNOWN decided: the vendor names no time zone; the wall clock is kept as written (zone-less text
// decodes as UTC) and sent in t's own location.
type DeliveryTime struct {
	time.Time
}

// MarshalJSON writes "2006-01-02T15:04", or null for the zero time.
func (t DeliveryTime) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + t.Format("2006-01-02T15:04") + `"`), nil
}

// UnmarshalJSON accepts what Time accepts.
func (t *DeliveryTime) UnmarshalJSON(b []byte) error { return (*Time)(t).UnmarshalJSON(b) }
