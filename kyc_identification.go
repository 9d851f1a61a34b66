package vaultspay

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DocumentType is the kind of an identity document. The vendor's identification pages are missing,
// so these values are ours (schema unverified); any other value is sent as given.
type DocumentType string

// Document types offered until the vendor documents its list.
const (
	DocumentTypePassport        DocumentType = "PASSPORT"
	DocumentTypeNationalID      DocumentType = "NATIONAL_ID"
	DocumentTypeEmiratesID      DocumentType = "EMIRATES_ID"
	DocumentTypeDrivingLicense  DocumentType = "DRIVING_LICENSE"
	DocumentTypeResidencePermit DocumentType = "RESIDENCE_PERMIT"
)

// IsKnown reports whether t is one of the constants above.
func (t DocumentType) IsKnown() bool {
	switch t {
	case DocumentTypePassport, DocumentTypeNationalID, DocumentTypeEmiratesID, DocumentTypeDrivingLicense, DocumentTypeResidencePermit:
		return true
	}
	return false
}

// DocumentNumber is the number printed on an identity document. It prints masked (last 2 characters
// kept) with every fmt verb and in slog, and is sent as is on the wire.
type DocumentNumber string

// String masks all but the last two characters.
func (n DocumentNumber) String() string { return maskTail(string(n)) }

// maskTail masks an identifying number, keeping its last two characters when it is long enough
// that they say little ("AB1234567" prints "****67"); "" stays "".
func maskTail(s string) string {
	if s == "" {
		return ""
	}
	if len(s) <= 4 {
		return "****"
	}
	return "****" + s[len(s)-2:]
}

// Format masks n for every verb.
func (n DocumentNumber) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, n.String()) }

// LogValue masks n in slog.
func (n DocumentNumber) LogValue() slog.Value { return slog.StringValue(n.String()) }

// Reveal returns the number: the one deliberate way out.
func (n DocumentNumber) Reveal() string { return string(n) }

// Content types and size accepted for a document file, checked before sending. The vendor documents
// no limits; these are ours, and vaultspaytest enforces the same.
const (
	MaxDocumentSize       = 5 << 20  // bytes of one file's content, before Base64
	MaxIdentificationSize = 10 << 20 // bytes of all files of one request, before Base64
	MaxDocuments          = 5        // per request
)

// File types accepted for identity documents.
const (
	ContentTypeJPEG = "image/jpeg"
	ContentTypePNG  = "image/png"
	ContentTypePDF  = "application/pdf"
)

// IdentityDocument is one identity document with its scan. Content travels as standard Base64 inside
// the JSON body (the wire format is undocumented; see UploadIdentification). It never prints its
// number or content.
type IdentityDocument struct {
	Type           DocumentType   `json:"documentType"`
	Number         DocumentNumber `json:"documentNumber"`
	IssueDate      *Date          `json:"issueDate,omitempty"`
	ExpiryDate     *Date          `json:"expiryDate,omitempty"`
	IssuingCountry string         `json:"issuingCountry,omitempty"` // ISO 3166-1 alpha-3
	FileName       string         `json:"fileName"`
	ContentType    string         `json:"contentType"` // ContentTypeJPEG, ContentTypePNG or ContentTypePDF
	Content        []byte         `json:"content"`     // the file; Base64 on the wire
}

// String describes the document without its number or content.
func (d IdentityDocument) String() string {
	return fmt.Sprintf("vaultspay.IdentityDocument{Type: %s, Number: %s, FileName: %q, ContentType: %q, Content: %d bytes}",
		d.Type, d.Number, d.FileName, d.ContentType, len(d.Content))
}

// Format prints String for every verb.
func (d IdentityDocument) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, d.String()) }

// LogValue logs the document without its number or content.
func (d IdentityDocument) LogValue() slog.Value {
	return slog.GroupValue(slog.String("type", string(d.Type)), slog.String("number", d.Number.String()),
		slog.String("fileName", d.FileName), slog.Int("size", len(d.Content)))
}

