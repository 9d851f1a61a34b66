package vaultspaytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// apiJSON is apiCall with body encoded as JSON (nil: no body).
func apiJSON(t *testing.T, srv *Server, tok tokens, method, path string, body any) *answer {
	t.Helper()
	var b []byte
	if body != nil {
		b = mustJSON(t, body)
	}
	return apiCall(t, srv, tok, method, path, b)
}

// decodeData decodes {"data": …} of a 200 answer into v.
func decodeData(t *testing.T, a *answer, v any) {
	t.Helper()
	require.Equal(t, http.StatusOK, a.Status, "body %s", a.Plain)
	var env struct{ Data json.RawMessage }
	require.NoError(t, json.Unmarshal(a.Plain, &env))
	require.NoError(t, json.Unmarshal(env.Data, v))
}

// openTestAccount creates a user and an AED account over the wire and returns the account id.
func openTestAccount(t *testing.T, srv *Server, tok tokens) int64 {
	t.Helper()
	var user struct{ ID int64 }
	decodeData(t, apiJSON(t, srv, tok, http.MethodPost, "/as/api/v1/users",
		map[string]any{"firstName": "Ali", "lastName": "Ammar", "email": "ali@example.com", "status": "ACTIVE"}), &user)
	var acct map[string]any
	decodeData(t, apiJSON(t, srv, tok, http.MethodPost, "/be/api/v1/accounts",
		map[string]any{"userId": user.ID, "currencyId": 2, "accountType": "DIGITAL"}), &acct)
	assert.ElementsMatch(t, []string{"id", "userId", "accountType", "currencyCode", "currency", "accountTitle", "accountNumber",
		"balance", "balanceOnHold", "totalTransactions", "status", "references", "iban", "isPrimary", "creditLimit"}, keysOf(acct))
	assert.Equal(t, "AED", acct["currencyCode"])
	assert.Nil(t, acct["iban"])
	return int64(acct["id"].(float64))
}

func TestAccountsFundingAndLedger(t *testing.T) {
	srv := newTestServer(t)
	tok := login(t, srv)
	id := openTestAccount(t, srv, tok)
	fund := fmt.Sprintf("/_fake/accounts/%d/fund", id)

	status, body := control(t, srv, http.MethodPost, fund, map[string]any{"amount": "250.00"})
	require.Equal(t, http.StatusOK, status, "%s", body)
	assert.Contains(t, string(body), `"balance":250`)
	status, body = control(t, srv, http.MethodPost, "/_fake/accounts/999/fund", map[string]any{"amount": "1"})
	assert.Equal(t, http.StatusBadRequest, status)
	assert.JSONEq(t, `{"code":1010,"message":"Account does not exist with this id","type":"BAD_REQUEST"}`, string(body))
	for _, bad := range []any{map[string]any{"amount": "0.001"}, map[string]any{"amount": "-5"}, map[string]any{}} {
		status, body = control(t, srv, http.MethodPost, fund, bad)
		assert.Equal(t, []string{"amount"}, requireAPIError(t, http.StatusUnprocessableEntity, 1000, status, body).keys())
	}

	var ledger struct {
		Data []struct {
			ID            int64
			TransactionID int64
			Credit, Debit json.Number
			Balance       json.Number
			Narration     string
			Date          string
		}
		Pagination struct{ CurrentPage, PerPage, TotalPages, TotalCount int }
	}
	a := apiJSON(t, srv, tok, http.MethodGet, fmt.Sprintf("/be/api/v1/account-ledger/%d", id), nil)
	require.Equal(t, http.StatusOK, a.Status)
	require.NoError(t, json.Unmarshal(a.Plain, &ledger))
	require.Len(t, ledger.Data, 1)
	assert.Equal(t, "250", ledger.Data[0].Credit.String())
	assert.Equal(t, "DEPOSIT AMT 250.00 AED", ledger.Data[0].Narration)
	assert.Regexp(t, expiryPattern, ledger.Data[0].Date)
	assert.Equal(t, 1, ledger.Pagination.TotalCount)

	var tx map[string]any
	decodeData(t, apiJSON(t, srv, tok, http.MethodGet, fmt.Sprintf("/tme/api/v1/transactions/%d", ledger.Data[0].TransactionID), nil), &tx)
	assert.Equal(t, "Deposit", tx["transactionType"])
	assert.Equal(t, "SUCCESS", tx["status"])

	a = apiJSON(t, srv, tok, http.MethodGet, "/be/api/v1/accounts/0", nil)
	assert.Equal(t, http.StatusBadRequest, a.Status)
	a = apiJSON(t, srv, tok, http.MethodGet, "/be/api/v1/accounts?userId=abc", nil)
	assert.Equal(t, []string{"userId"}, requireAPIError(t, http.StatusUnprocessableEntity, 1000, a.Status, a.Plain).keys())

	st := srv.State()
	assert.Equal(t, 1, st.Accounts)
	assert.Equal(t, 1, st.Transactions)
}
