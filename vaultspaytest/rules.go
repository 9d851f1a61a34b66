package vaultspaytest

import (
	"net/http"
	"strconv"
	"time"

	"github.com/vaultspay-go/vaultspay"
)

// The fake's rules engine (shared/api/50-rules.md). Decisions where the vendor is silent:
//   - Security settings 69–72 are the same four definitions for every card (the examples show these
//     ids for several cards); each card has its own on/off switches and types, all off by default.
//   - A reset switches everything off and restores each setting's original transactionType.
//   - Limit entries are the customer's; an entry through the card processor (pmt-mastercard-issuing)
//     is a card limit: it needs cardId to change, and each card has its own value (default: the
//     entry's). Without cardId the list shows every entry with its default value; with cardId only the
//     card's limits with the card's values. Filters combine with AND; the list is ordered by id.
//   - A value must be a decimal >= 0 and <= allowedLimit (a whole number for COUNT).
//   - Not-found ids answer 422 1000 naming the field, like the documented "User does not exist with
//     this id".
//   - The fake has one customer: the app's token.

// Third-party configs of the seeded limits. cardProcessor marks card limits.
const (
	cardProcessor     = "pmt-mastercard-issuing"
	acquiringConfig   = "vp-acq"
	directTransferCfg = "vp-direct-transfer" // the fake's invention: the vendor names no rail for transfers
)

// ruleTypeTransfer is the rule transaction type the fake uses for direct transfers. The vendor
// documents none (50-rules.md §3.1 lists ATM_WITHDRAWAL, PURCHASE, ALL, DEPOSIT); this is the fake's choice.
const ruleTypeTransfer vaultspay.RuleTransactionType = "TRANSFER"

// defaultSecuritySettings are the four documented settings with their exact texts, all off.
func defaultSecuritySettings() []vaultspay.SecuritySetting {
	return []vaultspay.SecuritySetting{
		{ID: 69, TransactionType: vaultspay.RuleTransactionTypeATMWithdrawal, Title: "Block ATM Withdrawal Transactions",
			Description: "Block ATM Withdrawal transactions, if you lost your ATM then you can block withdrawal from ATM for extra security ASAP!"},
		{ID: 70, TransactionType: vaultspay.RuleTransactionTypePurchase, Title: "Block Purchase Transactions",
			Description: "Online Purchase transactions are generally high-risk transactions. You can block them for extra security."},
		{ID: 71, TransactionType: vaultspay.RuleTransactionTypePurchase, Title: "Block Contactless Transactions",
			Description: "You can block transactions when card was not present at the time of transaction."},
		{ID: 72, TransactionType: vaultspay.RuleTransactionTypeAll, Title: "Location Based Security",
			Description: "You can block all international transactions by turning it on."},
	}
}

