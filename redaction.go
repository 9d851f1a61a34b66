package vaultspay

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/vaultspay-go/vaultspay/internal/redact"
)

// redactor knows what one attempt must never let through from the server's text into an error: the
// access token it sent, the token source's own secrets (the client secret, the refresh token), and the
// secret fields of the request body (a PIN, a PAN, a CVV, an expiry, a document or tax number). It is
// consulted only when an error is built, so a successful call pays nothing for it.
type redactor struct {
	token  Secret
	tokens TokenSource
	body   []byte // the request's plaintext JSON
}

// secretHolder is a TokenSource that can name the secrets it holds, so that an answer echoing one of
// them is redacted.
type secretHolder interface{ secrets() []string }

// secrets returns the client secret and the current access and refresh tokens.
func (a *authenticator) secrets() []string {
	out := []string{a.clientSecret.Reveal()}
	a.mu.Lock()
	if a.tok != nil {
		out = append(out, a.tok.AccessToken.Reveal(), a.tok.RefreshToken.Reveal())
	}
	a.mu.Unlock()
	return out
}

// known lists every secret r knows of.
func (r *redactor) known() []string {
	if r == nil {
		return nil
	}
	out := []string{r.token.Reveal()}
	if h, ok := r.tokens.(secretHolder); ok {
		out = append(out, h.secrets()...)
	}
	if len(r.body) > 0 {
		var v any
		dec := json.NewDecoder(bytes.NewReader(r.body))
		dec.UseNumber()
		if dec.Decode(&v) == nil {
			out = appendSecretValues(out, v)
		}
	}
	return out
}

// appendSecretValues adds the string values of v's secret members, at any depth.
func appendSecretValues(out []string, v any) []string {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && redact.SecretMember(k) {
				out = append(out, s)
			} else {
				out = appendSecretValues(out, x)
			}
		}
	case []any:
		for _, x := range v {
			out = appendSecretValues(out, x)
		}
	}
	return out
}

// redactURL returns s with any user info replaced, even when s does not parse as a URL (a bad port),
// so that no configuration error repeats a password.
func redactURL(s string) string {
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		scheme, rest = "", s
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	authority := rest[:end]
	at := strings.LastIndex(authority, "@")
	if at < 0 {
		return redact.Control(s)
	}
	user, _, _ := strings.Cut(authority[:at], ":")
	out := user + ":xxxxx@" + authority[at+1:] + rest[end:]
	if ok {
		out = scheme + "://" + out
	}
	return redact.Control(out)
}
