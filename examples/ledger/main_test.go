package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLedgerOffline runs the example against the in-process fake, as with no VAULTSPAY_* variables.
func TestLedgerOffline(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, true, 0, 10))
	text := out.String()
	assert.Contains(t, text, "credited 30 times, 3 transfers sent")
	assert.Contains(t, text, "33 lines in 4 pages: credits 4650.00, debits 375.75, net 4274.25 AED")
	assert.Contains(t, text, "the ledger adds up to the balance, 4274.25 AED")
	assert.Regexp(t, `\n\s+1  \S+ \S+\s+-125\.25  balance  4274\.25  DIRECT TRANSFER`, text, "newest first")
	assert.NotContains(t, text, "secret")

	out.Reset()
	require.NoError(t, run(context.Background(), &out, true, 0, 100))
	assert.Contains(t, out.String(), "33 lines in 1 page:")

	assert.ErrorContains(t, run(context.Background(), &out, true, 0, 0), "-per-page")
}
