package vaultspaytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vaultspay-go/vaultspay"
)

// accountRecord is an account of the fake with its ledger, oldest line first. Balances are in major
// units of the account's currency (250.00 AED is 250).
type accountRecord struct {
	vaultspay.Account
	ledger []vaultspay.LedgerEntry
}

// walletsState holds accounts in creation order.
type walletsState struct {
	accounts   []*accountRecord
	byID       map[vaultspay.ID]*accountRecord
	nextID     vaultspay.ID
	nextLedger vaultspay.ID
}

func newWalletsState() walletsState {
	return walletsState{byID: map[vaultspay.ID]*accountRecord{}, nextID: 11, nextLedger: 76}
}

// currencyCreatedAt is the creation time of the vendor's example currency record.
var currencyCreatedAt = time.Date(2024, 10, 7, 4, 56, 49, 699_000_000, time.UTC)

// fakeCurrencies are the currencies accounts can be opened in; id 2 is AED as in the vendor's example.
var fakeCurrencies = []vaultspay.Currency{
	{ID: 1, Name: "United States Dollar", Code: "USD", ISOCode: 840},
	{ID: 2, Name: "United ARAB EMIRATE", Code: "AED", ISOCode: 784},
	{ID: 3, Name: "Euro", Code: "EUR", ISOCode: 978},
	{ID: 4, Name: "Pound Sterling", Code: "GBP", ISOCode: 826},
	{ID: 5, Name: "Saudi Riyal", Code: "SAR", ISOCode: 682},
}

func currencyByID(id vaultspay.ID) (vaultspay.Currency, bool) {
	for _, c := range fakeCurrencies {
		if c.ID == id {
			c.CreatedAt = &vaultspay.Time{Time: currencyCreatedAt}
			c.CreatedBy, c.UpdatedBy = []byte("null"), []byte("null")
			c.DecimalPoint, c.Type, c.Status = 2, vaultspay.CurrencyTypeFiat, true
			return c, true
		}
	}
	return vaultspay.Currency{}, false
}

func (s *Server) walletRoutes() {
	s.handle("POST /be/api/v1/accounts", authRequired, s.createAccount)
	s.handle("GET /be/api/v1/accounts", authRequired, s.listAccounts)
	s.handle("GET /be/api/v1/accounts/{id}", authRequired, s.getAccount)
	s.handle("GET /be/api/v1/account-ledger/{id}", authRequired, s.listLedger)
}

// accountBody is the body of POST /be/api/v1/accounts, as openapi/vaultspay.yaml declares it.
type accountBody struct {
	UserID      int64  `json:"userId"`
	CurrencyID  int64  `json:"currencyId"` // the internal currency id: 2 is AED
	AccountType string `json:"accountType"`
}

// createAccount opens an account for an existing user; the user's first account in a currency is
// primary. An unknown user or currency is 422 1000 naming the field (the documented not-found pattern).
func (s *Server) createAccount(r *request) (any, error) {
	in, err := decode[accountBody](r)
	if err != nil {
		return nil, err
	}
	userID, typ := vaultspay.ID(in.UserID), vaultspay.AccountType(in.AccountType)
	s.mu.Lock()
	defer s.mu.Unlock()
	var bad checks
	user := s.userLocked(userID)
	if user == nil {
		bad.add("userId", "User does not exist with this id")
	}
	cur, ok := currencyByID(vaultspay.ID(in.CurrencyID))
	if !ok {
		bad.add("currencyId", "Currency does not exist with this id")
	}
	if typ != vaultspay.AccountTypeDigital {
		bad.add("accountType", "must be DIGITAL")
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	ws := &s.st.wallets
	ws.nextID++
	primary := !slices.ContainsFunc(ws.accounts, func(a *accountRecord) bool {
		return a.UserID == userID && a.CurrencyCode == cur.Code
	})
	a := &accountRecord{Account: vaultspay.Account{ID: ws.nextID, UserID: userID, AccountType: typ,
		CurrencyCode: cur.Code, Currency: cur, AccountTitle: strings.ToUpper(user.FullName),
		AccountNumber: fmt.Sprintf("30132278%06d", int64(ws.nextID)), Status: vaultspay.AccountStatusActive,
		References: []json.RawMessage{}, IsPrimary: primary}}
	ws.accounts = append(ws.accounts, a)
	ws.byID[a.ID] = a
	return a.Account, nil
}

// listAccounts filters by accountType, userId and currencyCode, newest first. shownMyAccounts,
// thirdPartyConfigSlug and transactionType are accepted and ignored: every account of the fake
// belongs to the calling app and to no third-party configuration.
func (s *Server) listAccounts(r *request) (any, error) {
	q := r.URL.Query()
	var bad checks
	userID := queryID(q, "userId", &bad)
	if err := bad.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []vaultspay.Account
	for _, a := range slices.Backward(s.st.wallets.accounts) {
		if t := q.Get("accountType"); t != "" && string(a.AccountType) != t ||
			userID != 0 && a.UserID != userID ||
			q.Get("currencyCode") != "" && !strings.EqualFold(a.CurrencyCode, q.Get("currencyCode")) {
			continue
		}
		out = append(out, a.Account)
	}
	return paginate(r, out)
}

// getAccount answers the account with its transaction count.
func (s *Server) getAccount(r *request) (any, error) {
	return s.withAccount(r, func(a *accountRecord) (any, error) {
		out := a.Account
		n := int64(len(a.ledger))
		out.TotalTransactions = &n
		return out, nil
	})
}

// listLedger answers an account's ledger newest first, filtered by userId, startDate, endDate
// (inclusive; RFC 3339 or YYYY-MM-DD) and transactionId, paged like every list.
func (s *Server) listLedger(r *request) (any, error) {
	q := r.URL.Query()
	var bad checks
	userID, txID := queryID(q, "userId", &bad), queryID(q, "transactionId", &bad)
	from, to := queryTime(q, "startDate", &bad), queryTime(q, "endDate", &bad)
	if err := bad.err(); err != nil {
		return nil, err
	}
	return s.withAccount(r, func(a *accountRecord) (any, error) {
		pg, per, err := pageParams(r)
		if err != nil {
			return nil, err
		}
		// Copy only the asked page, and without filters visit only it: copying or scanning the whole
		// ledger for each page made walking a long one quadratic.
		skip, total := pageSkip(pg, per), 0
		var data []vaultspay.LedgerEntry
		if userID == 0 && txID == 0 && from.IsZero() && to.IsZero() {
			total = len(a.ledger)
			lo := min(skip, total)
			for k := lo; k < min(lo+per, total); k++ {
				data = append(data, a.ledger[total-1-k]) // newest first
			}
			return pageOf(data, pg, per, total), nil
		}
		for i := len(a.ledger) - 1; i >= 0; i-- {
			e := &a.ledger[i]
			if userID != 0 && userID != a.UserID || txID != 0 && e.TransactionID != txID || !inRange(e.Date.Time, from, to) {
				continue
			}
			if total >= skip && len(data) < per {
				data = append(data, *e)
			}
			total++
		}
		return pageOf(data, pg, per, total), nil
	})
}

// withAccount runs f under s.mu with the account of the {id} path parameter. A malformed id is 400, an
// unknown one 422 1000 on key id (the documented "does not exist with this id" pattern).
func (s *Server) withAccount(r *request, f func(a *accountRecord) (any, error)) (any, error) {
	id, err := pathID(r, "id", vaultspay.CodeBadRequest)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.st.wallets.byID[id]
	if a == nil {
		return nil, errInvalidPayload(vaultspay.FieldError{Key: "id", Reason: "Account does not exist with this id"})
	}
	return f(a)
}

// FundAccount credits amount (major units of the account's currency, e.g. 250.00) to an account, as
// the back office does: it writes a ledger line and records a SUCCESS Deposit transaction. It mirrors
// POST /_fake/accounts/{id}/fund.
//
// Errors: *vaultspay.APIError (1010 for an unknown account, 1000 on key amount for a bad amount).
func (s *Server) FundAccount(id vaultspay.ID, amount vaultspay.Amount) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.fundLocked(id, amount); err != nil {
		return publicError(err)
	}
	return nil
}

