// Command vaultspay is a small support and operations tool on top of the vaultspay SDK: it checks
// connectivity and credentials and reads accounts, ledgers, transactions, cards (masked) and KYC
// records. It never prints a secret: not the client secret, not the access token, not a full card
// number, CVV or identity-document number.
//
//	vaultspay ping
//	vaultspay accounts list --user-id 42 --json
//	vaultspay ledger 360 --start-date 2024-10-01
//
// Run `vaultspay --help` for the commands, the configuration and the exit codes.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/vaultspay-go/vaultspay"
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

// command is one `vaultspay <service> <method>`.
type command struct {
	name    string // "accounts list"; a single word for ping, login and ledger
	args    string // positional arguments for the usage line, e.g. "<accountId>"
	nargs   int    // exact number of positional arguments, each a positive id
	summary string
	// setup registers the command's own flags on fs and returns what runs once they are parsed.
	setup func(fs *flag.FlagSet) action
}

// action runs a command with its positional arguments, parsed as ids.
type action func(ctx context.Context, c *cli, ids []vaultspay.ID) error

// commands lists every command, in the order --help shows them.
func commands() []command {
	var all []command
	for _, group := range [][]command{systemCommands(), accountCommands(), transactionCommands(), cardCommands(), kycCommands()} {
		all = append(all, group...)
	}
	return all
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
// only for --client-secret-stdin.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	g := &globals{}
	top := flag.NewFlagSet("vaultspay", flag.ContinueOnError)
	top.SetOutput(io.Discard)
	g.register(top)
	if err := top.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout)
			return exitOK
		}
		return fail(stderr, usagef("%v", err))
	}
	rest := top.Args()
	if len(rest) == 0 {
		printUsage(stderr)
		return exitUsage
	}
	if rest[0] == "help" {
		printUsage(stdout)
		return exitOK
	}
	cmd, rest, err := lookup(rest)
	if err != nil {
		return fail(stderr, err)
	}

	fs := flag.NewFlagSet("vaultspay "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	g.register(fs)
	act := cmd.setup(fs)
	pos, err := parseInterspersed(fs, rest)
	switch {
	case errors.Is(err, flag.ErrHelp):
		printCommandUsage(stdout, cmd)
		return exitOK
	case err != nil:
		return fail(stderr, usagef("%s: %v (see vaultspay %s --help)", cmd.name, err, cmd.name))
	case cmd.nargs == 0 && len(pos) > 0:
		return fail(stderr, usagef("%s: unexpected argument %q", cmd.name, pos[0]))
	case len(pos) != cmd.nargs:
		return fail(stderr, usagef("%s: want %s", cmd.name, cmd.args))
	}
	ids := make([]vaultspay.ID, len(pos))
	for i, a := range pos {
		if ids[i], err = parseID(a); err != nil {
			return fail(stderr, usagef("%s: %s: %v", cmd.name, strings.Trim(strings.Fields(cmd.args)[i], "<>"), err))
		}
	}

	client, err := g.client(stdin)
	if err != nil {
		return fail(stderr, err)
	}
	c := &cli{client: client, stdout: stdout, stderr: stderr, json: g.json, tty: isTerminal(stderr)}
	if err := act(ctx, c, ids); err != nil {
		return fail(stderr, err)
	}
	return exitOK
}

// lookup finds the command named by the first one or two words of args and returns the rest.
func lookup(args []string) (command, []string, error) {
	all := commands()
	if len(args) >= 2 {
		for _, c := range all {
			if c.name == args[0]+" "+args[1] {
				return c, args[2:], nil
			}
		}
	}
	var methods []string
	for _, c := range all {
		if c.name == args[0] {
			return c, args[1:], nil
		}
		if svc, m, ok := strings.Cut(c.name, " "); ok && svc == args[0] {
			methods = append(methods, m)
		}
	}
	if len(methods) > 0 {
		return command{}, nil, usagef("%s: want one of: %s", args[0], strings.Join(methods, ", "))
	}
	return command{}, nil, usagef("unknown command %q (see vaultspay --help)", args[0])
}

// parseInterspersed parses flags anywhere among the positional arguments (`ledger 360 --json`), up to
// a "--", and returns the positional arguments.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if i := len(args) - len(rest) - 1; i >= 0 && args[i] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// fail prints err and returns its exit code.
func fail(stderr io.Writer, err error) int {
	msg := err.Error()
	if !strings.HasPrefix(msg, "vaultspay: ") { // SDK errors carry the prefix already
		msg = "vaultspay: " + msg
	}
	fmt.Fprintln(stderr, msg)
	return exitCode(err)
}

// exitCode classifies err: usage 2, configuration 3, everything else (API errors, a refused login,
// network failures, cancellation) 1. A request the SDK refuses before sending (*ValidationError) is a
// usage error: it comes from the arguments.
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

const usageHead = `vaultspay: support and operations commands for the VaultsPay Issuance API.

Usage:
  vaultspay [flags] <command> [flags] [arguments]

Commands:
`

const usageTail = `
Configuration (a flag wins over its variable):
  --base-url        VAULTSPAY_BASE_URL        "uat" (default), "production" or a URL
  --client-id       VAULTSPAY_CLIENT_ID       the app's Client ID
  (no flag)         VAULTSPAY_CLIENT_SECRET   the app's Client Secret
  --app-id          VAULTSPAY_APP_ID          the app id sent as x-device-id
  --rsa-public-key  VAULTSPAY_RSA_PUBLIC_KEY  VaultsPay's RSA public key, Base64 SPKI or PEM

  The client secret is never a flag: command lines are visible to every user of the machine (ps,
  /proc/<pid>/cmdline) and are kept in shell history. Set VAULTSPAY_CLIENT_SECRET, or pipe it in
  with --client-secret-stdin (first line of standard input; a terminal is refused, it would echo).

Output:
  A table by default; --json prints JSON (one object, or an array for lists). Lists walk every page
  unless --page is given; while paging, progress goes to standard error when it is a terminal.
  Secrets are never printed: cards show "**** 1234", document numbers and tax ids are masked.

Flags accepted by every command:
  --json                 print JSON instead of a table
  --client-secret-stdin  read the client secret from standard input
  --base-url, --client-id, --app-id, --rsa-public-key   see Configuration

Exit codes:
  0  success
  1  the API refused or failed (including rejected credentials), or another runtime error
  2  usage error: unknown command, bad flag or argument
  3  configuration error: missing or malformed configuration (see above)

Run "vaultspay <command> --help" for a command's flags.
`

// printUsage writes the program's help.
func printUsage(w io.Writer) {
	var b strings.Builder
	b.WriteString(usageHead)
	tw := tabwriter.NewWriter(&b, 0, 0, 3, ' ', 0)
	for _, c := range commands() {
		fmt.Fprintf(tw, "  %s\t%s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
	}
	_ = tw.Flush()
	b.WriteString(usageTail)
	_, _ = io.WriteString(w, b.String())
}

// printCommandUsage writes one command's help: its usage line, summary and own flags.
func printCommandUsage(w io.Writer, c command) {
	fmt.Fprintf(w, "Usage: vaultspay %s\n\n%s\n", strings.TrimSpace(c.name+" [flags] "+c.args), c.summary)
	own := flag.NewFlagSet(c.name, flag.ContinueOnError)
	c.setup(own)
	n := 0
	own.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprintln(w, "\nFlags:")
		own.SetOutput(w)
		own.PrintDefaults()
	}
	fmt.Fprintln(w, "\nConfiguration flags, --json and exit codes: vaultspay --help")
}
