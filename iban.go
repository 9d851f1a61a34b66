package vaultspay

import (
	"fmt"
	"strings"
)

// ibanLengths is the IBAN length of every country in the SWIFT IBAN registry (ISO 13616).
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
	"BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
	"EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
	"GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
	"IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
	"LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28,
	"NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
	"RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25,
	"SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

// NormalizeIBAN returns iban in the electronic form the SDK sends: spaces removed, upper case.
func NormalizeIBAN(iban string) string {
	return strings.ToUpper(strings.Join(strings.Fields(iban), ""))
}

// CheckIBAN reports why iban (in any spacing or case) is not a valid IBAN, or nil: the country must
// use IBANs, the length must be that country's, the characters letters and digits, and the ISO 13616
// mod-97 checksum must be 1. It does not prove the account exists; Transfers.ValidateIBAN asks the API.
func CheckIBAN(iban string) error {
	s := NormalizeIBAN(iban)
	if len(s) < 4 {
		return fmt.Errorf("vaultspay: IBAN is too short")
	}
	want, ok := ibanLengths[s[:2]]
	switch {
	case !ok:
		return fmt.Errorf("vaultspay: IBAN country %q does not use IBANs", s[:2])
	case len(s) != want:
		return fmt.Errorf("vaultspay: an IBAN of %s has %d characters, not %d", s[:2], want, len(s))
	case s[2] < '0' || s[2] > '9' || s[3] < '0' || s[3] > '9':
		return fmt.Errorf("vaultspay: IBAN check digits must be digits")
	}
	if ibanMod97(s) != 1 {
		return fmt.Errorf("vaultspay: IBAN checksum (mod 97) is wrong")
	}
	return nil
}

// ibanMod97 moves the first four characters to the end, turns letters into 10..35 and returns the
// number modulo 97, or -1 for a character that is not a letter or digit.
func ibanMod97(s string) int {
	r := 0
	for _, c := range s[4:] + s[:4] {
		switch {
		case c >= '0' && c <= '9':
			r = (r*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			r = (r*100 + int(c-'A') + 10) % 97
		default:
			return -1
		}
	}
	return r
}

// checkIBAN adds a field error for an invalid IBAN under key.
func (v *fieldErrors) checkIBAN(key, iban string) {
	if strings.TrimSpace(iban) == "" {
		v.require(key, false)
		return
	}
	if err := CheckIBAN(iban); err != nil {
		v.add(key, strings.TrimPrefix(err.Error(), "vaultspay: "))
	}
}
