package vaultspay

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"strings"
)

// Amount is an exact decimal amount of money: an integer coefficient and a count of decimal places,
// never a float64. It decodes JSON numbers (1050, 1000.00, 100.00000000, 1e3) and numeric strings
// ("10.50") digit for digit, and encodes as a JSON number in plain decimal notation. The vendor's units
// differ by endpoint (major units on accounts and transactions, integer cents on transfers); each
// field's doc comment says which.
//
// Amounts are kept normalized (no trailing fractional zeros), so == compares values. The zero value is 0.
type Amount struct {
	coef  int64
	scale uint8 // decimal places, 0..MaxAmountScale
}

// MaxAmountScale is the most decimal places an Amount holds (the API shows up to 8).
const MaxAmountScale = 18

// ErrAmount reports an amount that is not a number, has too many digits, or cannot be represented
// exactly in the form asked for.
var ErrAmount = errors.New("vaultspay: invalid amount")

// NewAmount returns coef × 10^-scale: NewAmount(1050, 2) is 10.50, and NewAmount(100000, 2) reads the
// transfer API's "cents" as 1000.00.
func NewAmount(coef int64, scale int) (Amount, error) {
	if scale < 0 || scale > MaxAmountScale {
		return Amount{}, fmt.Errorf("%w: scale %d outside 0..%d", ErrAmount, scale, MaxAmountScale)
	}
	return Amount{coef: coef, scale: uint8(scale)}.normalize(), nil
}

// MustParseAmount is ParseAmount for constants in tests and examples; it panics on bad input.
func MustParseAmount(s string) Amount {
	a, err := ParseAmount(s)
	if err != nil {
		panic(err)
	}
	return a
}

// ParseAmount reads a decimal such as "10.50", "-3", "100.00000000" or "1.5e2".
func ParseAmount(s string) (Amount, error) {
	orig := s
	bad := func(why string) (Amount, error) {
		return Amount{}, fmt.Errorf("%w: %q: %s", ErrAmount, truncate(orig, 40), why)
	}
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	exp := 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(s[i+1:])
		if err != nil || e > 40 || e < -40 {
			return bad("bad exponent")
		}
		exp, s = e, s[:i]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" && frac == "" || hasDot && frac == "" && intPart == "" {
		return bad("no digits")
	}
	digits := intPart + frac
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return bad("not a decimal number")
		}
	}
	scale := len(frac) - exp
	digits = strings.TrimLeft(digits, "0")
	// Drop trailing zeros while they only add scale.
	for scale > 0 && strings.HasSuffix(digits, "0") {
		digits, scale = digits[:len(digits)-1], scale-1
	}
	for scale < 0 {
		if digits != "" {
			digits += "0"
		}
		scale++
	}
	if scale > MaxAmountScale {
		return bad("more than 18 decimal places")
	}
	var coef int64
	if digits != "" {
		u, err := strconv.ParseUint(digits, 10, 63)
		if err != nil {
			return bad("too many digits")
		}
		coef = int64(u)
	}
	if neg {
		coef = -coef
	}
	return Amount{coef: coef, scale: uint8(scale)}.normalize(), nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func (a Amount) normalize() Amount {
	if a.coef == 0 {
		return Amount{}
	}
	for a.scale > 0 && a.coef%10 == 0 {
		a.coef /= 10
		a.scale--
	}
	return a
}

// Decimals is the number of decimal places the amount needs (10.50 needs 1, 10.55 needs 2).
func (a Amount) Decimals() int { return int(a.scale) }

// Sign returns -1, 0 or +1.
func (a Amount) Sign() int {
	switch {
	case a.coef < 0:
		return -1
	case a.coef > 0:
		return 1
	}
	return 0
}

// IsZero reports whether the amount is 0.
func (a Amount) IsZero() bool { return a.coef == 0 }

// Neg returns -a.
func (a Amount) Neg() Amount { return Amount{coef: -a.coef, scale: a.scale} }

