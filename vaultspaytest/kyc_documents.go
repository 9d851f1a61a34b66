package vaultspaytest

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/vaultspay-go/vaultspay"
)

// resolvePlace checks that the country, state and city ids exist and nest, adding one field error per
// bad id, and fills the names and the alpha-3 code from the ids (as the vendor's examples show).
func (s *Server) resolvePlace(bad *checks, a *vaultspay.Address, countryID, stateID, cityID vaultspay.ID) {
	places := s.st.users.places
	country, state, city := places.country(countryID), places.state(stateID), places.city(cityID)
	switch {
	case country == nil:
		bad.add("countryId", "Country does not exist with this id")
	case state == nil:
		bad.add("stateId", "State does not exist with this id")
	case state.CountryID != countryID:
		bad.add("stateId", "State does not belong to the country")
	case city == nil:
		bad.add("cityId", "City does not exist with this id")
	case city.State.ID != stateID:
		bad.add("cityId", "City does not belong to the state")
	default:
		a.Country = vaultspay.NamedRef{ID: country.ID, Name: country.Name}
		a.CountryCode = country.ISO3
		a.State = vaultspay.NamedRef{ID: state.ID, Name: state.Name}
		a.StateName = state.Name
		a.City = vaultspay.NamedRef{ID: city.ID, Name: city.Name}
		a.CityName = city.Name
	}
}

// createAddress keeps one address per type and user; a second one of a type is 500 1010.
func (s *Server) createAddress(r *request) (any, error) {
	in, err := decode[vaultspay.CreateAddressRequest](r)
	if err != nil {
		return nil, err
	}
	var bad checks
	bad.require("userId", in.UserID > 0)
	bad.require("type", in.Type != "")
	bad.require("countryId", in.CountryID > 0)
	bad.require("stateId", in.StateID > 0)
	bad.require("cityId", in.CityID > 0)
	bad.require("addressLine1", strings.TrimSpace(in.AddressLine1) != "")
	if err := bad.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(in.UserID)
	if u == nil {
		return nil, errNoUser()
	}
	a := &vaultspay.Address{UserID: in.UserID, Type: in.Type, Status: true}
	copyAddress(a, in.AddressFields)
	s.resolvePlace(&bad, a, in.CountryID, in.StateID, in.CityID)
	if err := bad.err(); err != nil {
		return nil, err
	}
	if u.kyc.addresses[in.Type] != nil {
		return nil, errBadRequest(http.StatusInternalServerError, "Address of this type already exists")
	}
	s.st.users.nextAddressID++
	a.ID = s.st.users.nextAddressID
	u.kyc.addresses[in.Type] = a
	return addressWireOf(*a), nil
}

// updateAddress changes the fields sent on the address selected by userId and type.
func (s *Server) updateAddress(r *request) (any, error) {
	in, err := decode[vaultspay.UpdateAddressRequest](r)
	if err != nil {
		return nil, err
	}
	var bad checks
	bad.require("userId", in.UserID > 0)
	bad.require("type", in.Type != "")
	if err := bad.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(in.UserID)
	if u == nil {
		return nil, errNoUser()
	}
	cur := u.kyc.addresses[in.Type]
	if cur == nil {
		return nil, errInvalidPayload(vaultspay.FieldError{Key: "type", Reason: "No address of this type exists for the user"})
	}
	next := *cur
	copyAddress(&next, in.AddressFields)
	countryID, stateID, cityID := pick(in.CountryID, cur.Country.ID), pick(in.StateID, cur.State.ID), pick(in.CityID, cur.City.ID)
	s.resolvePlace(&bad, &next, countryID, stateID, cityID)
	if err := bad.err(); err != nil {
		return nil, err
	}
	if in.Status != nil {
		next.Status = *in.Status
	}
	*cur = next
	return addressWireOf(*cur), nil
}

func pick(v, def vaultspay.ID) vaultspay.ID {
	if v > 0 {
		return v
	}
	return def
}

