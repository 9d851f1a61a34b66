package vaultspay

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEchoedSecretsAndEscapesNeverPrint: a hostile server echoes the caller's bearer token, a PAN
// written with spaces or dashes, the PIN it was sent, and terminal escape sequences in message,
// errors[].reason, type and the request id header. Error(), every fmt verb and slog print none of them
// raw, and an unreadable answer's snippet is cleaned the same way.
func TestEchoedSecretsAndEscapesNeverPrint(t *testing.T) {
	t.Parallel()
	const token = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXRva2Vu.sig-7f3a"
	const pin = "5839"
	errorBody := func(message, reason string) string {
		b, _ := json.Marshal(map[string]any{"code": 1000, "type": "INVALID_PAYLOAD\x1b[31m", "message": message,
			"errors": []map[string]string{{"key": "pin\x07", "reason": reason}}})
		return string(b)
	}
	tests := []struct {
		name    string
		status  int
		body    string
		header  http.Header
		secrets []string
	}{
		{"the bearer token in message and reason", 422, errorBody("token "+token+" is not allowed", "Bearer "+token), nil, []string{token}},
		{"a PAN with spaces", 422, errorBody("card 4111 1111 1111 1111 refused", "pan 4111 1111 1111 1111"), nil,
			[]string{"4111 1111 1111 1111"}},
		{"a PAN with dashes", 422, errorBody("card 4111-1111-1111-1111 refused", "ok"), nil, []string{"4111-1111-1111-1111"}},
		{"the PIN it was sent", 422, errorBody("PIN "+pin+" is too weak", "pin "+pin), nil, []string{" " + pin}},
		{"a title escape and a screen clear", 422, errorBody("\x1b]0;owned\x07title", "\x1b[2J\rforged line"), nil,
			[]string{"\x1b", "\x07", "\r"}},
		{"an escape in the request id", 422, errorBody("bad", "bad"), http.Header{"X-Request-Id": {"req-1\x1b[2J"}}, []string{"\x1b"}},
		{"the token in an HTML error page", 502, "<html><body>upstream said: Bearer " + token + "\x1b[2J</body></html>", nil,
			[]string{token, "\x1b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt, _ := setup(t, WithTokenSource(staticToken(token)))
			mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
				res := httpmock.NewStringResponse(tt.status, tt.body)
				for k, v := range tt.header {
					res.Header[k] = v
				}
				return res, nil
			})
			_, err := c.Cards.SetPIN(context.Background(), &SetPINRequest{CardRef: CardByID(25), PIN: pin})
			require.Error(t, err)
			for how, s := range render(err) {
				for _, secret := range tt.secrets {
					assert.NotContains(t, s, secret, "%s leaks %q: %s", how, secret, s)
				}
			}
			var apiErr *APIError
			if errors := errorsAs(err, &apiErr); errors {
				for _, secret := range tt.secrets {
					assert.NotContains(t, apiErr.Message+apiErr.Type+apiErr.RequestID+apiErr.Errors[0].Key+apiErr.Errors[0].Reason,
						secret, "the fields themselves are cleaned")
				}
			}
		})
	}
}

// errorsAs is errors.As for a test that also names a local variable "errors".
func errorsAs(err error, target **APIError) bool {
	for e := err; e != nil; {
		if a, ok := e.(*APIError); ok {
			*target = a
			return true
		}
		u, ok := e.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		e = u.Unwrap()
	}
	return false
}

// TestEchoedTextStaysReadable: cleaning keeps what the caller needs: the code, ordinary words and
// short numbers, and escapes (rather than drops) what it cannot print.
func TestEchoedTextStaysReadable(t *testing.T) {
	t.Parallel()
	c, mt, _ := setup(t)
	mt.RegisterNoResponder(httpmock.NewStringResponder(500,
		`{"code":1010,"message":"Invalid IBAN for account 12, limit 5000.00\u001b[2J","type":"BAD_REQUEST"}`))
	_, err := c.Transfers.ValidateIBAN(context.Background(), &ValidateIBANRequest{IBAN: "AE070331234567890123456"})
	require.True(t, IsInvalidIBAN(err), "%v", err)
	assert.True(t, strings.HasSuffix(err.Error(), `Invalid IBAN for account 12, limit 5000.00\x1b[2J`), err.Error())
}

// TestNewClientNeverPrintsAPassword: a base URL with user info, parsable or not, comes back in the
// configuration error without its password.
func TestNewClientNeverPrintsAPassword(t *testing.T) {
	t.Parallel()
	for _, u := range []string{
		"https://admin:hunter2-pass@api.example.com",
		"https://admin:hunter2-pass@api.example.com:notaport/x",
		"https://admin:hunter2-pass@[::1",
		"admin:hunter2-pass@api.example.com",
	} {
		_, err := NewClient(WithBaseURL(u), WithAppID("app"), WithCredentials("id", "secret"))
		require.ErrorIs(t, err, ErrInvalidConfig, u)
		for how, s := range render(err) {
			assert.NotContains(t, s, "hunter2", "%s of the error for %q", how, u)
		}
	}
}
