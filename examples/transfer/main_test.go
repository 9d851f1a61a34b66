package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTransferDemo runs the offline demo: each transfer lands exactly once despite a lost answer.
func TestTransferDemo(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, demo(context.Background(), &out))
	text := out.String()
	assert.Equal(t, 2, strings.Count(text, "*vaultspay.TransferUnknownError: "), text)
	assert.Equal(t, 2, strings.Count(text, "errors.Is ErrOutcomeUnknown: true"))
	assert.Contains(t, text, "found it: transaction")
	assert.Contains(t, text, "it was sent, so it is not sent again")
	assert.Contains(t, text, "not found after 3 looks over the whole window: it did not land")
	assert.Equal(t, 2, strings.Count(text, "transactions with this reference: 1"))
	assert.Contains(t, text, "2 transfers wanted, 3 requests sent, 2 transfers made; balance 500.00 AED")
}

// TestTransferLiveNeedsFlags: against a real environment nothing is sent without explicit flags.
func TestTransferLiveNeedsFlags(t *testing.T) {
	var out bytes.Buffer
	err := live(context.Background(), &out, liveArgs{account: 360, amount: "10.00", currency: "AED"})
	require.ErrorContains(t, err, "this sends real money")
	assert.Empty(t, out.String())
}
