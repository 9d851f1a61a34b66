package vaultspay

import (
	"context"
	"encoding/json"
)

// RulesService reads and changes the rules engine (/re/api/v1): a card's security settings (on/off
// blocks per transaction type) and the customer's transaction limits. A transaction a rule refuses
// fails with CodeTransactionLockedByRule (1050, matches ErrLockedByRule).
//
// UNKNOWN decided: the vendor does not say which token these endpoints accept or how the customer is
// chosen (50-rules.md §0.1); the SDK sends the app's token like every other call.
type RulesService service

// RuleTransactionType is the transaction type a security setting or a limit applies to. The list is
// open (50-rules.md §3.1 lists the values seen); unknown values decode unchanged. It is not the
// vocabulary of transaction records ("Purchase", "Transfer").
type RuleTransactionType string

// Rule transaction types seen in 50-rules.md.
const (
	RuleTransactionTypeATMWithdrawal RuleTransactionType = "ATM_WITHDRAWAL" // setting 69, limit 1
	RuleTransactionTypePurchase      RuleTransactionType = "PURCHASE"       // settings 70 and 71
	RuleTransactionTypeAll           RuleTransactionType = "ALL"            // setting 72: every type
	RuleTransactionTypeDeposit       RuleTransactionType = "DEPOSIT"        // limit 175
)

// IsKnown reports whether t is one of the documented values.
func (t RuleTransactionType) IsKnown() bool {
	switch t {
	case RuleTransactionTypeATMWithdrawal, RuleTransactionTypePurchase, RuleTransactionTypeAll, RuleTransactionTypeDeposit:
		return true
	}
	return false
}

// LimitFrequency is the window a limit is counted over. Open: the docs introduce the list with "e.g.".
type LimitFrequency string

// Limit frequencies documented in 50-rules.md §3.2.
const (
	LimitFrequencyOneTime LimitFrequency = "ONE_TIME" // one transaction (UNKNOWN: read as the per-transaction ceiling)
	LimitFrequencyDaily   LimitFrequency = "DAILY"
	LimitFrequencyMonthly LimitFrequency = "MONTHLY"
)

// IsKnown reports whether f is one of the documented values.
func (f LimitFrequency) IsKnown() bool {
	switch f {
	case LimitFrequencyOneTime, LimitFrequencyDaily, LimitFrequencyMonthly:
		return true
	}
	return false
}

// LimitType says what a limit counts. Open: the docs introduce the list with "e.g.".
type LimitType string

// Limit types documented in 50-rules.md §3.3.
const (
	LimitTypeLimit LimitType = "LIMIT" // an amount of money, in major units of the limit's currency
	LimitTypeCount LimitType = "COUNT" // a number of transactions
)

// IsKnown reports whether t is one of the documented values.
func (t LimitType) IsKnown() bool { return t == LimitTypeLimit || t == LimitTypeCount }

// LimitOperator is how a transaction (or the window's running total) is compared with the limit.
// Open: the docs introduce the list with "e.g." and do not explain LESS versus LESS_THAN.
type LimitOperator string

// Limit operators documented in 50-rules.md §3.4.
const (
	LimitOperatorGreater         LimitOperator = "GREATER"
	LimitOperatorLess            LimitOperator = "LESS"
	LimitOperatorLessThan        LimitOperator = "LESS_THAN"
	LimitOperatorLessThanOrEqual LimitOperator = "LESS_THAN_OR_EQUAL"
)

// IsKnown reports whether o is one of the documented values.
func (o LimitOperator) IsKnown() bool {
	switch o {
	case LimitOperatorGreater, LimitOperatorLess, LimitOperatorLessThan, LimitOperatorLessThanOrEqual:
		return true
	}
	return false
}

