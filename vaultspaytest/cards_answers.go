package vaultspaytest

import (
	"encoding/json"

	"github.com/vaultspay-go/vaultspay"
)

// The fake's own wire types for card answers. Unlike the SDK's models (tolerant, omitempty) they send
// every documented field of openapi/vaultspay.yaml: false, 0, "", [] and null included.

// cardTierWire is a card tier as GET /pcs/api/v1/card-tiers answers it.
type cardTierWire struct {
	ID                        vaultspay.ID `json:"id"`
	CardCategory              string       `json:"cardCategory"`
	ConsumerType              string       `json:"consumerType"`
	Title                     string       `json:"title"`
	Description               string       `json:"description"`
	UserID                    vaultspay.ID `json:"userId"`
	CardNetwork               string       `json:"cardNetwork"`
	PaymentCardType           string       `json:"paymentCardType"`
	CardTypes                 string       `json:"cardTypes"`
	BillingCurrencyCode       string       `json:"billingCurrencyCode"`
	SettlementCurrencyCode    string       `json:"settlementCurrencyCode"`
	ExpiryPeriod              int          `json:"expiryPeriod"`
	CardStackSize             int          `json:"cardStackSize"`
	CardLimit                 int          `json:"cardLimit"`
	CardStockMinimumThreshold int          `json:"cardStockMinimumThreshold"`
	EnableAutoRenewalCard     bool         `json:"enableAutoRenewalCard"`
	Is3DS                     bool         `json:"is3DS"`
	EnableFraudRules          bool         `json:"enableFraudRules"` // the card object's tier flags, also here
	EnableLimits              bool         `json:"enableLimits"`
}

func tierWire(t vaultspay.CardTier) cardTierWire {
	return cardTierWire{ID: t.ID, CardCategory: string(t.CardCategory), ConsumerType: string(t.ConsumerType),
		Title: t.Title, Description: t.Description, UserID: t.UserID, CardNetwork: string(t.CardNetwork),
		PaymentCardType: string(t.PaymentCardType), CardTypes: t.CardTypes, BillingCurrencyCode: t.BillingCurrencyCode,
		SettlementCurrencyCode: t.SettlementCurrencyCode, ExpiryPeriod: t.ExpiryPeriod, CardStackSize: t.CardStackSize,
		CardLimit: t.CardLimit, CardStockMinimumThreshold: t.CardStockMinimumThreshold,
		EnableAutoRenewalCard: t.EnableAutoRenewalCard, Is3DS: t.Is3DS, EnableFraudRules: t.EnableFraudRules,
		EnableLimits: t.EnableLimits}
}

// cardWire is the card object (openapi components.schemas.Card).
type cardWire struct {
	ID                      vaultspay.ID                `json:"id"`
	UserID                  vaultspay.ID                `json:"userId"`
	CardIssuerConfigID      *vaultspay.ID               `json:"cardIssuerConfigId"`
	ThirdPartyConfigSlug    *string                     `json:"thirdPartyConfigSlug"`
	UserProfile             cardProfileWire             `json:"userProfile"`
	ThreeDSecure            *vaultspay.CardThreeDSecure `json:"_3dSecure"`
	Account                 cardAccountWire             `json:"account"`
	CardTier                cardTierFlagsWire           `json:"cardTier"`
	Activation              json.RawMessage             `json:"activation"` // null for a VIRTUAL card
	Manufacturing           json.RawMessage             `json:"manufacturing"`
	Delivery                json.RawMessage             `json:"delivery"`
	PaymentCardType         string                      `json:"paymentCardType"`
	CardNetwork             string                      `json:"cardNetwork"`
	CardType                string                      `json:"cardType"`
	BillingCurrency         *string                     `json:"billingCurrency"`
	EmbossName              string                      `json:"embossName"`
	LastFourDigit           *string                     `json:"lastFourDigit"`
	Token                   *vaultspay.CardToken        `json:"token"`
	TokenFlags              *string                     `json:"tokenFlags"`
	PINSet                  bool                        `json:"pinSet"`
	Status                  string                      `json:"status"`
	CardConversionStatus    *string                     `json:"cardConversionStatus"`
	CardText                *string                     `json:"cardText"`
	CardCategory            string                      `json:"cardCategory"`
	ConsumerType            string                      `json:"consumerType"`
	ReportedCards           []json.RawMessage           `json:"reportedCards"`
	MaxPurchaseLimit        *vaultspay.Amount           `json:"maxPurchaseLimit"`
	StatusReason            *string                     `json:"statusReason"`
	APICallUniqueIdentifier *string                     `json:"apiCallUniqueIdentifier"`
	CardTokens              []json.RawMessage           `json:"cardTokens"`
	ProcessedAtThirdParty   bool                        `json:"processedAtThirdParty"`
	CreatedAt               *vaultspay.Time             `json:"createdAt"`
	UpdatedAt               *vaultspay.Time             `json:"updatedAt"`
}

