package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/vaultspay-go/vaultspay"
)

func (a *app) usersCommand() *cobra.Command {
	var r vaultspay.CreateUserRequest
	create := &cobra.Command{Use: "create", Short: "create a user (then: kyc personal, kyc address, kyc identification)", Args: cobra.NoArgs}
	fs := create.Flags()
	fs.StringVar(&r.FirstName, "first-name", "", "first name (required)")
	fs.StringVar(&r.LastName, "last-name", "", "last name (required)")
	fs.StringVar(&r.Email, "email", "", "email address")
	fs.StringVar(&r.CountryCode, "country-code", "", `dialling code without "+", e.g. 971`)
	fs.StringVar(&r.Phone, "phone", "", "national number without the country code")
	fs.StringVar((*string)(&r.Status), "status", string(vaultspay.UserStatusActive), "ACTIVE or INACTIVE")
	create.RunE = a.do(func(ctx context.Context, _ []string) error {
		c, err := a.sdk()
		if err != nil {
			return err
		}
		u, err := c.Users.Create(ctx, &r)
		if err != nil {
			return err
		}
		return a.printRecord(u, []field{{"ID", u.ID.String()}, {"NAME", u.FirstName + " " + u.LastName}, {"EMAIL", u.Email},
			{"USERNAME", u.Username}, {"TYPE", string(u.UserType)}, {"STATUS", string(u.Status)}})
	})
	return group("users", "create users", create)
}
