//go:build unix

package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// terminal is the program running in-process on a pseudo-terminal: standard input and error are the
// terminal, standard output a buffer (as when piped).
type terminal struct {
	master *os.File
	mu     sync.Mutex
	screen bytes.Buffer // everything the terminal showed: prompts and echoed input
	stdout bytes.Buffer // read after done
	done   chan int
}

// onTerminal runs args against srv (configured through the environment) on a new pseudo-terminal.
func onTerminal(t *testing.T, srv *vaultspaytest.Server, args ...string) *terminal {
	t.Helper()
	setFakeEnv(t, srv)
	master, tty, err := pty.Open()
	if err != nil {
		t.Skip("no pseudo-terminal:", err)
	}
	t.Cleanup(func() { _ = master.Close(); _ = tty.Close() })
	term := &terminal{master: master, done: make(chan int, 1)}
	go func() {
		buf := make([]byte, 256)
		for {
			n, err := master.Read(buf)
			term.mu.Lock()
			term.screen.Write(buf[:n])
			term.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	go func() { term.done <- run(context.Background(), args, tty, &term.stdout, tty) }()
	return term
}

// waitFor waits until the terminal showed text.
func (term *terminal) waitFor(t *testing.T, text string) {
	t.Helper()
	deadline := time.Now().Add(generous)
	for time.Now().Before(deadline) {
		term.mu.Lock()
		shown := term.screen.String()
		term.mu.Unlock()
		if strings.Contains(shown, text) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the terminal never showed %q; it shows %q", text, term.shown())
}

func (term *terminal) shown() string {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.screen.String()
}

// typeLine types s and Enter.
func (term *terminal) typeLine(t *testing.T, s string) {
	t.Helper()
	_, err := io.WriteString(term.master, s+"\r")
	require.NoError(t, err)
}

func (term *terminal) wait(t *testing.T) int {
	t.Helper()
	select {
	case code := <-term.done:
		return code
	case <-time.After(generous):
		t.Fatalf("the program did not end; the terminal shows %q", term.shown())
		return -1
	}
}

// TestCLIPromptOnTerminal: transfers send asks on a terminal; yes sends once, anything else nothing.
func TestCLIPromptOnTerminal(t *testing.T) {
	srv := newCLIFake(t)
	seed := seedDemo(t, srv)
	sends := func() int { return srv.CountRequests(http.MethodPost, "/tc/api/v1/direct-transfer") }
	before := sends()
	args := []string{"transfers", "send", "--from", seed.AccountID.String(), "--to", seed.ContactID.String(), "--amount", "12.5",
		"--description", "Groceries"}

	term := onTerminal(t, srv, args...)
	term.waitFor(t, "Send it? [y/N] ")
	assert.Contains(t, term.shown(), "About to send 12.50 AED")
	term.typeLine(t, "n")
	assert.Equal(t, exitAPI, term.wait(t))
	term.waitFor(t, "not confirmed: nothing sent")
	assert.Equal(t, before, sends())

	term = onTerminal(t, srv, args...)
	term.waitFor(t, "Send it? [y/N] ")
	term.typeLine(t, "yes")
	require.Equal(t, exitOK, term.wait(t), term.shown())
	assert.Equal(t, before+1, sends())
	assert.Equal(t, "12.50 AED", recordFields(t, term.stdout.String())["AMOUNT"])
}

// TestCLIPINOnTerminal: set-pin reads the PIN twice without echo; the terminal never shows it.
func TestCLIPINOnTerminal(t *testing.T) {
	srv := newCLIFake(t)
	seed := seedDemo(t, srv)
	card := seed.PhysicalCardID.String()

	term := onTerminal(t, srv, "cards", "set-pin", card)
	term.waitFor(t, "New PIN: ")
	term.typeLine(t, "4826")
	term.waitFor(t, "Repeat the PIN: ")
	term.typeLine(t, "4826")
	require.Equal(t, exitOK, term.wait(t), term.shown())
	// With echo the digits would sit between each prompt and the line end printed after reading.
	term.waitFor(t, "New PIN: \r\nRepeat the PIN: \r\n")
	assert.NotContains(t, term.shown(), "4826", "typed without echo")
	assert.NotContains(t, term.stdout.String(), "4826")
	assert.Equal(t, "yes", recordFields(t, term.stdout.String())["PIN SET"])

	// Two different PINs: nothing sent.
	sets := srv.CountRequests(http.MethodPost, "/pcs/api/v1/set-pin")
	term = onTerminal(t, srv, "cards", "set-pin", card)
	term.waitFor(t, "New PIN: ")
	term.typeLine(t, "1111")
	term.waitFor(t, "Repeat the PIN: ")
	term.typeLine(t, "2222")
	assert.Equal(t, exitUsage, term.wait(t))
	term.waitFor(t, "the two PINs differ; nothing sent")
	assert.NotContains(t, term.shown(), "1111")
	assert.Equal(t, sets, srv.CountRequests(http.MethodPost, "/pcs/api/v1/set-pin"))

	// --stdin refuses a terminal: it would echo.
	term = onTerminal(t, srv, "cards", "set-pin", card, "--stdin")
	assert.Equal(t, exitUsage, term.wait(t))
	term.waitFor(t, "standard input is a terminal")
}