// defaultLimits are the seeded limit entries: the two documented examples (ids 1 and 175, id 1 with
// a default of 10000) and the fake's own entries for card purchases and transfers.
func defaultLimits() []*limitEntry {
	entry := func(id vaultspay.ID, typ vaultspay.RuleTransactionType, freq vaultspay.LimitFrequency, lt vaultspay.LimitType,
		op vaultspay.LimitOperator, cfg, slug, limit, allowed string) *limitEntry {
		return &limitEntry{TransactionLimit: vaultspay.TransactionLimit{ID: id, TransactionType: typ, Frequency: freq,
			CurrencyCode: "AED", LimitType: lt, Slug: slug, Operator: op, ThirdPartyConfig: cfg,
			Limit: vaultspay.MustParseAmount(limit), AllowedLimit: vaultspay.MustParseAmount(allowed)},
			limitText: limit, allowedText: allowed, perCard: map[vaultspay.ID]limitValue{}}
	}
	return []*limitEntry{
		entry(1, vaultspay.RuleTransactionTypeATMWithdrawal, vaultspay.LimitFrequencyDaily, vaultspay.LimitTypeLimit,
			vaultspay.LimitOperatorLessThanOrEqual, cardProcessor, "DAILY_ATM_WITHDRAWAL_MAX_EQ_PMT_MASTERCARD_ISSUING_LIMIT", "10000", "2000000"),
		entry(2, vaultspay.RuleTransactionTypePurchase, vaultspay.LimitFrequencyDaily, vaultspay.LimitTypeLimit,
			vaultspay.LimitOperatorLessThanOrEqual, cardProcessor, "DAILY_PURCHASE_MAX_EQ_PMT_MASTERCARD_ISSUING_LIMIT", "20000", "200000"),
		entry(175, vaultspay.RuleTransactionTypeDeposit, vaultspay.LimitFrequencyOneTime, vaultspay.LimitTypeLimit,
			vaultspay.LimitOperatorLessThan, acquiringConfig, "ONE_TIME_DEPOSIT_MAX_VP_ACQ_LIMIT", "20000.00", "200000.00"),
		entry(176, ruleTypeTransfer, vaultspay.LimitFrequencyOneTime, vaultspay.LimitTypeLimit,
			vaultspay.LimitOperatorLessThanOrEqual, directTransferCfg, "ONE_TIME_TRANSFER_MAX_EQ_VP_DIRECT_TRANSFER_LIMIT", "50000", "500000"),
		entry(177, ruleTypeTransfer, vaultspay.LimitFrequencyDaily, vaultspay.LimitTypeCount,
			vaultspay.LimitOperatorLessThanOrEqual, directTransferCfg, "DAILY_TRANSFER_MAX_EQ_VP_DIRECT_TRANSFER_COUNT", "20", "100"),
	}
}

// rulesState is the rules part of the fake's state.
type rulesState struct {
	cards  map[vaultspay.ID]*cardSecurity // created on first use
	limits []*limitEntry                  // ordered by id, the order of the list
	usage  []ruleUsage                    // transactions the rules have let through, for DAILY / MONTHLY windows
}

type cardSecurity struct {
	enabled map[vaultspay.ID]bool
	types   map[vaultspay.ID]vaultspay.RuleTransactionType // re-linked types; absent: the default
}

// limitEntry is a limit with, for card limits, each card's own value. Limit is the value the rules
// compare; limitText and allowedText are answered byte for byte as seeded or as last sent (50-rules
// §2.5: the limit is echoed as sent, "500000.00" stays "500000.00").
type limitEntry struct {
	vaultspay.TransactionLimit
	limitText, allowedText string
	perCard                map[vaultspay.ID]limitValue
}

// limitValue is a card's own value of a card limit.
type limitValue struct {
	amount vaultspay.Amount
	text   string // as sent
}

// limitWire is a transaction limit as the fake answers it: limit and allowedLimit as text.
type limitWire struct {
	ID               vaultspay.ID `json:"id"`
	TransactionType  string       `json:"transactionType"`
	Frequency        string       `json:"frequency"`
	CurrencyCode     string       `json:"currencyCode"`
	LimitType        string       `json:"limitType"`
	Slug             string       `json:"slug"`
	Operator         string       `json:"operator"`
	ThirdPartyConfig string       `json:"thirdPartyConfig"`
	Limit            string       `json:"limit"`
	AllowedLimit     string       `json:"allowedLimit"`
}

// wire is the entry as a card sees it (card 0: the default), as answered.
func (e *limitEntry) wire(card vaultspay.ID) limitWire {
	text := e.limitText
	if v, ok := e.perCard[card]; ok {
		text = v.text
	}
	return limitWire{ID: e.ID, TransactionType: string(e.TransactionType), Frequency: string(e.Frequency),
		CurrencyCode: e.CurrencyCode, LimitType: string(e.LimitType), Slug: e.Slug, Operator: string(e.Operator),
		ThirdPartyConfig: e.ThirdPartyConfig, Limit: text, AllowedLimit: e.allowedText}
}

func (e *limitEntry) cardLimit() bool { return e.ThirdPartyConfig == cardProcessor }

// forCard is the entry as a card sees it.
func (e *limitEntry) forCard(card vaultspay.ID) vaultspay.TransactionLimit {
	l := e.TransactionLimit
	if v, ok := e.perCard[card]; ok {
		l.Limit = v.amount
	}
	return l
}

type ruleUsage struct {
	txn ruleTxn
	at  time.Time
}

