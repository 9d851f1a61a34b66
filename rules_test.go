package vaultspay

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newRulesClient is a client on an httpmock transport at a loopback URL with encryption off and a static
// token, so the body on the wire is the plain JSON under test.
func newRulesClient(t *testing.T, mt *httpmock.MockTransport) *Client {
	t.Helper()
	c, _, _ := setup(t, WithHTTPClient(&http.Client{Transport: mt}), WithRetryPolicy(fastRetry(2)))
	return c
}

// rulesSeen is what the mock received.
type rulesSeen struct {
	Method, Path, Query string
	Body                []byte
}

// rulesRecorder answers every request with reply and records it.
type rulesRecorder struct {
	mu   sync.Mutex
	seen []rulesSeen
}

func (w *rulesRecorder) responder(status int, reply []byte) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		var b []byte
		if r.Body != nil {
			b, _ = io.ReadAll(r.Body)
		}
		w.mu.Lock()
		w.seen = append(w.seen, rulesSeen{r.Method, r.URL.Path, r.URL.RawQuery, b})
		w.mu.Unlock()
		return httpmock.NewBytesResponse(status, reply), nil
	}
}

func (w *rulesRecorder) requests() []rulesSeen {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]rulesSeen(nil), w.seen...)
}

// specFile reads testdata/spec/<name>.json.
func specFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "spec", name+".json"))
	require.NoError(t, err)
	return b
}

// requireStrict decodes b into v, failing the test on any field v does not model.
func requireStrict(t *testing.T, b []byte, v any) {
	t.Helper()
	require.NoError(t, decodeStrict(b, v))
}

