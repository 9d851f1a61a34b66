package vaultspaytest

import (
	"encoding/json"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
)

const (
	pathCardSecurity = "/re/api/v1/card-security"
	pathReset        = "/re/api/v1/card-security/reset"
	pathLimits       = "/re/api/v1/transaction-limits"
)

// apiCall sends one authenticated request over the golden envelope; body is a JSON string or a value
// to encode (nil: no body).
func apiCall(t *testing.T, srv *Server, tok tokens, method, path string, body any) *answer {
	t.Helper()
	var b []byte
	switch v := body.(type) {
	case nil:
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		b = mustJSON(t, v)
	}
	return sealGolden(t, srv, method, path, b).withAuth("Bearer "+tok.AccessToken).send(t, srv)
}

// dataOf decodes the "data" member of a success answer.
func dataOf[T any](t *testing.T, a *answer) T {
	t.Helper()
	require.Equal(t, http.StatusOK, a.Status, "body %s", a.Plain)
	var env struct{ Data T }
	require.NoError(t, json.Unmarshal(a.Plain, &env), "body %s", a.Plain)
	return env.Data
}

// setting is a security setting as the wire shows it.
type setting struct {
	ID              int    `json:"id"`
	TransactionType string `json:"transactionType"`
	Title           string `json:"title"`
	Description     string `json:"description"`
	Enabled         bool   `json:"enabled"`
}

func enabledIDs(ss []setting) []int {
	var out []int
	for _, s := range ss {
		if s.Enabled {
			out = append(out, s.ID)
		}
	}
	return out
}

// specGolden reads a spec example, testdata/spec/<name>.json.
func specGolden(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../testdata/spec/" + name + ".json")
	require.NoError(t, err)
	return b
}

func TestFakeCardSecurity(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	tok := login(t, srv)
	seedCards(t, srv, tok, 6)

	// The defaults are the documented list, all off: the GET answer is the spec's example.
	a := apiCall(t, srv, tok, http.MethodGet, pathCardSecurity+"?cardId=5", nil)
	require.Equal(t, http.StatusOK, a.Status)
	assert.JSONEq(t, string(specGolden(t, "rules/get-card-security.response")), string(a.Plain))

	// The documented body (strings); numbers are refused, every field named (00-conventions §13).
	a = apiCall(t, srv, tok, http.MethodPut, pathCardSecurity, `{"transactionType":"ATM_WITHDRAWAL","cardId":"5","id":"69","value":"1"}`)
	assert.JSONEq(t, `{"id":69,"transactionType":"ATM_WITHDRAWAL","title":"Block ATM Withdrawal Transactions","description":"Block ATM Withdrawal transactions, if you lost your ATM then you can block withdrawal from ATM for extra security ASAP!","enabled":true}`,
		string(mustJSON(t, dataOf[setting](t, a))))
	a = apiCall(t, srv, tok, http.MethodPut, pathCardSecurity, `{"transactionType":"PURCHASE","cardId":5,"id":72,"value":1}`)
	assert.Equal(t, []string{"cardId", "id", "value"}, requireAPIError(t, http.StatusUnprocessableEntity, 1000, a.Status, a.Plain).keys())
	a = apiCall(t, srv, tok, http.MethodPut, pathCardSecurity, `{"transactionType":"PURCHASE","cardId":"5","id":"72","value":"1"}`)
	got := dataOf[setting](t, a)
	assert.Equal(t, "PURCHASE", got.TransactionType, "re-linked to PURCHASE")
	assert.True(t, got.Enabled)

	ss := dataOf[[]setting](t, apiCall(t, srv, tok, http.MethodGet, pathCardSecurity+"?cardId=5", nil))
	assert.Equal(t, []int{69, 72}, enabledIDs(ss))
	assert.Empty(t, enabledIDs(dataOf[[]setting](t, apiCall(t, srv, tok, http.MethodGet, pathCardSecurity+"?cardId=6", nil))),
		"other cards keep their own settings")

	// Switching off again.
	a = apiCall(t, srv, tok, http.MethodPut, pathCardSecurity, `{"transactionType":"ATM_WITHDRAWAL","cardId":"5","id":"69","value":"0"}`)
	assert.False(t, dataOf[setting](t, a).Enabled)

	// Reset: everything off and the original types back; the answer is the spec's example.
	a = apiCall(t, srv, tok, http.MethodPatch, pathReset, `{"cardId": 5}`)
	require.Equal(t, http.StatusOK, a.Status)
	assert.JSONEq(t, string(specGolden(t, "rules/reset-card-security.response")), string(a.Plain))
	assert.Empty(t, enabledIDs(dataOf[[]setting](t, apiCall(t, srv, tok, http.MethodGet, pathCardSecurity+"?cardId=5", nil))))
}

