package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vaultspay-go/vaultspay"
)

func TestFormatMoney(t *testing.T) {
	t.Parallel()
	m := vaultspay.MustParseAmount
	tests := []struct {
		amount   vaultspay.Amount
		code     string
		decimals int
		want     string
	}{
		{m("250"), "AED", -1, "250.00 AED"},
		{m("0.5"), "AED", -1, "0.50 AED"},
		{m("1500"), "JPY", -1, "1500 JPY"},
		{m("1.25"), "KWD", -1, "1.250 KWD"},
		{m("1.005"), "AED", -1, "1.005 AED"}, // an extra decimal the API sent is kept, never rounded
		{m("-12.3"), "USD", -1, "-12.30 USD"},
		{m("7"), "", -1, "7.00"},
		{m("7"), "XYZ", 3, "7.000 XYZ"}, // the account's own DecimalPoint wins
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, formatMoney(tt.amount, tt.code, tt.decimals), "%s %s", tt.amount, tt.code)
	}
	assert.Equal(t, "", money(nil))
	assert.Equal(t, "3.10 AED", money(&vaultspay.MoneyAmount{Amount: m("3.1"), CurrencyCode: "AED"}))
	acct := &vaultspay.Account{CurrencyCode: "KWD", Currency: vaultspay.Currency{ID: 9, Code: "KWD", DecimalPoint: 3}}
	assert.Equal(t, "2.000 KWD", accountMoney(m("2"), acct))
	assert.Equal(t, "2.00 AED", accountMoney(m("2"), &vaultspay.Account{CurrencyCode: "AED"}), "no currency object: ISO 4217")
}
