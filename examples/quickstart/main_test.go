package main

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestQuickstartOffline runs the README's first command against the in-process fake.
func TestQuickstartOffline(t *testing.T) {
	for _, k := range []string{"VAULTSPAY_BASE_URL", "VAULTSPAY_CLIENT_ID", "VAULTSPAY_CLIENT_SECRET", "VAULTSPAY_APP_ID", "VAULTSPAY_RSA_PUBLIC_KEY"} {
		t.Setenv(k, "") // restores the variable after the test
		require.NoError(t, os.Unsetenv(k))
	}
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	text := out.String()
	assert.Contains(t, text, "ping: Service is up and running!")
	assert.Contains(t, text, "final KYC status")
	assert.Contains(t, text, "VERIFIED")
	assert.NotContains(t, text, "AB1234567", "document numbers never print")
	assert.Contains(t, text, "sent transfer")
	assert.Contains(t, text, "12550 cents (125.50 AED), status PENDING")
	assert.Contains(t, text, "balance   374.50")
	assert.Contains(t, text, `card 1 (VaultsPay Debit Card Tier) for "ADA LOVELACE" on account 12: INACTIVE`)
	assert.Contains(t, text, "card submitted for production: ISSUANCE_IN_PROGRESS")
	assert.Regexp(t, `activated card \*\*\*\* \d{4} \(expiry \[redacted\]\) with the number and expiry printed on it: ACTIVE`, text)
	assert.Contains(t, text, "DAILY    PURCHASE        LESS_THAN_OR_EQUAL 20000 AED (may be raised to 200000)")
	assert.Contains(t, text, "off Block Purchase Transactions")
	assert.NotRegexp(t, `\b\d{15,19}\b`, text, "no card number")
	assert.NotContains(t, text, "2580", "no PIN")
}
