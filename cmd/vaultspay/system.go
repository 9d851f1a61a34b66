package main

import (
	"context"
	"time"

	"github.com/spf13/cobra"
)

// systemCommands are the connection checks. `vaultspay doctor` (issue 19) joins them.
func (a *app) systemCommands() []*cobra.Command {
	return []*cobra.Command{
		{Use: "ping", Short: "check that the API is reachable and accepts the credentials", Args: cobra.NoArgs, RunE: a.do(a.ping)},
		{Use: "login", Short: "log in and print when the access token expires (never the token)", Args: cobra.NoArgs, RunE: a.do(a.login)},
		a.doctorCommand(),
	}
}

func (a *app) ping(ctx context.Context, _ []string) error {
	c, err := a.sdk()
	if err != nil {
		return err
	}
	msg, err := c.Ping(ctx)
	if err != nil {
		return err
	}
	return a.printRecord(struct {
		Message string `json:"message"`
	}{msg}, []field{{"MESSAGE", msg}})
}

// loginResult is what login prints: the expiry only, never the token.
type loginResult struct {
	LoggedIn          bool       `json:"loggedIn"`
	AccessTokenExpiry *time.Time `json:"accessTokenExpiry"` // null when the API sent none
}

func (a *app) login(ctx context.Context, _ []string) error {
	c, err := a.sdk()
	if err != nil {
		return err
	}
	if err := c.Login(ctx); err != nil {
		return err
	}
	res := loginResult{LoggedIn: true}
	shown := "none given by the API"
	if exp, ok := c.AccessTokenExpiry(); ok && !exp.IsZero() {
		exp = exp.UTC()
		res.AccessTokenExpiry = &exp
		shown = exp.Format(time.RFC3339) + " (in " + time.Until(exp).Round(time.Second).String() + ")"
	}
	return a.printRecord(res, []field{{"LOGGED IN", "yes"}, {"ACCESS TOKEN EXPIRES", shown}})
}