func TestRulesWire(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name     string
		method   string
		path     string
		query    string
		request  string // golden request body; "" for none
		wantBody string // exact body when not a golden
		response string // golden response
		call     func(c *Client) (any, error)
		check    func(t *testing.T, got any)
	}{
		{
			name: "get card security", method: http.MethodGet, path: "/re/api/v1/card-security", query: "cardId=1",
			response: "rules/get-card-security.response",
			call:     func(c *Client) (any, error) { return c.Rules.CardSecurity(ctx, 1) },
			check: func(t *testing.T, got any) {
				s := got.([]SecuritySetting)
				require.Len(t, s, 4)
				assert.Equal(t, ID(69), s[0].ID)
				assert.Equal(t, RuleTransactionTypeATMWithdrawal, s[0].TransactionType)
				assert.Equal(t, "Block ATM Withdrawal Transactions", s[0].Title)
				assert.False(t, s[0].Enabled)
				assert.Equal(t, RuleTransactionTypeAll, s[3].TransactionType)
				assert.Contains(t, string(s[1].RawJSON()), `"id": 70`)
			},
		},
		{
			name: "update card security: every field a string", method: http.MethodPut, path: "/re/api/v1/card-security",
			request: "rules/update-card-security.request", response: "rules/update-card-security.response",
			call: func(c *Client) (any, error) {
				return c.Rules.UpdateCardSecurity(ctx, &UpdateCardSecurityRequest{CardID: 1, ID: 69,
					TransactionType: RuleTransactionTypeATMWithdrawal, Enabled: true})
			},
			check: func(t *testing.T, got any) {
				s := got.(*SecuritySetting)
				assert.Equal(t, ID(69), s.ID)
				assert.True(t, s.Enabled)
				assert.NotEmpty(t, s.RawJSON())
			},
		},
		{
			name: "switch off sends value 0", method: http.MethodPut, path: "/re/api/v1/card-security",
			wantBody: `{"transactionType":"PURCHASE","cardId":"25","id":"71","value":"0"}`, response: "rules/update-card-security.response",
			call: func(c *Client) (any, error) {
				return c.Rules.UpdateCardSecurity(ctx, &UpdateCardSecurityRequest{CardID: 25, ID: 71,
					TransactionType: RuleTransactionTypePurchase})
			},
		},
		{
			name: "reset card security: cardId an integer", method: http.MethodPatch, path: "/re/api/v1/card-security/reset",
			request: "rules/reset-card-security.request", response: "rules/reset-card-security.response",
			call: func(c *Client) (any, error) { return c.Rules.ResetCardSecurity(ctx, 1) },
			check: func(t *testing.T, got any) {
				s := got.([]SecuritySetting)
				require.Len(t, s, 4)
				for _, x := range s {
					assert.False(t, x.Enabled)
					assert.NotEmpty(t, x.RawJSON())
				}
			},
		},
		{
			name: "transaction limits, no filter", method: http.MethodGet, path: "/re/api/v1/transaction-limits",
			response: "rules/transaction-limits.response",
			call:     func(c *Client) (any, error) { return c.Rules.TransactionLimits(ctx, nil) },
			check: func(t *testing.T, got any) {
				l := got.([]TransactionLimit)
				require.Len(t, l, 1)
				assert.Equal(t, ID(175), l[0].ID)
				assert.Equal(t, RuleTransactionTypeDeposit, l[0].TransactionType)
				assert.Equal(t, LimitFrequencyOneTime, l[0].Frequency)
				assert.Equal(t, "AED", l[0].CurrencyCode)
				assert.Equal(t, LimitTypeLimit, l[0].LimitType)
				assert.Equal(t, "ONE_TIME_DEPOSIT_MAX_VP_ACQ_LIMIT", l[0].Slug)
				assert.Equal(t, LimitOperatorLessThan, l[0].Operator)
				assert.Equal(t, "vp-acq", l[0].ThirdPartyConfig)
				assert.Equal(t, MustParseAmount("20000"), l[0].Limit)
				assert.Equal(t, MustParseAmount("200000"), l[0].AllowedLimit)
			},
		},
		{
			name: "transaction limits, every filter", method: http.MethodGet, path: "/re/api/v1/transaction-limits",
			query:    "cardId=3&thirdPartyConfig=pmt-mastercard-issuing&transactionType=ATM_WITHDRAWAL",
			response: "rules/transaction-limits.response",
			call: func(c *Client) (any, error) {
				return c.Rules.TransactionLimits(ctx, &TransactionLimitListOptions{TransactionType: RuleTransactionTypeATMWithdrawal,
					ThirdPartyConfig: "pmt-mastercard-issuing", CardID: 3})
			},
		},
		{
			name: "update transaction limit: every field a string", method: http.MethodPut, path: "/re/api/v1/transaction-limits",
			request: "rules/update-transaction-limits.request", response: "rules/update-transaction-limits.response",
			call: func(c *Client) (any, error) {
				return c.Rules.UpdateTransactionLimit(ctx, &UpdateTransactionLimitRequest{ID: 1,
					TransactionType: RuleTransactionTypeATMWithdrawal, CardID: 3, Value: MustParseAmount("45000")})
			},
			check: func(t *testing.T, got any) {
				l := got.(*TransactionLimit)
				assert.Equal(t, ID(1), l.ID)
				assert.Equal(t, LimitFrequencyDaily, l.Frequency)
				assert.Equal(t, LimitOperatorLessThanOrEqual, l.Operator)
				assert.Equal(t, MustParseAmount("45000"), l.Limit)
				assert.Equal(t, MustParseAmount("2000000"), l.AllowedLimit)
			},
		},
		{
			name: "update transaction limit without a card leaves cardId out", method: http.MethodPut, path: "/re/api/v1/transaction-limits",
			wantBody: `{"transactionType":"DEPOSIT","id":"175","value":"20000.5"}`, response: "rules/update-transaction-limits.response",
			call: func(c *Client) (any, error) {
				return c.Rules.UpdateTransactionLimit(ctx, &UpdateTransactionLimitRequest{ID: 175,
					TransactionType: RuleTransactionTypeDeposit, Value: MustParseAmount("20000.50")})
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mt := httpmock.NewMockTransport()
			var rec rulesRecorder
			mt.RegisterResponder(tt.method, wireBase+tt.path, rec.responder(http.StatusOK, specFile(t, tt.response)))
			got, err := tt.call(newRulesClient(t, mt))
			require.NoError(t, err)
			seen := rec.requests()
			require.Len(t, seen, 1)
			assert.Equal(t, tt.method, seen[0].Method)
			assert.Equal(t, tt.path, seen[0].Path)
			assert.Equal(t, tt.query, seen[0].Query)
			switch {
			case tt.request != "":
				assert.JSONEq(t, string(specFile(t, tt.request)), string(seen[0].Body))
			case tt.wantBody != "":
				assert.JSONEq(t, tt.wantBody, string(seen[0].Body))
			default:
				assert.Empty(t, seen[0].Body)
			}
			checkContract(t, seen[0].Method, seen[0].Path, seen[0].Body, "")
			if tt.check != nil {
				tt.check(t, got)
			}
		})
	}
}

// TestRulesRetries: every rules call sets or reads a value, so a 502 is retried (RetryRead).
func TestRulesRetries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	mt := httpmock.NewMockTransport()
	var calls atomic.Int32
	mt.RegisterResponder(http.MethodPut, wireBase+"/re/api/v1/transaction-limits", func(*http.Request) (*http.Response, error) {
		if calls.Add(1) == 1 {
			return httpmock.NewStringResponse(http.StatusBadGateway, ""), nil
		}
		return httpmock.NewBytesResponse(http.StatusOK, specFile(t, "rules/update-transaction-limits.response")), nil
	})
	_, err := newRulesClient(t, mt).Rules.UpdateTransactionLimit(ctx, &UpdateTransactionLimitRequest{ID: 1,
		TransactionType: RuleTransactionTypeATMWithdrawal, CardID: 3, Value: MustParseAmount("45000")})
	require.NoError(t, err)
	assert.Equal(t, int32(2), calls.Load())
}

