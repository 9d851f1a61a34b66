package vaultspaytest

import (
	"crypto/subtle"
	"strings"
	"time"

	"github.com/vaultspay-go/vaultspay"
)

type tokenKind int

const (
	accessToken tokenKind = iota
	refreshToken
)

type tokenInfo struct {
	kind    tokenKind
	expires time.Time
}

func (s *Server) authRoutes() {
	s.handle("POST /as/api/v1/saas-login", authNone, s.login)
	s.handle("POST /as/api/v1/saas-refresh-token", authNone, s.refresh)
	s.handle("GET /v1/ping", authOptional, s.ping)
}

// credentialsBody is the body of saas-login; refreshBody that of saas-refresh-token (both strings, as
// openapi/vaultspay.yaml declares them).
type credentialsBody struct {
	ClientID     string `json:"clientId"`
	ClientSecret string `json:"clientSecret"`
}

type refreshBody struct {
	RefreshToken string `json:"refreshToken"`
}

// login checks the client credentials and answers a flat token pair (not wrapped in "data", as
// documented).
func (s *Server) login(r *request) (any, error) {
	in, err := decode[credentialsBody](r)
	if err != nil {
		return nil, err
	}
	var bad []vaultspay.FieldError
	if in.ClientID == "" {
		bad = append(bad, vaultspay.FieldError{Key: "clientId", Reason: "must not be blank"})
	}
	if in.ClientSecret == "" {
		bad = append(bad, vaultspay.FieldError{Key: "clientSecret", Reason: "must not be blank"})
	}
	if len(bad) > 0 {
		return nil, errInvalidPayload(bad...)
	}
	if subtle.ConstantTimeCompare([]byte(in.ClientID), []byte(s.clientID)) != 1 ||
		subtle.ConstantTimeCompare([]byte(in.ClientSecret), []byte(s.clientSecret)) != 1 {
		return nil, errUnauthenticated()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.nowLocked()
	at, atExp := s.issueLocked(accessToken, now.Add(s.accessTTL))
	rt, rtExp := s.issueLocked(refreshToken, now.Add(s.refreshTTL))
	return flat{vaultspay.Token{AccessToken: at, AccessTokenExpiry: atExp, RefreshToken: rt, RefreshTokenExpiry: &rtExp}}, nil
}

// refresh issues a new access token; the refresh token is not rotated and earlier access tokens stay
// valid until they expire.
func (s *Server) refresh(r *request) (any, error) {
	in, err := decode[refreshBody](r)
	if err != nil {
		return nil, err
	}
	if in.RefreshToken == "" {
		return nil, errInvalidPayload(vaultspay.FieldError{Key: "refreshToken", Reason: "must not be blank"})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.nowLocked()
	ti := s.st.tokens[in.RefreshToken]
	switch {
	case ti == nil || ti.kind != refreshToken:
		return nil, errInvalidToken()
	case !now.Before(ti.expires):
		return nil, errSessionExpired()
	}
	at, atExp := s.issueLocked(accessToken, now.Add(s.accessTTL))
	return vaultspay.Token{AccessToken: at, AccessTokenExpiry: atExp}, nil
}

func (s *Server) ping(*request) (any, error) { return vaultspay.PingMessage, nil }

func (s *Server) issueLocked(kind tokenKind, exp time.Time) (vaultspay.Secret, vaultspay.Time) {
	prefix := "at_"
	if kind == refreshToken {
		prefix = "rt_"
	}
	tok := prefix + randomHex(24)
	s.st.tokens[tok] = &tokenInfo{kind: kind, expires: exp}
	return vaultspay.Secret(tok), vaultspay.Time{Time: exp.UTC().Truncate(time.Millisecond)}
}

// checkToken validates the bearer token (§13): missing 401 1002; malformed, unknown or a refresh token
// 400 1036; expired 401 1003. With optional set, a missing token is accepted.
func (s *Server) checkToken(r *request, optional bool) error {
	h := r.Header.Get("Authorization")
	if h == "" {
		if optional {
			return nil
		}
		return errUnauthenticated()
	}
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || tok == "" {
		return errInvalidToken()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ti := s.st.tokens[tok]
	switch {
	case ti == nil || ti.kind != accessToken:
		return errInvalidToken()
	case !s.nowLocked().Before(ti.expires):
		return errTokenExpired()
	}
	return nil
}

// ExpireTokens makes every access token issued so far expired, as if its lifetime had passed, without
// moving the clock.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	past := s.nowLocked().Add(-time.Second)
	for _, ti := range s.st.tokens {
		if ti.kind == accessToken {
			ti.expires = past
		}
	}
}