func (d *IdentityDocument) validate(v *fieldErrors, i int, today Date) {
	key := func(f string) string { return fmt.Sprintf("documents[%d].%s", i, f) }
	v.require(key("documentType"), d.Type != "")
	v.require(key("documentNumber"), d.Number != "")
	v.maxLen(key("documentNumber"), string(d.Number), 50)
	v.require(key("fileName"), strings.TrimSpace(d.FileName) != "")
	if !validContentType(d.ContentType) {
		v.add(key("contentType"), "must be one of image/jpeg, image/png, application/pdf")
	}
	switch {
	case len(d.Content) == 0:
		v.require(key("content"), false)
	case len(d.Content) > MaxDocumentSize:
		v.add(key("content"), fmt.Sprintf("must be at most %d bytes", MaxDocumentSize))
	}
	if d.IssueDate != nil && (!d.IssueDate.Valid() || today.Before(*d.IssueDate)) {
		v.add(key("issueDate"), "must be a real date, not in the future")
	}
	if d.ExpiryDate != nil && !d.ExpiryDate.Valid() {
		v.add(key("expiryDate"), "must be a real date")
	}
	if d.IssueDate != nil && d.ExpiryDate != nil && !d.IssueDate.Before(*d.ExpiryDate) {
		v.add(key("expiryDate"), "must be after issueDate")
	}
	if d.IssuingCountry != "" && !alpha3.MatchString(d.IssuingCountry) {
		v.add(key("issuingCountry"), "must be an ISO 3166-1 alpha-3 code")
	}
}

func validContentType(ct string) bool {
	return ct == ContentTypeJPEG || ct == ContentTypePNG || ct == ContentTypePDF
}

// IdentificationRequest is the body of POST and PATCH /us/api/v1/kyc/identification. Both vendor pages
// are missing (schema unverified): documents go as JSON with Base64 content, and Extra is merged into
// the body (winning on a clash) for whatever the live API turns out to need.
type IdentificationRequest struct {
	UserID    ID                 `json:"userId"`
	Documents []IdentityDocument `json:"documents"`
	Extra     map[string]any     `json:"-"`
}

// MarshalJSON merges Extra into the body.
func (r IdentificationRequest) MarshalJSON() ([]byte, error) {
	type plain IdentificationRequest
	return marshalWithExtra(plain(r), r.Extra)
}

// UnmarshalJSON reads what MarshalJSON writes; keys that name no field go to Extra.
func (r *IdentificationRequest) UnmarshalJSON(b []byte) error {
	type plain IdentificationRequest
	return unmarshalWithExtra(b, (*plain)(r), &r.Extra)
}

// LogValue logs the user id and the documents without their numbers or content (the JSON form, which
// slog's JSON handler would otherwise print, carries both).
func (r IdentificationRequest) LogValue() slog.Value {
	docs := make([]slog.Attr, len(r.Documents))
	for i, d := range r.Documents {
		docs[i] = slog.Any(strconv.Itoa(i), d)
	}
	return slog.GroupValue(slog.Int64("userId", int64(r.UserID)), slog.Attr{Key: "documents", Value: slog.GroupValue(docs...)})
}

func (r *IdentificationRequest) validate(today Date) error {
	var v fieldErrors
	v.require("userId", r.UserID > 0)
	switch {
	case len(r.Documents) == 0:
		v.add("documents", "must contain at least one document")
	case len(r.Documents) > MaxDocuments:
		v.add("documents", fmt.Sprintf("must contain at most %d documents", MaxDocuments))
	}
	total := 0
	for i := range r.Documents {
		r.Documents[i].validate(&v, i, today)
		total += len(r.Documents[i].Content)
	}
	if total > MaxIdentificationSize {
		v.add("documents", fmt.Sprintf("files must total at most %d bytes", MaxIdentificationSize))
	}
	return v.err()
}

