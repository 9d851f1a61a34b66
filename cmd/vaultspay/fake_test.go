package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay/internal/fakeserve"
)

// serveFake runs `vaultspay fake` with args in a goroutine and returns its start line, and stop, which
// interrupts it and checks that it exits 0. A test that does not call stop still stops it at cleanup.
func serveFake(t *testing.T, args ...string) (fakeserve.StartLine, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"fake"}, args...), strings.NewReader(""), pw, io.Discard)
		_ = pw.Close()
	}()
	raw, err := bufio.NewReader(pr).ReadBytes('\n')
	require.NoError(t, err)
	var line fakeserve.StartLine
	require.NoError(t, json.Unmarshal(raw, &line), "%s", raw)
	return line, func() {
		t.Helper()
		cancel()
		select {
		case code := <-done:
			assert.Equal(t, exitOK, code)
		case <-time.After(generous):
			t.Fatal("fake did not stop when interrupted")
		}
	}
}

// TestCLIFakeForeground: `vaultspay fake --seed demo` prints the start line with the seeded ids and
// serves until interrupted; the CLI's own commands work against it.
func TestCLIFakeForeground(t *testing.T) {
	t.Parallel()
	line, stop := serveFake(t, "--seed", "demo", "--key-wrap", "oaep-sha256")
	require.NotNil(t, line.Seed)

	args := []string{"--base-url", line.BaseURL, "--client-id", line.ClientID, "--app-id", line.AppID, "--rsa-public-key", line.RSAPublicKey,
		"--client-secret-stdin"}
	// The server wraps keys with OAEP-SHA256; the client's default wire profile does not: 1018.
	res := runRaw(t, strings.NewReader(line.ClientSecret+"\n"), append(args, "ping")...)
	assert.Equal(t, exitAPI, res.code)
	assert.Contains(t, res.stderr, "1018")

	stop()
}

func TestCLIFakeSeeded(t *testing.T) {
	t.Parallel()
	line, stop := serveFake(t, "--seed", "demo")
	args := []string{"--base-url", line.BaseURL, "--client-id", line.ClientID, "--app-id", line.AppID, "--rsa-public-key", line.RSAPublicKey,
		"--client-secret-stdin"}
	res := runRaw(t, strings.NewReader(line.ClientSecret+"\n"), append(args, "ledger", line.Seed.AccountID.String())...)
	require.Equal(t, exitOK, res.code, res.stderr)
	rows := tableRows(res.stdout)
	require.Len(t, rows, 4, "three ledger lines: %s", res.stdout)
	assert.Equal(t, "1124.50 AED", rows[1][5])
	res = runRaw(t, strings.NewReader(line.ClientSecret+"\n"), append(args, "kyc", "get", line.Seed.UserID.String())...)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, "VERIFIED", recordFields(t, res.stdout)["STATUS"])
	stop()

	res = runRaw(t, strings.NewReader(""), "fake", "--seed", "huge")
	assert.Equal(t, exitUsage, res.code)
	assert.Contains(t, res.stderr, `the only seed is "demo"`)
	res = runRaw(t, strings.NewReader(""), "fake", "--help")
	assert.Equal(t, exitOK, res.code)
	assert.Contains(t, res.stdout, "POST /_fake/transfers/{id}/reverse")
	assert.NotContains(t, res.stdout, fakeserve.ChildFlag)
}
