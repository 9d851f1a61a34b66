package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/internal/fakeserve"
)

// started is a run in progress: its start line and a way to stop it.
type started struct {
	line   fakeserve.StartLine
	stop   context.CancelFunc
	done   <-chan error // run's result
	rest   *bufio.Reader
	stderr *lockedBuffer
}

// lockedBuffer is a bytes.Buffer that run's goroutine writes while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// start calls run in a goroutine and reads exactly one JSON line from its stdout.
func start(t *testing.T, args ...string) *started {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	stderr := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		err := run(ctx, args, "", pw, nil, stderr)
		_ = pw.Close()
		done <- err
	}()
	t.Cleanup(func() {
		cancel()
		_ = pr.Close()
	})

	br := bufio.NewReader(pr)
	raw, err := br.ReadBytes('\n')
	require.NoError(t, err, "start line")
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var line fakeserve.StartLine
	require.NoError(t, dec.Decode(&line), "start line %s", raw)
	var keys map[string]any
	require.NoError(t, json.Unmarshal(raw, &keys))
	want := []string{"baseURL", "clientId", "clientSecret", "appId", "rsaPublicKey"}
	if line.Seed != nil {
		want = append(want, "seed")
	}
	assert.ElementsMatch(t, want, keysOf(keys))
	assert.Regexp(t, `^http://127\.0\.0\.1:\d+$`, line.BaseURL)
	assert.NotEmpty(t, line.ClientID)
	assert.NotEmpty(t, line.ClientSecret)
	assert.Equal(t, "17", line.AppID)
	_, err = vaultspay.ParseRSAPublicKey(line.RSAPublicKey)
	require.NoError(t, err, "Base64 SPKI the SDK accepts")
	return &started{line: line, stop: cancel, done: done, rest: br, stderr: stderr}
}

// shutdown cancels run's context and requires it to return nil with nothing more on stdout.
func (s *started) shutdown(t *testing.T) {
	t.Helper()
	s.stop()
	select {
	case err := <-s.done:
		require.NoError(t, err, "stderr: %s", s.stderr)
	case <-time.After(30 * time.Second): // a guard against a hang, not a timing assertion
		t.Fatal("run did not return after cancel")
	}
	rest, err := io.ReadAll(s.rest)
	require.NoError(t, err)
	assert.Empty(t, rest, "exactly one line on stdout")
}

func keysOf(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestRun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		opts []vaultspay.Option
	}{
		{name: "defaults"},
		{name: "without encryption", args: []string{"-encryption=false"},
			opts: []vaultspay.Option{vaultspay.WithEncryption(false)}},
		{name: "oaep-sha256 and base64-text", args: []string{"-key-wrap", "oaep-sha256", "-body", "base64-text"},
			opts: []vaultspay.Option{vaultspay.WithWireProfile(vaultspay.WireProfile{
				KeyWrap: vaultspay.KeyWrapOAEPSHA256, Body: vaultspay.BodyBase64Text})}},
		{name: "every profile flag and credentials",
			args: []string{"-key-wrap", "oaep-sha256-mgf1-sha1", "-key-encoding", "base64", "-body", "json-string",
				"-response-iv", "request", "-client-id", "cid", "-client-secret", "csecret", "-app-id", "17",
				"-production", "-plain-errors", "-addr", "127.0.0.1:0"},
			opts: []vaultspay.Option{vaultspay.WithWireProfile(vaultspay.WireProfile{
				KeyWrap: vaultspay.KeyWrapOAEPSHA256MGF1SHA1, KeyEncoding: vaultspay.KeyEncodingBase64,
				Body: vaultspay.BodyJSONString, ResponseIV: vaultspay.ResponseIVRequest})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := start(t, tt.args...)
			if strings.Contains(strings.Join(tt.args, " "), "-client-id") {
				assert.Equal(t, "cid", s.line.ClientID)
				assert.Equal(t, "csecret", s.line.ClientSecret)
			}
			c, err := vaultspay.NewClient(append([]vaultspay.Option{
				vaultspay.WithBaseURL(s.line.BaseURL),
				vaultspay.WithCredentials(s.line.ClientID, s.line.ClientSecret),
				vaultspay.WithAppID(s.line.AppID),
				vaultspay.WithRSAPublicKey(s.line.RSAPublicKey),
			}, tt.opts...)...)
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			msg, err := c.Ping(ctx)
			require.NoError(t, err)
			assert.Equal(t, vaultspay.PingMessage, msg)
			s.shutdown(t)
		})
	}
}

func TestRunBadFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown key wrap", []string{"-key-wrap", "nope"}, "nope"},
		{"unknown body", []string{"-body", "xml"}, "xml"},
		{"unknown flag", []string{"-no-such-flag"}, "no-such-flag"},
		{"bad bool", []string{"-encryption=maybe"}, "encryption"},
		{"bad address", []string{"-addr", "256.0.0.1:0"}, "256.0.0.1"},
		{"unknown seed", []string{"-seed", "big"}, `--seed "big"`},
		{"an argument", []string{"serve"}, `unexpected argument "serve"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, "", &stdout, nil, &stderr)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Empty(t, stdout.String(), "no start line")
		})
	}
}

// TestHelp: -h and --help exit 0 (run returns flag.ErrHelp, which main turns into 0) and document the
// start line, --env and every control route; the internal flag is not shown.
func TestHelp(t *testing.T) {
	t.Parallel()
	for _, arg := range []string{"-h", "--help"} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), []string{arg}, "", &stdout, nil, &stderr)
		require.ErrorIs(t, err, flag.ErrHelp)
		out := stdout.String()
		for _, want := range []string{"Start line:", `"baseURL"`, `"rsaPublicKey"`, `eval "$(vaultspay fake --seed demo --env)"`,
			"kill \"$VAULTSPAY_FAKE_PID\"", "POST /_fake/clock/advance", "POST /_fake/transfers/{id}/reverse", "POST /_fake/webhooks/emit",
			"POST /_fake/ibans", "POST /_fake/tokens/expire", "GET  /_fake/requests", "-key-wrap", "-seed", "-env"} {
			assert.Contains(t, out, want)
		}
		assert.NotContains(t, out, fakeserve.ChildFlag)
	}
}

// TestSeedDemo: -seed demo adds the ids to the start line, and they exist in the served fake.
func TestSeedDemo(t *testing.T) {
	t.Parallel()
	s := start(t, "-seed", "demo")
	seed := s.line.Seed
	require.NotNil(t, seed)
	c, err := vaultspay.NewClient(vaultspay.WithBaseURL(s.line.BaseURL), vaultspay.WithCredentials(s.line.ClientID, s.line.ClientSecret),
		vaultspay.WithAppID(s.line.AppID), vaultspay.WithRSAPublicKey(s.line.RSAPublicKey))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	k, err := c.KYC.Get(ctx, seed.UserID)
	require.NoError(t, err)
	assert.Equal(t, vaultspay.KYCStatusVerified, k.Status)
	acct, err := c.Wallets.Get(ctx, seed.AccountID)
	require.NoError(t, err)
	assert.Equal(t, "1124.50", acct.Balance.StringFixed(2), "1000.00 + 250.00 - 125.50")
	for id, typ := range map[vaultspay.ID]vaultspay.CardType{seed.VirtualCardID: vaultspay.CardTypeVirtual, seed.PhysicalCardID: vaultspay.CardTypePhysical} {
		card, err := c.Cards.Details(ctx, vaultspay.CardByID(id))
		require.NoError(t, err)
		assert.Equal(t, typ, card.CardType)
		assert.Equal(t, seed.UserID, card.UserID)
	}
	assert.NotZero(t, seed.ContactID)
	// The summary follows the start line on stderr, written by run's goroutine.
	assert.Eventually(t, func() bool { return strings.Contains(s.stderr.String(), "seeded: verified user "+seed.UserID.String()) },
		10*time.Second, 10*time.Millisecond, "stderr: %s", s.stderr)
	s.shutdown(t)
}
