package vaultspaytest

import (
	"fmt"
	"time"

	"github.com/vaultspay-go/vaultspay"
)

// The request bodies of the Users and KYC handlers, as openapi/vaultspay.yaml declares them: exact
// JSON names and types, optional fields as pointers. The description has checked each body before
// the handler runs; these types only carry it.

// createUserBody is the body of POST /as/api/v1/users (CreateUserRequest).
type createUserBody struct {
	ParentID    *int64  `json:"parentId"` // set by the server; ignored if sent
	FirstName   string  `json:"firstName"`
	LastName    string  `json:"lastName"`
	Email       *string `json:"email"`
	CountryCode *string `json:"countryCode"`
	Phone       *string `json:"phone"`
	Status      string  `json:"status"`
}

// personalBody is the body of POST and PATCH /us/api/v1/kyc/personal (PersonalInfoRequest).
type personalBody struct {
	UserID             int64   `json:"userId"`
	FirstName          *string `json:"firstName"`
	LastName           *string `json:"lastName"`
	NickName           *string `json:"nickName"`
	DOB                *string `json:"dob"` // YYYY-MM-DD
	Gender             *string `json:"gender"`
	MaritalStatus      *string `json:"maritalStatus"`
	Nationality        *string `json:"nationality"`
	CountryOfBirth     *string `json:"countryOfBirth"`
	CountryOfResidence *string `json:"countryOfResidence"`
	TIN                *string `json:"tin"`
	Language           *string `json:"language"`
}

// fields is b as the fake stores it; a field not sent is empty.
func (b *personalBody) fields(bad *checks) vaultspay.PersonalInfoFields {
	return vaultspay.PersonalInfoFields{FirstName: deref(b.FirstName), LastName: deref(b.LastName),
		NickName: deref(b.NickName), DOB: optionalDate(bad, "dob", b.DOB), Gender: vaultspay.Gender(deref(b.Gender)),
		MaritalStatus: vaultspay.MaritalStatus(deref(b.MaritalStatus)), Nationality: deref(b.Nationality),
		CountryOfBirth: deref(b.CountryOfBirth), CountryOfResidence: deref(b.CountryOfResidence),
		TIN: vaultspay.TaxID(deref(b.TIN)), Language: vaultspay.Language(deref(b.Language))}
}

// optionalDate is the format: date field s (nil when not sent); one the description let through but
// that is no date is named in bad.
func optionalDate(bad *checks, key string, s *string) *vaultspay.Date {
	if s == nil {
		return nil
	}
	t, err := time.Parse(time.DateOnly, *s)
	if err != nil {
		bad.add(key, "must be a date (YYYY-MM-DD)")
		return nil
	}
	d := vaultspay.DateOf(t)
	return &d
}

// addressBody is the body of POST /us/api/v1/kyc/addresses (CreateAddressRequest, whose required
// fields the description has checked) and the fields PATCH shares with it.
type addressBody struct {
	UserID       int64   `json:"userId"`
	Type         string  `json:"type"`
	CountryID    *int64  `json:"countryId"`
	CountryCode  *string `json:"countryCode"` // ignored: answered from countryId
	StateID      *int64  `json:"stateId"`
	StateName    *string `json:"stateName"` // ignored: answered from stateId
	CityID       *int64  `json:"cityId"`
	CityName     *string `json:"cityName"` // ignored: answered from cityId
	AddressLine1 *string `json:"addressLine1"`
	AddressLine2 *string `json:"addressLine2"`
	PostalCode   *string `json:"postalCode"`
	Longitude    *string `json:"longitude"`
	Latitude     *string `json:"latitude"`
}

// updateAddressBody is the body of PATCH /us/api/v1/kyc/addresses (UpdateAddressRequest).
type updateAddressBody struct {
	addressBody
	Status *bool `json:"status"`
}

// copyTo copies the free-text fields sent and not empty onto a; names and codes come from the ids.
func (b *addressBody) copyTo(a *vaultspay.Address) {
	set := func(dst *string, v *string) {
		if v != nil && *v != "" {
			*dst = *v
		}
	}
	set(&a.AddressLine1, b.AddressLine1)
	set(&a.AddressLine2, b.AddressLine2)
	set(&a.PostalCode, b.PostalCode)
	if v := deref(b.Longitude); v != "" {
		a.Longitude = vaultspay.DecimalText(v)
	}
	if v := deref(b.Latitude); v != "" {
		a.Latitude = vaultspay.DecimalText(v)
	}
}

// identificationBody is the body of POST and PATCH /us/api/v1/kyc/identification.
type identificationBody struct {
	UserID    int64          `json:"userId"`
	Documents []documentBody `json:"documents"`
}

// documentBody is one document of an identificationBody; content is the file (Base64 on the wire).
type documentBody struct {
	DocumentType   string  `json:"documentType"`
	DocumentNumber string  `json:"documentNumber"`
	IssueDate      *string `json:"issueDate"`
	ExpiryDate     *string `json:"expiryDate"`
	IssuingCountry *string `json:"issuingCountry"`
	FileName       string  `json:"fileName"`
	ContentType    string  `json:"contentType"`
	Content        []byte  `json:"content"`
}

// documents is b's documents as the fake checks and stores them.
func (b *identificationBody) documents(bad *checks) []vaultspay.IdentityDocument {
	out := make([]vaultspay.IdentityDocument, len(b.Documents))
	for i, d := range b.Documents {
		key := func(f string) string { return fmt.Sprintf("documents[%d].%s", i, f) }
		out[i] = vaultspay.IdentityDocument{Type: vaultspay.DocumentType(d.DocumentType),
			Number: vaultspay.DocumentNumber(d.DocumentNumber), IssueDate: optionalDate(bad, key("issueDate"), d.IssueDate),
			ExpiryDate: optionalDate(bad, key("expiryDate"), d.ExpiryDate), IssuingCountry: deref(d.IssuingCountry),
			FileName: d.FileName, ContentType: d.ContentType, Content: d.Content}
	}
	return out
}
