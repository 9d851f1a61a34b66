package vaultspaytest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// validIBANs pass ISO 13616 and are in no table of the fake.
const (
	ibanAEOther = "AE420260001015333439101" // Emirates NBD's bank code 026
	ibanAETest  = "AE830990000000000000001" // an unlisted UAE bank code 099
	ibanGB      = "GB82WEST12345698765432"
)

// TestIBANDirectoryResolvesAnyValidIBAN is cause 4: any ISO 13616 IBAN resolves, deterministically,
// with the bank code from the BBAN; a bad checksum is 500 1010 "Invalid IBAN".
func TestIBANDirectoryResolvesAnyValidIBAN(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	tok := login(t, srv)
	validate := func(iban string) *answer {
		return apiJSON(t, srv, tok, http.MethodPost, "/be/api/v1/validate-iban", map[string]any{"iban": iban, "accountTitle": nil})
	}
	tests := []struct {
		iban, code, bank, swift string
	}{
		{ibanAEOther, "026", "Emirates NBD Bank PJSC", "EBILAEADXXX"},
		{ibanAETest, "099", "TEST BANK AE 099", "TESTAE2LXXX"},
		{ibanGB, "WEST", "TEST BANK GB WEST", "TESTGB2LXXX"},
		{TestIBANInvestBank, "030", "INVESTBANK", "IBTFAEASXXX"},
	}
	for _, tt := range tests {
		var v struct {
			Valid   bool
			Details struct{ BankCode, AccountTitle, IBAN, SwiftCode, BankName string }
		}
		decodeData(t, validate(tt.iban), &v)
		assert.True(t, v.Valid)
		assert.Equal(t, tt.code, v.Details.BankCode, tt.iban)
		assert.Equal(t, tt.bank, v.Details.BankName, tt.iban)
		assert.Equal(t, tt.swift, v.Details.SwiftCode, tt.iban)
		assert.Equal(t, tt.iban, v.Details.IBAN)
		assert.NotEmpty(t, v.Details.AccountTitle)
		var again struct{ Details struct{ AccountTitle string } }
		decodeData(t, validate(tt.iban), &again)
		assert.Equal(t, v.Details.AccountTitle, again.Details.AccountTitle, "deterministic")
	}
	a := validate("AE430260001015333439101") // check digits off by one
	assert.Equal(t, http.StatusInternalServerError, a.Status)
	assert.JSONEq(t, `{"code":1010,"message":"Invalid IBAN","type":"BAD_REQUEST"}`, string(a.Plain))
}

// TestControlIBANs: POST /_fake/ibans is RegisterIBAN: an IBAN can be made unknown, titleless or
// given bank data; a registration that fails ISO 13616 is 422 on iban; Reset keeps only the test IBANs.
func TestControlIBANs(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	tok := login(t, srv)
	validate := func(iban string, title any) *answer {
		return apiJSON(t, srv, tok, http.MethodPost, "/be/api/v1/validate-iban", map[string]any{"iban": iban, "accountTitle": title})
	}

	status, raw := control(t, srv, http.MethodPost, "/_fake/ibans", `{"iban": "`+ibanAEOther+`", "known": false}`)
	require.Equal(t, http.StatusOK, status, "body %s", raw)
	assert.JSONEq(t, `{"data":{"iban":"`+ibanAEOther+`","known":false,"accountTitle":null,"bankName":"","swiftCode":"","bankCode":""}}`, string(raw))
	a := validate(ibanAEOther, nil)
	assert.Equal(t, http.StatusInternalServerError, a.Status)
	assert.JSONEq(t, `{"code":1010,"message":"Invalid IBAN","type":"BAD_REQUEST"}`, string(a.Plain))

	status, raw = control(t, srv, http.MethodPost, "/_fake/ibans", `{"iban": "`+ibanGB+`", "accountTitle": null}`)
	require.Equal(t, http.StatusOK, status, "body %s", raw)
	a = validate(ibanGB, nil)
	assert.Equal(t, []string{"accountTitle"}, requireAPIError(t, http.StatusUnprocessableEntity, 1000, a.Status, a.Plain).keys())
	var v struct{ Details struct{ AccountTitle string } }
	decodeData(t, validate(ibanGB, "JOHN SMITH"), &v)
	assert.Equal(t, "JOHN SMITH", v.Details.AccountTitle)

	status, raw = control(t, srv, http.MethodPost, "/_fake/ibans",
		`{"iban": "ae83 0990 0000 0000 0000 001", "accountTitle": "A TITLE", "bankName": "MY BANK", "swiftCode": "MYBKAEADXXX"}`)
	require.Equal(t, http.StatusOK, status, "body %s", raw)
	assert.JSONEq(t, `{"data":{"iban":"`+ibanAETest+`","known":true,"accountTitle":"A TITLE","bankName":"MY BANK","swiftCode":"MYBKAEADXXX","bankCode":"099"}}`, string(raw))
	var d struct {
		Details struct{ AccountTitle, BankName, SwiftCode, BankCode string }
	}
	decodeData(t, validate(ibanAETest, nil), &d)
	assert.Equal(t, "A TITLE", d.Details.AccountTitle)
	assert.Equal(t, "MY BANK", d.Details.BankName)
	assert.Equal(t, "MYBKAEADXXX", d.Details.SwiftCode)
	assert.Equal(t, "099", d.Details.BankCode)

	for _, bad := range []string{`{"iban": "AE430260001015333439101"}`, `{"known": false}`, `{"iban": "` + ibanGB + `", "known": false, "bankName": "X"}`} {
		status, raw = control(t, srv, http.MethodPost, "/_fake/ibans", bad)
		assert.Equal(t, []string{"iban"}, requireAPIError(t, http.StatusUnprocessableEntity, 1000, status, raw).keys(), bad)
	}

	srv.Reset()
	tok = login(t, srv)
	assert.Equal(t, http.StatusOK, validate(ibanAEOther, nil).Status, "Reset forgets registrations")
	a = validate(TestIBANNoTitle, nil)
	assert.Equal(t, []string{"accountTitle"}, requireAPIError(t, http.StatusUnprocessableEntity, 1000, a.Status, a.Plain).keys(),
		"the test IBANs stay")
}