type cardProfileWire struct {
	ID           vaultspay.ID `json:"id"`
	PronounTitle *string      `json:"pronounTitle"`
	FirstName    *string      `json:"firstName"`
	LastName     *string      `json:"lastName"`
	Email        *string      `json:"email"`
	CountryCode  *string      `json:"countryCode"`
	Phone        *string      `json:"phone"`
	Language     *string      `json:"language"`
}

type cardAccountWire struct {
	ID            vaultspay.ID `json:"id"`
	AccountID     vaultspay.ID `json:"accountId"`
	UserID        vaultspay.ID `json:"userId"`
	AccountType   string       `json:"accountType"`
	CurrencyCode  string       `json:"currencyCode"`
	AccountTitle  string       `json:"accountTitle"`
	AccountNumber string       `json:"accountNumber"`
	IBAN          *string      `json:"iban"`
}

type cardTierFlagsWire struct {
	ID               vaultspay.ID `json:"id"`
	EnableFraudRules bool         `json:"enableFraudRules"`
	EnableLimits     bool         `json:"enableLimits"`
}

// cardWireOf is the card object of v, the fake's view of a card.
func cardWireOf(v vaultspay.Card) cardWire {
	out := cardWire{ID: v.ID, UserID: v.UserID, CardIssuerConfigID: v.CardIssuerConfigID, ThirdPartyConfigSlug: v.ThirdPartyConfigSlug,
		ThreeDSecure: v.ThreeDSecure, Activation: v.Activation, Manufacturing: v.Manufacturing, Delivery: v.Delivery,
		PaymentCardType: string(v.PaymentCardType), CardNetwork: string(v.CardNetwork), CardType: string(v.CardType),
		BillingCurrency: orNull(v.BillingCurrency), EmbossName: v.EmbossName, LastFourDigit: orNull(v.LastFourDigits),
		TokenFlags: orNull(v.TokenFlags), PINSet: v.PINSet, Status: string(v.Status),
		CardConversionStatus: orNull(string(v.CardConversionStatus)), CardText: orNull(v.CardText),
		CardCategory: string(v.CardCategory), ConsumerType: string(v.ConsumerType), ReportedCards: nonNil(v.ReportedCards),
		MaxPurchaseLimit: v.MaxPurchaseLimit, StatusReason: orNull(v.StatusReason),
		APICallUniqueIdentifier: orNull(v.APICallUniqueIdentifier), CardTokens: nonNil(v.CardTokens),
		ProcessedAtThirdParty: v.ProcessedAtThirdParty, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}
	if v.Token != 0 {
		out.Token = ptr(v.Token)
	}
	if p := v.UserProfile; p != nil {
		out.UserProfile = cardProfileWire{ID: p.ID, PronounTitle: orNull(p.PronounTitle), FirstName: orNull(p.FirstName),
			LastName: orNull(p.LastName), Email: orNull(p.Email), CountryCode: orNull(p.CountryCode), Phone: orNull(p.Phone),
			Language: orNull(p.Language)}
	}
	if a := v.Account; a != nil {
		out.Account = cardAccountWire{ID: a.ID, AccountID: a.AccountID, UserID: a.UserID, AccountType: a.AccountType,
			CurrencyCode: a.CurrencyCode, AccountTitle: a.AccountTitle, AccountNumber: a.AccountNumber, IBAN: a.IBAN}
	}
	if t := v.CardTier; t != nil {
		out.CardTier = cardTierFlagsWire{ID: t.ID, EnableFraudRules: t.EnableFraudRules, EnableLimits: t.EnableLimits}
	}
	return out
}

