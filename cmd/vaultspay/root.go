package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vaultspay-go/vaultspay"
)

// app is one run of the program: where it reads and prints, the global flags and the client, built
// on first use so that commands that need none (fake, webhooks listen, help) work unconfigured.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	tty    bool // stderr is a terminal: progress lines while paging

	g       globals
	output  string        // --output: table or json
	json    bool          // --output json (or the hidden --json)
	timeout time.Duration // --timeout: bound of one command's API work
	ran     bool          // a command's own code started: later errors are not usage errors
	stdinBy string        // the flag that claimed stdin, so two cannot both read it
	client  *vaultspay.Client
	opts    []vaultspay.Option // what client was built with
	args    []string           // the command line, re-run by fake --env
	exe     string             // the program fake --env re-runs; "" for this one
}

// defaultTimeout bounds one command's API work unless --timeout says otherwise.
const defaultTimeout = 30 * time.Second

// Command groups in --help. `vaultspay doctor` (issue 19) belongs in groupCheck.
const (
	groupCheck   = "check"
	groupData    = "data"
	groupSandbox = "sandbox"
)

const rootLong = `vaultspay: operations commands for the VaultsPay Issuance API, and a local sandbox.

Configuration (a flag wins over its variable):
  --base-url        VAULTSPAY_BASE_URL        "uat" (default), "production" or a URL
  --client-id       VAULTSPAY_CLIENT_ID       the app's Client ID
  (no flag)         VAULTSPAY_CLIENT_SECRET   the app's Client Secret
  --app-id          VAULTSPAY_APP_ID          the app id sent as x-device-id
  --rsa-public-key  VAULTSPAY_RSA_PUBLIC_KEY  VaultsPay's RSA public key, Base64 SPKI or PEM
  --wire-profile    VAULTSPAY_WIRE_PROFILE    the envelope's wire profile; vaultspay doctor finds it

  The client secret is never a flag: command lines are visible to every user of the machine (ps,
  /proc/<pid>/cmdline) and are kept in shell history. Set VAULTSPAY_CLIENT_SECRET, or pipe it in
  with --client-secret-stdin (first line of standard input; a terminal is refused, it would echo).
  A card PIN is never a flag either: it is typed without echo, or piped with --stdin.

  A sandbox in one line: eval "$(vaultspay fake --seed demo --env)" starts the fake in the background
  and sets these variables (and VAULTSPAY_DEMO_* ids) in your shell.

Output:
  A table by default; --output json prints JSON (one object, or an array for lists). Lists walk every
  page unless --page is given. Amounts print with their currency's decimals and code (250.00 AED).
  Secrets are never printed: cards show "**** 1234" unless --reveal; document numbers are masked.

Exit codes:
  0  success
  1  the API refused or failed (including rejected credentials, a timeout), or another runtime error
  2  usage error: unknown command, bad flag or argument, a request the SDK refuses before sending
  3  configuration error: missing or malformed configuration (see above)`