func TestFakeCardSecurityInvalid(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	tok := login(t, srv)
	seedCards(t, srv, tok, 5)
	tests := []struct {
		name   string
		method string
		path   string
		body   any
		keys   []string
		reason string // of the first key, when set
	}{
		{name: "unknown setting id", method: http.MethodPut, path: pathCardSecurity,
			body: `{"transactionType":"ATM_WITHDRAWAL","cardId":"5","id":"99","value":"1"}`, keys: []string{"id"},
			reason: "Security setting does not exist with this id"},
		{name: "unknown card", method: http.MethodPut, path: pathCardSecurity,
			body: `{"transactionType":"ATM_WITHDRAWAL","cardId":"99","id":"69","value":"1"}`, keys: []string{"cardId"},
			reason: "Card does not exist with this id"},
		{name: "GET for an unknown card", method: http.MethodGet, path: pathCardSecurity + "?cardId=99", keys: []string{"cardId"},
			reason: "Card does not exist with this id"},
		{name: "value not 1 or 0", method: http.MethodPut, path: pathCardSecurity,
			body: `{"transactionType":"ATM_WITHDRAWAL","cardId":"5","id":"69","value":"yes"}`, keys: []string{"value"}},
		{name: "value a boolean", method: http.MethodPut, path: pathCardSecurity,
			body: `{"transactionType":"ATM_WITHDRAWAL","cardId":"5","id":"69","value":true}`, keys: []string{"value"}},
		{name: "every field missing", method: http.MethodPut, path: pathCardSecurity, body: `{}`,
			keys: []string{"cardId", "id", "transactionType", "value"}},
		{name: "ids not numbers", method: http.MethodPut, path: pathCardSecurity,
			body: `{"transactionType":"ALL","cardId":"abc","id":"-1","value":"1"}`, keys: []string{"cardId", "id"}},
		{name: "unknown transaction type", method: http.MethodPut, path: pathCardSecurity,
			body: `{"transactionType":"TELEPORT","cardId":"5","id":"69","value":"1"}`, keys: []string{"transactionType"}},
		{name: "not JSON", method: http.MethodPut, path: pathCardSecurity, body: `cardId=5`, keys: []string{"body"}},
		{name: "GET without cardId", method: http.MethodGet, path: pathCardSecurity, keys: []string{"cardId"}},
		{name: "GET with cardId 0", method: http.MethodGet, path: pathCardSecurity + "?cardId=0", keys: []string{"cardId"}},
		{name: "reset without cardId", method: http.MethodPatch, path: pathReset, body: `{}`, keys: []string{"cardId"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := apiCall(t, srv, tok, tt.method, tt.path, tt.body)
			e := requireAPIError(t, http.StatusUnprocessableEntity, 1000, a.Status, a.Plain)
			assert.Equal(t, tt.keys, e.keys())
			if tt.reason != "" {
				assert.Equal(t, tt.reason, e.Errors[0].Reason)
			}
		})
	}
}

// limit is a transaction limit as the wire shows it.
type limit struct {
	ID           int    `json:"id"`
	Type         string `json:"transactionType"`
	Limit        string `json:"limit"`
	AllowedLimit string `json:"allowedLimit"`
}

