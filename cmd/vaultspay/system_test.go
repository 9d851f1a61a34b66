package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

func TestCLIPing(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)

	res := runCLI(t, srv, "ping")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, "MESSAGE  "+vaultspay.PingMessage+"\n", res.stdout)
	assert.Empty(t, res.stderr)

	got := decodeJSON[map[string]string](t, runCLI(t, srv, "--json", "ping"))
	assert.Equal(t, map[string]string{"message": vaultspay.PingMessage}, got)
}

func TestCLILogin(t *testing.T) {
	t.Parallel()
	// A fixed fake clock makes the expiry known: issued at t0, valid for DefaultAccessTTL.
	t0 := time.Now().UTC().Truncate(time.Second)
	srv := newCLIFake(t, vaultspaytest.WithClock(func() time.Time { return t0 }))
	exp := t0.Add(vaultspaytest.DefaultAccessTTL)

	res := runCLI(t, srv, "login")
	require.Equal(t, exitOK, res.code, res.stderr)
	f := recordFields(t, res.stdout)
	assert.Equal(t, "yes", f["LOGGED IN"])
	assert.True(t, strings.HasPrefix(f["ACCESS TOKEN EXPIRES"], exp.Format(time.RFC3339)+" (in "), f["ACCESS TOKEN EXPIRES"])
	assert.Empty(t, res.stderr)

	got := decodeJSON[loginResult](t, runCLI(t, srv, "login", "--json"))
	assert.True(t, got.LoggedIn)
	require.NotNil(t, got.AccessTokenExpiry)
	assert.True(t, exp.Equal(*got.AccessTokenExpiry), "expiry %s", got.AccessTokenExpiry)
	assert.Equal(t, 2, srv.CountRequests("POST", "/as/api/v1/saas-login"), "one login per run")
}

func TestCLILoginRefused(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)
	const wrong = "secret_wrong_0123456789abcdef"
	res := runRaw(t, strings.NewReader(wrong+"\n"), append(configFlags(srv), "login")...)
	assert.Equal(t, exitAPI, res.code, "a refused login is an API error")
	assert.Contains(t, res.stderr, "UNAUTHENTICATED (1002)")
	assert.Empty(t, res.stdout)
	assertNoSecrets(t, res, wrong, srv.ClientSecret())
}
