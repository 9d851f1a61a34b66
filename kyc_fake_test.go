package vaultspay_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// Behaviour tests of users and KYC against the fake, through the full encrypted pipeline.

var (
	dob1990    = vaultspay.NewDate(1990, time.May, 15)
	issued2020 = vaultspay.NewDate(2020, time.January, 10)
	expires30  = vaultspay.NewDate(2030, time.January, 9)
)

// passportScan and cnicScan are file contents; the fake keeps their size, never the bytes.
var (
	passportScan = []byte("\xff\xd8\xff\xe0 passport scan of khalid raza")
	cnicScan     = []byte("%PDF-1.7 national id of khalid raza")
)

func passportDoc() vaultspay.IdentityDocument {
	return vaultspay.IdentityDocument{Type: vaultspay.DocumentTypePassport, Number: "AB1234567", IssueDate: &issued2020,
		ExpiryDate: &expires30, IssuingCountry: "PAK", FileName: "passport.jpg", ContentType: vaultspay.ContentTypeJPEG, Content: passportScan}
}

func cnicDoc() vaultspay.IdentityDocument {
	return vaultspay.IdentityDocument{Type: vaultspay.DocumentTypeNationalID, Number: "35202-1234567-1", FileName: "cnic.pdf",
		ContentType: vaultspay.ContentTypePDF, Content: cnicScan}
}

func personalFields() vaultspay.PersonalInfoFields {
	return vaultspay.PersonalInfoFields{FirstName: "Khalid", LastName: "Raza", DOB: &dob1990, Gender: vaultspay.GenderMale,
		MaritalStatus: vaultspay.MaritalStatusSingle, Nationality: "PAK", CountryOfBirth: "PAK", CountryOfResidence: "ARE",
		TIN: "0112133232", Language: vaultspay.LanguageEnglish}
}

// islamabadAddress is the spec's create-address example: ids of Pakistan / Islamabad Capital Territory /
// Islamabad with the names and code of somewhere else, which the API ignores.
func islamabadAddress(userID vaultspay.ID) *vaultspay.CreateAddressRequest {
	return &vaultspay.CreateAddressRequest{UserID: userID, Type: vaultspay.AddressTypeMailing, AddressFields: vaultspay.AddressFields{
		CountryID: 167, CountryCode: "USA", StateID: 3169, StateName: "California", CityID: 85475, CityName: "Los Angeles",
		AddressLine1: "123 Main Street", AddressLine2: "Apt 4C", PostalCode: "90091", Longitude: "-118.2437", Latitude: "34.0522"}}
}

// createUser creates a user with email (and no phone).
func createUser(t *testing.T, c *vaultspay.Client, email string) *vaultspay.User {
	t.Helper()
	u, err := c.Users.Create(context.Background(), &vaultspay.CreateUserRequest{FirstName: "Khalid", LastName: "Raza",
		Email: email, Status: vaultspay.UserStatusActive})
	require.NoError(t, err)
	return u
}

// requireAPIError checks err is an *APIError with code and HTTP status, and returns it.
func requireAPIError(t *testing.T, err error, status int, code vaultspay.ErrorCode) *vaultspay.APIError {
	t.Helper()
	var apiErr *vaultspay.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, code, apiErr.Code, "code; %v", apiErr)
	assert.Equal(t, status, apiErr.StatusCode, "HTTP status")
	assert.NotErrorIs(t, err, vaultspay.ErrOutcomeUnknown, "an answer with a code is a decided outcome")
	return apiErr
}

// requireFields checks err is the fake's 422 1000 naming exactly keys.
func requireFields(t *testing.T, err error, keys ...string) *vaultspay.APIError {
	t.Helper()
	apiErr := requireAPIError(t, err, http.StatusUnprocessableEntity, vaultspay.CodeInvalidPayload)
	assert.ErrorIs(t, err, vaultspay.ErrInvalidPayload)
	got := make([]string, len(apiErr.Errors))
	for i, f := range apiErr.Errors {
		got[i] = f.Key
	}
	assert.ElementsMatch(t, keys, got)
	return apiErr
}