// MinorUnits returns the amount in minor units of a currency with the given exponent (2 for cents):
// 10.5 is 1050. It fails with ErrAmount if the amount has more decimals than the exponent allows or
// does not fit in an int64, never rounding.
func (a Amount) MinorUnits(exponent int) (int64, error) {
	if exponent < 0 || exponent > MaxAmountScale {
		return 0, fmt.Errorf("%w: exponent %d outside 0..%d", ErrAmount, exponent, MaxAmountScale)
	}
	if int(a.scale) > exponent {
		return 0, fmt.Errorf("%w: %s has more than %d decimal places", ErrAmount, a, exponent)
	}
	v, ok := mulPow10(a.coef, exponent-int(a.scale))
	if !ok {
		return 0, fmt.Errorf("%w: %s is too large", ErrAmount, a)
	}
	return v, nil
}

// mulPow10 returns v × 10^n and whether it fit in an int64.
func mulPow10(v int64, n int) (int64, bool) {
	for ; n > 0; n-- {
		hi, lo := bits.Mul64(uint64(abs(v)), 10)
		if hi != 0 || lo > math.MaxInt64 {
			return 0, false
		}
		if v < 0 {
			v = -int64(lo)
		} else {
			v = int64(lo)
		}
	}
	return v, true
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// align returns both coefficients at the larger scale.
func align(a, b Amount) (x, y int64, scale uint8, ok bool) {
	scale = max(a.scale, b.scale)
	x, okA := mulPow10(a.coef, int(scale-a.scale))
	y, okB := mulPow10(b.coef, int(scale-b.scale))
	return x, y, scale, okA && okB
}

// Add returns a + b, or ErrAmount if the sum does not fit.
func (a Amount) Add(b Amount) (Amount, error) {
	x, y, scale, ok := align(a, b)
	sum := x + y
	if !ok || (x > 0 && y > 0 && sum < 0) || (x < 0 && y < 0 && sum >= 0) {
		return Amount{}, fmt.Errorf("%w: %s + %s overflows", ErrAmount, a, b)
	}
	return Amount{coef: sum, scale: scale}.normalize(), nil
}

// Sub returns a - b, or ErrAmount if the difference does not fit.
func (a Amount) Sub(b Amount) (Amount, error) { return a.Add(b.Neg()) }

// Cmp returns -1, 0 or +1 as a is less than, equal to or greater than b.
func (a Amount) Cmp(b Amount) int {
	if a.Sign() != b.Sign() || a.scale == b.scale {
		return cmpInt(a.coef, b.coef)
	}
	x, y, _, ok := align(a, b)
	if !ok { // the larger scale overflows int64: compare exactly as fractions
		return a.rat().Cmp(b.rat())
	}
	return cmpInt(x, y)
}

func (a Amount) rat() *big.Rat {
	return new(big.Rat).SetFrac(big.NewInt(a.coef), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(a.scale)), nil))
}

