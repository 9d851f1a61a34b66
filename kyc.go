package vaultspay

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
)

// KYCService submits and reads a user's KYC data: personal info, addresses and identification
// documents. A VaultsPay admin then moves the KYC status from PENDING to VERIFIED or REJECTED; poll
// Get to see it change (no KYC webhook is documented).
type KYCService service

// KYCStatus is the overall KYC status of a user, set by a VaultsPay admin. The vendor's list ends
// with "…", so unknown values decode as is.
type KYCStatus string

// KYC statuses documented on the update-personal-info and get-kyc pages.
const (
	KYCStatusPending  KYCStatus = "PENDING"  // under review; the only state in which personal info may change
	KYCStatusVerified KYCStatus = "VERIFIED" // approved
	KYCStatusRejected KYCStatus = "REJECTED" // refused
)

// IsKnown reports whether s is a documented value.
func (s KYCStatus) IsKnown() bool {
	return s == KYCStatusPending || s == KYCStatusVerified || s == KYCStatusRejected
}

// Gender of a person; the documented list is closed.
type Gender string

// Genders documented on the update-personal-info page.
const (
	GenderMale   Gender = "MALE"
	GenderFemale Gender = "FEMALE"
	GenderOther  Gender = "OTHER"
)

// IsKnown reports whether g is a documented value.
func (g Gender) IsKnown() bool { return g == GenderMale || g == GenderFemale || g == GenderOther }

// MaritalStatus of a person. The vendor's list ends with "…", so other values are sent and decoded
// as given.
type MaritalStatus string

// Marital statuses documented on the update-personal-info page.
const (
	MaritalStatusSingle   MaritalStatus = "SINGLE"
	MaritalStatusMarried  MaritalStatus = "MARRIED"
	MaritalStatusDivorced MaritalStatus = "DIVORCED"
)

// IsKnown reports whether m is a documented value.
func (m MaritalStatus) IsKnown() bool {
	return m == MaritalStatusSingle || m == MaritalStatusMarried || m == MaritalStatusDivorced
}

// Language of a person. Only "ENGLISH" is documented.
type Language string

// LanguageEnglish is the one documented language value.
const LanguageEnglish Language = "ENGLISH"

// IsKnown reports whether l is a documented value.
func (l Language) IsKnown() bool { return l == LanguageEnglish }

// AddressType selects one of a user's addresses; a user has at most one address per type. The
// vendor's list ends with "…".
type AddressType string

// Address types documented on the address pages.
const (
	AddressTypeMailing     AddressType = "MAILING"
	AddressTypeResidential AddressType = "RESIDENTIAL"
	AddressTypeBusiness    AddressType = "BUSINESS"
)

// IsKnown reports whether t is a documented value.
func (t AddressType) IsKnown() bool {
	return t == AddressTypeMailing || t == AddressTypeResidential || t == AddressTypeBusiness
}

var alpha3 = regexp.MustCompile(`^[A-Z]{3}$`)

// PersonalInfoFields are the personal details shared by create and update. Empty fields are not
// sent. Countries are ISO 3166-1 alpha-3 codes ("PAK").
type PersonalInfoFields struct {
	FirstName          string        `json:"firstName,omitempty"`
	LastName           string        `json:"lastName,omitempty"`
	NickName           string        `json:"nickName,omitempty"`
	DOB                *Date         `json:"dob,omitempty"` // sent as YYYY-MM-DD
	Gender             Gender        `json:"gender,omitempty"`
	MaritalStatus      MaritalStatus `json:"maritalStatus,omitempty"`
	Nationality        string        `json:"nationality,omitempty"`
	CountryOfBirth     string        `json:"countryOfBirth,omitempty"`
	CountryOfResidence string        `json:"countryOfResidence,omitempty"`
	TIN                TaxID         `json:"tin,omitempty"` // tax identification number, masked when printed
	Language           Language      `json:"language,omitempty"`
}

func (f *PersonalInfoFields) validate(v *fieldErrors) {
	if f.DOB != nil && !f.DOB.Valid() {
		v.add("dob", "must be a real date (YYYY-MM-DD)")
	}
	if f.Gender != "" && !f.Gender.IsKnown() {
		v.add("gender", "must be one of MALE, FEMALE, OTHER")
	}
	for _, c := range []struct{ key, val string }{
		{"nationality", f.Nationality}, {"countryOfBirth", f.CountryOfBirth}, {"countryOfResidence", f.CountryOfResidence},
	} {
		if c.val != "" && !alpha3.MatchString(c.val) {
			v.add(c.key, "must be an ISO 3166-1 alpha-3 code such as PAK")
		}
	}
	v.maxLen("firstName", f.FirstName, 100)
	v.maxLen("lastName", f.LastName, 100)
	v.maxLen("nickName", f.NickName, 100)
	v.maxLen("tin", string(f.TIN), 50)
}

