package vaultspaytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
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

// TestLedgerPages: a long ledger pages newest first with true totals, with and without filters (the
// fake copies only the page asked for).
func TestLedgerPages(t *testing.T) {
	srv := newTestServer(t)
	tok := login(t, srv)
	id := openTestAccount(t, srv, tok)
	const lines = 25
	for i := 1; i <= lines; i++ {
		require.NoError(t, srv.FundAccount(vaultspay.ID(id), vaultspay.MustParseAmount(fmt.Sprint(i))))
	}
	type ledgerPage struct {
		Data []struct {
			TransactionID int64
			Credit        json.Number
		}
		Pagination struct{ CurrentPage, PerPage, TotalPages, TotalCount int }
	}
	get := func(query string) ledgerPage {
		var p ledgerPage
		a := apiJSON(t, srv, tok, http.MethodGet, fmt.Sprintf("/be/api/v1/account-ledger/%d?%s", id, query), nil)
		require.Equal(t, http.StatusOK, a.Status, "%s", a.Plain)
		require.NoError(t, json.Unmarshal(a.Plain, &p))
		return p
	}
	credits := func(p ledgerPage) []string {
		var out []string
		for _, e := range p.Data {
			out = append(out, e.Credit.String())
		}
		return out
	}
	first := get("page=1&perPage=10")
	assert.Equal(t, []string{"25", "24", "23", "22", "21", "20", "19", "18", "17", "16"}, credits(first))
	assert.Equal(t, struct{ CurrentPage, PerPage, TotalPages, TotalCount int }{1, 10, 3, lines}, first.Pagination)
	assert.Equal(t, []string{"5", "4", "3", "2", "1"}, credits(get("page=3&perPage=10")))
	past := get("page=4&perPage=10")
	assert.Empty(t, past.Data)
	assert.Equal(t, lines, past.Pagination.TotalCount)
	assert.Empty(t, get("page=9223372036854775807&perPage=100").Data, "an absurd page is past the end")

	// Filtered: one transaction id leaves one line, on page 1 only.
	tx := first.Data[3].TransactionID
	one := get(fmt.Sprintf("transactionId=%d&perPage=10", tx))
	assert.Equal(t, []string{"22"}, credits(one))
	assert.Equal(t, 1, one.Pagination.TotalCount)
	assert.Empty(t, get(fmt.Sprintf("transactionId=%d&page=2&perPage=10", tx)).Data)
	// A date range covering everything pages like no filter.
	all := get("startDate=2000-01-01&perPage=10&page=2")
	assert.Equal(t, []string{"15", "14", "13", "12", "11", "10", "9", "8", "7", "6"}, credits(all))
	assert.Equal(t, 3, all.Pagination.TotalPages)
	bad := apiJSON(t, srv, tok, http.MethodGet, fmt.Sprintf("/be/api/v1/account-ledger/%d?page=0&perPage=x", id), nil)
	assert.Equal(t, []string{"page", "perPage"}, requireAPIError(t, http.StatusUnprocessableEntity, 1000, bad.Status, bad.Plain).keys())
}
