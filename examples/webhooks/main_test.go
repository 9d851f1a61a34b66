package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDemo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	require.NoError(t, demo(ctx, &out))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 5, out.String())
	assert.Contains(t, lines[0], "registered with the fake")
	assert.Equal(t, "card event card.status.active: card ending 3321 is now ACTIVE (was BLOCK): Card was unblocked by the admin", lines[1])
	assert.Equal(t, "transfer 3ac58f37-3cc3-49b3-b3dd-9f83e4263b13: SUCCESS, amount 1000, ref CH-998877", lines[2])
	assert.Equal(t, "transfer 3ac58f37-3cc3-49b3-b3dd-9f83e4263b13: REVERSED, amount 1000, ref CH-998877", lines[3])
	assert.Equal(t, "4 deliveries, 3 events processed (the repeated card event was recognised)", lines[4])
	assert.NotContains(t, out.String(), "987654321", "the card token is not printed")
}

func TestServeStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- serve(ctx, "127.0.0.1:0", "", &out) }()
	cancel()
	require.NoError(t, <-done)
}