// TaxID is a tax identification number. Like DocumentNumber it prints masked (last 2 characters
// kept) with every fmt verb and in slog, and is sent as is on the wire.
type TaxID string

// String masks all but the last two characters.
func (t TaxID) String() string { return maskTail(string(t)) }

// Format masks t for every verb.
func (t TaxID) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, t.String()) }

// LogValue masks t in slog.
func (t TaxID) LogValue() slog.Value { return slog.StringValue(t.String()) }

// Reveal returns the number: the one deliberate way out.
func (t TaxID) Reveal() string { return string(t) }

// LogValue logs the fields with the tax id masked (slog's JSON handler would otherwise encode the
// wire form, tax id in clear).
func (f PersonalInfoFields) LogValue() slog.Value { return slog.GroupValue(f.attrs()...) }

func (f PersonalInfoFields) attrs() []slog.Attr {
	return []slog.Attr{slog.String("firstName", f.FirstName), slog.String("lastName", f.LastName),
		slog.String("nationality", f.Nationality), slog.String("countryOfResidence", f.CountryOfResidence),
		slog.String("tin", f.TIN.String())}
}

// LogValue logs the user and the fields with the tax id masked.
func (r CreatePersonalInfoRequest) LogValue() slog.Value {
	return slog.GroupValue(append([]slog.Attr{slog.Int64("userId", int64(r.UserID))}, r.attrs()...)...)
}

// LogValue logs the user and the fields with the tax id masked.
func (r UpdatePersonalInfoRequest) LogValue() slog.Value {
	return slog.GroupValue(append([]slog.Attr{slog.Int64("userId", int64(r.UserID))}, r.attrs()...)...)
}

// LogValue logs the user, the status and the fields with the tax id masked.
func (p PersonalInfo) LogValue() slog.Value {
	return slog.GroupValue(append([]slog.Attr{slog.Int64("userId", int64(p.UserID)), slog.String("status", string(p.Status))},
		p.attrs()...)...)
}

// CreatePersonalInfoRequest is the body of POST /us/api/v1/kyc/personal. The vendor's page is
// missing (schema unverified): the fields are those of the update page, and Extra is merged into the
// body (winning on a clash) for whatever else the live API needs.
type CreatePersonalInfoRequest struct {
	UserID ID `json:"userId"`
	PersonalInfoFields
	Extra map[string]any `json:"-"`
}

// MarshalJSON merges Extra into the body.
func (r CreatePersonalInfoRequest) MarshalJSON() ([]byte, error) {
	type plain CreatePersonalInfoRequest
	return marshalWithExtra(plain(r), r.Extra)
}

// UnmarshalJSON reads what MarshalJSON writes; keys that name no field go to Extra.
func (r *CreatePersonalInfoRequest) UnmarshalJSON(b []byte) error {
	type plain CreatePersonalInfoRequest
	return unmarshalWithExtra(b, (*plain)(r), &r.Extra)
}

func (r *CreatePersonalInfoRequest) validate() error {
	return validatePersonal(r.UserID, &r.PersonalInfoFields)
}

// validatePersonal checks what create and update share: a user id and well-formed fields.
func validatePersonal(userID ID, f *PersonalInfoFields) error {
	var v fieldErrors
	v.require("userId", userID > 0)
	f.validate(&v)
	return v.err()
}

// UpdatePersonalInfoRequest is the body of PATCH /us/api/v1/kyc/personal: only the fields set change.
type UpdatePersonalInfoRequest struct {
	UserID ID `json:"userId"`
	PersonalInfoFields
}

func (r *UpdatePersonalInfoRequest) validate() error {
	return validatePersonal(r.UserID, &r.PersonalInfoFields)
}

// PersonalInfo is a user's personal KYC record.
type PersonalInfo struct {
	rawJSON
	UserID ID `json:"userId"`
	PersonalInfoFields
	Status KYCStatus `json:"status"`
}

// NamedRef is an {id, name} pair, as addresses report their country, state and city.
type NamedRef struct {
	ID   ID     `json:"id"`
	Name string `json:"name"`
}

// AddressFields are the address fields shared by create and update. Ids come from
// Users.ListCountries, ListStates and ListCities; the API reports names and countryCode from the ids,
// whatever names are sent.
type AddressFields struct {
	CountryID    ID          `json:"countryId,omitempty"`
	CountryCode  string      `json:"countryCode,omitempty"` // ISO 3166-1 alpha-3
	StateID      ID          `json:"stateId,omitempty"`
	StateName    string      `json:"stateName,omitempty"`
	CityID       ID          `json:"cityId,omitempty"`
	CityName     string      `json:"cityName,omitempty"`
	AddressLine1 string      `json:"addressLine1,omitempty"` // street and number
	AddressLine2 string      `json:"addressLine2,omitempty"` // apartment, suite, floor
	PostalCode   string      `json:"postalCode,omitempty"`
	Longitude    DecimalText `json:"longitude,omitempty"`
	Latitude     DecimalText `json:"latitude,omitempty"`
}

