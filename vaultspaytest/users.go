package vaultspaytest

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/vaultspay-go/vaultspay"
)

// userRecord is a user of the fake; other areas (KYC, accounts, cards) look users up by id.
type userRecord struct {
	vaultspay.User
	kyc kycRecord
}

// usersState holds users, the app's own agent (every created user's parent) and the location table.
type usersState struct {
	users          map[vaultspay.ID]*userRecord
	nextID         vaultspay.ID
	nextAddressID  vaultspay.ID
	nextDocumentID vaultspay.ID
	agent          vaultspay.User
	places         *locations
}

func newUsersState(now vaultspay.Time) usersState {
	agent := vaultspay.User{ID: 4, UserType: vaultspay.UserTypeAgent, FirstName: "Default", LastName: "Agent",
		Email: "default.agent@vaultspay.ae", Username: "default.agent", CountryCode: "971", Phone: "500000004",
		Status: vaultspay.UserStatusActive, FullName: "Default Agent", PhoneNumber: "971500000004"}
	return usersState{users: map[vaultspay.ID]*userRecord{}, nextID: 600, agent: agent, places: newLocations(now)}
}

func (s *Server) userRoutes() {
	s.handle("POST /as/api/v1/users", authRequired, s.createUser)
	s.handle("GET /us/api/v1/countries", authRequired, s.listCountries)
	s.handle("GET /us/api/v1/states/{countryId}", authRequired, s.listStates)
	s.handle("GET /us/api/v1/cities/{stateId}", authRequired, s.listCities)
}

var (
	fakeEmail  = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	fakeDigits = regexp.MustCompile(`^[0-9]+$`)
)

// createUser validates every field at once (422 1000) and refuses a second user with the same email
// or phone with 500 1010, the API's documented answer for duplicates ("Payment Contact already exists").
func (s *Server) createUser(r *request) (any, error) {
	in, err := decode[createUserBody](r)
	if err != nil {
		return nil, err
	}
	email, dial, phone := deref(in.Email), deref(in.CountryCode), deref(in.Phone)
	status := vaultspay.UserStatus(in.Status)
	var bad checks
	bad.require("firstName", strings.TrimSpace(in.FirstName) != "")
	bad.require("lastName", strings.TrimSpace(in.LastName) != "")
	if !status.IsKnown() {
		bad.add("status", "must be one of ACTIVE, PENDING, BLOCK")
	}
	if email == "" && (dial == "" || phone == "") {
		bad.add("email", "email or countryCode and phone must be provided")
	}
	if email != "" && !fakeEmail.MatchString(email) {
		bad.add("email", "must be a well-formed email address")
	}
	if dial != "" && (!fakeDigits.MatchString(dial) || len(dial) > 4) {
		bad.add("countryCode", "must be a dialling code of 1 to 4 digits")
	}
	if phone != "" && (!fakeDigits.MatchString(phone) || len(phone) < 4 || len(phone) > 15) {
		bad.add("phone", "must be 4 to 15 digits")
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	us := &s.st.users
	for _, u := range us.users {
		if email != "" && strings.EqualFold(u.Email, email) {
			return nil, errBadRequest(http.StatusInternalServerError, "User already exists with this email")
		}
		if phone != "" && u.CountryCode == dial && u.Phone == phone {
			return nil, errBadRequest(http.StatusInternalServerError, "User already exists with this phone")
		}
	}
	us.nextID++
	agent := us.agent
	u := &userRecord{kyc: kycRecord{status: vaultspay.KYCStatusPending, addresses: map[vaultspay.AddressType]*vaultspay.Address{}},
		User: vaultspay.User{ID: us.nextID, ParentID: agent.ID, Parent: &agent, UserType: vaultspay.UserTypeUser,
			FirstName: in.FirstName, LastName: in.LastName, Email: email, CountryCode: dial, Phone: phone,
			Status: status, FullName: in.FirstName + " " + in.LastName,
			Username: fmt.Sprintf("%s.%s%d", strings.ToLower(in.FirstName), strings.ToLower(in.LastName), us.nextID)}}
	if phone != "" {
		u.PhoneNumber = dial + phone
	}
	us.users[u.ID] = u
	return userWireOf(u.User), nil
}

func (s *Server) listCountries(*request) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []countryWire{}
	for _, c := range s.st.users.places.countries {
		out = append(out, countryWireOf(c))
	}
	return out, nil
}

// listStates answers the documented 400 1401 for a countryId that is not a positive integer, and an
// empty list for an unknown one (UNKNOWN in the docs).
func (s *Server) listStates(r *request) (any, error) {
	id, err := pathID(r, "countryId", vaultspay.CodeInvalidCountryID)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []stateWire{}
	for _, st := range s.st.users.places.statesOf(id) {
		out = append(out, stateWire{ID: st.ID, Name: st.Name, Latitude: string(st.Latitude), Longitude: string(st.Longitude),
			CountryID: st.CountryID})
	}
	return out, nil
}

func (s *Server) listCities(r *request) (any, error) {
	id, err := pathID(r, "stateId", vaultspay.CodeBadRequest)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []cityWire{}
	for _, c := range s.st.users.places.citiesOf(id) {
		out = append(out, cityWireOf(c))
	}
	return out, nil
}

// userLocked returns the user with id, or nil; s.mu must be held.
func (s *Server) userLocked(id vaultspay.ID) *userRecord { return s.st.users.users[id] }
