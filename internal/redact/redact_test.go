package redact

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestText(t *testing.T) {
	const token = "eyJhbGciOiJIUzI1NiJ9.payload.sig"
	tests := []struct {
		name, in, want string
		known          []string
	}{
		{"plain text kept", "Invalid IBAN", "Invalid IBAN", nil},
		{"short numbers kept", "limit 5000.00 for card 25, code 1010", "limit 5000.00 for card 25, code 1010", nil},
		{"a PAN in one run", "card 4111111111111111 refused", "card ################ refused", nil},
		{"a PAN with spaces", "card 4111 1111 1111 1111 refused", "card #### #### #### #### refused", nil},
		{"a PAN with dashes", "pan=4111-1111-1111-1111.", "pan=####-####-####-####.", nil},
		{"an Amex grouping", "3782 822463 10005", "#### ###### #####", nil},
		{"a date is not a PAN", "on 2026-12-04 at 10:00", "on 2026-12-04 at 10:00", nil},
		{"a phone number with dashes", "call 971-4-123-4567", "call 971-4-123-4567", nil},
		{"eight digits in a row", "doc 12345678", "doc ########", nil},
		{"the bearer token echoed", "token " + token + " expired", "token [redacted] expired", []string{token}},
		{"the client secret echoed", `secret "s3cr3t-value" wrong`, `secret "[redacted]" wrong`, []string{"s3cr3t-value"}},
		{"a too-short known value is not masked", "status ok", "status ok", []string{"ok"}},
		{"a known PIN as a whole number", "PIN 5839 is weak, not 158390", "PIN [redacted] is weak, not 158390", []string{"5839"}},
		{"a known CVV", "cvv=123;", "cvv=[redacted];", []string{"123"}},
		{"a title escape", "x\x1b]0;pwned\x07y", `x\x1b]0;pwned\x07y`, nil},
		{"clear screen", "\x1b[2Jhello", `\x1b[2Jhello`, nil},
		{"newlines cannot forge a log line", "a\nlevel=ERROR msg=fake", `a\x0alevel=ERROR msg=fake`, nil},
		{"a C1 control", "a\u009bb", `a\x9bb`, nil},
		{"a bidi override", "abc\u202edcba", `abc\u202edcba`, nil},
		{"invalid UTF-8", "a\xffb", "a?b", nil},
		{"unicode text kept", "Café — مرحبا", "Café — مرحبا", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Text(tt.in, tt.known...))
		})
	}
}

func TestDigitsNeverPanics(t *testing.T) {
	for _, s := range []string{"", "1", "1 ", " 1", "1-", "-1", "1--2", "12 34 56 78 90 12", "1 2 3 4 5 6 7 8 9 0 1 2"} {
		assert.Len(t, Digits(s, 8, 12), len(s), "%q keeps its length", s)
	}
	assert.Equal(t, "# # # # # # # # # # # #", Digits("1 2 3 4 5 6 7 8 9 0 1 2", 8, 12))
}

func FuzzText(f *testing.F) {
	f.Add("4111 1111 1111 1111\x1b[2J", "secret-token")
	f.Add("token secret-token here", "secret-token")
	f.Fuzz(func(t *testing.T, s, known string) {
		out := Text(s, known)
		for _, r := range out {
			assert.False(t, unsafe(r), "unsafe rune %U left in %q", r, out)
		}
		// Escapes and the mask write new text; a known value could only reappear through them.
		if len(known) >= minKnown && utf8.ValidString(s) && strings.IndexFunc(s, unsafe) < 0 &&
			!strings.ContainsAny(known, "[]#?") && !strings.Contains(Mask, known) {
			assert.NotContains(t, out, known)
		}
	})
}

func TestSecretMember(t *testing.T) {
	for _, k := range []string{"pan", "PAN", "cvv", "cvv2", "pin", "expiry", "expiryDate", "accessToken", "refreshToken",
		"clientSecret", "documentNumber", "tin"} {
		assert.True(t, SecretMember(k), k)
	}
	for _, k := range []string{"id", "cardId", "cardToken", "lastFourDigits", "expiryMonth", "pinSet", "title"} {
		assert.False(t, SecretMember(k), k)
	}
}