func (f *AddressFields) validate(v *fieldErrors) {
	if f.CountryCode != "" && !alpha3.MatchString(f.CountryCode) {
		v.add("countryCode", "must be an ISO 3166-1 alpha-3 code such as USA")
	}
	v.maxLen("addressLine1", f.AddressLine1, 255)
	v.maxLen("addressLine2", f.AddressLine2, 255)
	v.maxLen("postalCode", f.PostalCode, 20)
}

// CreateAddressRequest is the body of POST /us/api/v1/kyc/addresses. UserID, Type, CountryID,
// StateID, CityID and AddressLine1 are required.
type CreateAddressRequest struct {
	UserID ID          `json:"userId"`
	Type   AddressType `json:"type"`
	AddressFields
}

// UpdateAddressRequest is the body of PATCH /us/api/v1/kyc/addresses: the address is selected by
// UserID and Type, and only the fields set change. Status appears only in the vendor's request
// example (UNKNOWN whether it is honoured); nil leaves it out.
type UpdateAddressRequest struct {
	UserID ID          `json:"userId"`
	Type   AddressType `json:"type"`
	AddressFields
	Status *bool `json:"status,omitempty"`
}

// Address is one of a user's KYC addresses.
type Address struct {
	rawJSON
	ID           ID          `json:"id"`
	UserID       ID          `json:"userId"`
	Type         AddressType `json:"type"`
	Country      NamedRef    `json:"country"`
	CountryCode  string      `json:"countryCode"` // alpha-3 of Country
	State        NamedRef    `json:"state"`
	StateName    string      `json:"stateName"`
	City         NamedRef    `json:"city"`
	CityName     string      `json:"cityName"`
	AddressLine1 string      `json:"addressLine1"`
	AddressLine2 string      `json:"addressLine2,omitempty"`
	PostalCode   string      `json:"postalCode,omitempty"`
	Longitude    DecimalText `json:"longitude,omitempty"`
	Latitude     DecimalText `json:"latitude,omitempty"`
	Status       bool        `json:"status"` // true active, false inactive
}

// KYC is a user's complete KYC record.
type KYC struct {
	rawJSON
	UserID             ID              `json:"userId"`
	UserType           UserType        `json:"userType"`
	Email              string          `json:"email,omitempty"`
	Phone              string          `json:"phone,omitempty"`
	CountryCode        string          `json:"countryCode,omitempty"` // dialling code
	Status             KYCStatus       `json:"status"`
	PersonalInfo       *PersonalInfo   `json:"personalInfo,omitempty"`       // nil until submitted
	IdentificationInfo *Identification `json:"identificationInfo,omitempty"` // nil until uploaded; schema unverified
	BusinessInfo       json.RawMessage `json:"businessInfo,omitempty"`       // only for businesses; schema undocumented
	Addresses          []Address       `json:"addresses,omitempty"`          // not in the vendor's table; vaultspaytest sends it
}

// Format prints the record's user, type, status and which parts it holds, for every verb: fmt would
// otherwise print the identification part, document numbers included, under %s and %q.
func (k KYC) Format(f fmt.State, _ rune) {
	docs := 0
	if k.IdentificationInfo != nil {
		docs = len(k.IdentificationInfo.Documents)
	}
	fmt.Fprintf(f, "vaultspay.KYC{UserID: %d, UserType: %s, Status: %s, PersonalInfo: %t, Documents: %d, Addresses: %d}",
		k.UserID, k.UserType, k.Status, k.PersonalInfo != nil, docs, len(k.Addresses))
}

// LogValue logs the record's user, type and status only: its identification part holds document
// numbers, which slog's JSON handler would otherwise print.
func (k KYC) LogValue() slog.Value {
	return slog.GroupValue(slog.Int64("userId", int64(k.UserID)), slog.String("userType", string(k.UserType)),
		slog.String("status", string(k.Status)))
}

