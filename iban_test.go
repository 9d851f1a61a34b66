package vaultspay

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckIBAN(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, iban, wantErr string
	}{
		{"vendor example, INVESTBANK", "AE580300000002000007377", ""},
		{"vendor example, Zand", "AE680961000648060000040", ""},
		{"vendor example, transactions", "AE360961000648060000907", ""},
		{"spaces and lower case", "ae07 0331 2345 6789 0123 456", ""},
		{"another country", "GB82 WEST 1234 5698 7654 32", ""},
		{"vendor placeholder fails the checksum", "AE000000000000000000000", "checksum"},
		{"one digit changed", "AE580300000002000007378", "checksum"},
		{"too short for AE", "AE58030000000200000737", "23 characters"},
		{"country without IBANs", "US12345678901234567890", "does not use IBANs"},
		{"letters as check digits", "AEXX0300000002000007377", "check digits"},
		{"punctuation", "AE58-0300000002000007377", "characters"},
		{"empty", "", "too short"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckIBAN(tt.iban)
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
	assert.Equal(t, "AE070331234567890123456", NormalizeIBAN(" ae07 0331 2345\t6789 0123 456 "))
}
