package vaultspaytest

import "github.com/vaultspay-go/vaultspay"

// The fake's wire types for transaction answers: every documented field present, null when the
// transaction has none (a deposit has no card, merchant or location).

// txSummaryWire is an item of GET /tme/api/v1/transactions.
type txSummaryWire struct {
	ID              vaultspay.ID              `json:"id"`
	TransactionID   string                    `json:"transactionId"`
	TransactionType string                    `json:"transactionType"`
	DateTime        vaultspay.Time            `json:"dateTime"`
	Status          string                    `json:"status"`
	TotalCharges    vaultspay.Amount          `json:"totalCharges"`
	Narration       string                    `json:"narration"`
	Card            any                       `json:"card"` // *txCardSummaryWire, or *txCardWire in the detail
	BillingAmount   *vaultspay.MoneyAmount    `json:"billingAmount"`
	SenderAccount   *vaultspay.AccountSummary `json:"senderAccount"`
	ReceiverAccount *vaultspay.AccountSummary `json:"receiverAccount"`
	Location        *vaultspay.Location       `json:"location"`
	Merchant        *vaultspay.Merchant       `json:"merchant"`
}

// txDetailWire is GET /tme/api/v1/transactions/{id}.
type txDetailWire struct {
	txSummaryWire
	TransactionAmount    *vaultspay.MoneyAmount `json:"transactionAmount"`
	Conversions          *vaultspay.Conversions `json:"conversions"`
	APIStatus            *string                `json:"apiStatus"`
	ThirdPartyConfigSlug *string                `json:"thirdPartyConfigSlug"`
	Charges              []vaultspay.Charge     `json:"charges"`
}

type txCardSummaryWire struct {
	ID             vaultspay.ID `json:"id"`
	LastFourDigits string       `json:"lastFourDigits"`
	CardType       string       `json:"cardType"`
}

type txCardWire struct {
	ID              vaultspay.ID        `json:"id"`
	CardToken       vaultspay.CardToken `json:"cardToken"`
	LastFourDigits  string              `json:"lastFourDigits"`
	CardType        string              `json:"cardType"`
	CardTierID      vaultspay.ID        `json:"cardTierId"`
	CardNetwork     string              `json:"cardNetwork"`
	PaymentCardType string              `json:"paymentCardType"`
}

// summaryWire is t as the list shows it.
func summaryWire(t vaultspay.Transaction) txSummaryWire {
	out := txSummaryWire{ID: t.ID, TransactionID: t.TransactionID, TransactionType: string(t.TransactionType),
		DateTime: t.DateTime, Status: string(t.Status), TotalCharges: t.TotalCharges, Narration: t.Narration,
		BillingAmount: t.BillingAmount, SenderAccount: t.SenderAccount, ReceiverAccount: t.ReceiverAccount,
		Location: t.Location, Merchant: t.Merchant}
	if c := t.Card; c != nil {
		out.Card = &txCardSummaryWire{ID: c.ID, LastFourDigits: c.LastFourDigits, CardType: string(c.CardType)}
	}
	return out
}

// detailWire is t as the detail shows it.
func detailWire(t vaultspay.Transaction) txDetailWire {
	out := txDetailWire{txSummaryWire: summaryWire(t), TransactionAmount: t.TransactionAmount, Conversions: t.Conversions,
		APIStatus: orNull(string(t.APIStatus)), ThirdPartyConfigSlug: orNull(t.ThirdPartyConfigSlug), Charges: nonNil(t.Charges)}
	if c := t.Card; c != nil {
		out.Card = &txCardWire{ID: c.ID, CardToken: c.CardToken, LastFourDigits: c.LastFourDigits, CardType: string(c.CardType),
			CardTierID: c.CardTierID, CardNetwork: c.CardNetwork, PaymentCardType: c.PaymentCardType}
	}
	return out
}