// cardStageWire is the small card answer of update-delivery-status, update-card-manufacturing and
// toggle-freeze-card.
type cardStageWire struct {
	CardID                  vaultspay.ID            `json:"cardId"`
	CardToken               vaultspay.CardToken     `json:"cardToken"`
	CardStatus              string                  `json:"cardStatus"`
	StatusReason            *string                 `json:"statusReason"`
	DeliveryStatus          *string                 `json:"deliveryStatus"`
	CardManufacturingStatus *string                 `json:"cardManufacturingStatus"`
	EstimatedDeliveryTime   *vaultspay.DeliveryTime `json:"estimatedDeliveryTime"`
}

func (c *cardRecord) stage() cardStageWire {
	return cardStageWire{CardID: c.ID, CardToken: c.Token, CardStatus: string(c.Status), StatusReason: orNull(c.StatusReason),
		DeliveryStatus: orNull(string(c.delivery)), CardManufacturingStatus: orNull(string(c.manufacturing)),
		EstimatedDeliveryTime: c.eta}
}

// cardActivationWire is activate-card's answer (no token, as documented).
type cardActivationWire struct {
	CardID       vaultspay.ID `json:"cardId"`
	CardStatus   string       `json:"cardStatus"`
	StatusReason *string      `json:"statusReason"`
}

// cardPINWire is set-pin's answer.
type cardPINWire struct {
	CardID    vaultspay.ID        `json:"cardId"`
	CardToken vaultspay.CardToken `json:"cardToken"`
	PINSet    bool                `json:"pinSet"`
}

// cardThreeDSWire is the answer of enroll-card-three-ds and remove-card-three-ds.
type cardThreeDSWire struct {
	CardID       vaultspay.ID               `json:"cardId"`
	CardToken    vaultspay.CardToken        `json:"cardToken"`
	CardStatus   string                     `json:"cardStatus"`
	StatusReason *string                    `json:"statusReason"`
	Card3DSecure vaultspay.CardThreeDSecure `json:"card3DSecure"`
}

// cardDeclineWire is decline-card's answer.
type cardDeclineWire struct {
	CardID       vaultspay.ID        `json:"cardId"`
	CardToken    vaultspay.CardToken `json:"cardToken"`
	CardStatus   string              `json:"cardStatus"`
	StatusReason *string             `json:"statusReason"`
	Remarks      *string             `json:"remarks"`
}

// orNull is nil for "", else a pointer to s: an unknown text is sent as null.
func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// nonNil is v, or an empty slice for nil: a documented list is sent as [], never null.
func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

// reportWire is a reported-card issue as the report routes and the list answer it.
type reportWire struct {
	ID           vaultspay.ID        `json:"id"`
	CardID       vaultspay.ID        `json:"cardId"`
	CardToken    vaultspay.CardToken `json:"cardToken"`
	Status       string              `json:"status"`
	StatusReason string              `json:"statusReason"`
	Remarks      *string             `json:"remarks"`
	CreatedAt    *vaultspay.Time     `json:"createdAt"`
	UpdatedAt    *vaultspay.Time     `json:"updatedAt"`
}

func (r *reportRecord) wire() reportWire {
	return reportWire{ID: r.ID, CardID: r.CardID, CardToken: r.CardToken, Status: string(r.Status),
		StatusReason: string(r.StatusReason), Remarks: orNull(r.Remarks), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// cardLinkWire is update-card-account's answer.
type cardLinkWire struct {
	AccountID vaultspay.ID `json:"accountId"`
	Remarks   *string      `json:"remarks"`
}

// reissueWire is the answer of renew-card and replace-card: the new card.
type reissueWire struct {
	CardID    vaultspay.ID        `json:"cardId"`
	CardToken vaultspay.CardToken `json:"cardToken"`
	Status    string              `json:"status"`
	Message   string              `json:"message"`
}
