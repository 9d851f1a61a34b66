package vaultspaytest

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"

	"github.com/vaultspay-go/vaultspay"
)

// kycRecord is a user's KYC data. The status starts PENDING when the user is created and changes only
// through the back office (SetKYCStatus).
type kycRecord struct {
	status    vaultspay.KYCStatus
	personal  *vaultspay.PersonalInfo
	addresses map[vaultspay.AddressType]*vaultspay.Address
	documents []vaultspay.DocumentInfo // metadata only; file content is not kept
}

func (s *Server) kycRoutes() {
	s.handle("POST /us/api/v1/kyc/personal", authRequired, s.createPersonal)
	s.handle("PATCH /us/api/v1/kyc/personal", authRequired, s.updatePersonal)
	s.handle("POST /us/api/v1/kyc/addresses", authRequired, s.createAddress)
	s.handle("PATCH /us/api/v1/kyc/addresses", authRequired, s.updateAddress)
	s.handle("POST /us/api/v1/kyc/identification", authRequired, s.uploadIdentification)
	s.handle("PATCH /us/api/v1/kyc/identification", authRequired, s.updateIdentification)
	s.handle("GET /us/api/v1/kyc/{userId}", authRequired, s.getKYC)
}

var fakeAlpha3 = regexp.MustCompile(`^[A-Z]{3}$`)

// errNoUser is the vendor's documented answer for an unknown user id.
func errNoUser() error {
	return errInvalidPayload(vaultspay.FieldError{Key: "userId", Reason: "User does not exist with this id"})
}

func checkPersonal(bad *checks, f *vaultspay.PersonalInfoFields, today vaultspay.Date) {
	if f.DOB != nil && today.Before(*f.DOB) {
		bad.add("dob", "must be in the past")
	}
	if f.Gender != "" && !f.Gender.IsKnown() {
		bad.add("gender", "must be one of MALE, FEMALE, OTHER")
	}
	for _, c := range []struct{ key, val string }{
		{"nationality", f.Nationality}, {"countryOfBirth", f.CountryOfBirth}, {"countryOfResidence", f.CountryOfResidence},
	} {
		if c.val != "" && !fakeAlpha3.MatchString(c.val) {
			bad.add(c.key, "must be an ISO 3166-1 alpha-3 code")
		}
	}
}

func (s *Server) createPersonal(r *request) (any, error) {
	in, err := decode[personalBody](r)
	if err != nil {
		return nil, err
	}
	var bad checks
	f := in.fields(&bad)
	bad.require("userId", in.UserID > 0)
	bad.require("firstName", strings.TrimSpace(f.FirstName) != "")
	bad.require("lastName", strings.TrimSpace(f.LastName) != "")
	bad.require("dob", f.DOB != nil)
	s.mu.Lock()
	defer s.mu.Unlock()
	checkPersonal(&bad, &f, vaultspay.DateOf(s.nowLocked()))
	if err := bad.err(); err != nil {
		return nil, err
	}
	id := vaultspay.ID(in.UserID)
	u := s.userLocked(id)
	if u == nil {
		return nil, errNoUser()
	}
	if u.kyc.personal != nil {
		return nil, errBadRequest(http.StatusInternalServerError, "Personal info already exists")
	}
	u.kyc.personal = &vaultspay.PersonalInfo{UserID: id, PersonalInfoFields: f}
	return u.personalView(), nil
}

// updatePersonal is allowed only while the KYC status is PENDING (documented); the code for other
// states is not, so the fake answers 400 1010.
func (s *Server) updatePersonal(r *request) (any, error) {
	in, err := decode[personalBody](r)
	if err != nil {
		return nil, err
	}
	var bad checks
	f := in.fields(&bad)
	bad.require("userId", in.UserID > 0)
	s.mu.Lock()
	defer s.mu.Unlock()
	checkPersonal(&bad, &f, vaultspay.DateOf(s.nowLocked()))
	if err := bad.err(); err != nil {
		return nil, err
	}
	u := s.userLocked(vaultspay.ID(in.UserID))
	switch {
	case u == nil:
		return nil, errNoUser()
	case u.kyc.personal == nil:
		return nil, errBadRequest(http.StatusBadRequest, "Personal info does not exist for this user")
	case u.kyc.status != vaultspay.KYCStatusPending:
		return nil, errBadRequest(http.StatusBadRequest, "Personal info can only be updated while KYC status is PENDING")
	}
	mergePersonal(&u.kyc.personal.PersonalInfoFields, f)
	return u.personalView(), nil
}

// mergePersonal copies every field set in in over p.
func mergePersonal(p *vaultspay.PersonalInfoFields, in vaultspay.PersonalInfoFields) {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&p.FirstName, in.FirstName)
	set(&p.LastName, in.LastName)
	set(&p.NickName, in.NickName)
	set(&p.Nationality, in.Nationality)
	set(&p.CountryOfBirth, in.CountryOfBirth)
	set(&p.CountryOfResidence, in.CountryOfResidence)
	if in.TIN != "" {
		p.TIN = in.TIN
	}
	if in.DOB != nil {
		p.DOB = in.DOB
	}
	if in.Gender != "" {
		p.Gender = in.Gender
	}
	if in.MaritalStatus != "" {
		p.MaritalStatus = in.MaritalStatus
	}
	if in.Language != "" {
		p.Language = in.Language
	}
}

// personalView is the answer model (dob as a timestamp, as the vendor's example has it).
func (u *userRecord) personalView() personalWire {
	p := *u.kyc.personal
	p.Status = u.kyc.status
	return personalWireOf(p)
}

// SetKYCStatus is the back-office KYC decision (VERIFIED, REJECTED or back to PENDING). It mirrors
// POST /_fake/kyc/{userId}/status.
func (s *Server) SetKYCStatus(userID vaultspay.ID, status vaultspay.KYCStatus) error {
	if !status.IsKnown() {
		return fmt.Errorf("vaultspaytest: unknown KYC status %q", status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(userID)
	if u == nil {
		return fmt.Errorf("vaultspaytest: no user %d", userID)
	}
	u.kyc.status = status
	return nil
}

func (s *Server) getKYC(r *request) (any, error) {
	id, err := pathID(r, "userId", vaultspay.CodeBadRequest)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(id)
	if u == nil {
		return nil, errNoUser()
	}
	k := kycWire{UserID: u.ID, UserType: string(u.UserType), Email: orNull(u.Email), Phone: orNull(u.Phone),
		CountryCode: orNull(u.CountryCode), Status: string(u.kyc.status), Addresses: []addressWire{}}
	if u.kyc.personal != nil {
		p := u.personalView()
		k.PersonalInfo = &p
	}
	if u.kyc.documents != nil {
		d := u.identificationView()
		k.IdentificationInfo = &d
	}
	for _, a := range u.kyc.addresses {
		k.Addresses = append(k.Addresses, addressWireOf(*a))
	}
	sort.Slice(k.Addresses, func(i, j int) bool { return k.Addresses[i].ID < k.Addresses[j].ID })
	return k, nil
}