// DocumentInfo is the stored metadata of an uploaded document (schema unverified: the shape
// vaultspaytest answers; RawJSON keeps the live API's).
type DocumentInfo struct {
	ID             ID             `json:"id"`
	Type           DocumentType   `json:"documentType"`
	Number         DocumentNumber `json:"documentNumber"`
	IssueDate      *Date          `json:"issueDate,omitempty"`
	ExpiryDate     *Date          `json:"expiryDate,omitempty"`
	IssuingCountry string         `json:"issuingCountry,omitempty"`
	FileName       string         `json:"fileName"`
	ContentType    string         `json:"contentType"`
	Size           int64          `json:"size"` // bytes
	UploadedAt     *Time          `json:"uploadedAt,omitempty"`
}

// Identification is a user's identification record (schema unverified).
type Identification struct {
	rawJSON
	UserID    ID             `json:"userId"`
	Documents []DocumentInfo `json:"documents"`
	Status    KYCStatus      `json:"status,omitempty"`
}

// LogValue logs the document's metadata with its number masked (slog's JSON handler would otherwise
// print the JSON form, number included).
func (d DocumentInfo) LogValue() slog.Value {
	return slog.GroupValue(slog.Int64("id", int64(d.ID)), slog.String("type", string(d.Type)),
		slog.String("number", d.Number.String()), slog.String("fileName", d.FileName), slog.Int64("size", d.Size))
}

// LogValue logs the record with every document number masked.
func (i Identification) LogValue() slog.Value {
	docs := make([]slog.Attr, len(i.Documents))
	for n, d := range i.Documents {
		docs[n] = slog.Any(strconv.Itoa(n), d)
	}
	return slog.GroupValue(slog.Int64("userId", int64(i.UserID)), slog.String("status", string(i.Status)),
		slog.Attr{Key: "documents", Value: slog.GroupValue(docs...)})
}

// UploadIdentification uploads a user's identity documents.
//
// API: POST /us/api/v1/kyc/identification
// Docs: none (the vendor's page is missing; schema unverified)
// UNKNOWN decided: JSON with Base64 file content (the platform's bodies are JSON and the envelope
// encrypts one string), at most MaxDocuments files of MaxDocumentSize bytes each and
// MaxIdentificationSize in all, of
// JPEG, PNG or PDF; use IdentificationRequest.Extra if the live API wants more.
// Retries: only if the request provably never left; otherwise the error wraps ErrOutcomeUnknown.
// Errors: *ValidationError before sending (never echoing numbers or content); *APIError.
func (s *KYCService) UploadIdentification(ctx context.Context, req *IdentificationRequest, opts ...RequestOption) (*Identification, error) {
	return s.identification(ctx, http.MethodPost, retryIfUnsent, req, opts)
}

// UpdateIdentification replaces the user's documents of the types sent and adds the others.
//
// API: PATCH /us/api/v1/kyc/identification
// Docs: none (the vendor's page is missing; schema unverified)
// UNKNOWN decided: same body as UploadIdentification; no KYC-status restriction.
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code (the same body leaves the same
// documents).
// Errors: *ValidationError before sending; *APIError.
func (s *KYCService) UpdateIdentification(ctx context.Context, req *IdentificationRequest, opts ...RequestOption) (*Identification, error) {
	return s.identification(ctx, http.MethodPatch, retrySafe, req, opts)
}

func (s *KYCService) identification(ctx context.Context, method string, rule retryRule, req *IdentificationRequest, opts []RequestOption) (*Identification, error) {
	if req == nil {
		return nil, errNilRequest
	}
	if err := req.validate(DateOf(time.Now())); err != nil {
		return nil, err
	}
	return call[Identification](ctx, s.client, endpoint{method: method, path: "/us/api/v1/kyc/identification", retry: rule}, req, opts)
}
