package vaultspaytest

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/vaultspay-go/vaultspay"
)

// The fake's payment cards (shared/api/40-cards-issuance.md, 41-cards-controls.md). It follows 40 §4.4
// and §20; where the vendor is silent it decides, and the handlers' comments say so. In short:
//   - A new VIRTUAL card is ACTIVE, a new PHYSICAL one CardStatusInactive (WithCardLifecycle changes
//     both). A physical card goes INACTIVE → set-pin → process-card-request (ISSUANCE_IN_PROGRESS) →
//     update-card-manufacturing (MANUFACTURED) → update-delivery-status DELIVERED
//     (PENDING_VERIFICATION) → activate-card with its own PAN and expiry (ACTIVE).
//   - ACTIVE, BLOCK and FREEZE are switched by update-card-status (to ACTIVE or BLOCK, the same status
//     again is accepted) and toggle-freeze-card (ACTIVE ↔ FREEZE only).
//   - A refused transition is 422 1000 with one field error keyed on the card identifier the request
//     used (cardId, cardToken or token) and leaves the card unchanged; an unknown card is 422 1000
//     "Card does not exist with this id" (or "token"); an unknown or misnamed request field is 422 1000
//     naming it. The error texts never contain a PAN, CVV, expiry or PIN.
//   - Each card gets at creation a 9-digit token, a 16-digit Luhn-valid PAN (BIN 540896 for
//     MASTERCARD, 476173 for VISA), a 3-digit CVV and an expiry "MM/YY" the tier's expiryPeriod (in
//     months) after the creation month. These exist only in the fake and leave it only through
//     get-card-pan, get-card-cvv and get-card-expiry. The expiry is MM/YY, as the Get Card Expiry
//     table says, not the page's example order "27/12" (YY/MM): activate-card takes MM/YY and the
//     holder must be able to type back what the API shows. The PIN never leaves the fake.
//   - Every status change after creation sends one card event to the webhook URL (SetWebhook); the
//     creation sends none (40-cards-issuance §20), nor does a call that leaves the status as it was.
//   - A card replaced or renewed through a report is BLOCK for good: every later change is refused.
//   - Cards are never deleted; Reset forgets them.

// CardStatusInactive is the status the fake gives a new PHYSICAL card by default (40-cards-issuance.md
// §20). The vendor's name for it is UNKNOWN, which is why vaultspay has no constant for it.
const CardStatusInactive vaultspay.CardStatus = "INACTIVE"

// The card tiers of the fake (ListTiers), both offering PHYSICAL and VIRTUAL cards in AED.
const (
	CardTierDebit   vaultspay.ID = 67 // "VaultsPay Debit Card Tier": MASTERCARD, DEBIT, STANDARD
	CardTierPremium vaultspay.ID = 68 // "VaultsPay Premium Card Tier": VISA, PREPAID, PREMIUM
)

// CardLifecycle holds the switches of 40-cards-issuance.md §4.4, for the rules the vendor leaves
// open. The zero value is the fake's default: every check on.
type CardLifecycle struct {
	VirtualStatus  vaultspay.CardStatus // status of a new VIRTUAL card; "" is ACTIVE
	PhysicalStatus vaultspay.CardStatus // status of a new PHYSICAL card; "" is CardStatusInactive

	SkipPINCheck           bool // process-card-request without a PIN set
	SkipManufacturingCheck bool // DELIVERED before MANUFACTURED
	SkipActivationCheck    bool // activate-card without the card's own PAN and expiry
	SkipEmbossingCheck     bool // any cardHolderName, not only one of the embossing names
}

// WithCardLifecycle sets the card lifecycle switches (default: the zero CardLifecycle).
func WithCardLifecycle(l CardLifecycle) Option { return func(s *Server) { s.cardRules = l } }

// initial is the status of a new card of type t.
func (l CardLifecycle) initial(t vaultspay.CardType) vaultspay.CardStatus {
	if t == vaultspay.CardTypeVirtual {
		return orDefault(l.VirtualStatus, vaultspay.CardStatusActive)
	}
	return orDefault(l.PhysicalStatus, CardStatusInactive)
}

// orDefault returns v, or def when v is "".
func orDefault[T ~string](v, def T) T {
	if v == "" {
		return def
	}
	return v
}