// setStatusRoute drives the KYC decision through the plain-JSON control route, as a test in any language
// would.
func setStatusRoute(t *testing.T, srv *vaultspaytest.Server, userID vaultspay.ID, status string) (int, []byte) {
	t.Helper()
	res, err := http.Post(fmt.Sprintf("%s/_fake/kyc/%d/status", srv.URL, userID), "application/json",
		bytes.NewReader([]byte(`{"status":"`+status+`"}`)))
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res.StatusCode, raw
}

func TestFakeKYCOnboarding(t *testing.T) {
	srv := newFake(t)
	require.True(t, srv.Encryption(), "the full encrypted pipeline")
	c := srv.Client()
	ctx := context.Background()

	// 1. The user.
	user, err := c.Users.Create(ctx, &vaultspay.CreateUserRequest{FirstName: "khalid", LastName: "raza",
		Email: "khalidraza@gmail.com", CountryCode: "92", Phone: "3329465636", Status: vaultspay.UserStatusActive})
	require.NoError(t, err)
	assert.Positive(t, int64(user.ID))
	assert.Equal(t, vaultspay.ID(4), user.ParentID)
	require.NotNil(t, user.Parent)
	assert.Equal(t, vaultspay.UserTypeAgent, user.Parent.UserType)
	assert.Equal(t, vaultspay.UserTypeUser, user.UserType)
	assert.NotEmpty(t, user.Username)
	assert.Equal(t, "khalid raza", user.FullName)
	assert.Equal(t, "923329465636", user.PhoneNumber)
	assert.Equal(t, 1, srv.State().Users)

	// 2. Location ids: country → state → city.
	countries, err := c.Users.ListCountries(ctx)
	require.NoError(t, err)
	var pakistan *vaultspay.Country
	for i := range countries {
		if countries[i].ISO3 == "PAK" {
			pakistan = &countries[i]
		}
	}
	require.NotNil(t, pakistan, "Pakistan is in the table")
	assert.Equal(t, vaultspay.ID(167), pakistan.ID, "the id of the vendor's examples")
	assert.Equal(t, "PK", pakistan.ISO2)

	states, err := c.Users.ListStates(ctx, pakistan.ID)
	require.NoError(t, err)
	var capital *vaultspay.State
	for i := range states {
		assert.Equal(t, pakistan.ID, states[i].CountryID)
		if states[i].Name == "Islamabad Capital Territory" {
			capital = &states[i]
		}
	}
	require.NotNil(t, capital)

	cities, err := c.Users.ListCities(ctx, capital.ID)
	require.NoError(t, err)
	require.NotEmpty(t, cities)
	city := cities[0]
	assert.Equal(t, "Islamabad", city.Name)
	require.NotNil(t, city.State)
	assert.Equal(t, capital.ID, city.State.ID)
	require.NotNil(t, city.Country)
	assert.Equal(t, pakistan.ID, city.Country.ID)

	// 3. Personal info.
	personal, err := c.KYC.CreatePersonal(ctx, &vaultspay.CreatePersonalInfoRequest{UserID: user.ID, PersonalInfoFields: personalFields()})
	require.NoError(t, err)
	assert.Equal(t, user.ID, personal.UserID)
	assert.Equal(t, vaultspay.KYCStatusPending, personal.Status)
	require.NotNil(t, personal.DOB)
	assert.Equal(t, dob1990, *personal.DOB)

	// 4. An address: names and code come from the ids, not from the strings sent (spec §3.7).
	req := islamabadAddress(user.ID)
	req.CountryID, req.StateID, req.CityID = pakistan.ID, capital.ID, city.ID
	addr, err := c.KYC.CreateAddress(ctx, req)
	require.NoError(t, err)
	assert.Positive(t, int64(addr.ID))
	assert.Equal(t, user.ID, addr.UserID)
	assert.Equal(t, vaultspay.NamedRef{ID: 167, Name: "Pakistan"}, addr.Country)
	assert.Equal(t, "PAK", addr.CountryCode)
	assert.Equal(t, vaultspay.NamedRef{ID: 3169, Name: "Islamabad Capital Territory"}, addr.State)
	assert.Equal(t, "Islamabad Capital Territory", addr.StateName)
	assert.Equal(t, vaultspay.NamedRef{ID: 85475, Name: "Islamabad"}, addr.City)
	assert.Equal(t, "Islamabad", addr.CityName)
	assert.Equal(t, "123 Main Street", addr.AddressLine1)
	assert.Equal(t, vaultspay.DecimalText("34.0522"), addr.Latitude)
	assert.True(t, addr.Status)

	// 5. Identification documents.
	ident, err := c.KYC.UploadIdentification(ctx, &vaultspay.IdentificationRequest{UserID: user.ID,
		Documents: []vaultspay.IdentityDocument{passportDoc(), cnicDoc()}})
	require.NoError(t, err)
	require.Len(t, ident.Documents, 2)
	assert.Equal(t, vaultspay.DocumentTypePassport, ident.Documents[0].Type)
	assert.Equal(t, "AB1234567", ident.Documents[0].Number.Reveal())
	assert.Equal(t, int64(len(passportScan)), ident.Documents[0].Size)
	assert.Equal(t, expires30, *ident.Documents[0].ExpiryDate)
	assert.NotNil(t, ident.Documents[0].UploadedAt)
	assert.Equal(t, int64(len(cnicScan)), ident.Documents[1].Size)
	assert.NotContains(t, string(ident.RawJSON()), base64.StdEncoding.EncodeToString(passportScan), "content is not echoed")

	// 6. Get: PENDING with every part.
	kyc, err := c.KYC.Get(ctx, user.ID)
	require.NoError(t, err)
	assert.Equal(t, vaultspay.KYCStatusPending, kyc.Status)
	assert.Equal(t, user.ID, kyc.UserID)
	assert.Equal(t, vaultspay.UserTypeUser, kyc.UserType)
	assert.Equal(t, "khalidraza@gmail.com", kyc.Email)
	assert.Equal(t, "3329465636", kyc.Phone)
	assert.Equal(t, "92", kyc.CountryCode)
	require.NotNil(t, kyc.PersonalInfo)
	assert.Equal(t, "Khalid", kyc.PersonalInfo.FirstName)
	require.NotNil(t, kyc.IdentificationInfo)
	assert.Len(t, kyc.IdentificationInfo.Documents, 2)
	require.Len(t, kyc.Addresses, 1)
	assert.Equal(t, withoutRaw(*addr), withoutRaw(kyc.Addresses[0]))

	// 7. Corrections while PENDING: personal info (partial), the address, a document.
	personal, err = c.KYC.UpdatePersonal(ctx, &vaultspay.UpdatePersonalInfoRequest{UserID: user.ID,
		PersonalInfoFields: vaultspay.PersonalInfoFields{NickName: "KR", MaritalStatus: vaultspay.MaritalStatusMarried}})
	require.NoError(t, err)
	assert.Equal(t, "KR", personal.NickName)
	assert.Equal(t, vaultspay.MaritalStatusMarried, personal.MaritalStatus)
	assert.Equal(t, "Khalid", personal.FirstName, "fields not sent are unchanged")

	// The spec's update-address example: ids 1 / 3871 / 72 with other names; the answer follows the ids.
	addr, err = c.KYC.UpdateAddress(ctx, &vaultspay.UpdateAddressRequest{UserID: user.ID, Type: vaultspay.AddressTypeMailing,
		Status: vaultspay.Ptr(false), AddressFields: vaultspay.AddressFields{CountryID: 1, CountryCode: "IND", StateID: 3871,
			StateName: "California", CityID: 72, CityName: "Los Angeles", PostalCode: "6019"}})
	require.NoError(t, err)
	assert.Equal(t, vaultspay.NamedRef{ID: 1, Name: "Afghanistan"}, addr.Country)
	assert.Equal(t, "AFG", addr.CountryCode)
	assert.Equal(t, "Badghis", addr.StateName)
	assert.Equal(t, "Ghormach", addr.CityName)
	assert.Equal(t, "6019", addr.PostalCode)
	assert.Equal(t, "123 Main Street", addr.AddressLine1, "fields not sent are unchanged")
	assert.False(t, addr.Status)

	renewed := passportDoc()
	renewed.FileName = "passport-renewed.jpg"
	ident, err = c.KYC.UpdateIdentification(ctx, &vaultspay.IdentificationRequest{UserID: user.ID,
		Documents: []vaultspay.IdentityDocument{renewed}})
	require.NoError(t, err)
	require.Len(t, ident.Documents, 2, "the passport is replaced, the national id kept")
	assert.Equal(t, "passport-renewed.jpg", ident.Documents[0].FileName)

	// 8. The back office approves: VERIFIED, and personal info is frozen.
	require.NoError(t, srv.SetKYCStatus(user.ID, vaultspay.KYCStatusVerified))
	kyc, err = c.KYC.Get(ctx, user.ID)
	require.NoError(t, err)
	assert.Equal(t, vaultspay.KYCStatusVerified, kyc.Status)
	assert.Equal(t, vaultspay.KYCStatusVerified, kyc.PersonalInfo.Status)

	_, err = c.KYC.UpdatePersonal(ctx, &vaultspay.UpdatePersonalInfoRequest{UserID: user.ID,
		PersonalInfoFields: vaultspay.PersonalInfoFields{NickName: "late"}})
	apiErr := requireAPIError(t, err, http.StatusBadRequest, vaultspay.CodeBadRequest)
	assert.ErrorIs(t, err, vaultspay.ErrBadRequest)
	assert.Contains(t, apiErr.Message, "PENDING")
	kyc, err = c.KYC.Get(ctx, user.ID)
	require.NoError(t, err)
	assert.Equal(t, "KR", kyc.PersonalInfo.NickName, "the refused update changed nothing")

	// 9. The same decision through the plain-JSON control route.
	status, raw := setStatusRoute(t, srv, user.ID, "REJECTED")
	require.Equal(t, http.StatusOK, status, "body %s", raw)
	assert.JSONEq(t, fmt.Sprintf(`{"data":{"userId":%d,"status":"REJECTED"}}`, user.ID), string(raw))
	kyc, err = c.KYC.Get(ctx, user.ID)
	require.NoError(t, err)
	assert.Equal(t, vaultspay.KYCStatusRejected, kyc.Status)
	_, err = c.KYC.UpdatePersonal(ctx, &vaultspay.UpdatePersonalInfoRequest{UserID: user.ID,
		PersonalInfoFields: vaultspay.PersonalInfoFields{NickName: "late"}})
	requireAPIError(t, err, http.StatusBadRequest, vaultspay.CodeBadRequest)

	// Every endpoint of the area went through the encrypted pipeline.
	for _, ep := range []struct{ method, path string }{
		{http.MethodPost, "/as/api/v1/users"},
		{http.MethodGet, "/us/api/v1/countries"},
		{http.MethodGet, "/us/api/v1/states/167"},
		{http.MethodGet, "/us/api/v1/cities/3169"},
		{http.MethodPost, "/us/api/v1/kyc/personal"},
		{http.MethodPatch, "/us/api/v1/kyc/personal"},
		{http.MethodPost, "/us/api/v1/kyc/addresses"},
		{http.MethodPatch, "/us/api/v1/kyc/addresses"},
		{http.MethodPost, "/us/api/v1/kyc/identification"},
		{http.MethodPatch, "/us/api/v1/kyc/identification"},
		{http.MethodGet, fmt.Sprintf("/us/api/v1/kyc/%d", user.ID)},
	} {
		assert.Positive(t, srv.CountRequests(ep.method, ep.path), "%s %s", ep.method, ep.path)
	}
}

