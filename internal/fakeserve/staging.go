package fakeserve

import (
	"fmt"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// staged returns the server options of the staging flags (--date-skew, --refuse-login).
func (c *Config) staged() ([]vaultspaytest.Option, error) {
	var opts []vaultspaytest.Option
	if c.DateSkew != 0 {
		opts = append(opts, vaultspaytest.WithDateSkew(c.DateSkew))
	}
	switch c.RefuseLogin {
	case "":
	case "all":
		opts = append(opts, vaultspaytest.WithLoginRefused())
	default:
		p, err := vaultspay.ParseWireProfile(c.RefuseLogin)
		if err != nil {
			return nil, fmt.Errorf("--refuse-login: %w", err)
		}
		opts = append(opts, vaultspaytest.WithLoginRefused(p))
	}
	return opts, nil
}