func limitIDs(ls []limit) []int {
	out := []int{}
	for _, l := range ls {
		out = append(out, l.ID)
	}
	return out
}

func TestFakeTransactionLimits(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	tok := login(t, srv)
	seedCards(t, srv, tok, 4)
	get := func(query string) []limit {
		return dataOf[[]limit](t, apiCall(t, srv, tok, http.MethodGet, pathLimits+query, nil))
	}
	assert.Equal(t, []int{1, 2, 175, 176, 177}, limitIDs(get("")))
	assert.Equal(t, []int{1, 2}, limitIDs(get("?cardId=3")), "only card limits for a card")
	assert.Equal(t, []int{1}, limitIDs(get("?cardId=3&transactionType=ATM_WITHDRAWAL")))
	assert.Equal(t, []int{175}, limitIDs(get("?thirdPartyConfig=vp-acq")))
	assert.Equal(t, []int{}, limitIDs(get("?thirdPartyConfig=vp-acq&transactionType=ATM_WITHDRAWAL")), "filters AND")

	// The documented 175 entry is the spec's example, strings included.
	a := apiCall(t, srv, tok, http.MethodGet, pathLimits+"?transactionType=DEPOSIT", nil)
	require.Equal(t, http.StatusOK, a.Status)
	var golden, gotEnv struct{ Data []map[string]any }
	require.NoError(t, json.Unmarshal(specGolden(t, "rules/transaction-limits.response"), &golden))
	require.NoError(t, json.Unmarshal(a.Plain, &gotEnv))
	require.Len(t, gotEnv.Data, 1)
	for _, k := range []string{"id", "transactionType", "frequency", "currencyCode", "limitType", "slug", "operator", "thirdPartyConfig"} {
		assert.Equal(t, golden.Data[0][k], gotEnv.Data[0][k], k)
	}
	assert.IsType(t, "", gotEnv.Data[0]["limit"], "limit is a string")
	assert.IsType(t, "", gotEnv.Data[0]["allowedLimit"], "allowedLimit is a string")

	// The documented update, for card 3: the answer is the spec's example.
	a = apiCall(t, srv, tok, http.MethodPut, pathLimits, string(specGolden(t, "rules/update-transaction-limits.request")))
	require.Equal(t, http.StatusOK, a.Status, "body %s", a.Plain)
	assert.JSONEq(t, string(specGolden(t, "rules/update-transaction-limits.response")), string(a.Plain))
	assert.Equal(t, "45000", get("?cardId=3&transactionType=ATM_WITHDRAWAL")[0].Limit)
	assert.Equal(t, "10000", get("?cardId=4&transactionType=ATM_WITHDRAWAL")[0].Limit, "other cards keep the default")
	assert.Equal(t, "10000", get("?transactionType=ATM_WITHDRAWAL")[0].Limit, "the default is unchanged")

	// A customer limit: numbers are refused; the text is echoed as sent (cause 3).
	a = apiCall(t, srv, tok, http.MethodPut, pathLimits, `{"transactionType":"DEPOSIT","id":175,"value":15000.50}`)
	assert.Equal(t, []string{"id", "value"}, requireAPIError(t, http.StatusUnprocessableEntity, 1000, a.Status, a.Plain).keys())
	a = apiCall(t, srv, tok, http.MethodPut, pathLimits, `{"transactionType":"DEPOSIT","id":"175","value":"15000.50"}`)
	assert.Equal(t, "15000.50", dataOf[limit](t, a).Limit)
	assert.Equal(t, "15000.50", get("?transactionType=DEPOSIT")[0].Limit, "and read back as sent")
}