// withoutRaw drops the RawJSON an Address was decoded with, to compare the fields only.
func withoutRaw(a vaultspay.Address) vaultspay.Address {
	var out vaultspay.Address
	b, _ := json.Marshal(a)
	_ = json.Unmarshal(b, &out)
	return out
}

func TestFakeKYCUnknownUser(t *testing.T) {
	srv := newFake(t)
	c := srv.Client()
	const nobody = vaultspay.ID(999999)
	docs := []vaultspay.IdentityDocument{passportDoc()}
	tests := []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"CreatePersonal", func(ctx context.Context) error {
			_, err := c.KYC.CreatePersonal(ctx, &vaultspay.CreatePersonalInfoRequest{UserID: nobody, PersonalInfoFields: personalFields()})
			return err
		}},
		{"UpdatePersonal", func(ctx context.Context) error {
			_, err := c.KYC.UpdatePersonal(ctx, &vaultspay.UpdatePersonalInfoRequest{UserID: nobody,
				PersonalInfoFields: vaultspay.PersonalInfoFields{NickName: "x"}})
			return err
		}},
		{"CreateAddress", func(ctx context.Context) error {
			_, err := c.KYC.CreateAddress(ctx, islamabadAddress(nobody))
			return err
		}},
		{"UpdateAddress", func(ctx context.Context) error {
			_, err := c.KYC.UpdateAddress(ctx, &vaultspay.UpdateAddressRequest{UserID: nobody, Type: vaultspay.AddressTypeMailing})
			return err
		}},
		{"UploadIdentification", func(ctx context.Context) error {
			_, err := c.KYC.UploadIdentification(ctx, &vaultspay.IdentificationRequest{UserID: nobody, Documents: docs})
			return err
		}},
		{"UpdateIdentification", func(ctx context.Context) error {
			_, err := c.KYC.UpdateIdentification(ctx, &vaultspay.IdentificationRequest{UserID: nobody, Documents: docs})
			return err
		}},
		{"Get", func(ctx context.Context) error { _, err := c.KYC.Get(ctx, nobody); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call(context.Background())
			apiErr := requireFields(t, err, "userId")
			reason, _ := apiErr.Field("userId")
			assert.Equal(t, "User does not exist with this id", reason)
		})
	}
	assert.Equal(t, 0, srv.State().Users, "nothing created")
}

