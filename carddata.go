package vaultspay

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"
)

// PAN is a card number (primary account number), digits only. It prints as "**** 1234" (the last
// four digits; "****" for a value that is not 12 to 19 digits) with every fmt verb, in slog and
// through MarshalText, and as its real digits only in JSON (the wire) and through Reveal.
//
// encoding/json writes the digits wherever a PAN sits, so slog's JSONHandler does too for a PAN
// nested in a slice, a map or a struct without LogValue: log the PAN itself or an SDK model (those
// that hold card data implement LogValue). The same holds for CVV, PIN and Expiry.
type PAN string

// String returns "**** " and the last four digits, or "" for an empty PAN.
func (p PAN) String() string {
	switch {
	case p == "":
		return ""
	case panShape(string(p)) == "":
		return "**** " + string(p[len(p)-4:])
	default:
		return "****"
	}
}

// Format masks p for every verb, including %v, %+v, %#v, %s, %q, %x and %d.
func (p PAN) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, p.String()) }

// GoString masks p.
func (p PAN) GoString() string { return p.String() }

// LogValue masks p in slog output.
func (p PAN) LogValue() slog.Value { return slog.StringValue(p.String()) }

// MarshalText masks p, for loggers and encoders that use encoding.TextMarshaler.
func (p PAN) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// MarshalJSON sends the real digits: JSON is the wire form.
func (p PAN) MarshalJSON() ([]byte, error) { return json.Marshal(string(p)) }

// Reveal returns the digits: the one deliberate way out.
func (p PAN) Reveal() string { return string(p) }

// Last4 returns the last four digits of a well-formed PAN, else "".
func (p PAN) Last4() string {
	if panShape(string(p)) != "" {
		return ""
	}
	return string(p[len(p)-4:])
}

// CVV is a card verification value (CVV/CVC), 3 or 4 digits kept as text (leading zeros count). It
// prints as "[redacted]" everywhere except in JSON and through Reveal.
type CVV string

// String returns "[redacted]", or "" for an empty value.
func (c CVV) String() string { return Secret(c).String() }

// Format redacts c for every verb.
func (c CVV) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// GoString redacts c.
func (c CVV) GoString() string { return c.String() }

// LogValue redacts c in slog output.
func (c CVV) LogValue() slog.Value { return slog.StringValue(c.String()) }

// MarshalText redacts c, for loggers and encoders that use encoding.TextMarshaler.
func (c CVV) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// MarshalJSON sends the real value: JSON is the wire form.
func (c CVV) MarshalJSON() ([]byte, error) { return json.Marshal(string(c)) }

// Reveal returns the value: the one deliberate way out.
func (c CVV) Reveal() string { return string(c) }

// PIN is a card PIN, 4 to 6 digits kept as text (leading zeros count). It prints as "[redacted]"
// everywhere except in JSON and through Reveal.
type PIN string

// String returns "[redacted]", or "" for an empty value.
func (p PIN) String() string { return Secret(p).String() }

// Format redacts p for every verb.
func (p PIN) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, p.String()) }

// GoString redacts p.
func (p PIN) GoString() string { return p.String() }

// LogValue redacts p in slog output.
func (p PIN) LogValue() slog.Value { return slog.StringValue(p.String()) }

// MarshalText redacts p, for loggers and encoders that use encoding.TextMarshaler.
func (p PIN) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// MarshalJSON sends the real value: JSON is the wire form.
func (p PIN) MarshalJSON() ([]byte, error) { return json.Marshal(string(p)) }

// Reveal returns the value: the one deliberate way out.
func (p PIN) Reveal() string { return string(p) }

// Expiry is a card's expiry date as the API writes it, "MM/YY" (e.g. "08/28"). It prints as
// "[redacted]" everywhere except in JSON and through Reveal.
//
// UNKNOWN decided: Get Card Expiry documents "MM/YY" but its example is "27/12", which can only be
// YY/MM. Expiry keeps the text exactly as received; MonthYear reads MM/YY and returns an error
// rather than guess when the first part is not a month.
type Expiry string

// NewExpiry returns the expiry "MM/YY" for month m of year y (two or four digits).
func NewExpiry(m time.Month, y int) Expiry { return Expiry(fmt.Sprintf("%02d/%02d", int(m), y%100)) }

// String returns "[redacted]", or "" for an empty value.
func (e Expiry) String() string { return Secret(e).String() }

// Format redacts e for every verb.
func (e Expiry) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, e.String()) }

// GoString redacts e.
func (e Expiry) GoString() string { return e.String() }

// LogValue redacts e in slog output.
func (e Expiry) LogValue() slog.Value { return slog.StringValue(e.String()) }

// MarshalText redacts e, for loggers and encoders that use encoding.TextMarshaler.
func (e Expiry) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// MarshalJSON sends the real value: JSON is the wire form.
func (e Expiry) MarshalJSON() ([]byte, error) { return json.Marshal(string(e)) }

// Reveal returns the text as received: the one deliberate way out.
func (e Expiry) Reveal() string { return string(e) }

// ErrExpiryFormat reports an expiry that is not "MM/YY" with a month from 01 to 12. Its text never
// contains the value.
var ErrExpiryFormat = errors.New("vaultspay: expiry is not MM/YY with a month from 01 to 12")

// MonthYear reads e as "MM/YY" and returns the month and the four-digit year (20YY). A value whose
// first part is not a month (such as the vendor's example "27/12") is ErrExpiryFormat, never a guess.
func (e Expiry) MonthYear() (time.Month, int, error) {
	s := string(e)
	if len(s) != 5 || s[2] != '/' || !allDigits(s[:2]) || !allDigits(s[3:]) {
		return 0, 0, ErrExpiryFormat
	}
	m := int(s[0]-'0')*10 + int(s[1]-'0')
	y := int(s[3]-'0')*10 + int(s[4]-'0')
	if m < 1 || m > 12 {
		return 0, 0, ErrExpiryFormat
	}
	return time.Month(m), 2000 + y, nil
}

// panShape returns why p is not a well-formed PAN, or "": 12 to 19 digits (ISO/IEC 7812) that pass
// the Luhn check.
func panShape(p string) string {
	switch {
	case len(p) < 12 || len(p) > 19 || !allDigits(p):
		return "must be 12 to 19 digits"
	case !luhn(p):
		return "fails the Luhn check"
	}
	return ""
}

// pinShape returns why p is not a PIN, or "".
func pinShape(p string) string {
	if len(p) < 4 || len(p) > 6 || !allDigits(p) {
		return "must be 4 to 6 digits"
	}
	return ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// luhn reports whether the digit string s passes the Luhn (mod 10) check.
func luhn(s string) bool {
	sum := 0
	for i := 0; i < len(s); i++ {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}
