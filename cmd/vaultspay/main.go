// Command vaultspay is an operations tool on top of the vaultspay SDK: it checks connectivity and
// credentials, reads and writes users, KYC, accounts, transfers, cards and rules, calls any endpoint
// (api), serves the in-repo fake as a sandbox (fake), receives webhooks (webhooks listen) and makes the
// fake send them (trigger). It never prints a secret unless asked with --reveal: not the client secret,
// not the access token, not a full card number, CVV, PIN or identity-document number.
//
//	eval "$(vaultspay fake --seed demo --env)"
//	vaultspay accounts list --output json
//	vaultspay transfers send --from 12 --to 3 --amount 25.00 --currency AED --description "Rent" --yes
//
// Run `vaultspay --help` for the commands, the configuration and the exit codes.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/internal/redact"
)

// Exit codes, documented in --help.
const (
	exitOK     = 0 // success
	exitAPI    = 1 // the API refused or failed, or another runtime error
	exitUsage  = 2 // unknown command, bad flag or argument
	exitConfig = 3 // missing or malformed configuration
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// usageError is a mistake on the command line (exit code 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{msg: fmt.Sprintf(format, a...)} }

// configError is a configuration problem found by the CLI itself (exit code 3); the SDK's own are
// recognised by vaultspay.ErrInvalidConfig.
type configError struct{ err error }

func (e *configError) Error() string { return e.err.Error() }
func (e *configError) Unwrap() error { return e.err }

// run is the whole program: it parses args, runs one command and returns the exit code. stdin is read
// only by --client-secret-stdin, --pin-stdin, --data - and the confirmation prompt.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, tty: isTerminal(stderr), args: args}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err != nil && !a.ran {
		var ce *configError
		if !errors.As(err, &ce) {
			err = &usageError{msg: err.Error()} // cobra refused the command line before any command ran
		}
	}
	if err != nil {
		return fail(stderr, err)
	}
	return exitOK
}

// fail prints err, control characters escaped (an SDK error is clean already; others may carry a
// server's or a file's text), and returns its exit code.
func fail(stderr io.Writer, err error) int {
	msg := redact.Control(err.Error())
	if !strings.HasPrefix(msg, "vaultspay: ") { // SDK errors carry the prefix already
		msg = "vaultspay: " + msg
	}
	fmt.Fprintln(stderr, msg)
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(stderr, `Run "vaultspay --help" or "vaultspay <command> --help" for usage.`)
	}
	return exitCode(err)
}

// exitCode classifies err: usage 2, configuration 3, everything else (API errors, a refused login,
// network failures, timeouts, cancellation) 1. A request the SDK refuses before sending
// (*ValidationError) is a usage error: it comes from the arguments.
func exitCode(err error) int {
	var ue *usageError
	var ce *configError
	var ve *vaultspay.ValidationError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue), errors.As(err, &ve):
		return exitUsage
	case errors.As(err, &ce), errors.Is(err, vaultspay.ErrInvalidConfig):
		return exitConfig
	}
	return exitAPI
}
