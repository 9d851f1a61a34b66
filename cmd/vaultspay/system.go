package main

import (
	"context"
	"flag"
	"time"

	"github.com/vaultspay-go/vaultspay"
)

func systemCommands() []command {
	return []command{
		{name: "ping", summary: "check that the API is reachable and accepts the credentials",
			setup: func(*flag.FlagSet) action { return ping }},
		{name: "login", summary: "log in and print when the access token expires (never the token)",
			setup: func(*flag.FlagSet) action { return login }},
	}
}

func ping(ctx context.Context, c *cli, _ []vaultspay.ID) error {
	msg, err := c.client.Ping(ctx)
	if err != nil {
		return err
	}
	return c.printRecord(struct {
		Message string `json:"message"`
	}{msg}, []field{{"MESSAGE", msg}})
}

// loginResult is what login prints: the expiry only, never the token.
type loginResult struct {
	LoggedIn          bool       `json:"loggedIn"`
	AccessTokenExpiry *time.Time `json:"accessTokenExpiry"` // null when the API sent none
}

func login(ctx context.Context, c *cli, _ []vaultspay.ID) error {
	if err := c.client.Login(ctx); err != nil {
		return err
	}
	res := loginResult{LoggedIn: true}
	shown := "none given by the API"
	if exp, ok := c.client.AccessTokenExpiry(); ok && !exp.IsZero() {
		exp = exp.UTC()
		res.AccessTokenExpiry = &exp
		shown = exp.Format(time.RFC3339) + " (in " + time.Until(exp).Round(time.Second).String() + ")"
	}
	return c.printRecord(res, []field{{"LOGGED IN", "yes"}, {"ACCESS TOKEN EXPIRES", shown}})
}