// cardRecord is a card of the fake: the card object as answered, and what only the fake knows.
// Pointer fields of Card are never changed in place (a change assigns a new pointer), so an answer
// built from a record stays valid after the lock is released.
type cardRecord struct {
	vaultspay.Card
	pan, cvv, expiry string // generated at creation; expiry is "MM/YY"
	pin              string
	tierTitle        string
	address          *vaultspay.CardAddress // delivery address of a PHYSICAL card
	pendingAddress   *vaultspay.CardAddress // of a pending conversion request
	manufacturing    vaultspay.CardManufacturingStatus
	delivery         vaultspay.CardDeliveryStatus
	eta              *vaultspay.DeliveryTime
	activatedAt      *vaultspay.Time
	remarks          string
	report           *reportRecord // the open report, nil when none
	replacedBy       vaultspay.ID  // the card that replaced or renewed this one
}

// reportRecord is a reported-card issue.
type reportRecord struct {
	vaultspay.ReportedIssue
}

// cardsState holds cards and reports in creation order.
type cardsState struct {
	list       []*cardRecord
	byID       map[vaultspay.ID]*cardRecord
	byToken    map[vaultspay.CardToken]*cardRecord
	pans       map[string]bool
	reports    []*reportRecord
	nextID     vaultspay.ID
	nextLink   vaultspay.ID // account link records
	next3DS    vaultspay.ID
	nextReport vaultspay.ID
}

func newCardsState() cardsState {
	return cardsState{byID: map[vaultspay.ID]*cardRecord{}, byToken: map[vaultspay.CardToken]*cardRecord{},
		pans: map[string]bool{}, nextLink: 300, next3DS: 2563, nextReport: 40}
}

// fakeCardTiers are the tiers ListTiers answers. expiryPeriod is in months (the unit is UNKNOWN).
func fakeCardTiers() []vaultspay.CardTier {
	return []vaultspay.CardTier{
		{ID: CardTierDebit, CardCategory: vaultspay.CardCategoryStandard, ConsumerType: vaultspay.CardConsumerTypeConsumer,
			Title: "VaultsPay Debit Card Tier", Description: "Debit card on the customer's AED account.", UserID: 4,
			CardNetwork: vaultspay.CardNetworkMastercard, PaymentCardType: vaultspay.PaymentCardTypeDebit,
			CardTypes: "PHYSICAL,VIRTUAL", BillingCurrencyCode: "AED", SettlementCurrencyCode: "AED", ExpiryPeriod: 36,
			CardStackSize: 500, CardLimit: 10000, CardStockMinimumThreshold: 50, EnableAutoRenewalCard: true, Is3DS: true,
			EnableFraudRules: true, EnableLimits: true},
		{ID: CardTierPremium, CardCategory: vaultspay.CardCategoryPremium, ConsumerType: vaultspay.CardConsumerTypeConsumer,
			Title: "VaultsPay Premium Card Tier", Description: "Prepaid premium card.", UserID: 4,
			CardNetwork: vaultspay.CardNetworkVisa, PaymentCardType: vaultspay.PaymentCardTypePrepaid,
			CardTypes: "PHYSICAL,VIRTUAL", BillingCurrencyCode: "AED", SettlementCurrencyCode: "AED", ExpiryPeriod: 60,
			CardStackSize: 200, CardLimit: 1000, CardStockMinimumThreshold: 20, Is3DS: true, EnableLimits: true},
	}
}

func cardTierByID(id vaultspay.ID) (vaultspay.CardTier, bool) {
	for _, t := range fakeCardTiers() {
		if t.ID == id {
			return t, true
		}
	}
	return vaultspay.CardTier{}, false
}

