package vaultspay

import (
	"fmt"
	"io"
	"log/slog"
)

const redacted = "[redacted]"

// Secret is a credential: the client secret, an access token or a refresh token. It prints as
// "[redacted]" with every fmt verb and in slog, and is sent as its real value only on the wire (JSON).
type Secret string

// String returns "[redacted]", or "" for an empty secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// Format redacts s for every verb, including %v, %+v, %#v, %s, %q and %x.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, s.String()) }

// GoString redacts s.
func (s Secret) GoString() string { return s.String() }

// LogValue redacts s in slog output.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// Reveal returns the secret's value: the one deliberate way out.
func (s Secret) Reveal() string { return string(s) }

// Ptr returns a pointer to v, for optional request fields: vaultspay.Ptr("Ada").
func Ptr[T any](v T) *T { return &v }
