package vaultspay

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAmountRoundTrip decodes every form the wallet and transaction pages use and encodes it back as the
// plain JSON number the SDK sends.
func TestAmountRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"integer balance", `0`, `0`},
		{"credit limit", `1000`, `1000`},
		{"eight decimals (ledger credit)", `10000.00000000`, `10000`},
		{"eight decimals (ledger balance)", `10658503.00000000`, `10658503`},
		{"charges with a fraction", `30.20000000`, `30.2`},
		{"numeric string", `"10.50"`, `10.5`},
		{"exponent", `1.5e2`, `150`},
		{"smallest unit", `0.00000001`, `0.00000001`},
		{"null", `null`, `0`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a Amount
			require.NoError(t, json.Unmarshal([]byte(tt.in), &a))
			b, err := json.Marshal(a)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))
			var back Amount
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, a, back)
		})
	}
}

// TestCentsRoundTrip covers the transfer API's integer cents, as number and string, and the webhook's
// "cents" written as a decimal.
func TestCentsRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
		major          string // Major(2)
	}{
		{"documented integer cents", `100000`, `100000`, "1000"},
		{"numeric string", `"100000"`, `100000`, "1000"},
		{"cents written as a decimal (webhook)", `1000.00`, `1000`, "10"},
		{"zero charges", `0`, `0`, "0"},
		{"null", `null`, `0`, "0"},
		{"odd cents", `12345`, `12345`, "123.45"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Cents
			require.NoError(t, json.Unmarshal([]byte(tt.in), &c))
			b, err := json.Marshal(c)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))
			major, err := c.Major(2)
			require.NoError(t, err)
			assert.Equal(t, tt.major, major.String())
			var back Cents
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, c, back)
		})
	}
	var bad Cents
	require.ErrorIs(t, json.Unmarshal([]byte(`"12,50"`), &bad), ErrAmount)
}

func TestToCents(t *testing.T) {
	t.Parallel()
	tests := []struct {
		amount   string
		exponent int
		want     int64
		wantErr  bool
	}{
		{"1000.00", 2, 100000, false},
		{"10.5", 2, 1050, false},
		{"0.01", 2, 1, false},
		{"10.555", 2, 0, true}, // more decimals than AED allows: never rounded
		{"1500", 0, 1500, false},
		{"1.5", 0, 0, true}, // JPY has no minor unit
		{"1.234", 3, 1234, false},
		{"92233720368547758.1", 2, 0, true}, // overflows int64 cents
	}
	for _, tt := range tests {
		t.Run(tt.amount, func(t *testing.T) {
			c, err := ToCents(MustParseAmount(tt.amount), tt.exponent)
			if tt.wantErr {
				require.ErrorIs(t, err, ErrAmount)
				return
			}
			require.NoError(t, err)
			n, whole := c.Int64()
			assert.True(t, whole)
			assert.Equal(t, tt.want, n)
			back, err := c.Major(tt.exponent)
			require.NoError(t, err)
			assert.Equal(t, 0, back.Cmp(MustParseAmount(tt.amount)))
		})
	}
}

func TestAmountShift(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"10.5", 2, "1050"}, {"1050", -2, "10.5"}, {"0.001", 3, "1"}, {"7", 0, "7"}, {"-1.25", 1, "-12.5"},
	}
	for _, tt := range tests {
		got, err := MustParseAmount(tt.in).Shift(tt.n)
		require.NoError(t, err)
		assert.Equal(t, tt.want, got.String(), "%s shifted %d", tt.in, tt.n)
	}
	_, err := MustParseAmount("9223372036854775807").Shift(1)
	require.ErrorIs(t, err, ErrAmount)
	_, err = MustParseAmount("1").Shift(-19)
	require.ErrorIs(t, err, ErrAmount)
}

func TestCurrencyExponent(t *testing.T) {
	t.Parallel()
	for code, want := range map[string]int{"AED": 2, "aed": 2, "": 2, "JPY": 0, "KWD": 3, "XYZ": 2} {
		assert.Equal(t, want, CurrencyExponent(code), code)
	}
}