func (s *Server) cardRoutes() {
	s.handle("GET /pcs/api/v1/card-tiers", authRequired, s.listCardTiers)
	s.handle("GET /pcs/api/v1/embossing-names/{userId}", authRequired, s.embossingNames)
	s.handle("POST /pcs/api/v1/cards", authRequired, s.createCard)
	s.handle("POST /pcs/api/v1/process-card-request", authRequired, s.processCard)
	s.handle("POST /pcs/api/v1/update-card-manufacturing", authRequired, s.updateManufacturing)
	s.handle("POST /pcs/api/v1/update-delivery-status", authRequired, s.updateDelivery)
	s.handle("POST /pcs/api/v1/activate-card", authRequired, s.activateCard)
	s.handle("POST /pcs/api/v1/set-pin", authRequired, s.setPIN)
	s.handle("POST /pcs/api/v1/cards/details", authRequired, s.cardDetails)
	s.handle("POST /pcs/api/v1/get-card-pan", authRequired, s.cardPAN)
	s.handle("POST /pcs/api/v1/get-card-cvv", authRequired, s.cardCVV)
	s.handle("POST /pcs/api/v1/get-card-expiry", authRequired, s.cardExpiry)
	s.handle("POST /pcs/api/v1/enroll-card-three-ds", authRequired, s.enrollThreeDS)
	s.handle("POST /pcs/api/v1/remove-card-three-ds", authRequired, s.removeThreeDS)
	s.handle("POST /pcs/api/v1/update-card-status", authRequired, s.updateCardStatus)
	s.handle("POST /pcs/api/v1/toggle-freeze-card", authRequired, s.toggleFreeze)
	s.handle("POST /pcs/api/v1/update-card-account", authRequired, s.updateCardAccount)
	s.handle("POST /pcs/api/v1/report-card-issue", authRequired, s.reportIssue)
	s.handle("POST /pcs/api/v1/review-report-card-issue", authRequired, s.reviewReport)
	s.handle("POST /pcs/api/v1/replace-card", authRequired, s.replaceCard)
	s.handle("POST /pcs/api/v1/renew-card", authRequired, s.renewCard)
	s.handle("POST /pcs/api/v1/decline-card", authRequired, s.declineCard)
	s.handle("GET /pcs/api/v1/card-reported-issues", authRequired, s.listReportedIssues)
	s.handle("POST /pcs/api/v1/virtual-to-physical", authRequired, s.requestConversion)
	s.handle("POST /pcs/api/v1/virtual-to-physical-process", authRequired, s.processConversion)
	s.cardControlRoutes()
}

// cardKey is how a request names its card.
type cardKey struct {
	ref      vaultspay.CardRef
	tokenKey string // the endpoint's JSON name for the token; "" when it takes cardId only
	idOnly   bool   // cardId is required even when a token is sent (renew, replace, decline)
}

func byID(id vaultspay.ID) cardKey { return cardKey{ref: vaultspay.CardRef{ID: id}} }

func byRef(ref vaultspay.CardRef) cardKey { return cardKey{ref: ref, tokenKey: "cardToken"} }

// check adds the problems of the identifiers alone.
func (k cardKey) check(bad *checks) {
	switch {
	case k.ref.ID < 0:
		bad.add("cardId", "must be a positive integer")
	case k.ref.ID == 0 && (k.idOnly || k.tokenKey == ""):
		bad.add("cardId", "must not be blank")
	case k.ref.ID == 0 && k.ref.Token == 0:
		bad.add("cardId", "cardId or "+k.tokenKey+" is required")
	}
	if k.ref.Token < 0 {
		bad.add(k.tokenKey, "must be a positive integer")
	}
}

// cardLocked finds the card k names, and returns the key a refusal is keyed on.
func (s *Server) cardLocked(k cardKey) (*cardRecord, string, error) {
	cs := &s.st.cards
	if k.ref.ID != 0 || k.tokenKey == "" {
		c := cs.byID[k.ref.ID]
		switch {
		case c == nil:
			return nil, "", errInvalidPayload(vaultspay.FieldError{Key: "cardId", Reason: "Card does not exist with this id"})
		case k.ref.Token != 0 && c.Token != k.ref.Token:
			return nil, "", errInvalidPayload(vaultspay.FieldError{Key: k.tokenKey, Reason: "does not belong to the card cardId names"})
		}
		return c, "cardId", nil
	}
	c := cs.byToken[k.ref.Token]
	if c == nil {
		return nil, "", errInvalidPayload(vaultspay.FieldError{Key: k.tokenKey, Reason: "Card does not exist with this token"})
	}
	return c, k.tokenKey, nil
}

// cardCall is the frame of every card write and card read (the request already kept to the
// description: names and JSON types are right): decode T, check the identifiers
// and check's payload rules (422 1000 listing all), find the card under s.mu, then do.
func cardCall[T any](s *Server, r *request, key func(*T) cardKey, check func(*T, *checks),
	do func(in *T, c *cardRecord, at string) (any, error)) (any, error) {
	in, err := decode[T](r)
	if err != nil {
		return nil, err
	}
	k := key(&in)
	var bad checks
	k.check(&bad)
	if check != nil {
		check(&in, &bad)
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, at, err := s.cardLocked(k)
	if err != nil {
		return nil, err
	}
	return do(&in, c, at)
}

// refuse is the refusal of a transition: 422 1000 keyed on at.
func refuse(at, format string, args ...any) error {
	return errInvalidPayload(vaultspay.FieldError{Key: at, Reason: fmt.Sprintf(format, args...)})
}

// needStatus refuses action unless c is in one of the statuses ok; a replaced card is refused always.
func needStatus(c *cardRecord, at, action string, ok ...vaultspay.CardStatus) error {
	if err := notReplaced(c, at); err != nil {
		return err
	}
	if slices.Contains(ok, c.Status) {
		return nil
	}
	return refuse(at, "Card status is %s; %s needs %s", c.Status, action, joinOr(ok))
}

// oneOf adds the problem of an enum member that must be one of allowed.
func oneOf[T ~string](bad *checks, key string, v T, allowed ...T) {
	switch {
	case v == "":
		bad.add(key, "must not be blank")
	case !slices.Contains(allowed, v):
		bad.add(key, "must be "+joinOr(allowed))
	}
}

// joinOr is "A", "A or B", "A or B or C".
func joinOr[T ~string](vs []T) string {
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = string(v)
	}
	return strings.Join(names, " or ")
}

