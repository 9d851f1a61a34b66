package vaultspay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ID is a numeric identifier (user, account, card, …). The API sends ids as JSON integers; ID also
// decodes a numeric string, and always encodes as a number.
type ID int64

// String returns the decimal text.
func (id ID) String() string { return strconv.FormatInt(int64(id), 10) }

// UnmarshalJSON accepts 604, "604" and null (zero).
func (id *ID) UnmarshalJSON(b []byte) error {
	s := string(bytes.Trim(bytes.TrimSpace(b), `"`))
	if s == "" || s == "null" {
		*id = 0
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("vaultspay: id %s is not an integer", truncate(string(b), 30))
	}
	*id = ID(n)
	return nil
}

// Date is a calendar date without a time zone, such as a date of birth. It is sent as "YYYY-MM-DD"
// and decodes from that or from a full timestamp, whose written date is kept as is
// ("1990-05-15T00:00:00.000+00:00" is 1990-05-15 whatever the offset). The zero Date encodes as null.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date y-m-d.
func NewDate(y int, m time.Month, d int) Date { return Date{Year: y, Month: m, Day: d} }

// ParseDate reads "YYYY-MM-DD" or a timestamp that starts with one.
func ParseDate(s string) (Date, error) {
	if len(s) >= 10 && (len(s) == 10 || s[10] == 'T' || s[10] == ' ') {
		if t, err := time.Parse(time.DateOnly, s[:10]); err == nil {
			if len(s) == 10 {
				return DateOf(t), nil
			}
			if _, err := ParseTime(s); err == nil {
				return DateOf(t), nil
			}
		}
	}
	return Date{}, fmt.Errorf("vaultspay: %q is not a date (YYYY-MM-DD)", truncate(s, 40))
}

// DateOf returns the date of t in t's location.
func DateOf(t time.Time) Date { y, m, d := t.Date(); return Date{y, m, d} }

// String returns "YYYY-MM-DD".
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d is a real calendar date.
func (d Date) Valid() bool {
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	return DateOf(t) == d && d.Year > 0
}

// Before reports whether d comes before e.
func (d Date) Before(e Date) bool {
	return d.Year < e.Year || d.Year == e.Year && (d.Month < e.Month || d.Month == e.Month && d.Day < e.Day)
}

// MarshalJSON writes "YYYY-MM-DD", or null for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON accepts "YYYY-MM-DD", a timestamp string, null or "".
func (d *Date) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("vaultspay: date must be a string")
	}
	if s == nil || strings.TrimSpace(*s) == "" {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(strings.TrimSpace(*s))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// DecimalText is a decimal the API sends as text ("33.92590550", coordinates and the like). It keeps
// the text exactly and also decodes a JSON number.
type DecimalText string

// UnmarshalJSON accepts a string, a number or null.
func (d *DecimalText) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*d = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*d = DecimalText(s)
	default:
		if !json.Valid(b) {
			return fmt.Errorf("vaultspay: %s is not a decimal", truncate(string(b), 30))
		}
		*d = DecimalText(b)
	}
	return nil
}

// textID is an ID the API wants as a JSON string ("69"); it decodes a string or a number.
type textID ID

func (t textID) MarshalJSON() ([]byte, error)  { return json.Marshal(ID(t).String()) }
func (t *textID) UnmarshalJSON(b []byte) error { return (*ID)(t).UnmarshalJSON(b) }

// amountText is an Amount the API wants as decimal text ("45000"); it decodes a string or a number.
type amountText Amount

func (a amountText) MarshalJSON() ([]byte, error)  { return json.Marshal(Amount(a).String()) }
func (a *amountText) UnmarshalJSON(b []byte) error { return (*Amount)(a).UnmarshalJSON(b) }

// switchText is an on/off value the API wants as "1" or "0"; it also decodes 1/0, true/false and
// "true"/"false".
type switchText bool

func (s switchText) MarshalJSON() ([]byte, error) {
	if s {
		return []byte(`"1"`), nil
	}
	return []byte(`"0"`), nil
}

func (s *switchText) UnmarshalJSON(b []byte) error {
	switch string(bytes.Trim(bytes.TrimSpace(b), `"`)) {
	case "1", "true":
		*s = true
	case "0", "false":
		*s = false
	default:
		return fmt.Errorf("vaultspay: value %s is not \"1\" or \"0\"", truncate(string(b), 20))
	}
	return nil
}

// DateRange bounds a list by date: startDate and endDate, both inclusive, each left out when zero.
// UNKNOWN decided: the vendor only says "ISO 8601"; they are sent as RFC 3339 timestamps in UTC.
type DateRange struct {
	StartDate time.Time
	EndDate   time.Time
}

// EncodeValues adds startDate and endDate to a query (go-querystring's Encoder).
func (d DateRange) EncodeValues(_ string, v *url.Values) error {
	for key, t := range map[string]time.Time{"startDate": d.StartDate, "endDate": d.EndDate} {
		if !t.IsZero() {
			v.Set(key, t.UTC().Format(time.RFC3339))
		}
	}
	return nil
}
