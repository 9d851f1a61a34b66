package vaultspaytest

import (
	"time"

	"github.com/vaultspay-go/vaultspay"
)

// The fake's wire types for KYC answers: every documented field present, null when not given.

// personalWire is the personal-info answer. dob is answered as the vendor's example shows it, a
// timestamp at midnight UTC ("1990-05-15T00:00:00.000+00:00"), though it is sent as YYYY-MM-DD.
type personalWire struct {
	UserID             vaultspay.ID    `json:"userId"`
	FirstName          *string         `json:"firstName"`
	LastName           *string         `json:"lastName"`
	NickName           *string         `json:"nickName"`
	DOB                *vaultspay.Time `json:"dob"`
	Gender             *string         `json:"gender"`
	MaritalStatus      *string         `json:"maritalStatus"`
	Nationality        *string         `json:"nationality"`
	CountryOfBirth     *string         `json:"countryOfBirth"`
	CountryOfResidence *string         `json:"countryOfResidence"`
	Language           *string         `json:"language"`
	TIN                *string         `json:"tin"`
	Status             string          `json:"status"`
}

func personalWireOf(p vaultspay.PersonalInfo) personalWire {
	out := personalWire{UserID: p.UserID, FirstName: orNull(p.FirstName), LastName: orNull(p.LastName), NickName: orNull(p.NickName),
		Gender: orNull(string(p.Gender)), MaritalStatus: orNull(string(p.MaritalStatus)), Nationality: orNull(p.Nationality),
		CountryOfBirth: orNull(p.CountryOfBirth), CountryOfResidence: orNull(p.CountryOfResidence),
		Language: orNull(string(p.Language)), TIN: orNull(p.TIN.Reveal()), Status: string(p.Status)}
	if d := p.DOB; d != nil {
		out.DOB = &vaultspay.Time{Time: time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)}
	}
	return out
}

// identificationWire is the identification answer (document metadata, never the files).
type identificationWire struct {
	UserID    vaultspay.ID   `json:"userId"`
	Documents []documentWire `json:"documents"`
	Status    string         `json:"status"`
}

type documentWire struct {
	ID             vaultspay.ID             `json:"id"`
	Type           string                   `json:"documentType"`
	Number         vaultspay.DocumentNumber `json:"documentNumber"`
	IssueDate      *vaultspay.Date          `json:"issueDate"`
	ExpiryDate     *vaultspay.Date          `json:"expiryDate"`
	IssuingCountry *string                  `json:"issuingCountry"`
	FileName       string                   `json:"fileName"`
	ContentType    string                   `json:"contentType"`
	Size           int64                    `json:"size"`
	UploadedAt     *vaultspay.Time          `json:"uploadedAt"`
}

func identificationWireOf(userID vaultspay.ID, docs []vaultspay.DocumentInfo, status vaultspay.KYCStatus) identificationWire {
	out := identificationWire{UserID: userID, Documents: []documentWire{}, Status: string(status)}
	for _, d := range docs {
		out.Documents = append(out.Documents, documentWire{ID: d.ID, Type: string(d.Type), Number: d.Number, IssueDate: d.IssueDate,
			ExpiryDate: d.ExpiryDate, IssuingCountry: orNull(d.IssuingCountry), FileName: d.FileName, ContentType: d.ContentType,
			Size: d.Size, UploadedAt: d.UploadedAt})
	}
	return out
}

// kycWire is GET /us/api/v1/kyc/{userId}. addresses is the fake's addition (not documented).
type kycWire struct {
	UserID             vaultspay.ID        `json:"userId"`
	UserType           string              `json:"userType"`
	Email              *string             `json:"email"`
	Phone              *string             `json:"phone"`
	CountryCode        *string             `json:"countryCode"`
	Status             string              `json:"status"`
	PersonalInfo       *personalWire       `json:"personalInfo"`
	IdentificationInfo *identificationWire `json:"identificationInfo"`
	BusinessInfo       any                 `json:"businessInfo"` // null: the fake has no business users
	Addresses          []addressWire       `json:"addresses"`
}

// addressWire is a KYC address answer.
type addressWire struct {
	ID           vaultspay.ID       `json:"id"`
	UserID       vaultspay.ID       `json:"userId"`
	Type         string             `json:"type"`
	Country      vaultspay.NamedRef `json:"country"`
	CountryCode  string             `json:"countryCode"`
	State        vaultspay.NamedRef `json:"state"`
	StateName    string             `json:"stateName"`
	City         vaultspay.NamedRef `json:"city"`
	CityName     string             `json:"cityName"`
	AddressLine1 string             `json:"addressLine1"`
	AddressLine2 *string            `json:"addressLine2"`
	PostalCode   *string            `json:"postalCode"`
	Longitude    *string            `json:"longitude"`
	Latitude     *string            `json:"latitude"`
	Status       bool               `json:"status"`
}

func addressWireOf(a vaultspay.Address) addressWire {
	return addressWire{ID: a.ID, UserID: a.UserID, Type: string(a.Type), Country: a.Country, CountryCode: a.CountryCode,
		State: a.State, StateName: a.StateName, City: a.City, CityName: a.CityName, AddressLine1: a.AddressLine1,
		AddressLine2: orNull(a.AddressLine2), PostalCode: orNull(a.PostalCode), Longitude: orNull(string(a.Longitude)),
		Latitude: orNull(string(a.Latitude)), Status: a.Status}
}
