package main

import (
	"context"
	"mime"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/vaultspay-go/vaultspay"
)

func (a *app) kycCommand() *cobra.Command {
	return group("kyc", "read a user's KYC; submit personal info, an address and identity documents",
		&cobra.Command{Use: "get <userId>", Short: "show a user's KYC status and record (document numbers masked)", Args: ids("userId"),
			RunE: a.withIDs(func(ctx context.Context, ids []vaultspay.ID) error { return a.kycGet(ctx, ids[0]) })},
		a.kycPersonal(), a.kycAddress(), a.kycIdentification())
}

func (a *app) kycGet(ctx context.Context, id vaultspay.ID) error {
	c, err := a.sdk()
	if err != nil {
		return err
	}
	k, err := c.KYC.Get(ctx, id)
	if err != nil {
		return err
	}
	k = maskKYC(k)
	fields := []field{{"USER", k.UserID.String()}, {"USER TYPE", string(k.UserType)}, {"STATUS", string(k.Status)},
		{"EMAIL", k.Email}, {"PHONE", strings.TrimSpace(k.CountryCode + " " + k.Phone)}}
	if p := k.PersonalInfo; p != nil {
		dob := ""
		if p.DOB != nil {
			dob = p.DOB.String()
		}
		fields = append(fields, field{"NAME", strings.TrimSpace(p.FirstName + " " + p.LastName)}, field{"DATE OF BIRTH", dob},
			field{"NATIONALITY", p.Nationality}, field{"RESIDENCE", p.CountryOfResidence}, field{"TAX ID", p.TIN.String()},
			field{"PERSONAL INFO", string(p.Status)})
	}
	for _, ad := range k.Addresses {
		fields = append(fields, field{"ADDRESS " + string(ad.Type),
			strings.Join([]string{ad.AddressLine1, ad.CityName, ad.StateName, ad.CountryCode}, ", ")})
	}
	if info := k.IdentificationInfo; info != nil {
		for _, d := range info.Documents {
			fields = append(fields, field{"DOCUMENT", string(d.Type) + " " + d.Number.String() + " " + d.IssuingCountry})
		}
	}
	return a.printRecord(k, fields)
}

// maskKYC returns a copy of k whose document numbers and tax id are masked, so that --output json,
// which encodes the SDK's model (documentNumber in clear, as on the wire), cannot print them.
func maskKYC(k *vaultspay.KYC) *vaultspay.KYC {
	out := *k
	if k.PersonalInfo != nil {
		p := *k.PersonalInfo
		p.TIN = vaultspay.TaxID(p.TIN.String()) // masked: last two characters
		out.PersonalInfo = &p
	}
	if k.IdentificationInfo != nil {
		info := *k.IdentificationInfo
		info.Documents = maskDocuments(k.IdentificationInfo.Documents)
		out.IdentificationInfo = &info
	}
	return &out
}

func maskDocuments(docs []vaultspay.DocumentInfo) []vaultspay.DocumentInfo {
	out := make([]vaultspay.DocumentInfo, len(docs))
	for i, d := range docs {
		d.Number = vaultspay.DocumentNumber(d.Number.String())
		out[i] = d
	}
	return out
}

// dateFlag is a YYYY-MM-DD flag filling a *vaultspay.Date (nil until set).
type dateFlag struct{ d **vaultspay.Date }

func (f dateFlag) String() string {
	if f.d == nil || *f.d == nil {
		return ""
	}
	return (*f.d).String()
}
func (f dateFlag) Type() string { return "YYYY-MM-DD" }
func (f dateFlag) Set(s string) error {
	d, err := vaultspay.ParseDate(s)
	if err != nil {
		return err
	}
	*f.d = &d
	return nil
}

func (a *app) kycPersonal() *cobra.Command {
	var r vaultspay.CreatePersonalInfoRequest
	cmd := &cobra.Command{Use: "personal", Short: "submit a user's personal information", Args: cobra.NoArgs}
	fs := cmd.Flags()
	fs.Var((*idValue)(&r.UserID), "user-id", "the user (required)")
	f := &r.PersonalInfoFields
	fs.StringVar(&f.FirstName, "first-name", "", "first name")
	fs.StringVar(&f.LastName, "last-name", "", "last name")
	fs.Var(dateFlag{&f.DOB}, "dob", "date of birth")
	fs.StringVar((*string)(&f.Gender), "gender", "", "MALE, FEMALE or OTHER")
	fs.StringVar((*string)(&f.MaritalStatus), "marital-status", "", "e.g. SINGLE, MARRIED")
	fs.StringVar(&f.Nationality, "nationality", "", "ISO 3166-1 alpha-3, e.g. ARE")
	fs.StringVar(&f.CountryOfBirth, "country-of-birth", "", "ISO 3166-1 alpha-3")
	fs.StringVar(&f.CountryOfResidence, "country-of-residence", "", "ISO 3166-1 alpha-3")
	fs.StringVar((*string)(&f.Language), "language", "", "e.g. ENGLISH")
	cmd.RunE = a.do(func(ctx context.Context, _ []string) error {
		c, err := a.sdk()
		if err != nil {
			return err
		}
		p, err := c.KYC.CreatePersonal(ctx, &r)
		if err != nil {
			return err
		}
		return a.printRecord(p, []field{{"USER", p.UserID.String()}, {"NAME", p.FirstName + " " + p.LastName},
			{"NATIONALITY", p.Nationality}, {"STATUS", string(p.Status)}})
	})
	return cmd
}

