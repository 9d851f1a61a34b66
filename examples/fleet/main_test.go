package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay/redis/redistest"
)

// TestRun runs the demo on a throw-away redis-server (skipped without the binary, except in CI).
func TestRun(t *testing.T) {
	srv := redistest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	require.NoError(t, run(ctx, &out, srv.Addr))
	assert.Equal(t, []string{
		"receiver-1 answered 200: handled card.status.active 01hvjr8fz6mbw6f9r9v3e5b5yw",
		"receiver-2 answered 200: a redelivery, recognised and not handled again",
		"receiver-1 answered 200: handled TRANSACTION_PERFORMED TRANSACTION_PERFORMED:3ac58f37-3cc3-49b3-b3dd-9f83e4263b13:SUCCESS",
		"receiver-2 answered 200: a redelivery, recognised and not handled again",
		"4 deliveries, 2 events, each handled once: true",
		"2 clients called the API: 1 login at VaultsPay",
		"their token expired: 1 refresh, 1 login in all",
	}, strings.Split(strings.TrimSpace(out.String()), "\n"))
	assert.NotContains(t, out.String(), "987654321", "no card token printed")
}