func TestFakeKYCAddressPlaces(t *testing.T) {
	srv := newFake(t)
	c := srv.Client()
	ctx := context.Background()
	user := createUser(t, c, "places@example.com")

	tests := []struct {
		name                 string
		country, state, city vaultspay.ID
		key                  string
		reason               string
	}{
		{"unknown country", 9999, 3169, 85475, "countryId", "Country"},
		{"unknown state", 167, 9999, 85475, "stateId", "State"},
		{"unknown city", 167, 3169, 9999, "cityId", "City"},
		{"state of another country", 1, 3169, 85475, "stateId", "country"},
		{"city of another state", 167, 3169, 72, "cityId", "state"},
	}
	for _, tt := range tests {
		t.Run("create: "+tt.name, func(t *testing.T) {
			req := islamabadAddress(user.ID)
			req.CountryID, req.StateID, req.CityID = tt.country, tt.state, tt.city
			_, err := c.KYC.CreateAddress(ctx, req)
			apiErr := requireFields(t, err, tt.key)
			reason, _ := apiErr.Field(tt.key)
			assert.Contains(t, reason, tt.reason)
		})
	}
	kyc, err := c.KYC.Get(ctx, user.ID)
	require.NoError(t, err)
	assert.Empty(t, kyc.Addresses, "no refused address was stored")

	addr, err := c.KYC.CreateAddress(ctx, islamabadAddress(user.ID))
	require.NoError(t, err)
	for _, tt := range tests {
		t.Run("update: "+tt.name, func(t *testing.T) {
			_, err := c.KYC.UpdateAddress(ctx, &vaultspay.UpdateAddressRequest{UserID: user.ID, Type: vaultspay.AddressTypeMailing,
				AddressFields: vaultspay.AddressFields{CountryID: tt.country, StateID: tt.state, CityID: tt.city, PostalCode: "00000"}})
			requireFields(t, err, tt.key)
		})
	}
	kyc, err = c.KYC.Get(ctx, user.ID)
	require.NoError(t, err)
	require.Len(t, kyc.Addresses, 1)
	assert.Equal(t, withoutRaw(*addr), withoutRaw(kyc.Addresses[0]), "no refused update was applied")
}