func newRulesState() *rulesState {
	return &rulesState{cards: map[vaultspay.ID]*cardSecurity{}, limits: defaultLimits()}
}

// cardExistsLocked reports whether a card of the fake has this id (cards.go).
func (s *Server) cardExistsLocked(id vaultspay.ID) bool { return s.st.cards.byID[id] != nil }

// securityLocked returns a card's switches, creating the defaults on first use.
func (s *Server) securityLocked(card vaultspay.ID) *cardSecurity {
	cs := s.st.rules.cards[card]
	if cs == nil {
		cs = &cardSecurity{enabled: map[vaultspay.ID]bool{}, types: map[vaultspay.ID]vaultspay.RuleTransactionType{}}
		s.st.rules.cards[card] = cs
	}
	return cs
}

// settingsLocked is a card's settings as the API shows them.
func (s *Server) settingsLocked(card vaultspay.ID) []vaultspay.SecuritySetting {
	out := defaultSecuritySettings()
	cs := s.st.rules.cards[card]
	if cs == nil {
		return out
	}
	for i := range out {
		out[i].Enabled = cs.enabled[out[i].ID]
		if t, ok := cs.types[out[i].ID]; ok {
			out[i].TransactionType = t
		}
	}
	return out
}

// ruleTxn is a transaction about to be performed, as the rules see it. The transfer and card code
// build one, call checkRulesLocked before performing it and recordRuleUsageLocked after it succeeded.
type ruleTxn struct {
	CardID   vaultspay.ID                  // 0 for a transaction without a card (a transfer)
	Type     vaultspay.RuleTransactionType // e.g. ATM_WITHDRAWAL, PURCHASE; ruleTypeTransfer for direct transfers
	Amount   vaultspay.Amount              // major units of Currency (convert transfer cents with vaultspay.AmountFromMinor)
	Currency string                        // ISO 4217; "" is checked against every limit
}

// checkRulesLocked returns the 500 1050 TRANSACTION_LOCKED_BY_RULE error when t hits a switched-on
// security setting of its card, or when it would break a limit, and nil otherwise.
//
// A switched-on setting blocks every transaction of its transactionType, and a setting of type ALL
// blocks every transaction of the card: the fake knows neither a transaction's country nor whether the
// card was present. A limit applies when its type is t.Type and its currency is t.Currency; a card
// limit only to transactions of a card, with that card's value. ONE_TIME compares t alone; DAILY and
// MONTHLY add what recordRuleUsageLocked recorded in the same UTC day or month of the fake's clock
// (the amounts for LIMIT, the number of transactions plus one for COUNT). The operator is applied as
// "total OP limit must hold": LESS and LESS_THAN are <, LESS_THAN_OR_EQUAL (and unknown ones) <=,
// GREATER is >.
func (s *Server) checkRulesLocked(t ruleTxn) error {
	if t.CardID != 0 {
		for _, st := range s.settingsLocked(t.CardID) {
			if st.Enabled && (st.TransactionType == t.Type || st.TransactionType == vaultspay.RuleTransactionTypeAll) {
				return errLockedByRule()
			}
		}
	}
	now := s.nowLocked().UTC()
	for _, e := range s.st.rules.limits {
		if e.TransactionType != t.Type || (t.Currency != "" && e.CurrencyCode != t.Currency) ||
			(e.cardLimit() && t.CardID == 0) {
			continue
		}
		limit := e.forCard(t.CardID)
		total, count := t.Amount, int64(1)
		if e.Frequency != vaultspay.LimitFrequencyOneTime {
			for _, u := range s.st.rules.usage {
				if u.txn.Type != t.Type || (e.cardLimit() && u.txn.CardID != t.CardID) || !sameWindow(e.Frequency, u.at, now) {
					continue
				}
				total, _ = total.Add(u.txn.Amount)
				count++
			}
		}
		if e.LimitType == vaultspay.LimitTypeCount {
			total, _ = vaultspay.NewAmount(count, 0)
		}
		if !limitHolds(limit.Operator, total, limit.Limit) {
			return errLockedByRule()
		}
	}
	return nil
}

