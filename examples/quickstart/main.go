// Command quickstart is the first program a new user runs: it logs in and pings the API. With no
// VAULTSPAY_* variables set it starts the vaultspaytest fake in-process, so it works offline; with them
// set it talks to the configured environment. It prints each step and never a secret.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	client, where, closeFn, err := connect()
	if err != nil {
		return err
	}
	defer closeFn()
	fmt.Fprintf(out, "1. client ready for %s\n", where)

	if err := client.Login(ctx); err != nil {
		return fmt.Errorf("login: %w", err)
	}
	fmt.Fprintln(out, "2. logged in (access token held by the client, refreshed automatically)")

	msg, err := client.Ping(ctx)
	if err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	fmt.Fprintf(out, "3. ping: %s\n", msg)
	return nil
}

// connect uses the VAULTSPAY_* variables when any is set, else an in-process fake.
func connect() (*vaultspay.Client, string, func(), error) {
	if vaultspay.EnvConfigured() {
		c, err := vaultspay.NewClientFromEnv()
		if err != nil {
			return nil, "", nil, err
		}
		return c, "the environment in VAULTSPAY_BASE_URL (default UAT)", func() {}, nil
	}
	srv, err := vaultspaytest.NewUnstartedServer()
	if err != nil {
		return nil, "", nil, err
	}
	if err := srv.Start(); err != nil {
		return nil, "", nil, err
	}
	return srv.Client(), "the in-process fake at " + srv.URL + " (no VAULTSPAY_* variables set)", srv.Close, nil
}
