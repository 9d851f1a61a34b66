package vaultspay

import (
	"context"
	"errors"
)

// RequestToken logs in with req's credentials and returns the whole token pair, leaving the client's
// own token source alone. It is the building block of a token source that shares one login between
// processes (the redis module's TokenSource); an app using the built-in source never needs it.
//
// API: POST /as/api/v1/saas-login (no bearer token)
// Retries: as the built-in login: transport errors, 429, 5xx without a VaultsPay code; it moves no money.
// Errors: *APIError for a refused login (1002 for wrong credentials, never retried); an error for a nil
// ctx or req, or an answer without an access token.
func (c *Client) RequestToken(ctx context.Context, req *LoginRequest) (*Token, error) {
	if req == nil {
		return nil, errors.New("vaultspay: RequestToken: nil request")
	}
	return (&authenticator{c: c, clientID: req.ClientID, clientSecret: req.ClientSecret}).login(ctx)
}

// RefreshToken exchanges req's refresh token for a new access token, leaving the client's own token
// source alone (see RequestToken). The answer carries the access token and its expiry only: the refresh
// token is not rotated, so keep the one from the login.
//
// API: POST /as/api/v1/saas-refresh-token (no bearer token)
// Retries: as RequestToken.
// Errors: *APIError: 1036 for an unknown refresh token, 1004 for an expired one (log in again).
func (c *Client) RefreshToken(ctx context.Context, req *RefreshTokenRequest) (*Token, error) {
	if req == nil {
		return nil, errors.New("vaultspay: RefreshToken: nil request")
	}
	return (&authenticator{c: c}).refresh(ctx, req.RefreshToken)
}
