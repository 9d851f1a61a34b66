package vaultspay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// TimeLayout is how Time is sent: ISO 8601 with milliseconds and a numeric offset, as in the vendor's
// examples ("2024-09-23T18:33:10.049+00:00").
const TimeLayout = "2006-01-02T15:04:05.000-07:00"

// Time is a timestamp that decodes every form the API is seen or suspected to use: RFC 3339 with or
// without fraction, with a numeric offset or Z, without a zone (read as UTC), a bare date, and epoch
// seconds or epoch milliseconds as a number or a numeric string (values above 1e11 are milliseconds).
// JSON null and "" decode to the zero Time. It encodes with TimeLayout.
type Time struct {
	time.Time
}

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04", // minutes, no zone: Update Card Delivery's estimateDeliveryTime
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	time.DateOnly,
}

// ParseTime parses s in any of the forms Time accepts.
func ParseTime(s string) (Time, error) {
	if s == "" {
		return Time{}, nil
	}
	// The API's own form first: no string parses both as RFC 3339 (a '-' after four digits) and as a
	// number, and this spares every timestamp a float parse error to allocate.
	if t, err := time.Parse(timeLayouts[0], s); err == nil {
		return Time{t}, nil
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		return epoch(n), nil
	}
	for _, l := range timeLayouts[1:] {
		if t, err := time.Parse(l, s); err == nil {
			return Time{t}, nil
		}
	}
	return Time{}, fmt.Errorf("vaultspay: unrecognised timestamp %q", s)
}

func epoch(n float64) Time {
	if n > 1e11 {
		return Time{time.UnixMilli(int64(n)).UTC()}
	}
	return Time{time.Unix(int64(n), 0).UTC()}
}

// UnmarshalJSON accepts a string or a number.
func (t *Time) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		*t = Time{}
		return nil
	}
	if b[0] != '"' {
		n, err := strconv.ParseFloat(string(b), 64)
		if err != nil {
			return fmt.Errorf("vaultspay: timestamp %s is neither a string nor a number", b)
		}
		*t = epoch(n)
		return nil
	}
	s, ok := plainString(b)
	if !ok {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	v, err := ParseTime(s)
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// MarshalJSON writes TimeLayout, or null for the zero Time.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + t.Format(TimeLayout) + `"`), nil
}

// plainString returns the content of a JSON string literal made of printable ASCII without escapes,
// which is what decoding it gives, sparing a nested json.Unmarshal; ok is false for any other input.
func plainString(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	for _, c := range b[1 : len(b)-1] {
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return "", false
		}
	}
	return string(b[1 : len(b)-1]), true
}
