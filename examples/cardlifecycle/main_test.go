package main

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCardLifecycleOffline runs the example against the in-process fake.
func TestCardLifecycleOffline(t *testing.T) {
	for _, k := range []string{"VAULTSPAY_BASE_URL", "VAULTSPAY_CLIENT_ID", "VAULTSPAY_CLIENT_SECRET", "VAULTSPAY_APP_ID", "VAULTSPAY_RSA_PUBLIC_KEY"} {
		t.Setenv(k, "") // restores the variable after the test
		require.NoError(t, os.Unsetenv(k))
	}
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	text := out.String()
	assert.Contains(t, text, `for "ADA LOVELACE", status INACTIVE`)
	assert.Contains(t, text, "submitted for production: ISSUANCE_IN_PROGRESS")
	assert.Contains(t, text, "manufactured and delivered: PENDING_VERIFICATION")
	assert.Regexp(t, `activated card \*\*\*\* \d{4} \(expiry \[redacted\]\): ACTIVE`, text)
	assert.Contains(t, text, "toggled freeze: FREEZE")
	assert.Contains(t, text, "toggled freeze: ACTIVE")
	assert.Contains(t, text, "PIN set (the PIN itself never prints: [redacted])")
	assert.NotRegexp(t, `\d{12,}`, text, "no card number")
	assert.NotContains(t, text, "4821")
}