func TestRulesValidation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	current := &TransactionLimit{ID: 1, TransactionType: RuleTransactionTypeATMWithdrawal, LimitType: LimitTypeLimit,
		Limit: MustParseAmount("10000"), AllowedLimit: MustParseAmount("2000000")}
	count := &TransactionLimit{ID: 9, TransactionType: RuleTransactionTypePurchase, LimitType: LimitTypeCount,
		AllowedLimit: MustParseAmount("50")}
	tests := []struct {
		name string
		call func(c *Client) error
		keys []string
	}{
		{"card security: no card", func(c *Client) error { _, err := c.Rules.CardSecurity(ctx, 0); return err }, []string{"cardId"}},
		{"reset: negative card", func(c *Client) error { _, err := c.Rules.ResetCardSecurity(ctx, -1); return err }, []string{"cardId"}},
		{"limits: negative card", func(c *Client) error {
			_, err := c.Rules.TransactionLimits(ctx, &TransactionLimitListOptions{CardID: -3})
			return err
		}, []string{"cardId"}},
		{"update security: nil", func(c *Client) error { _, err := c.Rules.UpdateCardSecurity(ctx, nil); return err }, []string{"body"}},
		{"update security: empty", func(c *Client) error {
			_, err := c.Rules.UpdateCardSecurity(ctx, &UpdateCardSecurityRequest{})
			return err
		}, []string{"cardId", "id", "transactionType"}},
		{"update limit: nil", func(c *Client) error { _, err := c.Rules.UpdateTransactionLimit(ctx, nil); return err }, []string{"body"}},
		{"update limit: empty and negative", func(c *Client) error {
			_, err := c.Rules.UpdateTransactionLimit(ctx, &UpdateTransactionLimitRequest{CardID: -1, Value: MustParseAmount("-1")})
			return err
		}, []string{"id", "transactionType", "cardId", "value"}},
		{"update limit: above allowedLimit of Current", func(c *Client) error {
			_, err := c.Rules.UpdateTransactionLimit(ctx, &UpdateTransactionLimitRequest{ID: 1, CardID: 3,
				TransactionType: RuleTransactionTypeATMWithdrawal, Value: MustParseAmount("2000000.01"), Current: current})
			return err
		}, []string{"value"}},
		{"update limit: not the entry of Current", func(c *Client) error {
			_, err := c.Rules.UpdateTransactionLimit(ctx, &UpdateTransactionLimitRequest{ID: 2,
				TransactionType: RuleTransactionTypePurchase, Value: MustParseAmount("1"), Current: current})
			return err
		}, []string{"id", "transactionType"}},
		{"update limit: a count must be whole", func(c *Client) error {
			_, err := c.Rules.UpdateTransactionLimit(ctx, &UpdateTransactionLimitRequest{ID: 9,
				TransactionType: RuleTransactionTypePurchase, Value: MustParseAmount("2.5"), Current: count})
			return err
		}, []string{"value"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mt := httpmock.NewMockTransport()
			var sent atomic.Int32
			mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
				sent.Add(1)
				return httpmock.NewStringResponse(http.StatusOK, `{"data":{}}`), nil
			})
			err := tt.call(newRulesClient(t, mt))
			require.ErrorIs(t, err, ErrValidation)
			keys := validationKeys(t, err)
			assert.Equal(t, tt.keys, keys)
			assert.Zero(t, sent.Load(), "nothing sent")
		})
	}
}

// TestRulesValueAtAllowedLimit: a value equal to allowedLimit (and 0) passes the check.
func TestRulesValueAtAllowedLimit(t *testing.T) {
	t.Parallel()
	current := &TransactionLimit{ID: 1, TransactionType: RuleTransactionTypeATMWithdrawal, AllowedLimit: MustParseAmount("2000000")}
	for _, v := range []string{"2000000", "2000000.00", "0"} {
		r := &UpdateTransactionLimitRequest{ID: 1, CardID: 3, TransactionType: RuleTransactionTypeATMWithdrawal,
			Value: MustParseAmount(v), Current: current}
		assert.NoError(t, r.validate(), v)
	}
}

