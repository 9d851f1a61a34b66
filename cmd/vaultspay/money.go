package main

import "github.com/vaultspay-go/vaultspay"

// formatMoney prints an amount the one way the CLI prints money: with its currency's decimals and
// code, "250.00 AED", "1500 JPY", "1.250 KWD". decimals < 0 means the ISO 4217 exponent of code
// (vaultspay.CurrencyExponent); an account's Currency.DecimalPoint, when known, is passed instead.
// Extra decimals the API sent are kept, never rounded.
func formatMoney(a vaultspay.Amount, code string, decimals int) string {
	if decimals < 0 {
		decimals = vaultspay.CurrencyExponent(code)
	}
	s := a.StringFixed(decimals)
	if code == "" {
		return s
	}
	return s + " " + code
}

// money prints a MoneyAmount with formatMoney, or "" for none.
func money(m *vaultspay.MoneyAmount) string {
	if m == nil {
		return ""
	}
	return formatMoney(m.Amount, m.CurrencyCode, -1)
}

// accountMoney prints an amount held in account a: in its currency, with its decimals.
func accountMoney(x vaultspay.Amount, a *vaultspay.Account) string {
	d := -1
	if a.Currency.DecimalPoint > 0 || a.Currency.ID != 0 { // the currency object was sent
		d = a.Currency.DecimalPoint
	}
	return formatMoney(x, a.CurrencyCode, d)
}
