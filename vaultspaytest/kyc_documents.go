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
	in, err := decode[addressBody](r)
	if err != nil {
		return nil, err
	}
	typ := vaultspay.AddressType(in.Type)
	countryID, stateID, cityID := vaultspay.ID(deref(in.CountryID)), vaultspay.ID(deref(in.StateID)), vaultspay.ID(deref(in.CityID))
	var bad checks
	bad.require("userId", in.UserID > 0)
	bad.require("type", typ != "")
	bad.require("countryId", countryID > 0)
	bad.require("stateId", stateID > 0)
	bad.require("cityId", cityID > 0)
	bad.require("addressLine1", strings.TrimSpace(deref(in.AddressLine1)) != "")
	if err := bad.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(vaultspay.ID(in.UserID))
	if u == nil {
		return nil, errNoUser()
	}
	a := &vaultspay.Address{UserID: u.ID, Type: typ, Status: true}
	in.copyTo(a)
	s.resolvePlace(&bad, a, countryID, stateID, cityID)
	if err := bad.err(); err != nil {
		return nil, err
	}
	if u.kyc.addresses[typ] != nil {
		return nil, errBadRequest(http.StatusInternalServerError, "Address of this type already exists")
	}
	s.st.users.nextAddressID++
	a.ID = s.st.users.nextAddressID
	u.kyc.addresses[typ] = a
	return addressWireOf(*a), nil
}

// updateAddress changes the fields sent on the address selected by userId and type.
func (s *Server) updateAddress(r *request) (any, error) {
	in, err := decode[updateAddressBody](r)
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
	u := s.userLocked(vaultspay.ID(in.UserID))
	if u == nil {
		return nil, errNoUser()
	}
	cur := u.kyc.addresses[vaultspay.AddressType(in.Type)]
	if cur == nil {
		return nil, errInvalidPayload(vaultspay.FieldError{Key: "type", Reason: "No address of this type exists for the user"})
	}
	next := *cur
	in.copyTo(&next)
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

// pick is the id sent when it is positive, else def.
func pick(v *int64, def vaultspay.ID) vaultspay.ID {
	if id := vaultspay.ID(deref(v)); id > 0 {
		return id
	}
	return def
}

// checkDocuments applies the SDK's documented limits to an identification body.
func checkDocuments(bad *checks, userID int64, docs []vaultspay.IdentityDocument) {
	bad.require("userId", userID > 0)
	if len(docs) == 0 || len(docs) > vaultspay.MaxDocuments {
		bad.add("documents", fmt.Sprintf("must contain 1 to %d documents", vaultspay.MaxDocuments))
	}
	total := 0
	for i, d := range docs {
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
	in, err := decode[identificationBody](r)
	if err != nil {
		return nil, err
	}
	var bad checks
	docs := in.documents(&bad)
	checkDocuments(&bad, in.UserID, docs)
	if err := bad.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(vaultspay.ID(in.UserID))
	if u == nil {
		return nil, errNoUser()
	}
	if !update && u.kyc.documents != nil {
		return nil, errBadRequest(http.StatusInternalServerError, "Identification already exists")
	}
	now := vaultspay.Time{Time: s.nowLocked().UTC()}
	for _, d := range docs {
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
