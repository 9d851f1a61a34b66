package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/internal/fakeserve"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// generous bounds a wait for something that should happen at once: a guard against a hang.
const generous = 60 * time.Second

// listening is a `webhooks listen` running in a goroutine.
type listening struct {
	stdout *bytes.Buffer // read only after done
	done   chan int      // the exit code
	cancel context.CancelFunc
}

// startListen runs `webhooks listen` with args against srv and returns once it printed its Ready line.
func startListen(t *testing.T, srv *vaultspaytest.Server, args ...string) *listening {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	l := &listening{stdout: &bytes.Buffer{}, done: make(chan int, 1), cancel: cancel}
	go func() {
		code := run(ctx, append([]string{"--base-url", srv.URL, "webhooks", "listen"}, args...), strings.NewReader(""), l.stdout, pw)
		_ = pw.Close()
		l.done <- code
	}()
	t.Cleanup(cancel)
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		first := true
		for sc.Scan() {
			if first {
				ready <- sc.Text()
				first = false
			}
		}
		if first {
			close(ready)
		}
	}()
	select {
	case line, ok := <-ready:
		require.True(t, ok, "listen exited before it was ready")
		require.Contains(t, line, "Ready: listening on http://127.0.0.1:")
		require.Contains(t, line, "registered on the fake at "+srv.URL)
	case <-time.After(generous):
		t.Fatal("listen never became ready")
	}
	return l
}

// wait returns listen's exit code once it ended by itself (--count).
func (l *listening) wait(t *testing.T) int {
	t.Helper()
	select {
	case code := <-l.done:
		return code
	case <-time.After(generous):
		t.Fatal("listen did not end after --count events")
		return -1
	}
}

// TestCLIListenAndTrigger: listen registers itself on the fake, trigger makes the fake send each event
// kind through a real state change, listen prints each one typed and forwards the original body.
func TestCLIListenAndTrigger(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)
	f := &fakeserve.Fixtures{Client: srv.Client(), Control: &fakeserve.Control{BaseURL: srv.URL}}
	ctx := context.Background()
	user, _, err := f.VerifiedUser(ctx, "Card", "Holder")
	require.NoError(t, err)
	acct, err := f.FundedAccount(ctx, user.ID, vaultspay.MustParseAmount("10.00"))
	require.NoError(t, err)
	card, err := f.Card(ctx, user.ID, acct.ID, vaultspay.CardTypeVirtual, nil)
	require.NoError(t, err)

	var mu sync.Mutex
	var forwarded []string
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		forwarded = append(forwarded, r.Header.Get("Content-Type")+" "+string(b))
		mu.Unlock()
	}))
	t.Cleanup(target.Close)

	l := startListen(t, srv, "--fake", "--count", "3", "--forward-to", target.URL)
	for _, args := range [][]string{
		{"trigger", "card.status", "--card-id", card.ID.String()},
		{"trigger", "transfer.success"},
		{"trigger", "transfer.reversed"},
	} {
		res := runCLI(t, srv, args...)
		require.Equal(t, exitOK, res.code, "%v: %s", args, res.stderr)
		assert.Contains(t, recordFields(t, res.stdout)["EVENT"], args[1])
	}
	require.Equal(t, exitOK, l.wait(t))

	out := l.stdout.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 3, out)
	assert.Contains(t, out, "card.status.freeze  card **** "+card.LastFourDigits+" token "+card.Token.String()+": ACTIVE → FREEZE (vaultspay trigger)")
	assert.Contains(t, out, "TRANSACTION_PERFORMED  SUCCESS  transaction ")
	assert.Contains(t, out, "TRANSACTION_PERFORMED  REVERSED  transaction ")
	for _, line := range lines {
		assert.Contains(t, line, "→ 200 "+target.URL)
	}
	var delivered []string
	for _, d := range srv.WebhookDeliveries() {
		delivered = append(delivered, "application/json "+string(d.Body))
	}
	mu.Lock()
	assert.ElementsMatch(t, delivered, forwarded, "the original bodies, forwarded as received")
	mu.Unlock()

	// On exit listen removed itself: the next event goes nowhere.
	res := runCLI(t, srv, "trigger", "card.status", "--card-id", card.ID.String())
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, recordFields(t, res.stdout)["DONE"], "FREEZE → ACTIVE")
	assert.Len(t, srv.WebhookDeliveries(), 3)
}

// TestCLIListenJSON: one JSON object per event, with the payload as received.
func TestCLIListenJSON(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)
	seed := seedDemo(t, srv)
	l := startListen(t, srv, "--fake", "--count", "1", "-o", "json")
	res := runCLI(t, srv, "trigger", "card.status", "--card-id", seed.VirtualCardID.String(), "-o", "json")
	require.Equal(t, exitOK, res.code, res.stderr)
	got := decodeJSON[triggerResult](t, res)
	assert.Equal(t, seed.VirtualCardID, got.CardID)
	require.Equal(t, exitOK, l.wait(t))

	var ev eventLine
	require.NoError(t, json.Unmarshal(l.stdout.Bytes(), &ev), l.stdout.String())
	assert.Equal(t, "card.status.freeze", ev.Type)
	assert.NotEmpty(t, ev.ID)
	parsed, err := vaultspay.ParseEvent(ev.Event)
	require.NoError(t, err)
	require.IsType(t, &vaultspay.CardEvent{}, parsed)
}

func TestCLIListenAndTriggerRefusals(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)
	// Not a fake: an HTTP server without /_fake/ routes.
	plain := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(plain.Close)
	res := runRaw(t, strings.NewReader(""), "--base-url", plain.URL, "webhooks", "listen", "--fake")
	assert.Equal(t, exitAPI, res.code)
	assert.Contains(t, res.stderr, "is the base URL a `vaultspay fake`")
	res = runRaw(t, strings.NewReader(""), "--base-url", "uat", "webhooks", "listen", "--fake")
	assert.Equal(t, exitConfig, res.code)
	res = runRaw(t, strings.NewReader(""), "webhooks", "listen", "--forward-to", "ftp://x")
	assert.Equal(t, exitUsage, res.code)
	res = runCLI(t, srv, "trigger", "transfer.success", "--account-id", "1")
	assert.Equal(t, exitUsage, res.code, "both or neither")
}
