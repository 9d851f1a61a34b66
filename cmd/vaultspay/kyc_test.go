package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
)

func TestCLIKYC(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)
	ctx := context.Background()
	sdk := srv.Client()
	const passportNo, tin = "AB1234567", "0112133232"

	a := openFundedAccount(t, srv)
	dob := vaultspay.NewDate(1990, time.May, 15)
	_, err := sdk.KYC.CreatePersonal(ctx, &vaultspay.CreatePersonalInfoRequest{UserID: a.UserID, PersonalInfoFields: vaultspay.PersonalInfoFields{
		FirstName: "Sara", LastName: "Khan", DOB: &dob, Nationality: "PAK", CountryOfResidence: "ARE", TIN: tin}})
	require.NoError(t, err)
	_, err = sdk.KYC.UploadIdentification(ctx, &vaultspay.IdentificationRequest{UserID: a.UserID, Documents: []vaultspay.IdentityDocument{{
		Type: vaultspay.DocumentTypePassport, Number: passportNo, IssuingCountry: "PAK", FileName: "passport.jpg",
		ContentType: vaultspay.ContentTypeJPEG, Content: []byte("\xff\xd8\xff\xe0 scan")}}})
	require.NoError(t, err)
	require.NoError(t, srv.SetKYCStatus(a.UserID, vaultspay.KYCStatusVerified))

	res := runCLI(t, srv, "kyc", "get", a.UserID.String())
	require.Equal(t, exitOK, res.code, res.stderr)
	f := recordFields(t, res.stdout)
	assert.Equal(t, a.UserID.String(), f["USER"])
	assert.Equal(t, "VERIFIED", f["STATUS"])
	assert.Equal(t, "Sara Khan", f["NAME"])
	assert.Equal(t, "1990-05-15", f["DATE OF BIRTH"])
	assert.Equal(t, "****32", f["TAX ID"])
	assert.Equal(t, "PASSPORT ****67 PAK", f["DOCUMENT"])
	assertNoSecrets(t, res, passportNo, tin)

	res = runCLI(t, srv, "kyc", "get", "--json", a.UserID.String())
	got := decodeJSON[vaultspay.KYC](t, res)
	assertNoSecrets(t, res, passportNo, tin)
	assert.Equal(t, vaultspay.KYCStatusVerified, got.Status)
	require.NotNil(t, got.PersonalInfo)
	assert.Equal(t, "Sara", got.PersonalInfo.FirstName)
	assert.Equal(t, vaultspay.TaxID("****32"), got.PersonalInfo.TIN)
	require.NotNil(t, got.IdentificationInfo)
	require.Len(t, got.IdentificationInfo.Documents, 1)
	assert.Equal(t, "****67", got.IdentificationInfo.Documents[0].Number.Reveal(), "masked in the JSON itself")

	// The masking works on a copy: the SDK's record is untouched.
	k, err := sdk.KYC.Get(ctx, a.UserID)
	require.NoError(t, err)
	masked := maskKYC(k)
	assert.Equal(t, passportNo, k.IdentificationInfo.Documents[0].Number.Reveal())
	assert.Equal(t, vaultspay.TaxID(tin), k.PersonalInfo.TIN)
	assert.NotSame(t, k.PersonalInfo, masked.PersonalInfo)

	res = runCLI(t, srv, "kyc", "get", "424242")
	assert.Equal(t, exitAPI, res.code)
	assert.Contains(t, res.stderr, "userId: User does not exist with this id")
}
