package vaultspay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// ErrInvalidWebhook reports a webhook body that is not a JSON object.
var ErrInvalidWebhook = errors.New("vaultspay: invalid webhook payload")

// Event is a webhook delivery parsed by ParseEvent: a *CardEvent, a *TransferEvent or an
// *UnknownEvent. Switch on the concrete type.
type Event interface {
	// EventID is the key deliveries are de-duplicated on ("" when the payload carries none).
	EventID() string
	// EventType names the event: a card event's type, TransferEventName, or an unknown event's "type".
	EventType() string
	// RawJSON is the payload the event was parsed from (nil for events built in code).
	RawJSON() json.RawMessage
	isEvent()
}

// ParseEvent reads a webhook body. It tells the two documented shapes apart: an object with "card" and
// "status" objects is a *CardEvent (60-webhooks.md §2), one with "transactionId" and a string "status"
// is a *TransferEvent (§7). Anything else, or a known shape whose fields have unexpected JSON types,
// becomes an *UnknownEvent that keeps the raw JSON; unknown fields and enum values are kept too. Only a
// body that is not a JSON object is an error (wrapping ErrInvalidWebhook).
func ParseEvent(body []byte) (Event, error) {
	body = bytes.TrimSpace(body)
	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil || members == nil {
		return nil, fmt.Errorf("%w: not a JSON object", ErrInvalidWebhook)
	}
	raw := json.RawMessage(append([]byte(nil), body...))
	switch {
	case isJSONKind(members["card"], '{') && isJSONKind(members["status"], '{'):
		var e CardEvent
		if err := json.Unmarshal(raw, &e); err == nil {
			e.setRawJSON(raw)
			return &e, nil
		}
	case members["transactionId"] != nil && isJSONKind(members["status"], '"'):
		var e TransferEvent
		if err := json.Unmarshal(raw, &e); err == nil {
			e.setRawJSON(raw)
			return &e, nil
		}
	}
	u := &UnknownEvent{}
	_ = json.Unmarshal(members["id"], &u.ID) // kept only when a string
	_ = json.Unmarshal(members["type"], &u.Type)
	u.setRawJSON(raw)
	return u, nil
}

func isJSONKind(v json.RawMessage, first byte) bool {
	v = bytes.TrimSpace(v)
	return len(v) > 0 && v[0] == first
}

// CardEventType is the "type" of a card event. Open: only CardEventStatusActive is documented; the
// others follow its pattern "card.status.<platform status in lower case>" (an inference, 60-webhooks.md §3).
type CardEventType string

// Card event types. Only the first is documented; the rest are inferred from it.
const (
	CardEventStatusActive              CardEventType = "card.status.active" // documented example
	CardEventStatusBlock               CardEventType = "card.status.block"
	CardEventStatusFreeze              CardEventType = "card.status.freeze"
	CardEventStatusIssuanceInProgress  CardEventType = "card.status.issuance_in_progress"
	CardEventStatusPendingVerification CardEventType = "card.status.pending_verification"
)

// IsKnown reports whether t is one of the constants above.
func (t CardEventType) IsKnown() bool {
	switch t {
	case CardEventStatusActive, CardEventStatusBlock, CardEventStatusFreeze, CardEventStatusIssuanceInProgress,
		CardEventStatusPendingVerification:
		return true
	}
	return false
}

// CardStatusCode is a platform card status in a card event ("status.*.code"). The codes are the card
// statuses of the card API ("status" / "cardStatus"), so it is CardStatus: compare a code with the
// CardStatus constants, and IsKnown is CardStatus.IsKnown. ACTIVE and BLOCK appear in the webhook
// example, the others on the card pages (41-cards-controls.md §0.2).
type CardStatusCode = CardStatus

// Platform card status codes: the CardStatus constants under the names the webhook page uses.
const (
	CardStatusCodeActive              = CardStatusActive
	CardStatusCodeBlock               = CardStatusBlock
	CardStatusCodeFreeze              = CardStatusFreeze
	CardStatusCodeIssuanceInProgress  = CardStatusIssuanceInProgress
	CardStatusCodePendingVerification = CardStatusPendingVerification
)

// CardStatusLabel is the card network's status label in a card event ("status.*.label"). Open: the
// code-to-label table of the vendor page is lost; two pairs are known from its example.
type CardStatusLabel string

// Network status labels from the webhook example.
const (
	CardStatusLabelFullyOperational CardStatusLabel = "FULLY_OPERATIONAL" // with ACTIVE
	CardStatusLabelDeclineAllTxns   CardStatusLabel = "DECLINE_ALL_TXNS"  // with BLOCK
)

// IsKnown reports whether l is one of the constants above.
func (l CardStatusLabel) IsKnown() bool {
	return l == CardStatusLabelFullyOperational || l == CardStatusLabelDeclineAllTxns
}

// CardEventNetwork is the card network in a card event. Open: only "MC" is documented, where the card
// API (CardNetwork) says "MASTERCARD"; how Visa is spelled here is UNKNOWN (vaultspaytest writes
// "VISA", as the card API does).
type CardEventNetwork string

// CardEventNetworkMC is Mastercard, as the webhook example spells it.
const CardEventNetworkMC CardEventNetwork = "MC"

// IsKnown reports whether n is a documented value.
func (n CardEventNetwork) IsKnown() bool { return n == CardEventNetworkMC }

// CardEventCardType is the form factor in a card event: the card API's CardType (PHYSICAL or VIRTUAL,
// the same documented list), under the name the webhook page uses.
type CardEventCardType = CardType