// recordRuleUsageLocked notes a transaction the rules let through and that was performed, for the
// DAILY and MONTHLY windows.
func (s *Server) recordRuleUsageLocked(t ruleTxn) {
	s.st.rules.usage = append(s.st.rules.usage, ruleUsage{txn: t, at: s.nowLocked().UTC()})
}

func sameWindow(f vaultspay.LimitFrequency, a, b time.Time) bool {
	ya, ma, da := a.Date()
	yb, mb, db := b.Date()
	if f == vaultspay.LimitFrequencyMonthly {
		return ya == yb && ma == mb
	}
	return ya == yb && ma == mb && da == db // DAILY, and unknown frequencies
}

func limitHolds(op vaultspay.LimitOperator, total, limit vaultspay.Amount) bool {
	c := total.Cmp(limit)
	switch op {
	case vaultspay.LimitOperatorLess, vaultspay.LimitOperatorLessThan:
		return c < 0
	case vaultspay.LimitOperatorGreater:
		return c > 0
	}
	return c <= 0
}

// errLockedByRule is 500 1050 TRANSACTION_LOCKED_BY_RULE (03-errors.md §3).
func errLockedByRule() *apiError {
	return newError(http.StatusInternalServerError, vaultspay.CodeTransactionLockedByRule, "Transaction has been locked.",
		vaultspay.TypeTransactionLockedByRule)
}

func (s *Server) rulesRoutes() {
	s.handle("GET /re/api/v1/card-security", authRequired, s.getCardSecurity)
	s.handle("PUT /re/api/v1/card-security", authRequired, s.updateCardSecurity)
	s.handle("PATCH /re/api/v1/card-security/reset", authRequired, s.resetCardSecurity)
	s.handle("GET /re/api/v1/transaction-limits", authRequired, s.getTransactionLimits)
	s.handle("PUT /re/api/v1/transaction-limits", authRequired, s.updateTransactionLimit)
}

// queryCardID reads ?cardId=; required says whether it may be absent (then 0).
func queryCardID(r *request, required bool) (vaultspay.ID, error) {
	v := r.URL.Query().Get("cardId")
	if v == "" && !required {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, errInvalidPayload(vaultspay.FieldError{Key: "cardId", Reason: "must be a positive integer"})
	}
	return vaultspay.ID(n), nil
}

func errNoCard() error {
	return errInvalidPayload(vaultspay.FieldError{Key: "cardId", Reason: "Card does not exist with this id"})
}

func (s *Server) getCardSecurity(r *request) (any, error) {
	card, err := queryCardID(r, true)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.cardExistsLocked(card) {
		return nil, errNoCard()
	}
	return s.settingsLocked(card), nil
}

// numericText is an id the rules PUTs send as JSON text (50-rules §0.2); the description has already
// checked that it is digits.
type numericText string

// id is the positive integer n holds, or 0 after naming key in bad.
func (n numericText) id(bad *checks, key string) vaultspay.ID {
	v, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil || v <= 0 {
		bad.add(key, "must be a positive integer")
		return 0
	}
	return vaultspay.ID(v)
}

// number is the integer n holds (0 for "0"); digits too many for an int64 are named in bad.
func (n numericText) number(bad *checks, key string) vaultspay.ID {
	v, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil {
		bad.add(key, "must be an integer of at most 19 digits")
		return 0
	}
	return vaultspay.ID(v)
}

// cardSecurityBody is the body of PUT card-security: every field a string, as documented.
type cardSecurityBody struct {
	TransactionType vaultspay.RuleTransactionType `json:"transactionType"`
	CardID          numericText                   `json:"cardId"`
	ID              numericText                   `json:"id"`
	Value           string                        `json:"value"` // "1" or "0"
}

// cardIDBody is the body of PATCH card-security/reset.
type cardIDBody struct {
	CardID int64 `json:"cardId"`
}

// limitBody is the body of PUT transaction-limits: every field a string, as documented.
type limitBody struct {
	TransactionType vaultspay.RuleTransactionType `json:"transactionType"`
	CardID          *numericText                  `json:"cardId"`
	ID              numericText                   `json:"id"`
	Value           string                        `json:"value"` // decimal text, answered as sent
}