func TestFakeTransactionLimitsInvalid(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	tok := login(t, srv)
	seedCards(t, srv, tok, 3)
	tests := []struct {
		name string
		body string
		keys []string
	}{
		{"above allowedLimit", `{"transactionType":"ATM_WITHDRAWAL","cardId":"3","id":"1","value":"2000000.01"}`, []string{"value"}},
		{"negative", `{"transactionType":"DEPOSIT","id":"175","value":"-1"}`, []string{"value"}},
		{"not a number", `{"transactionType":"DEPOSIT","id":"175","value":"lots"}`, []string{"value"}},
		{"count with decimals", `{"transactionType":"TRANSFER","id":"177","value":"2.5"}`, []string{"value"}},
		{"card limit without card", `{"transactionType":"ATM_WITHDRAWAL","id":"1","value":"100"}`, []string{"cardId"}},
		{"unknown id", `{"transactionType":"DEPOSIT","id":"999","value":"100"}`, []string{"id"}},
		{"type mismatch", `{"transactionType":"PURCHASE","id":"175","value":"100"}`, []string{"transactionType"}},
		{"missing fields", `{}`, []string{"id", "transactionType", "value"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := apiCall(t, srv, tok, http.MethodPut, pathLimits, tt.body)
			e := requireAPIError(t, http.StatusUnprocessableEntity, 1000, a.Status, a.Plain)
			assert.Equal(t, tt.keys, e.keys())
		})
	}
	a := apiCall(t, srv, tok, http.MethodGet, pathLimits+"?cardId=x", nil)
	requireAPIError(t, http.StatusUnprocessableEntity, 1000, a.Status, a.Plain)
	a = apiCall(t, srv, tok, http.MethodGet, pathLimits, nil)
	require.Equal(t, http.StatusOK, a.Status)
	a = sealGolden(t, srv, http.MethodGet, pathLimits, nil).send(t, srv)
	requireAPIError(t, http.StatusUnauthorized, 1002, a.Status, a.Plain)
}

// requireLocked checks err is the documented 500 1050 TRANSACTION_LOCKED_BY_RULE.
func requireLocked(t *testing.T, err error) {
	t.Helper()
	require.Error(t, err)
	e, ok := err.(*apiError)
	require.True(t, ok, "%T", err)
	assert.Equal(t, http.StatusInternalServerError, e.status)
	assert.Equal(t, vaultspay.CodeTransactionLockedByRule, e.Code)
	assert.Equal(t, "TRANSACTION_LOCKED_BY_RULE", e.Type)
	assert.Equal(t, "Transaction has been locked.", e.Message)
}