// CreatePersonal submits a user's personal info; the KYC status is PENDING until an admin decides.
//
// API: POST /us/api/v1/kyc/personal
// Docs: none (the vendor's page is missing; schema unverified, see CreatePersonalInfoRequest)
// UNKNOWN decided: only userId is required before sending (the update page's rule); vaultspaytest
// also wants firstName, lastName and dob, and refuses a second create with 1010 BAD_REQUEST.
// Retries: only if the request provably never left; otherwise the error wraps ErrOutcomeUnknown.
// Errors: *ValidationError before sending; *APIError with CodeInvalidPayload (e.g. key userId for an
// unknown user) or CodeBadRequest.
func (s *KYCService) CreatePersonal(ctx context.Context, req *CreatePersonalInfoRequest, opts ...RequestOption) (*PersonalInfo, error) {
	return callChecked[PersonalInfo](ctx, s.client, endpoint{method: http.MethodPost, path: "/us/api/v1/kyc/personal", retry: retryIfUnsent}, req, opts)
}

// UpdatePersonal changes the fields set in req. It is allowed only while the KYC status is PENDING.
//
// API: PATCH /us/api/v1/kyc/personal
// Docs: https://apidoc-issuance.vaultspay.dev/users/update-personal-info
// UNKNOWN decided: the answer is decoded wrapped in "data" or bare (the vendor example is bare).
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code (the same body sets the same
// values).
// Errors: *ValidationError before sending; *APIError with CodeBadRequest when the status is not
// PENDING (the vendor does not document the code; vaultspaytest answers 400 1010).
func (s *KYCService) UpdatePersonal(ctx context.Context, req *UpdatePersonalInfoRequest, opts ...RequestOption) (*PersonalInfo, error) {
	return callChecked[PersonalInfo](ctx, s.client, endpoint{method: http.MethodPatch, path: "/us/api/v1/kyc/personal", retry: retrySafe}, req, opts)
}

// CreateAddress stores one address of a type for a user.
//
// API: POST /us/api/v1/kyc/addresses
// Docs: https://apidoc-issuance.vaultspay.dev/users/create-address
// UNKNOWN decided: one address per type; vaultspaytest refuses a second one of the same type with
// 1010 BAD_REQUEST (use UpdateAddress).
// Retries: only if the request provably never left; otherwise the error wraps ErrOutcomeUnknown.
// Errors: *ValidationError before sending; *APIError with CodeInvalidPayload naming unknown ids.
func (s *KYCService) CreateAddress(ctx context.Context, req *CreateAddressRequest, opts ...RequestOption) (*Address, error) {
	if req == nil {
		return nil, errNilRequest
	}
	var v fieldErrors
	v.require("userId", req.UserID > 0)
	v.require("type", req.Type != "")
	v.require("countryId", req.CountryID > 0)
	v.require("stateId", req.StateID > 0)
	v.require("cityId", req.CityID > 0)
	v.require("addressLine1", req.AddressLine1 != "")
	req.AddressFields.validate(&v)
	if err := v.err(); err != nil {
		return nil, err
	}
	return call[Address](ctx, s.client, endpoint{method: http.MethodPost, path: "/us/api/v1/kyc/addresses", retry: retryIfUnsent}, req, opts)
}

// UpdateAddress changes the fields set in req on the user's address of req.Type.
//
// API: PATCH /us/api/v1/kyc/addresses
// Docs: https://apidoc-issuance.vaultspay.dev/users/update-address
// UNKNOWN decided: no KYC-status restriction (none is documented); an address type the user does not
// have is a 1000 INVALID_PAYLOAD on key type in vaultspaytest.
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code (the same body sets the same
// values).
// Errors: *ValidationError before sending; *APIError with CodeInvalidPayload.
func (s *KYCService) UpdateAddress(ctx context.Context, req *UpdateAddressRequest, opts ...RequestOption) (*Address, error) {
	if req == nil {
		return nil, errNilRequest
	}
	var v fieldErrors
	v.require("userId", req.UserID > 0)
	v.require("type", req.Type != "")
	req.AddressFields.validate(&v)
	if err := v.err(); err != nil {
		return nil, err
	}
	return call[Address](ctx, s.client, endpoint{method: http.MethodPatch, path: "/us/api/v1/kyc/addresses", retry: retrySafe}, req, opts)
}

// Get returns a user's full KYC record and its status.
//
// API: GET /us/api/v1/kyc/{userId}
// Docs: https://apidoc-issuance.vaultspay.dev/users/get-kyc
// UNKNOWN decided: a user without KYC data yet is PENDING with nil parts (vaultspaytest); an unknown
// user is 1000 INVALID_PAYLOAD on key userId, like the documented "User does not exist with this id".
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code.
// Errors: *APIError.
func (s *KYCService) Get(ctx context.Context, userID ID, opts ...RequestOption) (*KYC, error) {
	if userID <= 0 {
		return nil, (&fieldErrors{{Key: "userId", Reason: "must be a positive id"}}).err()
	}
	return call[KYC](ctx, s.client, endpoint{method: http.MethodGet, path: "/us/api/v1/kyc/" + userID.String(), retry: retrySafe}, nil, opts)
}