// SecuritySetting is one on/off block of a card. Enabled true means the block is on: matching
// transactions are refused. Every setting defaults to off. A setting has no stable key: read the ids
// from CardSecurity, never hard-code them (whether they are shared by all cards is UNKNOWN).
type SecuritySetting struct {
	ID              ID                  `json:"id"`
	TransactionType RuleTransactionType `json:"transactionType"`
	Title           string              `json:"title"`
	Description     string              `json:"description"`
	Enabled         bool                `json:"enabled"`
	rawJSON
}

// TransactionLimit is a ceiling on one transaction type per frequency window, in one currency and
// through one third-party config (the processor, e.g. "pmt-mastercard-issuing" for cards), optionally
// for one card. Limit is what the customer may change, up to AllowedLimit.
//
// UNKNOWN decided: limit and allowedLimit arrive as decimal strings; they are read as major units of
// CurrencyCode ("20000.00" AED) for LimitTypeLimit, and as a number of transactions for LimitTypeCount.
// They decode from a string or a number and are written back as strings.
type TransactionLimit struct {
	ID               ID                  `json:"id"`
	TransactionType  RuleTransactionType `json:"transactionType"`
	Frequency        LimitFrequency      `json:"frequency"`
	CurrencyCode     string              `json:"currencyCode"`
	LimitType        LimitType           `json:"limitType"`
	Slug             string              `json:"slug"` // opaque machine name; do not parse
	Operator         LimitOperator       `json:"operator"`
	ThirdPartyConfig string              `json:"thirdPartyConfig"`
	Limit            Amount              `json:"limit"`
	AllowedLimit     Amount              `json:"allowedLimit"`
	rawJSON
}

// MarshalJSON writes limit and allowedLimit as decimal strings, as the API does.
func (l TransactionLimit) MarshalJSON() ([]byte, error) {
	type wire TransactionLimit
	return json.Marshal(struct {
		wire
		Limit        amountText `json:"limit"`
		AllowedLimit amountText `json:"allowedLimit"`
	}{wire(l), amountText(l.Limit), amountText(l.AllowedLimit)})
}

// UpdateCardSecurityRequest switches one security setting of one card on or off. On the wire every
// field is a JSON string, as documented: {"transactionType","cardId":"1","id":"69","value":"1"}.
type UpdateCardSecurityRequest struct {
	CardID          ID                  // cardId: the card, required; sent as "1"
	ID              ID                  // id: the setting, from CardSecurity, required; sent as "69"
	TransactionType RuleTransactionType // transactionType, required: the setting's own type keeps it; another re-links the setting to that type
	Enabled         bool                // value: true switches the block on ("1"), false off ("0")
}

type updateCardSecurityWire struct {
	TransactionType RuleTransactionType `json:"transactionType"`
	CardID          textID              `json:"cardId"`
	ID              textID              `json:"id"`
	Value           switchText          `json:"value"`
}

// MarshalJSON writes the documented body, every field a string.
func (r UpdateCardSecurityRequest) MarshalJSON() ([]byte, error) {
	return json.Marshal(updateCardSecurityWire{r.TransactionType, textID(r.CardID), textID(r.ID), switchText(r.Enabled)})
}

// UnmarshalJSON reads ids as strings or numbers and value as "1"/"0", 1/0 or true/false.
func (r *UpdateCardSecurityRequest) UnmarshalJSON(b []byte) error {
	var w updateCardSecurityWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*r = UpdateCardSecurityRequest{CardID: ID(w.CardID), ID: ID(w.ID), TransactionType: w.TransactionType, Enabled: bool(w.Value)}
	return nil
}

func (r *UpdateCardSecurityRequest) validate() error {
	if r == nil {
		return errNilRequest()
	}
	var v fieldErrors
	v.positiveID("cardId", r.CardID)
	v.positiveID("id", r.ID)
	v.require("transactionType", r.TransactionType != "")
	return v.err()
}