// notReplaced refuses every change of a card that was replaced or renewed.
func notReplaced(c *cardRecord, at string) error {
	if c.replacedBy != 0 {
		return refuse(at, "Card was replaced by card %d and can no longer be changed", c.replacedBy)
	}
	return nil
}

// needType refuses action unless c is of type t.
func needType(c *cardRecord, at, action string, t vaultspay.CardType) error {
	if c.CardType != t {
		return refuse(at, "Card is %s; %s is for %s cards only", c.CardType, action, t)
	}
	return nil
}

// issueCardLocked creates a card in status with fresh token, PAN, CVV and expiry; no card event is
// sent for the creation. name is printed on it; addr is its delivery address (PHYSICAL).
func (s *Server) issueCardLocked(u *userRecord, a *accountRecord, tier vaultspay.CardTier, typ vaultspay.CardType,
	name string, addr *vaultspay.CardAddress, status vaultspay.CardStatus, reason string) *cardRecord {
	cs := &s.st.cards
	cs.nextID++
	cs.next3DS++
	now := s.nowLocked().UTC()
	created := vaultspay.Time{Time: now}
	c := &cardRecord{tierTitle: tier.Title, address: addr, Card: vaultspay.Card{ID: cs.nextID, UserID: u.ID,
		CardIssuerConfigID: ptr(vaultspay.ID(3)), UserProfile: &vaultspay.CardUserProfile{ID: u.ID, FirstName: u.FirstName,
			LastName: u.LastName, Email: u.Email, CountryCode: u.CountryCode, Phone: u.Phone},
		ThreeDSecure:    &vaultspay.CardThreeDSecure{ID: cs.next3DS, ConfigID: 9},
		CardTier:        &vaultspay.CardTier{ID: tier.ID, EnableFraudRules: tier.EnableFraudRules, EnableLimits: tier.EnableLimits},
		PaymentCardType: tier.PaymentCardType, CardNetwork: tier.CardNetwork, CardType: typ,
		BillingCurrency: tier.BillingCurrencyCode, EmbossName: name, TokenFlags: "0", CardCategory: tier.CardCategory,
		ConsumerType: tier.ConsumerType, CreatedAt: &created}}
	c.Token = s.newCardTokenLocked()
	c.pan = s.newPANLocked(tier.CardNetwork)
	c.LastFourDigits = c.pan[len(c.pan)-4:]
	c.cvv = randomDigits(3)
	c.expiry = expiryAfter(now, tier.ExpiryPeriod)
	s.linkAccountLocked(c, a)
	cs.list = append(cs.list, c)
	cs.byID[c.ID] = c
	cs.byToken[c.Token] = c
	// No card event for the creation itself (40-cards-issuance §20): events follow status changes.
	c.Status, c.StatusReason = status, reason
	s.touchLocked(c)
	return c
}

// linkAccountLocked links c to account a with a new link record.
func (s *Server) linkAccountLocked(c *cardRecord, a *accountRecord) {
	s.st.cards.nextLink++
	link := &vaultspay.CardAccount{ID: s.st.cards.nextLink, AccountID: a.ID, UserID: a.UserID,
		AccountType: string(a.AccountType), CurrencyCode: a.CurrencyCode, AccountTitle: a.AccountTitle,
		AccountNumber: a.AccountNumber}
	if a.IBAN != nil {
		link.IBAN = ptr(*a.IBAN)
	}
	c.Account = link
}

// setStatusLocked moves c to status to, with reason ("" keeps the card's), and sends the card event
// when the status changed (from "" for a new card).
func (s *Server) setStatusLocked(c *cardRecord, to vaultspay.CardStatus, reason string) {
	from := c.Status
	c.Status = to
	if reason != "" {
		c.StatusReason = reason
	}
	s.touchLocked(c)
	if from != to {
		s.emitCardEventLocked(c.eventCard(), from, to, c.StatusReason)
	}
}

