package vaultspay_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
)

// TestRequestAndRefreshToken: the exported login and refresh reach the fake once each, return usable
// tokens, and leave the client's own token source alone.
func TestRequestAndRefreshToken(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	c := srv.Client()
	ctx := context.Background()

	tok, err := c.RequestToken(ctx, &vaultspay.LoginRequest{ClientID: srv.ClientID(), ClientSecret: vaultspay.Secret(srv.ClientSecret())})
	require.NoError(t, err)
	assert.NotEmpty(t, tok.AccessToken)
	assert.NotEmpty(t, tok.RefreshToken)
	require.NotNil(t, tok.RefreshTokenExpiry)
	assert.Equal(t, 1, srv.CountRequests("POST", "/as/api/v1/saas-login"))
	_, ok := c.AccessTokenExpiry()
	assert.False(t, ok, "the client's own source has not logged in")

	fresh, err := c.RefreshToken(ctx, &vaultspay.RefreshTokenRequest{RefreshToken: tok.RefreshToken})
	require.NoError(t, err)
	assert.NotEmpty(t, fresh.AccessToken)
	assert.NotEqual(t, tok.AccessToken, fresh.AccessToken)
	assert.Equal(t, 1, srv.CountRequests("POST", "/as/api/v1/saas-refresh-token"))

	// The token works for a call made through a client that uses it.
	user := srv.Client(vaultspay.WithTokenSource(fixedToken(fresh.AccessToken)))
	_, err = user.Ping(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, srv.CountRequests("POST", "/as/api/v1/saas-login"), "no login of its own")

	tests := []struct {
		name string
		call func() error
		code vaultspay.ErrorCode
	}{
		{"wrong secret", func() error {
			_, err := c.RequestToken(ctx, &vaultspay.LoginRequest{ClientID: srv.ClientID(), ClientSecret: "wrong-secret"})
			return err
		}, vaultspay.CodeUnauthenticated},
		{"unknown refresh token", func() error {
			_, err := c.RefreshToken(ctx, &vaultspay.RefreshTokenRequest{RefreshToken: "rt_unknown"})
			return err
		}, vaultspay.CodeInvalidToken},
		{"nil login request", func() error { _, err := c.RequestToken(ctx, nil); return err }, 0},
		{"nil refresh request", func() error { _, err := c.RefreshToken(ctx, nil); return err }, 0},
		{"nil ctx", func() error {
			var nilCtx context.Context
			_, err := c.RequestToken(nilCtx, &vaultspay.LoginRequest{ClientID: "x", ClientSecret: "y"})
			return err
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			require.Error(t, err)
			var apiErr *vaultspay.APIError
			if tt.code == 0 {
				assert.False(t, errors.As(err, &apiErr), "refused before any request: %v", err)
				return
			}
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.code, apiErr.Code)
		})
	}
}

type fixedToken vaultspay.Secret

func (s fixedToken) AccessToken(context.Context) (vaultspay.Secret, error) {
	return vaultspay.Secret(s), nil
}
