package vaultspaytest

import (
	"time"

	"github.com/vaultspay-go/vaultspay"
)

// The request bodies of the card handlers, as openapi/vaultspay.yaml declares them: exact JSON names
// and types, optional fields as pointers. The description has checked each body before the handler
// runs; these types only carry it.

// cardRefBody names a card by cardId, cardToken or both (CardRef); the other bodies embed it.
type cardRefBody struct {
	CardID    *int64 `json:"cardId"`
	CardToken *int64 `json:"cardToken"`
}

// key is the card b names; a field not sent is 0.
func (b *cardRefBody) key() cardKey {
	return byRef(vaultspay.CardRef{ID: vaultspay.ID(deref(b.CardID)), Token: vaultspay.CardToken(deref(b.CardToken))})
}

// cardAddressBody is a delivery address: CardAddress (Create Card, type required) or
// ConversionAddress (virtual-to-physical, coordinates required).
type cardAddressBody struct {
	Country      string  `json:"country"`
	State        string  `json:"state"`
	City         string  `json:"city"`
	AddressLine1 string  `json:"addressLine1"`
	AddressLine2 *string `json:"addressLine2"`
	Type         *string `json:"type"`
	PostalCode   string  `json:"postalCode"`
	Longitude    *string `json:"longitude"`
	Latitude     *string `json:"latitude"`
}

// address is b as a card keeps it, nil when b is.
func (b *cardAddressBody) address() *vaultspay.CardAddress {
	if b == nil {
		return nil
	}
	return &vaultspay.CardAddress{Country: b.Country, State: b.State, City: b.City, AddressLine1: b.AddressLine1,
		AddressLine2: b.AddressLine2, Type: vaultspay.CardAddressType(deref(b.Type)), PostalCode: b.PostalCode,
		Longitude: b.Longitude, Latitude: b.Latitude}
}

// createCardBody is the body of POST /pcs/api/v1/cards.
type createCardBody struct {
	CardTierID     int64            `json:"cardTierId"`
	CustomerID     int64            `json:"customerId"`
	Address        *cardAddressBody `json:"address"`
	CardType       string           `json:"cardType"`
	AccountID      int64            `json:"accountId"`
	CardHolderName string           `json:"cardHolderName"`
}

// processCardBody is the body of process-card-request.
type processCardBody struct {
	CardID       int64   `json:"cardId"`
	Remarks      *string `json:"remarks"`
	StatusReason *string `json:"statusReason"`
	Status       string  `json:"status"`
}

// manufacturingBody is the body of update-card-manufacturing.
type manufacturingBody struct {
	cardRefBody
	CardManufacturingStatus string  `json:"cardManufacturingStatus"`
	StatusReason            *string `json:"statusReason"`
}

// deliveryBody is the body of update-delivery-status.
type deliveryBody struct {
	CardID               int64   `json:"cardId"`
	EstimateDeliveryTime *string `json:"estimateDeliveryTime"` // LocalDateTime, e.g. 2024-12-24T12:00
	DeliveryStatus       string  `json:"deliveryStatus"`
}

// eta is the estimated delivery time sent (a local date-time, taken as UTC), nil when none was; one
// the description let through but that does not parse is named in bad.
func (b *deliveryBody) eta(bad *checks) *vaultspay.DeliveryTime {
	if b.EstimateDeliveryTime == nil {
		return nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04"} {
		if t, err := time.Parse(layout, *b.EstimateDeliveryTime); err == nil {
			return &vaultspay.DeliveryTime{Time: t}
		}
	}
	bad.add("estimateDeliveryTime", "must be a local date-time such as 2024-12-24T12:00")
	return nil
}

// activateBody is the body of activate-card: the PAN and expiry printed on the card (secrets).
type activateBody struct {
	cardRefBody
	PAN        string `json:"pan"`
	ExpiryDate string `json:"expiryDate"` // MM/YY
}

// pinBody is the body of set-pin (the PIN is a secret).
type pinBody struct {
	cardRefBody
	PIN string `json:"pin"`
}

// cardLookupBody is the body of the card-details reads (CardByIDOrToken): the token is named "token".
type cardLookupBody struct {
	CardID *int64 `json:"cardId"`
	Token  *int64 `json:"token"`
}

// cardRemarksBody is CardRefRemarks (review-report-card-issue) and CardIDRemarks (replace-card,
// renew-card, decline-card, where the description requires cardId).
type cardRemarksBody struct {
	cardRefBody
	Remarks *string `json:"remarks"`
}

// cardStatusBody is the body of update-card-status.
type cardStatusBody struct {
	cardRefBody
	StatusReason string `json:"statusReason"`
	CardStatus   string `json:"cardStatus"`
}

// freezeBody is the body of toggle-freeze-card.
type freezeBody struct {
	cardRefBody
	StatusReason *string `json:"statusReason"`
}

// cardAccountBody is the body of update-card-account.
type cardAccountBody struct {
	CardID    int64 `json:"cardId"`
	AccountID int64 `json:"accountId"`
}

// reportBody is the body of report-card-issue.
type reportBody struct {
	cardRefBody
	StatusReason string  `json:"statusReason"`
	Remarks      *string `json:"remarks"`
}

// conversionBody is the body of virtual-to-physical.
type conversionBody struct {
	CardID    int64            `json:"cardId"`
	AddressID *int64           `json:"addressId"`
	Address   *cardAddressBody `json:"address"`
}

// conversionDecisionBody is the body of virtual-to-physical-process.
type conversionDecisionBody struct {
	CardID               int64   `json:"cardId"`
	CardConversionStatus string  `json:"cardConversionStatus"`
	Remarks              *string `json:"remarks"`
}