func cmpInt(x, y int64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// String is the plain decimal text with the decimals the amount needs: "10.5", "-3", "0.00000001".
func (a Amount) String() string { return a.StringFixed(int(a.scale)) }

// StringFixed prints at least places decimals, padding with zeros ("10.50" for places 2); it never
// rounds, so an amount with more decimals prints them all.
func (a Amount) StringFixed(places int) string {
	places = max(places, int(a.scale))
	digits := strconv.FormatUint(uint64(abs(a.coef)), 10)
	if a.coef == math.MinInt64 {
		digits = "9223372036854775808"
	}
	digits += strings.Repeat("0", places-int(a.scale))
	if len(digits) <= places {
		digits = strings.Repeat("0", places-len(digits)+1) + digits
	}
	var b strings.Builder
	if a.coef < 0 {
		b.WriteByte('-')
	}
	b.WriteString(digits[:len(digits)-places])
	if places > 0 {
		b.WriteByte('.')
		b.WriteString(digits[len(digits)-places:])
	}
	return b.String()
}

// MarshalJSON writes the amount as a JSON number in plain decimal notation.
func (a Amount) MarshalJSON() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalJSON accepts a JSON number, a numeric string, or null (zero).
func (a *Amount) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*a = Amount{}
		return nil
	}
	if len(b) >= 2 && b[0] == '"' {
		b = bytes.TrimSpace(b[1 : len(b)-1])
	}
	v, err := ParseAmount(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// MarshalText and UnmarshalText let amounts sit in query strings and maps.
func (a Amount) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText parses the decimal text.
func (a *Amount) UnmarshalText(b []byte) error {
	v, err := ParseAmount(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// Shift returns a × 10^n exactly (n may be negative): Shift(2) turns 10.5 into 1050. It fails with
// ErrAmount when the result does not fit.
func (a Amount) Shift(n int) (Amount, error) {
	if n <= 0 {
		scale := int(a.scale) - n
		if scale > MaxAmountScale {
			return Amount{}, fmt.Errorf("%w: %s × 10^%d needs more than %d decimal places", ErrAmount, a, n, MaxAmountScale)
		}
		return Amount{coef: a.coef, scale: uint8(scale)}.normalize(), nil
	}
	drop := min(n, int(a.scale))
	v, ok := mulPow10(a.coef, n-drop)
	if !ok {
		return Amount{}, fmt.Errorf("%w: %s × 10^%d is too large", ErrAmount, a, n)
	}
	return Amount{coef: v, scale: a.scale - uint8(drop)}.normalize(), nil
}

// Cents is an amount counted in a currency's minor units, the form of the transfer API's "amount" and
// "totalCharges" (100000 is 1000.00 AED). It is exact and decodes an integer (100000), a numeric string
// ("100000") and a decimal ("1000.00": the transfer webhook documents its amount "in cents" yet shows a
// decimal point), and encodes as a JSON integer (a decimal only if it ever held a fraction of a cent).
type Cents struct {
	n Amount
}

// NewCents returns n minor units.
func NewCents(n int64) Cents { return Cents{n: Amount{coef: n}.normalize()} }

// ToCents converts a major-unit amount to minor units of a currency with the given exponent
// (ToCents(1000.00, 2) is 100000). It fails with ErrAmount when a has more decimals than the
// exponent allows, never rounding.
func ToCents(a Amount, exponent int) (Cents, error) {
	if _, err := a.MinorUnits(exponent); err != nil {
		return Cents{}, err
	}
	n, err := a.Shift(exponent)
	return Cents{n: n}, err
}

// Major returns the amount in major units of a currency with the given exponent: 100000 cents with
// exponent 2 is 1000.00.
func (c Cents) Major(exponent int) (Amount, error) { return c.n.Shift(-exponent) }

// Int64 returns the count of minor units, and false if it holds a fraction of a minor unit.
func (c Cents) Int64() (int64, bool) {
	if c.n.scale != 0 {
		return 0, false
	}
	return c.n.coef, true
}

// Amount returns the count of minor units as an Amount (fractional only if the server sent one).
func (c Cents) Amount() Amount { return c.n }

// String is the count of minor units in plain decimal text: "100000".
func (c Cents) String() string { return c.n.String() }

// MarshalJSON writes the count as a JSON number.
func (c Cents) MarshalJSON() ([]byte, error) { return c.n.MarshalJSON() }

// UnmarshalJSON accepts a JSON number, a numeric string, or null (zero).
func (c *Cents) UnmarshalJSON(b []byte) error { return c.n.UnmarshalJSON(b) }

// currencyExponents are the ISO 4217 minor-unit exponents that differ from 2.
var currencyExponents = map[string]int{
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0, "RWF": 0,
	"UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
	"CLF": 4, "UYW": 4,
}

// CurrencyExponent returns the number of decimals of an ISO 4217 currency (2 for AED and most
// others, 0 for JPY, 3 for KWD). An empty or unknown code answers 2, the only scale the API
// documents ("cents"). An account's Currency.DecimalPoint is authoritative when at hand.
func CurrencyExponent(code string) int {
	if e, ok := currencyExponents[strings.ToUpper(strings.TrimSpace(code))]; ok {
		return e
	}
	return 2
}
