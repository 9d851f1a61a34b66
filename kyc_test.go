package vaultspay

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dob15May1990 is the date of birth of the spec's personal-info examples.
var dob15May1990 = NewDate(1990, time.May, 15)

// wrapData wraps a bare JSON object in {"data": …}.
func wrapData(body string) string { return `{"data":` + body + `}` }

// createAddressReply completes the truncated create-address example with the fields of its table.
const createAddressReply = `{"data":{"id":11,"userId":604,"type":"MAILING","country":{"id":167,"name":"Pakistan"},
"countryCode":"PAK","state":{"id":3169,"name":"Islamabad Capital Territory"},"stateName":"Islamabad Capital Territory",
"city":{"id":85475,"name":"Islamabad"},"cityName":"Islamabad","addressLine1":"123 Main Street","addressLine2":"Apt 4C",
"postalCode":"90091","longitude":"-118.2437","latitude":"34.0522","status":true}}`

// scan is file content whose standard Base64 is "++++////": URL-safe or unpadded Base64 would differ.
var scan = []byte{0xfb, 0xef, 0xbe, 0xff, 0xff, 0xff}

func passport() IdentityDocument {
	issue, expiry := NewDate(2020, time.January, 10), NewDate(2030, time.January, 9)
	return IdentityDocument{Type: DocumentTypePassport, Number: "AB1234567", IssueDate: &issue, ExpiryDate: &expiry,
		IssuingCountry: "PAK", FileName: "passport.jpg", ContentType: ContentTypeJPEG, Content: scan}
}

const passportWire = `{"documentType":"PASSPORT","documentNumber":"AB1234567","issueDate":"2020-01-10",
"expiryDate":"2030-01-09","issuingCountry":"PAK","fileName":"passport.jpg","contentType":"image/jpeg","content":"++++////"}`

const identificationReply = `{"data":{"userId":604,"status":"PENDING","documents":[{"id":1,"documentType":"PASSPORT",
"documentNumber":"AB1234567","issueDate":"2020-01-10","expiryDate":"2030-01-09","issuingCountry":"PAK",
"fileName":"passport.jpg","contentType":"image/jpeg","size":6,"uploadedAt":"2025-01-21T14:13:39.716+00:00"}]}}`