// fundLocked credits an account; an unknown id is 1010, a bad amount 1000 on key amount.
func (s *Server) fundLocked(id vaultspay.ID, amount vaultspay.Amount) (*accountRecord, *apiError) {
	a := s.st.wallets.byID[id]
	if a == nil {
		return nil, errBadRequest(http.StatusBadRequest, "Account does not exist with this id")
	}
	if amount.Sign() <= 0 || amount.Decimals() > a.Currency.DecimalPoint {
		return nil, errInvalidPayload(vaultspay.FieldError{Key: "amount",
			Reason: fmt.Sprintf("must be greater than zero with at most %d decimal places", a.Currency.DecimalPoint)})
	}
	narration := fmt.Sprintf("DEPOSIT AMT %s %s", amount.StringFixed(a.Currency.DecimalPoint), a.CurrencyCode)
	tx := s.recordTransactionLocked(vaultspay.TransactionTypeDeposit, vaultspay.TransactionStatusSuccess, a, nil, amount, narration)
	if err := s.postLocked(a, tx.ID, amount, narration); err != nil {
		return nil, err
	}
	return a, nil
}

// postLocked adds a ledger line of delta (positive: credit, negative: debit) and moves the balance.
func (s *Server) postLocked(a *accountRecord, txID vaultspay.ID, delta vaultspay.Amount, narration string) *apiError {
	bal, err := a.Balance.Add(delta)
	if err != nil {
		return errInvalidPayload(vaultspay.FieldError{Key: "amount", Reason: "is too large"})
	}
	ws := &s.st.wallets
	ws.nextLedger++
	e := vaultspay.LedgerEntry{ID: ws.nextLedger, TransactionID: txID, TransactionRefID: 13432435430000 + ws.nextLedger,
		Balance: bal, Narration: narration, Date: vaultspay.Time{Time: s.nowLocked().UTC()}}
	if delta.Sign() > 0 {
		e.Credit = delta
	} else {
		e.Debit = delta.Neg()
	}
	a.Balance = bal
	a.ledger = append(a.ledger, e)
	return nil
}

// queryID reads an optional positive integer query parameter (0 when absent).
func queryID(q url.Values, key string, bad *checks) vaultspay.ID {
	v := q.Get(key)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		bad.add(key, "must be a positive integer")
	}
	return vaultspay.ID(n)
}

// queryTime reads an optional ISO 8601 timestamp or date query parameter (zero when absent). A bare
// date as endDate means the end of that day.
func queryTime(q url.Values, key string, bad *checks) time.Time {
	v := q.Get(key)
	if v == "" {
		return time.Time{}
	}
	t, err := vaultspay.ParseTime(v)
	if err != nil {
		bad.add(key, "must be an ISO 8601 date or timestamp")
	}
	if key == "endDate" && len(v) == len(time.DateOnly) {
		return t.Add(24*time.Hour - time.Nanosecond)
	}
	return t.Time
}

// inRange reports whether from <= t <= to, a zero bound being open.
func inRange(t, from, to time.Time) bool {
	return (from.IsZero() || !t.Before(from)) && (to.IsZero() || !t.After(to))
}