func TestCheckRulesLocked(t *testing.T) {
	t.Parallel()
	amt := vaultspay.MustParseAmount
	type step struct {
		txn     ruleTxn
		locked  bool
		perform bool // record it when let through
	}
	tests := []struct {
		name  string
		setup func(s *Server)
		steps []step
	}{
		{name: "nothing switched on, within limits", steps: []step{
			{txn: ruleTxn{CardID: 3, Type: vaultspay.RuleTransactionTypePurchase, Amount: amt("10"), Currency: "AED"}},
			{txn: ruleTxn{Type: ruleTypeTransfer, Amount: amt("50000"), Currency: "AED"}},
		}},
		{name: "a switched-on block refuses its type on its card only", setup: func(s *Server) {
			s.securityLocked(3).enabled[69] = true
		}, steps: []step{
			{txn: ruleTxn{CardID: 3, Type: vaultspay.RuleTransactionTypeATMWithdrawal, Amount: amt("1")}, locked: true},
			{txn: ruleTxn{CardID: 3, Type: vaultspay.RuleTransactionTypePurchase, Amount: amt("1")}},
			{txn: ruleTxn{CardID: 4, Type: vaultspay.RuleTransactionTypeATMWithdrawal, Amount: amt("1")}},
		}},
		{name: "ALL blocks every type of the card", setup: func(s *Server) {
			s.securityLocked(3).enabled[72] = true
		}, steps: []step{
			{txn: ruleTxn{CardID: 3, Type: vaultspay.RuleTransactionTypePurchase, Amount: amt("1")}, locked: true},
			{txn: ruleTxn{CardID: 3, Type: vaultspay.RuleTransactionTypeATMWithdrawal, Amount: amt("1")}, locked: true},
			{txn: ruleTxn{Type: ruleTypeTransfer, Amount: amt("1")}},
		}},
		{name: "a re-linked setting blocks its new type", setup: func(s *Server) {
			cs := s.securityLocked(3)
			cs.enabled[69], cs.types[69] = true, vaultspay.RuleTransactionTypePurchase
		}, steps: []step{
			{txn: ruleTxn{CardID: 3, Type: vaultspay.RuleTransactionTypePurchase, Amount: amt("1")}, locked: true},
			{txn: ruleTxn{CardID: 3, Type: vaultspay.RuleTransactionTypeATMWithdrawal, Amount: amt("1")}},
		}},
		{name: "ONE_TIME LESS_THAN: the limit itself is refused", steps: []step{
			{txn: ruleTxn{Type: vaultspay.RuleTransactionTypeDeposit, Amount: amt("19999.99"), Currency: "AED"}},
			{txn: ruleTxn{Type: vaultspay.RuleTransactionTypeDeposit, Amount: amt("20000.00"), Currency: "AED"}, locked: true},
			{txn: ruleTxn{Type: vaultspay.RuleTransactionTypeDeposit, Amount: amt("20000.00"), Currency: "USD"}},
		}},
		{name: "DAILY card limit adds the day's transactions of that card", setup: func(s *Server) {
			s.st.rules.limits[0].perCard[3] = limitValue{amount: amt("100"), text: "100"}
		}, steps: []step{
			{txn: ruleTxn{CardID: 3, Type: vaultspay.RuleTransactionTypeATMWithdrawal, Amount: amt("60")}, perform: true},
			{txn: ruleTxn{CardID: 3, Type: vaultspay.RuleTransactionTypeATMWithdrawal, Amount: amt("40.01")}, locked: true},
			{txn: ruleTxn{CardID: 3, Type: vaultspay.RuleTransactionTypeATMWithdrawal, Amount: amt("40")}, perform: true},
			{txn: ruleTxn{CardID: 3, Type: vaultspay.RuleTransactionTypeATMWithdrawal, Amount: amt("0.01")}, locked: true},
			{txn: ruleTxn{CardID: 4, Type: vaultspay.RuleTransactionTypeATMWithdrawal, Amount: amt("9000")}},
		}},
		{name: "DAILY COUNT counts transactions", setup: func(s *Server) {
			s.st.rules.limits[4].Limit = amt("2")
		}, steps: []step{
			{txn: ruleTxn{Type: ruleTypeTransfer, Amount: amt("1")}, perform: true},
			{txn: ruleTxn{Type: ruleTypeTransfer, Amount: amt("1")}, perform: true},
			{txn: ruleTxn{Type: ruleTypeTransfer, Amount: amt("1")}, locked: true},
		}},
		{name: "GREATER is a minimum", setup: func(s *Server) {
			s.st.rules.limits[3].Operator = vaultspay.LimitOperatorGreater
			s.st.rules.limits[3].Limit = amt("10")
		}, steps: []step{
			{txn: ruleTxn{Type: ruleTypeTransfer, Amount: amt("10")}, locked: true},
			{txn: ruleTxn{Type: ruleTypeTransfer, Amount: amt("10.01")}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t)
			srv.mu.Lock()
			defer srv.mu.Unlock()
			if tt.setup != nil {
				tt.setup(srv)
			}
			for i, st := range tt.steps {
				err := srv.checkRulesLocked(st.txn)
				if st.locked {
					requireLocked(t, err)
					continue
				}
				require.NoError(t, err, "step %d", i)
				if st.perform {
					srv.recordRuleUsageLocked(st.txn)
				}
			}
		})
	}
}