// TestRulesSpecExamples decodes every JSON example of 50-rules.md, failing on fields the SDK does not model.
func TestRulesSpecExamples(t *testing.T) {
	t.Parallel()
	type list[T any] struct{ Data []T }
	type one[T any] struct{ Data T }
	tests := []struct {
		golden string
		into   any
	}{
		{"rules/get-card-security.response", &list[SecuritySetting]{}},
		{"rules/update-card-security.request", &updateCardSecurityWire{}},
		{"rules/update-card-security.response", &one[SecuritySetting]{}},
		{"rules/reset-card-security.request", &struct {
			CardID ID `json:"cardId"`
		}{}},
		{"rules/reset-card-security.response", &list[SecuritySetting]{}},
		{"rules/transaction-limits.response", &list[TransactionLimit]{}},
		{"rules/update-transaction-limits.request", &updateTransactionLimitWire{}},
		{"rules/update-transaction-limits.response", &one[TransactionLimit]{}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			requireStrict(t, specFile(t, tt.golden), tt.into)
		})
	}
}

// TestRulesRequestsDecodeEitherForm: the request types read ids and values as strings or numbers.
func TestRulesRequestsDecodeEitherForm(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`{"transactionType":"PURCHASE","cardId":"7","id":"70","value":"1"}`,
		`{"transactionType":"PURCHASE","cardId":7,"id":70,"value":1}`,
		`{"transactionType":"PURCHASE","cardId":7,"id":"70","value":true}`,
	} {
		var r UpdateCardSecurityRequest
		require.NoError(t, json.Unmarshal([]byte(in), &r), in)
		assert.Equal(t, UpdateCardSecurityRequest{CardID: 7, ID: 70, TransactionType: RuleTransactionTypePurchase, Enabled: true}, r, in)
	}
	var off UpdateCardSecurityRequest
	require.NoError(t, json.Unmarshal([]byte(`{"cardId":"7","id":"70","value":"0"}`), &off))
	assert.False(t, off.Enabled)
	require.Error(t, json.Unmarshal([]byte(`{"cardId":"7","id":"70","value":"yes"}`), &off))

	for _, in := range []string{
		`{"transactionType":"ATM_WITHDRAWAL","cardId":"3","id":"1","value":"45000"}`,
		`{"transactionType":"ATM_WITHDRAWAL","cardId":3,"id":1,"value":45000.00}`,
	} {
		var r UpdateTransactionLimitRequest
		require.NoError(t, json.Unmarshal([]byte(in), &r), in)
		assert.Equal(t, UpdateTransactionLimitRequest{ID: 1, CardID: 3, TransactionType: RuleTransactionTypeATMWithdrawal,
			Value: MustParseAmount("45000")}, r, in)
	}
}

// TestTransactionLimitMarshal: limit and allowedLimit go back out as strings, the form the API uses.
func TestTransactionLimitMarshal(t *testing.T) {
	t.Parallel()
	var env struct{ Data TransactionLimit }
	require.NoError(t, json.Unmarshal(specFile(t, "rules/update-transaction-limits.response"), &env))
	b, err := json.Marshal(env.Data)
	require.NoError(t, err)
	var golden struct{ Data json.RawMessage }
	require.NoError(t, json.Unmarshal(specFile(t, "rules/update-transaction-limits.response"), &golden))
	assert.JSONEq(t, string(golden.Data), string(b))
}

func TestRuleEnums(t *testing.T) {
	t.Parallel()
	for _, v := range []RuleTransactionType{RuleTransactionTypeATMWithdrawal, RuleTransactionTypePurchase, RuleTransactionTypeAll, RuleTransactionTypeDeposit} {
		assert.True(t, v.IsKnown(), v)
	}
	for _, v := range []LimitFrequency{LimitFrequencyOneTime, LimitFrequencyDaily, LimitFrequencyMonthly} {
		assert.True(t, v.IsKnown(), v)
	}
	for _, v := range []LimitOperator{LimitOperatorGreater, LimitOperatorLess, LimitOperatorLessThan, LimitOperatorLessThanOrEqual} {
		assert.True(t, v.IsKnown(), v)
	}
	assert.True(t, LimitTypeLimit.IsKnown())
	assert.True(t, LimitTypeCount.IsKnown())
	assert.False(t, RuleTransactionType("Purchase").IsKnown())
	assert.False(t, LimitFrequency("WEEKLY").IsKnown())
	assert.False(t, LimitType("PERCENT").IsKnown())
	assert.False(t, LimitOperator("EQUAL").IsKnown())

	// Unknown values decode unchanged.
	var l TransactionLimit
	require.NoError(t, json.Unmarshal([]byte(`{"transactionType":"TRANSFER","frequency":"WEEKLY","limitType":"PERCENT","operator":"EQUAL"}`), &l))
	assert.Equal(t, RuleTransactionType("TRANSFER"), l.TransactionType)
	assert.Equal(t, LimitFrequency("WEEKLY"), l.Frequency)
}