func TestKYCWire(t *testing.T) {
	t.Parallel()
	personalReply := usersGolden(t, "update-personal-info.response.json")
	checkPersonal := func(t *testing.T, got any) {
		p := got.(*PersonalInfo)
		assert.Equal(t, ID(603), p.UserID)
		assert.Equal(t, "Maluk", p.FirstName)
		require.NotNil(t, p.DOB)
		assert.Equal(t, dob15May1990, *p.DOB, "decoded from the documented timestamp")
		assert.Equal(t, GenderMale, p.Gender)
		assert.Equal(t, MaritalStatusSingle, p.MaritalStatus)
		assert.Equal(t, "UKR", p.CountryOfResidence)
		assert.Equal(t, LanguageEnglish, p.Language)
		assert.Equal(t, TaxID("0112133232"), p.TIN)
		assert.Equal(t, KYCStatusPending, p.Status)
	}
	checkIdentification := func(t *testing.T, got any) {
		id := got.(*Identification)
		assert.Equal(t, ID(604), id.UserID)
		assert.Equal(t, KYCStatusPending, id.Status)
		require.Len(t, id.Documents, 1)
		d := id.Documents[0]
		assert.Equal(t, DocumentTypePassport, d.Type)
		assert.Equal(t, "AB1234567", d.Number.Reveal())
		assert.Equal(t, int64(6), d.Size)
		require.NotNil(t, d.ExpiryDate)
		assert.Equal(t, NewDate(2030, time.January, 9), *d.ExpiryDate)
		require.NotNil(t, d.UploadedAt)
	}
	runWireCases(t, []wireCase{
		{
			// No vendor page: every field of the update page, plus Extra merged in and winning on a clash.
			name: "CreatePersonal", method: http.MethodPost, path: "/us/api/v1/kyc/personal",
			body: `{"userId":604,"firstName":"Maluk","lastName":"Antique","nickName":"Maluk","gender":"MALE",
				"maritalStatus":"SINGLE","nationality":"PAK","countryOfBirth":"USA","countryOfResidence":"UKR",
				"tin":"0112133232","language":"ENGLISH","title":"MR","dob":"1990-05-15T00:00:00.000+00:00"}`,
			answer: []byte(wrapData(personalReply)),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.KYC.CreatePersonal(ctx, &CreatePersonalInfoRequest{UserID: 604, PersonalInfoFields: PersonalInfoFields{
					FirstName: "Maluk", LastName: "Antique", NickName: "Maluk", DOB: &dob15May1990, Gender: GenderMale,
					MaritalStatus: MaritalStatusSingle, Nationality: "PAK", CountryOfBirth: "USA", CountryOfResidence: "UKR",
					TIN: "0112133232", Language: LanguageEnglish},
					Extra: map[string]any{"title": "MR", "dob": "1990-05-15T00:00:00.000+00:00"}})
			},
			check:       checkPersonal,
			offContract: "Extra overrides dob with a timestamp and adds title",
		},
		{
			name: "UpdatePersonal", method: http.MethodPatch, path: "/us/api/v1/kyc/personal",
			body:   usersGolden(t, "update-personal-info.request.json"),
			answer: []byte(personalReply), // bare, as documented
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.KYC.UpdatePersonal(ctx, &UpdatePersonalInfoRequest{UserID: 5, PersonalInfoFields: PersonalInfoFields{
					FirstName: "Maluk", LastName: "Antique", NickName: "Maluk", DOB: &dob15May1990, Gender: GenderMale,
					MaritalStatus: MaritalStatusSingle, Nationality: "PAK", CountryOfBirth: "USA", CountryOfResidence: "UKR",
					TIN: "0112133232", Language: LanguageEnglish}})
			},
			check: checkPersonal,
		},
		{
			name: "CreateAddress", method: http.MethodPost, path: "/us/api/v1/kyc/addresses",
			body:   usersGolden(t, "create-address.request.json"),
			answer: []byte(createAddressReply),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.KYC.CreateAddress(ctx, &CreateAddressRequest{UserID: 604, Type: AddressTypeMailing, AddressFields: AddressFields{
					CountryID: 167, CountryCode: "USA", StateID: 3169, StateName: "California", CityID: 85475, CityName: "Los Angeles",
					AddressLine1: "123 Main Street", AddressLine2: "Apt 4C", PostalCode: "90091", Longitude: "-118.2437", Latitude: "34.0522"}})
			},
			check: func(t *testing.T, got any) {
				a := got.(*Address)
				assert.Equal(t, ID(11), a.ID)
				assert.Equal(t, NamedRef{ID: 167, Name: "Pakistan"}, a.Country)
				assert.Equal(t, "PAK", a.CountryCode)
				assert.Equal(t, NamedRef{ID: 3169, Name: "Islamabad Capital Territory"}, a.State)
				assert.Equal(t, NamedRef{ID: 85475, Name: "Islamabad"}, a.City)
				assert.Equal(t, "Islamabad", a.CityName)
				assert.Equal(t, DecimalText("-118.2437"), a.Longitude)
				assert.True(t, a.Status)
			},
		},
		{
			name: "UpdateAddress", method: http.MethodPatch, path: "/us/api/v1/kyc/addresses",
			body:   usersGolden(t, "update-address.request.json"),
			answer: []byte(usersGolden(t, "update-address.response.json")),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.KYC.UpdateAddress(ctx, &UpdateAddressRequest{UserID: 604, Type: AddressTypeMailing, Status: Ptr(true),
					AddressFields: AddressFields{CountryID: 1, CountryCode: "IND", StateID: 3871, StateName: "California", CityID: 72,
						CityName: "Los Angeles", AddressLine1: "123 Main Street 123445", AddressLine2: "Apt 4B", PostalCode: "6019",
						Longitude: "-118.2437", Latitude: "34.0522"}})
			},
			check: func(t *testing.T, got any) {
				a := got.(*Address)
				assert.Equal(t, NamedRef{ID: 1, Name: "Afghanistan"}, a.Country)
				assert.Equal(t, "AFG", a.CountryCode)
				assert.Equal(t, "Badghis", a.StateName)
				assert.Equal(t, NamedRef{ID: 72, Name: "Ghormach"}, a.City)
				assert.Equal(t, "6019", a.PostalCode)
				assert.False(t, a.Status, "as the documented answer says")
			},
		},
		{
			// No vendor page: documents as JSON with standard Base64 content; Extra merged, winning on a clash.
			name: "UploadIdentification", method: http.MethodPost, path: "/us/api/v1/kyc/identification",
			body:   `{"userId":"604","documents":[` + passportWire + `],"selfieRequired":false}`,
			answer: []byte(identificationReply),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.KYC.UploadIdentification(ctx, &IdentificationRequest{UserID: 604, Documents: []IdentityDocument{passport()},
					Extra: map[string]any{"userId": "604", "selfieRequired": false}})
			},
			check:       checkIdentification,
			offContract: "Extra sends userId as text and adds selfieRequired",
		},
		{
			name: "UpdateIdentification", method: http.MethodPatch, path: "/us/api/v1/kyc/identification",
			body: `{"userId":604,"documents":[` + passportWire + `,{"documentType":"NATIONAL_ID","documentNumber":"35202-1234567-1",
				"fileName":"cnic.pdf","contentType":"application/pdf","content":"JVBERi0="}]}`,
			answer: []byte(identificationReply),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.KYC.UpdateIdentification(ctx, &IdentificationRequest{UserID: 604, Documents: []IdentityDocument{passport(),
					{Type: DocumentTypeNationalID, Number: "35202-1234567-1", FileName: "cnic.pdf", ContentType: ContentTypePDF,
						Content: []byte("%PDF-")}}})
			},
			check: checkIdentification,
		},
		{
			name: "Get", method: http.MethodGet, path: "/us/api/v1/kyc/602",
			answer: []byte(usersGolden(t, "get-kyc.response.json")),
			call:   func(ctx context.Context, c *Client) (any, error) { return c.KYC.Get(ctx, 602) },
			check: func(t *testing.T, got any) {
				k := got.(*KYC)
				assert.Equal(t, ID(602), k.UserID)
				assert.Equal(t, UserTypeAgent, k.UserType)
				assert.Equal(t, "mbme@vp.com.pk", k.Email)
				assert.Equal(t, "3319264232", k.Phone)
				assert.Equal(t, "92", k.CountryCode)
				assert.Equal(t, KYCStatusPending, k.Status)
				assert.NotNil(t, k.PersonalInfo)
				assert.NotNil(t, k.IdentificationInfo)
				assert.JSONEq(t, `{ "...": "Company and address details" }`, string(k.BusinessInfo))
			},
		},
	})
}

