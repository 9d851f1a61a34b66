// Command vaultspay-fake serves the vaultspaytest fake of the VaultsPay Issuance API as a program, for
// tests in other languages and for CI. On start it prints one JSON line with the base URL, credentials
// and RSA public key (and, with -seed demo, the ids it created), then serves until SIGINT or SIGTERM
// and exits 0. With -env it starts itself in the background and prints export lines for eval instead.
// `vaultspay fake` is the same program inside the CLI. Run `vaultspay-fake -h` for the start line and
// the /_fake/ control routes.
//
//	vaultspay-fake -addr 127.0.0.1:8080 -key-wrap oaep-sha256
//	eval "$(vaultspay-fake -seed demo -env)"
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/vaultspay-go/vaultspay/internal/fakeserve"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	exe, err := os.Executable()
	if err == nil {
		err = run(ctx, os.Args[1:], exe, os.Stdout, os.Stdout.Close, os.Stderr)
	}
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case err != nil:
		fmt.Fprintln(os.Stderr, "vaultspay-fake:", err, "(see vaultspay-fake -h)")
		os.Exit(2)
	}
}

const usageHead = `Usage: vaultspay-fake [flags]

`

// run parses args and serves the fake (fakeserve.Serve). -h prints the usage on stdout and returns
// flag.ErrHelp. exe is this program, re-run in the background by -env.
func run(ctx context.Context, args []string, exe string, stdout io.Writer, closeStdout func() error, stderr io.Writer) error {
	fs := flag.NewFlagSet("vaultspay-fake", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // main prints the error once
	var c fakeserve.Config
	c.Register(fs)
	fs.Usage = func() {} // -h prints the usage on stdout below; an error is one line on stderr (main)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout, fs)
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return fakeserve.Serve(ctx, &c, exe, args, stdout, closeStdout, stderr)
}

// printUsage writes the usage: what the program does, its flags (not the internal one) and routes.
func printUsage(w io.Writer, fs *flag.FlagSet) {
	_, _ = io.WriteString(w, usageHead+fakeserve.Usage+"\nFlags (-flag and --flag both work):\n")
	fs.VisitAll(func(f *flag.Flag) {
		if f.Name == fakeserve.ChildFlag {
			return
		}
		def := ""
		if f.DefValue != "" && f.DefValue != "false" {
			def = fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "  -%s\n    \t%s%s\n", f.Name, f.Usage, def)
	})
}