// copyAddress copies the free-text fields that are set; names and codes come from the ids.
func copyAddress(a *vaultspay.Address, in vaultspay.AddressFields) {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&a.AddressLine1, in.AddressLine1)
	set(&a.AddressLine2, in.AddressLine2)
	set(&a.PostalCode, in.PostalCode)
	if in.Longitude != "" {
		a.Longitude = in.Longitude
	}
	if in.Latitude != "" {
		a.Latitude = in.Latitude
	}
}

// checkDocuments applies the SDK's documented limits to an identification body.
func checkDocuments(bad *checks, in *vaultspay.IdentificationRequest) {
	bad.require("userId", in.UserID > 0)
	if len(in.Documents) == 0 || len(in.Documents) > vaultspay.MaxDocuments {
		bad.add("documents", fmt.Sprintf("must contain 1 to %d documents", vaultspay.MaxDocuments))
	}
	total := 0
	for i, d := range in.Documents {
		key := func(f string) string { return fmt.Sprintf("documents[%d].%s", i, f) }
		bad.require(key("documentType"), d.Type != "")
		bad.require(key("documentNumber"), d.Number != "")
		bad.require(key("fileName"), strings.TrimSpace(d.FileName) != "")
		switch d.ContentType {
		case vaultspay.ContentTypeJPEG, vaultspay.ContentTypePNG, vaultspay.ContentTypePDF:
		default:
			bad.add(key("contentType"), "must be one of image/jpeg, image/png, application/pdf")
		}
		switch {
		case len(d.Content) == 0:
			bad.require(key("content"), false)
		case len(d.Content) > vaultspay.MaxDocumentSize:
			bad.add(key("content"), fmt.Sprintf("must be at most %d bytes", vaultspay.MaxDocumentSize))
		}
		if d.IssueDate != nil && d.ExpiryDate != nil && !d.IssueDate.Before(*d.ExpiryDate) {
			bad.add(key("expiryDate"), "must be after issueDate")
		}
		total += len(d.Content)
	}
	if total > vaultspay.MaxIdentificationSize {
		bad.add("documents", fmt.Sprintf("files must total at most %d bytes", vaultspay.MaxIdentificationSize))
	}
}

func (s *Server) uploadIdentification(r *request) (any, error) { return s.identification(r, false) }

func (s *Server) updateIdentification(r *request) (any, error) { return s.identification(r, true) }

// identification stores document metadata. An upload when documents exist is 500 1010; an update
// replaces the documents of the types sent and adds the others.
func (s *Server) identification(r *request, update bool) (any, error) {
	in, err := decode[vaultspay.IdentificationRequest](r)
	if err != nil {
		return nil, err
	}
	var bad checks
	checkDocuments(&bad, &in)
	if err := bad.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(in.UserID)
	if u == nil {
		return nil, errNoUser()
	}
	if !update && u.kyc.documents != nil {
		return nil, errBadRequest(http.StatusInternalServerError, "Identification already exists")
	}
	now := vaultspay.Time{Time: s.nowLocked().UTC()}
	for _, d := range in.Documents {
		s.st.users.nextDocumentID++
		info := vaultspay.DocumentInfo{ID: s.st.users.nextDocumentID, Type: d.Type, Number: d.Number, IssueDate: d.IssueDate,
			ExpiryDate: d.ExpiryDate, IssuingCountry: d.IssuingCountry, FileName: d.FileName, ContentType: d.ContentType,
			Size: int64(len(d.Content)), UploadedAt: &now}
		replaced := false
		for i := range u.kyc.documents {
			if update && u.kyc.documents[i].Type == d.Type {
				u.kyc.documents[i], replaced = info, true
			}
		}
		if !replaced {
			u.kyc.documents = append(u.kyc.documents, info)
		}
	}
	return u.identificationView(), nil
}

func (u *userRecord) identificationView() identificationWire {
	return identificationWireOf(u.ID, u.kyc.documents, u.kyc.status)
}