// rootCommand builds the command tree.
func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "vaultspay",
		Short:         "operations commands for the VaultsPay Issuance API",
		Long:          rootLong,
		Version:       fmt.Sprintf("%s (the vaultspay-go SDK of the same version, %s)", vaultspay.Version, runtime.Version()),
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRunE: func(*cobra.Command, []string) error {
			return a.checkGlobals()
		},
	}
	root.SetVersionTemplate("vaultspay {{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usagef("%v (see %s --help)", err, c.CommandPath())
	})
	a.g.register(root.PersistentFlags())
	pf := root.PersistentFlags()
	pf.StringVarP(&a.output, "output", "o", "table", "output format: table or json")
	pf.BoolVar(&a.json, "json", false, "shorthand for --output json")
	_ = pf.MarkHidden("json")
	pf.DurationVar(&a.timeout, "timeout", defaultTimeout, "give up on the API after this long (e.g. 10s, 2m; 0 for no limit)")

	root.AddGroup(&cobra.Group{ID: groupCheck, Title: "Check the connection:"},
		&cobra.Group{ID: groupData, Title: "Read and write:"},
		&cobra.Group{ID: groupSandbox, Title: "Sandbox and webhooks:"})
	for _, c := range a.systemCommands() {
		c.GroupID = groupCheck
		root.AddCommand(c)
	}
	for _, c := range []*cobra.Command{a.usersCommand(), a.kycCommand(), a.accountsCommand(), a.ledgerCommand(),
		a.transactionsCommand(), a.transfersCommand(), a.cardsCommand(), a.rulesCommand(), a.apiCommand()} {
		c.GroupID = groupData
		root.AddCommand(c)
	}
	for _, c := range []*cobra.Command{a.fakeCommand(), a.webhooksCommand(), a.triggerCommand()} {
		c.GroupID = groupSandbox
		root.AddCommand(c)
	}
	root.SetHelpCommandGroupID(groupCheck)
	root.SetCompletionCommandGroupID(groupCheck)
	return root
}

// checkGlobals validates the flags every command shares.
func (a *app) checkGlobals() error {
	if a.json {
		a.output = "json"
	}
	switch a.output {
	case "table":
	case "json":
		a.json = true
	default:
		return usagef("--output: %q is neither table nor json", a.output)
	}
	if a.g.secretStdin { // claimed before any command reads standard input for itself
		if err := a.claimStdin("--client-secret-stdin"); err != nil {
			return err
		}
	}
	if a.timeout < 0 {
		return usagef("--timeout: %v is negative", a.timeout)
	}
	return nil
}

// group is a command that only holds others: alone it prints its help and exits 0; followed by an
// unknown word it is a usage error.
func group(use, short string, subs ...*cobra.Command) *cobra.Command {
	c := &cobra.Command{Use: use, Short: short, Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return cmd.Help()
		}}
	c.AddCommand(subs...)
	return c
}

// do adapts a command's code to cobra: it marks the run as started and bounds the API work by
// --timeout. A deadline that passes becomes a timeoutError naming the flag.
func (a *app) do(fn func(ctx context.Context, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		a.ran = true
		ctx := cmd.Context()
		if a.timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, a.timeout)
			defer cancel()
		}
		err := fn(ctx, args)
		if err != nil && a.timeout > 0 && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return &timeoutError{after: a.timeout, err: err}
		}
		return err
	}
}

// long is do without the --timeout bound, for commands that serve until interrupted.
func (a *app) long(fn func(ctx context.Context, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		a.ran = true
		return fn(cmd.Context(), args)
	}
}

// timeoutError is a command stopped by --timeout (exit code 1).
type timeoutError struct {
	after time.Duration
	err   error
}

func (e *timeoutError) Error() string {
	return fmt.Sprintf("no answer within --timeout %v (raise it with --timeout): %v", e.after, e.err)
}

func (e *timeoutError) Unwrap() error { return e.err }

// ids returns a positional-argument check for exactly the named positive ids, e.g. ids("accountId").
func ids(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != len(names) {
			return usagef("%s: want %d argument(s) <%s>, got %d", cmd.CommandPath(), len(names), strings.Join(names, "> <"), len(args))
		}
		for i, s := range args {
			if _, err := parseID(s); err != nil {
				return usagef("%s: %s: %v", cmd.CommandPath(), names[i], err)
			}
		}
		return nil
	}
}

// withIDs is do for a command whose positional arguments were checked by ids.
func (a *app) withIDs(fn func(ctx context.Context, ids []vaultspay.ID) error) func(*cobra.Command, []string) error {
	return a.do(func(ctx context.Context, args []string) error {
		out := make([]vaultspay.ID, len(args))
		for i, s := range args {
			id, err := parseID(s)
			if err != nil {
				return usagef("%v", err)
			}
			out[i] = id
		}
		return fn(ctx, out)
	})
}