func (a *app) kycAddress() *cobra.Command {
	var r vaultspay.CreateAddressRequest
	cmd := &cobra.Command{Use: "address", Short: "add a user's address (ids from the API's country, state and city lists)", Args: cobra.NoArgs}
	fs := cmd.Flags()
	fs.Var((*idValue)(&r.UserID), "user-id", "the user (required)")
	fs.StringVar((*string)(&r.Type), "type", string(vaultspay.AddressTypeResidential), "RESIDENTIAL, MAILING or BUSINESS")
	f := &r.AddressFields
	fs.Var((*idValue)(&f.CountryID), "country-id", "country id")
	fs.Var((*idValue)(&f.StateID), "state-id", "state id")
	fs.Var((*idValue)(&f.CityID), "city-id", "city id")
	fs.StringVar(&f.AddressLine1, "line1", "", "street and number")
	fs.StringVar(&f.AddressLine2, "line2", "", "apartment, suite, floor")
	fs.StringVar(&f.PostalCode, "postal-code", "", "postal code")
	cmd.RunE = a.do(func(ctx context.Context, _ []string) error {
		c, err := a.sdk()
		if err != nil {
			return err
		}
		ad, err := c.KYC.CreateAddress(ctx, &r)
		if err != nil {
			return err
		}
		return a.printRecord(ad, []field{{"ID", ad.ID.String()}, {"USER", ad.UserID.String()}, {"TYPE", string(ad.Type)},
			{"ADDRESS", strings.Join([]string{ad.AddressLine1, ad.CityName, ad.StateName, ad.CountryCode}, ", ")}})
	})
	return cmd
}

func (a *app) kycIdentification() *cobra.Command {
	var (
		r    vaultspay.IdentificationRequest
		d    vaultspay.IdentityDocument
		file string
	)
	cmd := &cobra.Command{Use: "identification", Short: "upload an identity document from a file (JPEG, PNG or PDF)", Args: cobra.NoArgs}
	fs := cmd.Flags()
	fs.Var((*idValue)(&r.UserID), "user-id", "the user (required)")
	fs.StringVar((*string)(&d.Type), "document-type", string(vaultspay.DocumentTypePassport), "PASSPORT, NATIONAL_ID, EMIRATES_ID, DRIVING_LICENSE or RESIDENCE_PERMIT")
	fs.StringVar((*string)(&d.Number), "number", "", "the document's number (never printed back in full)")
	fs.Var(dateFlag{&d.IssueDate}, "issue-date", "issue date")
	fs.Var(dateFlag{&d.ExpiryDate}, "expiry-date", "expiry date")
	fs.StringVar(&d.IssuingCountry, "issuing-country", "", "ISO 3166-1 alpha-3")
	fs.StringVar(&file, "file", "", "the scan: a .jpg, .png or .pdf file (required)")
	cmd.RunE = a.do(func(ctx context.Context, _ []string) error {
		if file == "" {
			return usagef("kyc identification: --file is required")
		}
		content, err := os.ReadFile(file)
		if err != nil {
			return usagef("kyc identification: --file: %v", err)
		}
		d.Content, d.FileName = content, filepath.Base(file)
		d.ContentType = strings.TrimSpace(strings.Split(mime.TypeByExtension(strings.ToLower(filepath.Ext(file))), ";")[0])
		r.Documents = []vaultspay.IdentityDocument{d}
		c, err := a.sdk()
		if err != nil {
			return err
		}
		ident, err := c.KYC.UploadIdentification(ctx, &r)
		if err != nil {
			return err
		}
		ident.Documents = maskDocuments(ident.Documents)
		fields := []field{{"USER", ident.UserID.String()}, {"STATUS", string(ident.Status)}}
		for _, doc := range ident.Documents {
			fields = append(fields, field{"DOCUMENT", string(doc.Type) + " " + doc.Number.String() + " " + doc.FileName})
		}
		return a.printRecord(ident, fields)
	})
	return cmd
}

var _ pflag.Value = dateFlag{}
