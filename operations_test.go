package vaultspay

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestOperations: every operation has a unique Service.Method name, an HTTP method, a template in the
// vendor's form (lower-case segments, {camelCase} placeholders), and only the token calls go without a
// bearer token.
func TestOperations(t *testing.T) {
	t.Parallel()
	name := regexp.MustCompile(`^(Auth|Client|Cards|KYC|Rules|Transactions|Transfers|Users|Wallets)\.[A-Z][A-Za-z]+$`)
	template := regexp.MustCompile(`^(/[a-z0-9-]+|/\{[a-z][A-Za-z]*\})+$`)
	seen := map[string]bool{}
	routes := map[string]bool{}
	for _, op := range operations {
		assert.Regexp(t, name, op.Name)
		assert.False(t, seen[op.Name], "%s twice", op.Name)
		seen[op.Name] = true
		assert.Contains(t, []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch}, op.Method, op.Name)
		assert.Regexp(t, template, op.Template, op.Name)
		assert.False(t, routes[op.Method+" "+op.Template], "%s: route twice", op.Name)
		routes[op.Method+" "+op.Template] = true
		assert.Equal(t, op == opLogin || op == opRefresh, op.public, op.Name)
		if op.Method == http.MethodGet {
			assert.Equal(t, RetryRead, op.Retry, "%s: a GET is a read", op.Name)
		}
	}
	assert.Equal(t, RetryNoReplay, opTransfersSend.Retry)
	assert.Equal(t, RetryNoReplay, opTransfersCreateContact.Retry)
}

func TestOperationAt(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "/be/api/v1/accounts/42", opWalletsGet.at("42").path)
	assert.Equal(t, "/be/api/v1/accounts", opWalletsList.at().path)
	two := &Operation{Template: "/a/{x}/b/{y}"}
	assert.Equal(t, "/a/1/b/2", two.at("1", "2").path)
	ep, err := opRulesTransactionLimits.withQuery(&struct {
		CardID int `url:"cardId"`
	}{7})
	assert.NoError(t, err)
	assert.Equal(t, "/re/api/v1/transaction-limits?cardId=7", ep.path)
	assert.Same(t, opRulesTransactionLimits, ep.op)
}