// TestUpdatePersonalBothShapes: the documented bare answer and the conventional {"data": …} decode alike.
func TestUpdatePersonalBothShapes(t *testing.T) {
	t.Parallel()
	bare := usersGolden(t, "update-personal-info.response.json")
	for name, reply := range map[string]string{"bare": bare, "wrapped in data": wrapData(bare)} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mt, rec := newWireClient(t)
			mt.RegisterResponder(http.MethodPatch, wireBase+"/us/api/v1/kyc/personal", rec.reply(http.StatusOK, reply))
			p, err := c.KYC.UpdatePersonal(context.Background(), &UpdatePersonalInfoRequest{UserID: 603,
				PersonalInfoFields: PersonalInfoFields{NickName: "Maluk"}})
			require.NoError(t, err)
			assert.Equal(t, ID(603), p.UserID)
			assert.Equal(t, "Antique", p.LastName)
			assert.Equal(t, KYCStatusPending, p.Status)
			require.NotNil(t, p.DOB)
			assert.Equal(t, dob15May1990, *p.DOB)
			assert.JSONEq(t, bare, string(p.RawJSON()), "RawJSON is the object, without the wrapper")
			assert.JSONEq(t, `{"userId":603,"nickName":"Maluk"}`, string(rec.all()[0].body), "only the fields set are sent")
		})
	}
}