// Card form factors: the CardType constants.
const (
	CardEventCardPhysical = CardTypePhysical
	CardEventCardVirtual  = CardTypeVirtual
)

// CardEvent is a card status change pushed to the partner's webhook URL (60-webhooks.md §2). Its JSON
// names are snake_case, unlike the REST API. Map it to your records by Card.Token; the payload has no
// card id, user or account. Consider re-reading the card through the API before acting on it: the
// vendor defines no signature.
type CardEvent struct {
	ID         string               `json:"id"`          // unique per event (a lower-case ULID in the example)
	Type       CardEventType        `json:"type"`        // e.g. card.status.active
	OccurredAt Time                 `json:"occurred_at"` // when the status changed; sent as "2026-03-13T09:20:12Z"
	Status     CardStatusTransition `json:"status"`
	Card       CardEventCard        `json:"card"`
	rawJSON
}

// CardStatusTransition is the status change a CardEvent reports.
type CardStatusTransition struct {
	// Previous is nil when absent or null (UNKNOWN whether it can be, e.g. for a new card).
	Previous *CardEventStatus `json:"previous"`
	Current  CardEventStatus  `json:"current"`
	Reason   string           `json:"reason"` // free text; null decodes as ""
}

// CardEventStatus is one side of a transition: the platform code and the network's label.
type CardEventStatus struct {
	Code  CardStatusCode  `json:"code"`
	Label CardStatusLabel `json:"label"`
}

// CardEventCard identifies the card in a CardEvent. It carries no PAN or expiry.
type CardEventCard struct {
	// Token is the card token, Card.Token of the card API (a JSON number; a numeric string also decodes).
	Token          CardToken         `json:"token"`
	LastFourDigits string            `json:"last_four_digits"` // string: keeps leading zeros
	Tier           string            `json:"tier"`             // card tier name; in the example, not in the field table
	Network        CardEventNetwork  `json:"network"`
	Type           CardEventCardType `json:"type"`
}

func (*CardEvent) isEvent() {}

// EventID returns ID.
func (e *CardEvent) EventID() string { return e.ID }

// EventType returns Type.
func (e *CardEvent) EventType() string { return string(e.Type) }

// MarshalJSON writes the documented payload, occurred_at as RFC 3339 in UTC without a fraction.
func (e CardEvent) MarshalJSON() ([]byte, error) {
	type wire CardEvent
	var at *string
	if !e.OccurredAt.IsZero() {
		s := e.OccurredAt.UTC().Format(time.RFC3339)
		at = &s
	}
	return json.Marshal(struct {
		wire
		OccurredAt *string `json:"occurred_at"`
	}{wire(e), at})
}

// LogValue logs the event's id, type and status codes, not the card's token or digits.
func (e *CardEvent) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("id", e.ID), slog.String("type", string(e.Type)),
		slog.String("current", string(e.Status.Current.Code))}
	if e.Status.Previous != nil {
		attrs = append(attrs, slog.String("previous", string(e.Status.Previous.Code)))
	}
	return slog.GroupValue(attrs...)
}

// TransferEventName is the documented name of the transfer webhook; it is not in the payload.
const TransferEventName = "TRANSACTION_PERFORMED"

// TransferEventStatus is the final status a TransferEvent reports: SUCCESS or REVERSED (documented).
type TransferEventStatus string

// Transfer webhook statuses.
const (
	TransferEventSuccess  TransferEventStatus = "SUCCESS"
	TransferEventReversed TransferEventStatus = "REVERSED"
)

// IsKnown reports whether s is a documented value.
func (s TransferEventStatus) IsKnown() bool {
	return s == TransferEventSuccess || s == TransferEventReversed
}

// TransferEvent is the TRANSACTION_PERFORMED webhook: the final outcome of a transfer (31-transfers.md
// §3.1). A SUCCESS can later be followed by a REVERSED for the same TransactionID. The payload has no
// event id, name or timestamp.
//
// UNKNOWN decided: Amount is documented "in cents" but the example is 1000.00; it is kept exactly as
// sent, in the unit of the transfer API's amount (cents), never rounded.
type TransferEvent struct {
	TransactionID string              `json:"transactionId"` // UUID; the transfer response's transactionId
	Amount        Amount              `json:"amount"`
	Status        TransferEventStatus `json:"status"`
	RefID         string              `json:"refId"` // channel reference of the original request
	rawJSON
}

func (*TransferEvent) isEvent() {}

// EventID derives a key from TransactionID and Status, since the payload has no event id: a
// redelivery matches, a later REVERSED for the same transfer does not (UNKNOWN decided). It is "" when
// TransactionID is empty or blank: such events have no id (the webhook handler keys them by a digest
// of the body instead).
func (e *TransferEvent) EventID() string {
	if strings.TrimSpace(e.TransactionID) == "" {
		return ""
	}
	return TransferEventName + ":" + e.TransactionID + ":" + string(e.Status)
}

// EventType returns TransferEventName.
func (e *TransferEvent) EventType() string { return TransferEventName }

// UnknownEvent is a payload of neither documented shape. RawJSON holds it whole.
type UnknownEvent struct {
	ID   string // the "id" member when it is a string
	Type string // the "type" member when it is a string
	rawJSON
}

func (*UnknownEvent) isEvent() {}

// EventID returns ID.
func (e *UnknownEvent) EventID() string { return e.ID }

// EventType returns Type.
func (e *UnknownEvent) EventType() string { return e.Type }
