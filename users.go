package vaultspay

import (
	"context"
	"regexp"
)

// UsersService creates end users and looks up the location ids (country, state, city) that KYC
// addresses need.
type UsersService service

// UserStatus is a user's account status (separate from the KYC status).
type UserStatus string

// User statuses documented for POST /as/api/v1/users ("One of: ACTIVE, PENDING, BLOCK").
const (
	UserStatusActive  UserStatus = "ACTIVE"
	UserStatusPending UserStatus = "PENDING"
	UserStatusBlock   UserStatus = "BLOCK"
)

// IsKnown reports whether s is a documented value.
func (s UserStatus) IsKnown() bool {
	return s == UserStatusActive || s == UserStatusPending || s == UserStatusBlock
}

// UserType is the kind of a user. The vendor's list ends with "…": unknown values decode as is.
type UserType string

// User types seen in the docs: USER (created users), AGENT (the example parent), ADMIN, MERCHANT.
const (
	UserTypeUser     UserType = "USER"
	UserTypeAgent    UserType = "AGENT"
	UserTypeAdmin    UserType = "ADMIN"
	UserTypeMerchant UserType = "MERCHANT"
)

// IsKnown reports whether t is a documented value.
func (t UserType) IsKnown() bool {
	return t == UserTypeUser || t == UserTypeAgent || t == UserTypeAdmin || t == UserTypeMerchant
}

// CreateUserRequest is the body of POST /as/api/v1/users. Give Email, or CountryCode and Phone, or
// all three. parentId is set by the server from the caller and is not sent.
type CreateUserRequest struct {
	FirstName   string     `json:"firstName"`
	LastName    string     `json:"lastName"`
	Email       string     `json:"email,omitempty"`
	CountryCode string     `json:"countryCode,omitempty"` // dialling code without "+", e.g. "92"
	Phone       string     `json:"phone,omitempty"`       // national number without the country code
	Status      UserStatus `json:"status"`
}

var (
	emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	dialPattern  = regexp.MustCompile(`^[0-9]{1,4}$`)
	phonePattern = regexp.MustCompile(`^[0-9]{4,15}$`)
)

func (r *CreateUserRequest) validate() error {
	var v fieldErrors
	v.require("firstName", r.FirstName != "")
	v.require("lastName", r.LastName != "")
	v.maxLen("firstName", r.FirstName, 100)
	v.maxLen("lastName", r.LastName, 100)
	switch {
	case r.Status == "":
		v.require("status", false)
	case !r.Status.IsKnown():
		v.add("status", "must be one of ACTIVE, PENDING, BLOCK")
	}
	if r.Email == "" && (r.CountryCode == "" || r.Phone == "") {
		v.add("email", "email, or countryCode and phone, must be given")
	}
	if r.Email != "" && !emailPattern.MatchString(r.Email) {
		v.add("email", "must be a valid email address")
	}
	if r.CountryCode != "" && !dialPattern.MatchString(r.CountryCode) {
		v.add("countryCode", "must be 1 to 4 digits without +")
	}
	if r.Phone != "" && !phonePattern.MatchString(r.Phone) {
		v.add("phone", "must be 4 to 15 digits")
	}
	if (r.CountryCode == "") != (r.Phone == "") {
		v.add("phone", "countryCode and phone go together")
	}
	return v.err()
}

// User is a VaultsPay user as returned by Create. Its ID is the userId of every KYC call. The live
// API may omit fields that do not apply (UNKNOWN whether it omits them or sends null).
type User struct {
	rawJSON
	ID          ID         `json:"id"`
	ParentID    ID         `json:"parentId,omitempty"`
	SessionID   *string    `json:"sessionId,omitempty"` // purpose undocumented; usually absent
	Parent      *User      `json:"parent,omitempty"`    // the owning merchant or agent
	UserType    UserType   `json:"userType"`
	FirstName   string     `json:"firstName"`
	LastName    string     `json:"lastName"`
	Email       string     `json:"email,omitempty"`
	Username    string     `json:"username,omitempty"`
	CountryCode string     `json:"countryCode,omitempty"`
	Phone       string     `json:"phone,omitempty"`
	Status      UserStatus `json:"status"`
	FullName    string     `json:"fullName,omitempty"`
	PhoneNumber string     `json:"phoneNumber,omitempty"` // countryCode + phone
}

// proves: a user answer names the user.
func (u *User) proves() bool { return u.ID > 0 }