func TestPersonalInfoDates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		dob  string
		want Date
	}{
		{"documented timestamp", `"1990-05-15T00:00:00.000+00:00"`, dob15May1990},
		{"date only", `"1990-05-15"`, dob15May1990},
		{"timestamp with Z", `"1990-05-15T00:00:00Z"`, dob15May1990},
		{"written date kept whatever the offset", `"1990-05-15T23:30:00.000-05:00"`, dob15May1990},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var p PersonalInfo
			require.NoError(t, json.Unmarshal([]byte(`{"userId":"603","dob":`+tt.dob+`}`), &p))
			require.NotNil(t, p.DOB)
			assert.Equal(t, tt.want, *p.DOB)
			assert.Equal(t, ID(603), p.UserID, "id from a string")
		})
	}
	for _, bad := range []string{`"15/05/1990"`, `"1990-02-30"`, `19900515`, `"1990-05-15T25:00:00Z"`} {
		var p PersonalInfo
		assert.Error(t, json.Unmarshal([]byte(`{"dob":`+bad+`}`), &p), "dob %s", bad)
	}
	b, err := json.Marshal(UpdatePersonalInfoRequest{UserID: 5, PersonalInfoFields: PersonalInfoFields{DOB: &dob15May1990}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"userId":5,"dob":"1990-05-15"}`, string(b), "dob is sent as YYYY-MM-DD")
}

// TestKYCSpecExamples decodes every complete KYC example strictly (unknown fields refused).
func TestKYCSpecExamples(t *testing.T) {
	t.Parallel()
	t.Run("update-personal-info request", func(t *testing.T) {
		var req UpdatePersonalInfoRequest
		require.NoError(t, decodeStrict(usersGolden(t, "update-personal-info.request.json"), &req))
		assert.Equal(t, ID(5), req.UserID)
		require.NotNil(t, req.DOB)
		assert.Equal(t, dob15May1990, *req.DOB)
		b, err := json.Marshal(req)
		require.NoError(t, err)
		assert.JSONEq(t, usersGolden(t, "update-personal-info.request.json"), string(b), "round trip")
	})
	t.Run("update-personal-info response, bare as documented", func(t *testing.T) {
		var p PersonalInfo
		require.NoError(t, decodeStrict(usersGolden(t, "update-personal-info.response.json"), &p))
		assert.Equal(t, KYCStatusPending, p.Status)
		assert.Equal(t, dob15May1990, *p.DOB)
	})
	t.Run("update-personal-info response, wrapped", func(t *testing.T) {
		var out dataOf[PersonalInfo]
		require.NoError(t, decodeStrict(wrapData(usersGolden(t, "update-personal-info.response.json")), &out))
		assert.Equal(t, ID(603), out.Data.UserID)
	})
	t.Run("create-address request", func(t *testing.T) {
		var req CreateAddressRequest
		require.NoError(t, decodeStrict(usersGolden(t, "create-address.request.json"), &req))
		assert.Equal(t, ID(85475), req.CityID)
		b, err := json.Marshal(req)
		require.NoError(t, err)
		assert.JSONEq(t, usersGolden(t, "create-address.request.json"), string(b), "round trip")
	})
	for _, part := range []string{"country", "state", "city"} {
		t.Run("create-address response "+part+" (complete part of a truncated example)", func(t *testing.T) {
			var ref NamedRef
			require.NoError(t, decodeStrict(usersGolden(t, "create-address.response."+part+".json"), &ref))
			assert.NotZero(t, ref.ID)
			assert.NotEmpty(t, ref.Name)
		})
	}
	t.Run("create-address completed response", func(t *testing.T) {
		var out dataOf[Address]
		require.NoError(t, decodeStrict(createAddressReply, &out), "every field of the create-address table is modelled")
	})
	t.Run("update-address request", func(t *testing.T) {
		var req UpdateAddressRequest
		require.NoError(t, decodeStrict(usersGolden(t, "update-address.request.json"), &req))
		require.NotNil(t, req.Status)
		assert.True(t, *req.Status)
		b, err := json.Marshal(req)
		require.NoError(t, err)
		assert.JSONEq(t, usersGolden(t, "update-address.request.json"), string(b), "round trip")
	})
	t.Run("update-address response", func(t *testing.T) {
		var out dataOf[Address]
		require.NoError(t, decodeStrict(usersGolden(t, "update-address.response.json"), &out))
		assert.Equal(t, "Ghormach", out.Data.CityName)
		assert.False(t, out.Data.Status)
	})
	t.Run("get-kyc response", func(t *testing.T) {
		// The nested objects are the vendor's placeholders ({"...": "See Create Personal Info response"}),
		// not fields: strict decoding refuses exactly those, and passes once they are removed.
		raw := usersGolden(t, "get-kyc.response.json")
		var out dataOf[KYC]
		err := decodeStrict(raw, &out)
		require.Error(t, err)
		assert.Contains(t, err.Error(), `unknown field "..."`)

		var m map[string]map[string]any
		require.NoError(t, json.Unmarshal([]byte(raw), &m))
		for _, k := range []string{"personalInfo", "identificationInfo", "businessInfo"} {
			obj, ok := m["data"][k].(map[string]any)
			require.True(t, ok, k)
			delete(obj, "...")
			assert.Empty(t, obj, "%s holds only the placeholder", k)
		}
		stripped, err := json.Marshal(m)
		require.NoError(t, err)
		out = dataOf[KYC]{}
		require.NoError(t, decodeStrict(string(stripped), &out))
		assert.Equal(t, ID(602), out.Data.UserID)
		assert.Equal(t, KYCStatusPending, out.Data.Status)
		assert.NotNil(t, out.Data.PersonalInfo)
		assert.NotNil(t, out.Data.IdentificationInfo)
	})
}

// TestKYCValidation: every bad field is named, and nothing is sent.
func TestKYCValidation(t *testing.T) {
	t.Parallel()
	personal := func(mod func(f *PersonalInfoFields)) PersonalInfoFields {
		f := PersonalInfoFields{FirstName: "Maluk", LastName: "Antique", DOB: &dob15May1990}
		mod(&f)
		return f
	}
	createPersonal := func(id ID, mod func(f *PersonalInfoFields)) func(context.Context, *Client) error {
		return func(ctx context.Context, c *Client) error {
			_, err := c.KYC.CreatePersonal(ctx, &CreatePersonalInfoRequest{UserID: id, PersonalInfoFields: personal(mod)})
			return err
		}
	}
	updatePersonal := func(id ID, mod func(f *PersonalInfoFields)) func(context.Context, *Client) error {
		return func(ctx context.Context, c *Client) error {
			_, err := c.KYC.UpdatePersonal(ctx, &UpdatePersonalInfoRequest{UserID: id, PersonalInfoFields: personal(mod)})
			return err
		}
	}
	validAddress := func() CreateAddressRequest {
		return CreateAddressRequest{UserID: 604, Type: AddressTypeMailing, AddressFields: AddressFields{CountryID: 167,
			StateID: 3169, CityID: 85475, AddressLine1: "123 Main Street"}}
	}
	createAddress := func(mod func(r *CreateAddressRequest)) func(context.Context, *Client) error {
		return func(ctx context.Context, c *Client) error {
			r := validAddress()
			mod(&r)
			_, err := c.KYC.CreateAddress(ctx, &r)
			return err
		}
	}
	updateAddress := func(r UpdateAddressRequest) func(context.Context, *Client) error {
		return func(ctx context.Context, c *Client) error { _, err := c.KYC.UpdateAddress(ctx, &r); return err }
	}
	upload := func(mod func(r *IdentificationRequest)) func(context.Context, *Client) error {
		return func(ctx context.Context, c *Client) error {
			r := IdentificationRequest{UserID: 604, Documents: []IdentityDocument{passport()}}
			mod(&r)
			_, err := c.KYC.UploadIdentification(ctx, &r)
			return err
		}
	}
	doc := func(mod func(d *IdentityDocument)) func(r *IdentificationRequest) {
		return func(r *IdentificationRequest) { mod(&r.Documents[0]) }
	}
	tomorrow := DateOf(time.Now().AddDate(0, 0, 2))
	oversize := make([]byte, MaxDocumentSize+1)
	fourMiB := make([]byte, 4<<20)
	badDate := NewDate(1990, time.February, 30)

	runInvalidRows(t, []invalidRow{
		{"create personal: missing userId", createPersonal(0, func(*PersonalInfoFields) {}), []string{"userId"}},
		{"create personal: impossible dob", createPersonal(604, func(f *PersonalInfoFields) { f.DOB = &badDate }), []string{"dob"}},
		{"create personal: zero dob", createPersonal(604, func(f *PersonalInfoFields) { f.DOB = &Date{} }), []string{"dob"}},
		{"create personal: bad gender", createPersonal(604, func(f *PersonalInfoFields) { f.Gender = "M" }), []string{"gender"}},
		{"create personal: nationality alpha-2", createPersonal(604, func(f *PersonalInfoFields) { f.Nationality = "PK" }), []string{"nationality"}},
		{"create personal: countryOfBirth lower case", createPersonal(604, func(f *PersonalInfoFields) { f.CountryOfBirth = "usa" }), []string{"countryOfBirth"}},
		{"create personal: countryOfResidence a name", createPersonal(604, func(f *PersonalInfoFields) { f.CountryOfResidence = "Ukraine" }), []string{"countryOfResidence"}},
		{"create personal: tin too long", createPersonal(604, func(f *PersonalInfoFields) { f.TIN = TaxID(strings.Repeat("1", 51)) }), []string{"tin"}},
		{"create personal: everything at once", createPersonal(0, func(f *PersonalInfoFields) {
			f.DOB, f.Gender, f.Nationality, f.CountryOfBirth, f.CountryOfResidence = &badDate, "X", "P", "U", "R"
		}), []string{"userId", "dob", "gender", "nationality", "countryOfBirth", "countryOfResidence"}},
		{"update personal: missing userId", updatePersonal(0, func(*PersonalInfoFields) {}), []string{"userId"}},
		{"update personal: impossible dob", updatePersonal(5, func(f *PersonalInfoFields) { f.DOB = &badDate }), []string{"dob"}},
		{"update personal: bad gender", updatePersonal(5, func(f *PersonalInfoFields) { f.Gender = "male" }), []string{"gender"}},
		{"update personal: nationality alpha-2", updatePersonal(5, func(f *PersonalInfoFields) { f.Nationality = "PK" }), []string{"nationality"}},

		{"create address: missing userId", createAddress(func(r *CreateAddressRequest) { r.UserID = 0 }), []string{"userId"}},
		{"create address: missing type", createAddress(func(r *CreateAddressRequest) { r.Type = "" }), []string{"type"}},
		{"create address: missing countryId", createAddress(func(r *CreateAddressRequest) { r.CountryID = 0 }), []string{"countryId"}},
		{"create address: missing stateId", createAddress(func(r *CreateAddressRequest) { r.StateID = 0 }), []string{"stateId"}},
		{"create address: missing cityId", createAddress(func(r *CreateAddressRequest) { r.CityID = 0 }), []string{"cityId"}},
		{"create address: missing addressLine1", createAddress(func(r *CreateAddressRequest) { r.AddressLine1 = "" }), []string{"addressLine1"}},
		{"create address: countryCode alpha-2", createAddress(func(r *CreateAddressRequest) { r.CountryCode = "US" }), []string{"countryCode"}},
		{"create address: everything missing", createAddress(func(r *CreateAddressRequest) { *r = CreateAddressRequest{} }),
			[]string{"userId", "type", "countryId", "stateId", "cityId", "addressLine1"}},
		{"update address: missing userId and type", updateAddress(UpdateAddressRequest{}), []string{"userId", "type"}},
		{"update address: countryCode alpha-2", updateAddress(UpdateAddressRequest{UserID: 604, Type: AddressTypeMailing,
			AddressFields: AddressFields{CountryCode: "IN"}}), []string{"countryCode"}},

		{"upload: missing userId", upload(func(r *IdentificationRequest) { r.UserID = 0 }), []string{"userId"}},
		{"upload: no documents", upload(func(r *IdentificationRequest) { r.Documents = nil }), []string{"documents"}},
		{"upload: more than MaxDocuments", upload(func(r *IdentificationRequest) {
			for len(r.Documents) <= MaxDocuments {
				r.Documents = append(r.Documents, passport())
			}
		}), []string{"documents"}},
		{"upload: missing documentType", upload(doc(func(d *IdentityDocument) { d.Type = "" })), []string{"documents[0].documentType"}},
		{"upload: missing documentNumber", upload(doc(func(d *IdentityDocument) { d.Number = "" })), []string{"documents[0].documentNumber"}},
		{"upload: missing fileName", upload(doc(func(d *IdentityDocument) { d.FileName = " " })), []string{"documents[0].fileName"}},
		{"upload: bad content type", upload(doc(func(d *IdentityDocument) { d.ContentType = "image/gif" })), []string{"documents[0].contentType"}},
		{"upload: missing content type", upload(doc(func(d *IdentityDocument) { d.ContentType = "" })), []string{"documents[0].contentType"}},
		{"upload: empty content", upload(doc(func(d *IdentityDocument) { d.Content = nil })), []string{"documents[0].content"}},
		{"upload: content over MaxDocumentSize", upload(doc(func(d *IdentityDocument) { d.Content = oversize })), []string{"documents[0].content"}},
		{"upload: total over MaxIdentificationSize", upload(func(r *IdentificationRequest) {
			r.Documents = nil
			for range 3 {
				d := passport()
				d.Content = fourMiB
				r.Documents = append(r.Documents, d)
			}
		}), []string{"documents"}},
		{"upload: issueDate in the future", upload(doc(func(d *IdentityDocument) { d.IssueDate, d.ExpiryDate = &tomorrow, nil })),
			[]string{"documents[0].issueDate"}},
		{"upload: impossible issueDate", upload(doc(func(d *IdentityDocument) { d.IssueDate, d.ExpiryDate = &badDate, nil })),
			[]string{"documents[0].issueDate"}},
		{"upload: expiry before issue", upload(doc(func(d *IdentityDocument) { d.ExpiryDate = &dob15May1990 })),
			[]string{"documents[0].expiryDate"}},
		{"upload: impossible expiryDate", upload(doc(func(d *IdentityDocument) { d.ExpiryDate = &badDate })),
			[]string{"documents[0].expiryDate", "documents[0].expiryDate"}}, // not a date, and so not after issueDate
		{"upload: issuingCountry alpha-2", upload(doc(func(d *IdentityDocument) { d.IssuingCountry = "PK" })), []string{"documents[0].issuingCountry"}},
		{"update identification: bad content type", func(ctx context.Context, c *Client) error {
			d := passport()
			d.ContentType = "text/plain"
			_, err := c.KYC.UpdateIdentification(ctx, &IdentificationRequest{UserID: 604, Documents: []IdentityDocument{d}})
			return err
		}, []string{"documents[0].contentType"}},
		{"get: userId 0", func(ctx context.Context, c *Client) error { _, err := c.KYC.Get(ctx, 0); return err }, []string{"userId"}},
	})

	t.Run("nil requests", func(t *testing.T) {
		t.Parallel()
		c, mt, _ := newWireClient(t)
		ctx := context.Background()
		for name, call := range map[string]func() error{
			"CreatePersonal":       func() error { _, err := c.KYC.CreatePersonal(ctx, nil); return err },
			"UpdatePersonal":       func() error { _, err := c.KYC.UpdatePersonal(ctx, nil); return err },
			"CreateAddress":        func() error { _, err := c.KYC.CreateAddress(ctx, nil); return err },
			"UpdateAddress":        func() error { _, err := c.KYC.UpdateAddress(ctx, nil); return err },
			"UploadIdentification": func() error { _, err := c.KYC.UploadIdentification(ctx, nil); return err },
			"UpdateIdentification": func() error { _, err := c.KYC.UpdateIdentification(ctx, nil); return err },
		} {
			assert.ErrorIs(t, call(), ErrValidation, name)
		}
		assert.Equal(t, 0, mt.GetTotalCallCount())
	})
}

// TestIdentificationSecrets: a document number and file content never show in error text, fmt verbs or
// slog output.
func TestIdentificationSecrets(t *testing.T) {
	t.Parallel()
	const number = "PK98765432107"
	content := append([]byte("%PDF-1.7 scan-of-passport-SECRETCONTENT "), scan...)
	issue := NewDate(2020, time.January, 10)
	d := IdentityDocument{Type: DocumentTypePassport, Number: number, IssueDate: &issue, FileName: "passport.pdf",
		ContentType: ContentTypePDF, Content: content}
	req := IdentificationRequest{UserID: 604, Documents: []IdentityDocument{d}}
	// The stored record the API answers holds the number too.
	info := DocumentInfo{ID: 1, Type: DocumentTypePassport, Number: number, FileName: "passport.pdf", ContentType: ContentTypePDF, Size: 46}
	ident := Identification{UserID: 604, Documents: []DocumentInfo{info}, Status: KYCStatusPending}
	record := KYC{UserID: 604, UserType: UserTypeUser, Status: KYCStatusPending, IdentificationInfo: &ident}
	secrets := []string{number, string(content), "SECRETCONTENT", base64.StdEncoding.EncodeToString(content),
		hex.EncodeToString([]byte(number)), hex.EncodeToString(content), "98765432"}
	assertClean := func(t *testing.T, what, out string) {
		t.Helper()
		for _, s := range secrets {
			assert.NotContains(t, out, s, "%s leaks %q", what, s)
		}
	}

	t.Run("fmt", func(t *testing.T) {
		t.Parallel()
		for _, v := range []any{d, &d, req, &req, d.Number, []IdentityDocument{d}, info, ident, &ident, record, &record} {
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
				assertClean(t, fmt.Sprintf("%s of %T", verb, v), fmt.Sprintf(verb, v))
			}
		}
		assert.Contains(t, fmt.Sprint(d), "passport.pdf", "the rest of the document still prints")
		assert.Contains(t, fmt.Sprint(d), "****07", "the number prints masked")
	})

	t.Run("slog", func(t *testing.T) {
		t.Parallel()
		for name, newHandler := range map[string]func(*bytes.Buffer) slog.Handler{
			"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
			"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		} {
			var buf bytes.Buffer
			slog.New(newHandler(&buf)).Info("kyc", "doc", d, "docPtr", &d, "req", req, "reqPtr", &req, "number", d.Number,
				"info", info, "ident", ident, "identPtr", &ident, "record", record, "recordPtr", &record)
			assertClean(t, name+" handler", buf.String())
			assert.Contains(t, buf.String(), "passport.pdf", "%s: the document is still logged", name)
		}
	})

	t.Run("validation error", func(t *testing.T) {
		t.Parallel()
		c, mt, _ := newWireClient(t)
		bad := d
		bad.Number = DocumentNumber(strings.Repeat(number, 4)) // over 50 characters
		bad.ContentType = "image/gif"
		bad.IssuingCountry = number
		big := append(append([]byte(nil), content...), make([]byte, MaxDocumentSize)...)
		bad.Content = big
		_, err := c.KYC.UploadIdentification(context.Background(), &IdentificationRequest{UserID: 604, Documents: []IdentityDocument{bad}})
		var ve *ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Len(t, ve.Errors, 4, "number, content type, content size, issuing country")
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			assertClean(t, "error "+verb, fmt.Sprintf(verb, err))
		}
		assertClean(t, "error text", err.Error())
		assert.Equal(t, 0, mt.GetTotalCallCount())
	})
}

// TestTaxIDNeverPrints: a tax id is masked by every fmt verb and slog handler, in the field's own
// type and in each struct that holds it, and still travels in clear on the wire.
func TestTaxIDNeverPrints(t *testing.T) {
	t.Parallel()
	const tin = "TX99887766"
	f := PersonalInfoFields{FirstName: "Aisha", TIN: tin}
	for _, tt := range []struct {
		name string
		v    any
	}{
		{"TaxID", TaxID(tin)},
		{"PersonalInfoFields", f},
		{"PersonalInfo", PersonalInfo{UserID: 7, PersonalInfoFields: f, Status: KYCStatusPending}},
		{"*PersonalInfo", &PersonalInfo{UserID: 7, PersonalInfoFields: f}},
		{"CreatePersonalInfoRequest", CreatePersonalInfoRequest{UserID: 7, PersonalInfoFields: f}},
		{"UpdatePersonalInfoRequest", &UpdatePersonalInfoRequest{UserID: 7, PersonalInfoFields: f}},
		{"KYC", KYC{PersonalInfo: &PersonalInfo{PersonalInfoFields: f}}},
	} {
		assertNoLeak(t, tt.name, tt.v, tin)
	}
	assert.Equal(t, "****66", TaxID(tin).String())
	assert.Equal(t, tin, TaxID(tin).Reveal())
	b, err := json.Marshal(f)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"tin":"`+tin+`"`, "the wire carries the value")
}
