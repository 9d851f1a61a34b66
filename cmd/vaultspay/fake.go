package main

import (
	"context"
	"flag"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/vaultspay-go/vaultspay/internal/fakeserve"
)

// fakeCommand serves the fake, as cmd/vaultspay-fake does (the same flags, start line and routes).
func (a *app) fakeCommand() *cobra.Command {
	var c fakeserve.Config
	cmd := &cobra.Command{Use: "fake", Short: "serve the in-repo fake of the API; --env for eval, --seed demo for data",
		Long: "vaultspay fake: " + fakeserve.Usage, Args: cobra.NoArgs}
	gofs := flag.NewFlagSet("fake", flag.ContinueOnError)
	c.Register(gofs)
	cmd.Flags().AddGoFlagSet(gofs)
	_ = cmd.Flags().MarkHidden(fakeserve.ChildFlag)
	cmd.RunE = a.long(func(ctx context.Context, _ []string) error {
		if c.Seed != "" && c.Seed != fakeserve.SeedDemo {
			return usagef("fake: --seed %q: the only seed is %q", c.Seed, fakeserve.SeedDemo)
		}
		exe, err := a.executable()
		if err != nil {
			return err
		}
		closeStdout := func() error { return nil }
		if f, ok := a.stdout.(io.Closer); ok {
			closeStdout = f.Close
		}
		return fakeserve.Serve(ctx, &c, exe, a.args, a.stdout, closeStdout, a.stderr)
	})
	return cmd
}

// executable is the program --env re-runs in the background: this one unless a test set another.
func (a *app) executable() (string, error) {
	if a.exe != "" {
		return a.exe, nil
	}
	return os.Executable()
}