// Create registers an end user under the calling app, which becomes the user's parent.
//
// API: POST /as/api/v1/users
// Docs: https://apidoc-issuance.vaultspay.dev/users/create-user
// UNKNOWN decided: uniqueness rules are undocumented; vaultspaytest refuses a second user with the
// same email or phone with 1010 BAD_REQUEST, the API's documented answer for duplicates elsewhere.
// Retries: only if the request provably never left; otherwise the error wraps ErrOutcomeUnknown (a
// retry could create a second user).
// Errors: *ValidationError before sending; *APIError with CodeInvalidPayload or CodeBadRequest.
func (s *UsersService) Create(ctx context.Context, req *CreateUserRequest, opts ...RequestOption) (*User, error) {
	if req == nil {
		return nil, errNilRequest()
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	return call[User](ctx, s.client, opUsersCreate.at(), req, opts)
}

// Coordinate is a latitude or longitude, sent by the API as decimal text ("33.92590550"); a JSON
// number decodes too.
type Coordinate = DecimalText

// Country is a country of the location table; its ID is the countryId of states and addresses.
// The countries page is missing from the vendor docs: fields follow the country object embedded in
// cities answers (schema unverified), and RawJSON keeps whatever else the API sends.
type Country struct {
	rawJSON
	ID             ID         `json:"id"`
	Name           string     `json:"name"`
	ISO2           string     `json:"iso2,omitempty"` // ISO 3166-1 alpha-2
	ISO3           string     `json:"iso3,omitempty"` // not in the vendor's tables; vaultspaytest sends it
	PhoneCode      string     `json:"phoneCode,omitempty"`
	Capital        string     `json:"capital,omitempty"`
	Currency       string     `json:"currency,omitempty"` // ISO 4217, e.g. "PKR"
	CurrencySymbol string     `json:"currencySymbol,omitempty"`
	Region         string     `json:"region,omitempty"`
	Latitude       Coordinate `json:"latitude,omitempty"`
	Longitude      Coordinate `json:"longitude,omitempty"`
	Nationality    string     `json:"nationality,omitempty"`
	CreatedAt      *Time      `json:"createdAt,omitempty"`
}

// State is a state or province; its ID is the stateId of cities and addresses.
type State struct {
	rawJSON
	ID        ID         `json:"id"`
	Name      string     `json:"name"`
	Latitude  Coordinate `json:"latitude,omitempty"`
	Longitude Coordinate `json:"longitude,omitempty"`
	CountryID ID         `json:"countryId,omitempty"`
	Country   *Country   `json:"country,omitempty"` // present when embedded in a city
}

// City is a city; its ID is the cityId of addresses.
type City struct {
	rawJSON
	ID        ID         `json:"id"`
	Name      string     `json:"name"`
	Latitude  Coordinate `json:"latitude,omitempty"`
	Longitude Coordinate `json:"longitude,omitempty"`
	Country   *Country   `json:"country,omitempty"`
	State     *State     `json:"state,omitempty"`
}

// ListCountries returns every country of the location table.
//
// API: GET /us/api/v1/countries
// Docs: none (the vendor's page is missing; schema unverified)
// UNKNOWN decided: the list is expected unpaginated like its siblings; if the answer carries a
// pagination object with more pages, ListCountries follows them and returns every country.
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code.
// Errors: *APIError.
func (s *UsersService) ListCountries(ctx context.Context, opts ...RequestOption) ([]Country, error) {
	var out []Country
	for c, err := range iterate(ctx, s.client, &ListOptions{}, opts, func(ctx context.Context, o *ListOptions) (*Page[Country], error) {
		ep := opUsersListCountries.at()
		if o.Page > 1 {
			ep, _ = opUsersListCountries.withQuery(o)
		}
		return listPage[Country](ctx, s.client, ep, opts)
	}) {
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// ListStates returns the states and provinces of a country. The list is fixed reference data, not
// paginated.
//
// API: GET /us/api/v1/states/{countryId}
// Docs: https://apidoc-issuance.vaultspay.dev/users/list-states
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code.
// Errors: *APIError with CodeInvalidCountryID (1401) for a bad countryId.
func (s *UsersService) ListStates(ctx context.Context, countryID ID, opts ...RequestOption) ([]State, error) {
	if err := checkPathID("countryId", countryID); err != nil {
		return nil, err
	}
	return listAll[State](ctx, s.client, opUsersListStates.at(countryID.String()), opts)
}

// ListCities returns the cities of a state. The list is fixed reference data, not paginated.
//
// API: GET /us/api/v1/cities/{stateId}
// Docs: https://apidoc-issuance.vaultspay.dev/users/list-cities
// UNKNOWN decided: the error for a bad stateId is undocumented; expect 400 BAD_REQUEST like states.
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code.
// Errors: *APIError.
func (s *UsersService) ListCities(ctx context.Context, stateID ID, opts ...RequestOption) ([]City, error) {
	if err := checkPathID("stateId", stateID); err != nil {
		return nil, err
	}
	return listAll[City](ctx, s.client, opUsersListCities.at(stateID.String()), opts)
}