func TestFakeKYCBadInput(t *testing.T) {
	srv := newFake(t)
	c := srv.Client()
	ctx := context.Background()
	user := createUser(t, c, "khalid@example.com")
	_, err := c.KYC.CreatePersonal(ctx, &vaultspay.CreatePersonalInfoRequest{UserID: user.ID, PersonalInfoFields: personalFields()})
	require.NoError(t, err)
	addr, err := c.KYC.CreateAddress(ctx, islamabadAddress(user.ID))
	require.NoError(t, err)
	_, err = c.KYC.UploadIdentification(ctx, &vaultspay.IdentificationRequest{UserID: user.ID,
		Documents: []vaultspay.IdentityDocument{passportDoc()}})
	require.NoError(t, err)
	before, err := c.KYC.Get(ctx, user.ID)
	require.NoError(t, err)

	t.Run("bad date strings name the field", func(t *testing.T) {
		// Client.Do bypasses the SDK's checks, as a caller of another language would.
		tests := []struct {
			name, method, path string
			body               map[string]any
			key                string
		}{
			{"create personal dob", http.MethodPost, "/us/api/v1/kyc/personal",
				map[string]any{"userId": user.ID, "firstName": "A", "lastName": "B", "dob": "15/05/1990"}, "dob"},
			{"update personal dob", http.MethodPatch, "/us/api/v1/kyc/personal",
				map[string]any{"userId": user.ID, "dob": "1990-13-01"}, "dob"},
			{"update personal dob timestamp", http.MethodPatch, "/us/api/v1/kyc/personal",
				map[string]any{"userId": user.ID, "dob": "1990-05-15T00:00:00.000+00:00"}, "dob"},
			{"identification issueDate", http.MethodPatch, "/us/api/v1/kyc/identification",
				map[string]any{"userId": user.ID, "documents": []map[string]any{{"documentType": "PASSPORT", "documentNumber": "AB1",
					"fileName": "p.jpg", "contentType": "image/jpeg", "content": "AAEC", "issueDate": "2020-02-30"}}},
				"documents[0].issueDate"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := c.Do(ctx, tt.method, tt.path, tt.body, nil)
				requireFields(t, err, tt.key)
			})
		}
	})

	t.Run("create user: bad fields through Do, nothing stored", func(t *testing.T) {
		n := srv.State().Users
		err := c.Do(ctx, http.MethodPost, "/as/api/v1/users", map[string]any{"firstName": "", "lastName": "Raza",
			"email": "not-an-email", "status": "GONE"}, nil)
		requireFields(t, err, "firstName", "status", "email")
		assert.Equal(t, n, srv.State().Users)
	})

	t.Run("duplicate user", func(t *testing.T) {
		n := srv.State().Users
		_, err := c.Users.Create(ctx, &vaultspay.CreateUserRequest{FirstName: "Other", LastName: "Person",
			Email: "KHALID@example.com", Status: vaultspay.UserStatusPending})
		requireAPIError(t, err, http.StatusInternalServerError, vaultspay.CodeBadRequest)
		assert.ErrorIs(t, err, vaultspay.ErrBadRequest)

		_, err = c.Users.Create(ctx, &vaultspay.CreateUserRequest{FirstName: "A", LastName: "B", CountryCode: "92",
			Phone: "3001234567", Status: vaultspay.UserStatusActive})
		require.NoError(t, err)
		_, err = c.Users.Create(ctx, &vaultspay.CreateUserRequest{FirstName: "C", LastName: "D", CountryCode: "92",
			Phone: "3001234567", Status: vaultspay.UserStatusActive})
		requireAPIError(t, err, http.StatusInternalServerError, vaultspay.CodeBadRequest)
		assert.Equal(t, n+1, srv.State().Users, "only the first phone user was stored")
	})

	t.Run("second personal info", func(t *testing.T) {
		f := personalFields()
		f.FirstName = "Second"
		_, err := c.KYC.CreatePersonal(ctx, &vaultspay.CreatePersonalInfoRequest{UserID: user.ID, PersonalInfoFields: f})
		requireAPIError(t, err, http.StatusInternalServerError, vaultspay.CodeBadRequest)
	})

	t.Run("duplicate address type", func(t *testing.T) {
		again := islamabadAddress(user.ID)
		again.AddressLine1 = "Somewhere else"
		_, err := c.KYC.CreateAddress(ctx, again)
		requireAPIError(t, err, http.StatusInternalServerError, vaultspay.CodeBadRequest)
	})

	t.Run("second upload", func(t *testing.T) {
		_, err := c.KYC.UploadIdentification(ctx, &vaultspay.IdentificationRequest{UserID: user.ID,
			Documents: []vaultspay.IdentityDocument{cnicDoc()}})
		requireAPIError(t, err, http.StatusInternalServerError, vaultspay.CodeBadRequest)
	})

	t.Run("update of an address type the user lacks", func(t *testing.T) {
		_, err := c.KYC.UpdateAddress(ctx, &vaultspay.UpdateAddressRequest{UserID: user.ID, Type: vaultspay.AddressTypeResidential,
			AddressFields: vaultspay.AddressFields{PostalCode: "12345"}})
		requireFields(t, err, "type")
	})

	t.Run("states with a bad countryId", func(t *testing.T) {
		for _, id := range []string{"0", "abc", "-1"} {
			err := c.Do(ctx, http.MethodGet, "/us/api/v1/states/"+id, nil, nil)
			apiErr := requireAPIError(t, err, http.StatusBadRequest, vaultspay.CodeInvalidCountryID)
			assert.Equal(t, "Invalid or missing countryId parameter.", apiErr.Message, id)
			assert.Equal(t, vaultspay.TypeBadRequest, apiErr.Type)
			assert.ErrorIs(t, err, vaultspay.ErrBadRequest)
		}
	})

	// None of the refused requests stored anything.
	after, err := c.KYC.Get(ctx, user.ID)
	require.NoError(t, err)
	assert.Equal(t, before.PersonalInfo.FirstName, after.PersonalInfo.FirstName)
	assert.Equal(t, before.PersonalInfo.DOB, after.PersonalInfo.DOB)
	require.Len(t, after.Addresses, 1)
	assert.Equal(t, withoutRaw(*addr), withoutRaw(after.Addresses[0]))
	assert.Equal(t, before.IdentificationInfo.Documents, after.IdentificationInfo.Documents)
	assert.Equal(t, vaultspay.KYCStatusPending, after.Status)
}

// TestFakeKYCStatusRoute: the control route refuses an unknown user and an unknown status.
func TestFakeKYCStatusRoute(t *testing.T) {
	srv := newFake(t)
	user := createUser(t, srv.Client(), "route@example.com")

	status, raw := setStatusRoute(t, srv, 999999, "VERIFIED")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.JSONEq(t, `{"code":1010,"message":"Invalid request.","type":"BAD_REQUEST"}`, string(raw))

	status, raw = setStatusRoute(t, srv, user.ID, "APPROVED")
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	var e struct {
		Code   int                    `json:"code"`
		Errors []vaultspay.FieldError `json:"errors"`
	}
	require.NoError(t, json.Unmarshal(raw, &e))
	assert.Equal(t, 1000, e.Code)
	require.Len(t, e.Errors, 1)
	assert.Equal(t, "status", e.Errors[0].Key)

	kyc, err := srv.Client().KYC.Get(context.Background(), user.ID)
	require.NoError(t, err)
	assert.Equal(t, vaultspay.KYCStatusPending, kyc.Status, "unchanged")
	require.Error(t, srv.SetKYCStatus(999999, vaultspay.KYCStatusVerified))
	require.Error(t, srv.SetKYCStatus(user.ID, "APPROVED"))
}
