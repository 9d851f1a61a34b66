package vaultspaytest

import (
	"net/http"
	"time"

	"github.com/vaultspay-go/vaultspay"
)

// state is the fake's data, one part per service area, guarded by Server.mu.
type state struct {
	tokens map[string]*tokenInfo
	users  usersState

	wallets      walletsState
	transfers    transfersState
	transactions transactionsState
	rules        *rulesState
	cards        cardsState
	hooks        webhookState
	ibans        map[string]IBANEntry // the bank look-up's registrations, by normalized IBAN
}

func newState(now vaultspay.Time) *state {
	return &state{tokens: map[string]*tokenInfo{}, users: newUsersState(now),
		wallets: newWalletsState(), transfers: newTransfersState(), transactions: newTransactionsState(),
		rules: newRulesState(), cards: newCardsState(), ibans: defaultIBANs()}
}

// StateCounts are the object counts /_fake/state reports, for reconciliation checks.
type StateCounts struct {
	Users             int `json:"users"`
	Accounts          int `json:"accounts"`
	PaymentContacts   int `json:"paymentContacts"`
	Transfers         int `json:"transfers"`
	Transactions      int `json:"transactions"`
	Cards             int `json:"cards"`
	WebhookDeliveries int `json:"webhookDeliveries"`
}

// State returns the current object counts.
func (s *Server) State() StateCounts {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.counts()
}

// counts is filled in by each service area as it adds state.
func (st *state) counts() StateCounts {
	return StateCounts{Users: len(st.users.users),
		Accounts: len(st.wallets.accounts), PaymentContacts: len(st.transfers.contacts),
		Transfers: st.transfers.transfers, Transactions: len(st.transactions.list), Cards: len(st.cards.list),
		WebhookDeliveries: len(st.hooks.deliveries)}
}

// RequestRecord is one API request in the log (control routes are not logged).
type RequestRecord struct {
	Method string    `json:"method"`
	Path   string    `json:"path"`   // without the query
	Status int       `json:"status"` // 0 when no answer was sent
	Time   time.Time `json:"time"`   // the fake's clock
}

// Requests returns the request log, oldest first.
func (s *Server) Requests() []RequestRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]RequestRecord(nil), s.log...)
}

// CountRequests returns how many logged requests match method and path.
func (s *Server) CountRequests(method, path string) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

func (s *Server) record(r *http.Request) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, RequestRecord{Method: r.Method, Path: r.URL.Path, Time: s.nowLocked().UTC()})
	return len(s.log) - 1
}

func (s *Server) setStatus(i, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i < len(s.log) {
		s.log[i].Status = status
	}
}

// Reset returns the fake to its initial state, keeping its keys and credentials: it also clears tokens,
// faults, the request log, the rules, the webhook URL and delivery log, and the clock offset.
// Deliveries already under way go on and are recorded in the old log only.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offset = 0
	s.st = newState(vaultspay.Time{Time: s.nowLocked().UTC()})
	s.faults, s.log, s.offset = nil, nil, 0
}