// UpdateTransactionLimitRequest sets the value of one limit entry. On the wire every field is a JSON
// string, as documented: {"transactionType","cardId":"3","id":"1","value":"45000"}.
type UpdateTransactionLimitRequest struct {
	ID              ID                  // id: the limit entry, from TransactionLimits, required; sent as "1"
	TransactionType RuleTransactionType // transactionType: the entry's type, required
	CardID          ID                  // cardId: required for a card's limit (e.g. via "pmt-mastercard-issuing"), else 0 (left out); sent as "3"
	Value           Amount              // value: the new limit, >= 0; major units, or a whole count for LimitTypeCount; sent as "45000"

	// Current is the entry as TransactionLimits returned it (optional, never sent). When set, the
	// request is checked against it before sending: same id and type, Value at most AllowedLimit,
	// and a whole number for a COUNT limit.
	Current *TransactionLimit
}

type updateTransactionLimitWire struct {
	TransactionType RuleTransactionType `json:"transactionType"`
	CardID          *textID             `json:"cardId,omitempty"`
	ID              textID              `json:"id"`
	Value           amountText          `json:"value"`
}

// MarshalJSON writes the documented body, every field a string, cardId only when set.
func (r UpdateTransactionLimitRequest) MarshalJSON() ([]byte, error) {
	w := updateTransactionLimitWire{TransactionType: r.TransactionType, ID: textID(r.ID), Value: amountText(r.Value)}
	if r.CardID != 0 {
		w.CardID = (*textID)(&r.CardID)
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads ids and value as strings or numbers.
func (r *UpdateTransactionLimitRequest) UnmarshalJSON(b []byte) error {
	var w updateTransactionLimitWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*r = UpdateTransactionLimitRequest{ID: ID(w.ID), TransactionType: w.TransactionType, Value: Amount(w.Value)}
	if w.CardID != nil {
		r.CardID = ID(*w.CardID)
	}
	return nil
}

// validate applies the documented rules and, with Current, the entry's own.
//
// UNKNOWN decided: the vendor states no range; a value may not be negative, and (when Current is
// given) may not exceed allowedLimit, as the field's name says.
func (r *UpdateTransactionLimitRequest) validate() error {
	if r == nil {
		return errNilRequest()
	}
	var v fieldErrors
	v.positiveID("id", r.ID)
	v.require("transactionType", r.TransactionType != "")
	v.optionalID("cardId", r.CardID)
	if r.Value.Sign() < 0 {
		v.add("value", "must not be negative")
	}
	if c := r.Current; c != nil {
		if r.ID != c.ID {
			v.add("id", "does not match the id of Current")
		}
		if r.TransactionType != c.TransactionType {
			v.add("transactionType", "does not match the transactionType of Current")
		}
		if r.Value.Cmp(c.AllowedLimit) > 0 {
			v.add("value", "must not exceed allowedLimit "+c.AllowedLimit.String())
		}
		if c.LimitType == LimitTypeCount && r.Value.Decimals() > 0 {
			v.add("value", "must be a whole number of transactions for a COUNT limit")
		}
	}
	return v.err()
}

// TransactionLimitListOptions narrows TransactionLimits; every filter is optional and they combine
// with AND (UNKNOWN, assumed). The list is not paginated.
type TransactionLimitListOptions struct {
	TransactionType  RuleTransactionType `url:"transactionType,omitempty"`
	ThirdPartyConfig string              `url:"thirdPartyConfig,omitempty"` // e.g. "vp-acq", "pmt-mastercard-issuing"
	CardID           ID                  `url:"cardId,omitempty"`           // only limits of this card
}

// CardSecurity returns every security setting of a card.
//
// API: GET /re/api/v1/card-security
// Docs: https://apidoc-issuance.vaultspay.dev/rules-engine/get-card-security
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code.
// Errors: *ValidationError for a card id that is not positive; *APIError (an unknown card's code is UNKNOWN).
func (s *RulesService) CardSecurity(ctx context.Context, cardID ID, opts ...RequestOption) ([]SecuritySetting, error) {
	if err := checkCardID(cardID); err != nil {
		return nil, err
	}
	return listAll[SecuritySetting](ctx, s.client,
		endpoint{op: opRulesCardSecurity, path: opRulesCardSecurity.Template + "?cardId=" + cardID.String()}, opts)
}

// UpdateCardSecurity switches one security setting of a card on or off and returns it with its new
// Enabled value.
//
// API: PUT /re/api/v1/card-security
// Docs: https://apidoc-issuance.vaultspay.dev/rules-engine/update-card-security
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code, like a read: it sets a switch
// to a value, so a repeat leaves the same state.
// Errors: *ValidationError (cardId, id, transactionType) before sending; *APIError.
func (s *RulesService) UpdateCardSecurity(ctx context.Context, req *UpdateCardSecurityRequest, opts ...RequestOption) (*SecuritySetting, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	return call[SecuritySetting](ctx, s.client, opRulesUpdateCardSecurity.at(), req, opts)
}

// ResetCardSecurity switches every security setting of a card off and returns them all.
//
// UNKNOWN decided: whether a reset also undoes a transactionType changed by UpdateCardSecurity is not
// documented; the SDK returns whatever the server answers (the fake restores the original types).
//
// API: PATCH /re/api/v1/card-security/reset
// Docs: https://apidoc-issuance.vaultspay.dev/rules-engine/reset-card-security
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code: resetting twice leaves the
// same state.
// Errors: *ValidationError for a card id that is not positive; *APIError.
func (s *RulesService) ResetCardSecurity(ctx context.Context, cardID ID, opts ...RequestOption) ([]SecuritySetting, error) {
	if err := checkCardID(cardID); err != nil {
		return nil, err
	}
	body := struct {
		CardID ID `json:"cardId"` // a JSON number here, unlike the PUT
	}{cardID}
	page, err := sendList[SecuritySetting](ctx, s.client,
		opRulesResetCardSecurity.at(), body, opts)
	if err != nil {
		return nil, err
	}
	return page.Items, nil
}

// TransactionLimits lists the customer's limits, narrowed by list (nil: all of them).
//
// UNKNOWN decided: whether card limits are listed without CardID is not documented; the SDK sends
// only the filters given.
//
// API: GET /re/api/v1/transaction-limits
// Docs: https://apidoc-issuance.vaultspay.dev/rules-engine/transaction-limits
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code.
// Errors: *ValidationError for a negative card id; *APIError.
func (s *RulesService) TransactionLimits(ctx context.Context, list *TransactionLimitListOptions, opts ...RequestOption) ([]TransactionLimit, error) {
	if list != nil && list.CardID < 0 {
		var v fieldErrors
		v.optionalID("cardId", list.CardID)
		return nil, v.err()
	}
	ep, err := opRulesTransactionLimits.withQuery(list)
	if err != nil {
		return nil, err
	}
	return listAll[TransactionLimit](ctx, s.client, ep, opts)
}

// UpdateTransactionLimit sets one limit entry to req.Value and returns the entry.
//
// API: PUT /re/api/v1/transaction-limits
// Docs: https://apidoc-issuance.vaultspay.dev/rules-engine/update-transaction-limits
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code, like a read: it sets the
// limit to a value, so a repeat leaves the same state.
// Errors: *ValidationError (id, transactionType, cardId, value; and the checks against Current) before
// sending; *APIError (the server's range errors are UNKNOWN).
func (s *RulesService) UpdateTransactionLimit(ctx context.Context, req *UpdateTransactionLimitRequest, opts ...RequestOption) (*TransactionLimit, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	return call[TransactionLimit](ctx, s.client, opRulesUpdateTransactionLimit.at(), req, opts)
}

func checkCardID(id ID) error {
	var v fieldErrors
	v.positiveID("cardId", id)
	return v.err()
}