func knownRuleType(t vaultspay.RuleTransactionType) bool { return t.IsKnown() || t == ruleTypeTransfer }

func (s *Server) updateCardSecurity(r *request) (any, error) {
	b, err := decode[cardSecurityBody](r)
	if err != nil {
		return nil, err
	}
	var c checks
	typ := b.TransactionType
	if !knownRuleType(typ) {
		c.add("transactionType", "must be one of ATM_WITHDRAWAL, PURCHASE, ALL, DEPOSIT, TRANSFER")
	}
	card, id := b.CardID.id(&c, "cardId"), b.ID.id(&c, "id")
	on := b.Value == "1"
	if err := c.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.cardExistsLocked(card) {
		return nil, errNoCard()
	}
	for _, st := range defaultSecuritySettings() {
		if st.ID != id {
			continue
		}
		cs := s.securityLocked(card)
		cs.enabled[id] = on
		if typ != st.TransactionType {
			cs.types[id] = typ
		} else {
			delete(cs.types, id)
		}
		for _, got := range s.settingsLocked(card) {
			if got.ID == id {
				return got, nil
			}
		}
	}
	return nil, errInvalidPayload(vaultspay.FieldError{Key: "id", Reason: "Security setting does not exist with this id"})
}

func (s *Server) resetCardSecurity(r *request) (any, error) {
	b, err := decode[cardIDBody](r)
	if err != nil {
		return nil, err
	}
	var c checks
	card := vaultspay.ID(b.CardID)
	if card <= 0 {
		c.add("cardId", "must be a positive integer")
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.cardExistsLocked(card) {
		return nil, errNoCard()
	}
	delete(s.st.rules.cards, card)
	return s.settingsLocked(card), nil
}

func (s *Server) getTransactionLimits(r *request) (any, error) {
	card, err := queryCardID(r, false)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	typ, cfg := vaultspay.RuleTransactionType(q.Get("transactionType")), q.Get("thirdPartyConfig")
	s.mu.Lock()
	defer s.mu.Unlock()
	if card != 0 && !s.cardExistsLocked(card) {
		return nil, errNoCard()
	}
	out := []limitWire{}
	for _, e := range s.st.rules.limits {
		if (typ != "" && e.TransactionType != typ) || (cfg != "" && e.ThirdPartyConfig != cfg) || (card != 0 && !e.cardLimit()) {
			continue
		}
		out = append(out, e.wire(card))
	}
	return out, nil
}

func (s *Server) updateTransactionLimit(r *request) (any, error) {
	b, err := decode[limitBody](r)
	if err != nil {
		return nil, err
	}
	var c checks
	typ := b.TransactionType
	var card vaultspay.ID
	if b.CardID != nil {
		card = b.CardID.id(&c, "cardId")
	}
	id := b.ID.id(&c, "id")
	value, err := vaultspay.ParseAmount(b.Value)
	switch {
	case err != nil:
		c.add("value", "must be a decimal number")
	case value.Sign() < 0:
		c.add("value", "must not be negative")
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var e *limitEntry
	for _, x := range s.st.rules.limits {
		if x.ID == id {
			e = x
		}
	}
	switch {
	case e == nil:
		c.add("id", "Transaction limit does not exist with this id")
	case typ != e.TransactionType:
		c.add("transactionType", "does not match the limit's transaction type")
	case e.cardLimit() && card == 0:
		c.add("cardId", "is required for a card transaction limit")
	case e.cardLimit() && !s.cardExistsLocked(card):
		return nil, errNoCard()
	case value.Cmp(e.AllowedLimit) > 0:
		c.add("value", "must not exceed allowedLimit "+e.AllowedLimit.String())
	case e.LimitType == vaultspay.LimitTypeCount && value.Decimals() > 0:
		c.add("value", "must be a whole number of transactions")
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	if e.cardLimit() {
		e.perCard[card] = limitValue{amount: value, text: b.Value}
		return e.wire(card), nil
	}
	e.Limit, e.limitText = value, b.Value
	return e.wire(0), nil
}