// TestRulesWindowsFollowTheClock: a DAILY total starts again the next day, a MONTHLY one the next month.
func TestRulesWindowsFollowTheClock(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, WithClock(fixedClock)) // 2024-09-23
	txn := ruleTxn{CardID: 3, Type: vaultspay.RuleTransactionTypeATMWithdrawal, Amount: vaultspay.MustParseAmount("10000")}
	srv.mu.Lock()
	require.NoError(t, srv.checkRulesLocked(txn))
	srv.recordRuleUsageLocked(txn)
	requireLocked(t, srv.checkRulesLocked(ruleTxn{CardID: 3, Type: txn.Type, Amount: vaultspay.MustParseAmount("1")}))
	srv.mu.Unlock()

	require.NoError(t, srv.Advance(24*time.Hour))
	srv.mu.Lock()
	require.NoError(t, srv.checkRulesLocked(txn), "a new day")
	srv.st.rules.limits[0].Frequency = vaultspay.LimitFrequencyMonthly
	requireLocked(t, srv.checkRulesLocked(txn))
	srv.mu.Unlock()

	require.NoError(t, srv.Advance(8*24*time.Hour)) // October
	srv.mu.Lock()
	defer srv.mu.Unlock()
	require.NoError(t, srv.checkRulesLocked(txn), "a new month")
}

// TestLimitSetOverTheWireBlocks: a limit lowered through the API then refuses a transfer with 1050
// (the transfer code calls checkRulesLocked when it lands).
func TestLimitSetOverTheWireBlocks(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	tok := login(t, srv)
	seedCards(t, srv, tok, 8)
	a := apiCall(t, srv, tok, http.MethodPut, pathLimits, `{"transactionType":"TRANSFER","id":"176","value":"100"}`)
	require.Equal(t, http.StatusOK, a.Status, "body %s", a.Plain)
	a = apiCall(t, srv, tok, http.MethodPut, pathCardSecurity, `{"transactionType":"PURCHASE","cardId":"8","id":"70","value":"1"}`)
	require.Equal(t, http.StatusOK, a.Status, "body %s", a.Plain)

	srv.mu.Lock()
	defer srv.mu.Unlock()
	requireLocked(t, srv.checkRulesLocked(ruleTxn{Type: ruleTypeTransfer, Amount: vaultspay.MustParseAmount("100.01"), Currency: "AED"}))
	require.NoError(t, srv.checkRulesLocked(ruleTxn{Type: ruleTypeTransfer, Amount: vaultspay.MustParseAmount("100"), Currency: "AED"}))
	requireLocked(t, srv.checkRulesLocked(ruleTxn{CardID: 8, Type: vaultspay.RuleTransactionTypePurchase, Amount: vaultspay.MustParseAmount("1")}))

	// The error reaches a client as the documented answer.
	w := &bufferWriter{header: http.Header{}}
	srv.writeJSON(w, &request{Request: &http.Request{}}, http.StatusInternalServerError,
		srv.checkRulesLocked(ruleTxn{Type: ruleTypeTransfer, Amount: vaultspay.MustParseAmount("500")}), true)
	assert.Equal(t, http.StatusInternalServerError, w.status)
	assert.JSONEq(t, `{"code":1050,"message":"Transaction has been locked.","type":"TRANSACTION_LOCKED_BY_RULE"}`, w.body.String())

	// Reset clears the rules.
	srv.mu.Unlock()
	srv.Reset()
	srv.mu.Lock()
	require.NoError(t, srv.checkRulesLocked(ruleTxn{Type: ruleTypeTransfer, Amount: vaultspay.MustParseAmount("500")}))
}

// TestLimitEchoedAsSent is cause 3: PUT transaction-limits answers limit byte for byte as the request
// had it ("500000.00" stays "500000.00", 50-rules §2.5), and the list reads it back so.
func TestLimitEchoedAsSent(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	tok := login(t, srv)
	seedCards(t, srv, tok, 3)
	for _, v := range []string{"500000.00", "500000", "1999.9", "0.10"} {
		a := apiCall(t, srv, tok, http.MethodPut, pathLimits, `{"transactionType":"ATM_WITHDRAWAL","cardId":"3","id":"1","value":"`+v+`"}`)
		assert.Equal(t, v, dataOf[limit](t, a).Limit)
		a = apiCall(t, srv, tok, http.MethodGet, pathLimits+"?cardId=3&transactionType=ATM_WITHDRAWAL", nil)
		assert.Equal(t, v, dataOf[[]limit](t, a)[0].Limit)
	}
}