// touchLocked marks c as changed by this API call.
func (s *Server) touchLocked(c *cardRecord) {
	c.UpdatedAt = &vaultspay.Time{Time: s.nowLocked().UTC()}
	c.APICallUniqueIdentifier = newUUID()
}

// eventCard is c as a card event shows it: the webhook writes MASTERCARD as "MC" (documented) and
// other networks as the card API does (the fake's choice).
func (c *cardRecord) eventCard() vaultspay.CardEventCard {
	network := vaultspay.CardEventNetwork(c.CardNetwork)
	if c.CardNetwork == vaultspay.CardNetworkMastercard {
		network = vaultspay.CardEventNetworkMC
	}
	return vaultspay.CardEventCard{Token: c.Token, LastFourDigits: c.LastFourDigits, Tier: c.tierTitle,
		Network: network, Type: c.CardType}
}

// cardViewLocked is the card object of c. A PHYSICAL card carries the fake's activation, manufacturing
// and delivery objects (their sub-fields are UNKNOWN; these are the fake's); reportedCards lists the
// card's reports.
func (s *Server) cardViewLocked(c *cardRecord) cardWire {
	v := c.Card
	if c.CardType == vaultspay.CardTypePhysical {
		v.Manufacturing = mustRaw(map[string]any{"status": nullIfEmpty(string(c.manufacturing))})
		v.Delivery = mustRaw(map[string]any{"status": nullIfEmpty(string(c.delivery)), "estimatedDeliveryTime": c.eta,
			"address": c.address})
		v.Activation = mustRaw(map[string]any{"activated": c.activatedAt != nil, "activatedAt": c.activatedAt})
	}
	v.ReportedCards = []json.RawMessage{}
	for _, r := range s.st.cards.reports {
		if r.CardID == c.ID {
			v.ReportedCards = append(v.ReportedCards, mustRaw(r.wire()))
		}
	}
	v.CardTokens = []json.RawMessage{}
	return cardWireOf(v)
}

func mustRaw(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage("null")
	}
	return b
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func ptr[T any](v T) *T { return &v }

// embossingNames derives the names a card may carry from the user's first and last name, upper case,
// in the vendor example's order: FIRST, FIRST LAST, FIRST L, F LAST (duplicates and blanks dropped).
func embossingNames(u *userRecord) []string {
	first := strings.ToUpper(strings.Join(strings.Fields(u.FirstName), " "))
	last := strings.ToUpper(strings.Join(strings.Fields(u.LastName), " "))
	var out []string
	add := func(n string) {
		if n = strings.TrimSpace(n); n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	add(first)
	add(first + " " + last)
	if first != "" && last != "" {
		add(first + " " + initial(last))
		add(initial(first) + " " + last)
	}
	return out
}

// initial is the first letter of s.
func initial(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}

// newCardTokenLocked returns an unused 9-digit token.
func (s *Server) newCardTokenLocked() vaultspay.CardToken {
	for {
		n, _ := rand.Int(rand.Reader, big.NewInt(900_000_000))
		t := vaultspay.CardToken(n.Int64() + 100_000_000)
		if s.st.cards.byToken[t] == nil {
			return t
		}
	}
}

// newPANLocked returns an unused 16-digit PAN that passes the Luhn check.
func (s *Server) newPANLocked(network vaultspay.CardNetwork) string {
	bin := "540896" // MASTERCARD, the BIN of the vendor's example PAN
	if network == vaultspay.CardNetworkVisa {
		bin = "476173"
	}
	for {
		body := bin + randomDigits(9)
		pan := body + luhnDigit(body)
		if !s.st.cards.pans[pan] {
			s.st.cards.pans[pan] = true
			return pan
		}
	}
}

// luhnDigit is the check digit that makes body + digit pass the Luhn check.
func luhnDigit(body string) string {
	sum := 0
	for i := 0; i < len(body); i++ {
		d := int(body[len(body)-1-i] - '0')
		if i%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return string(rune('0' + (10-sum%10)%10))
}

// randomDigits returns n random decimal digits.
func randomDigits(n int) string {
	b := make([]byte, n)
	for i := range b {
		d, _ := rand.Int(rand.Reader, big.NewInt(10))
		b[i] = byte('0' + d.Int64())
	}
	return string(b)
}

// expiryAfter is "MM/YY" of the month months after t's month (36 when months is not positive).
func expiryAfter(t time.Time, months int) string {
	if months <= 0 {
		months = 36
	}
	e := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, months, 0)
	return fmt.Sprintf("%02d/%02d", int(e.Month()), e.Year()%100)
}
