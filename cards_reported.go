package vaultspay

import (
	"context"
	"iter"
)

// CardReportReason is why a card is reported ("statusReason" of Report Card Issue; stored as the
// card's StatusReason).
//
// UNKNOWN decided: the Report page is missing; the vendor's vocabulary is lost, stolen, damaged and
// expired, and these upper-case constants are the project's choice (41-cards-controls.md §B.0,
// 40-cards-issuance.md §20). Open enum: any other text is sent and decoded as given.
type CardReportReason string

// Report reasons (project choice, see the type).
const (
	CardReportReasonLost    CardReportReason = "LOST"
	CardReportReasonStolen  CardReportReason = "STOLEN"
	CardReportReasonDamaged CardReportReason = "DAMAGED"
	CardReportReasonExpired CardReportReason = "EXPIRED"
)

// IsKnown reports whether r is one of the chosen reasons.
func (r CardReportReason) IsKnown() bool {
	switch r {
	case CardReportReasonLost, CardReportReasonStolen, CardReportReasonDamaged, CardReportReasonExpired:
		return true
	}
	return false
}

// ReportedIssueStatus is the state of a reported-card issue.
//
// UNKNOWN decided: no vendor page names the states or a review decision. A report is REPORTED, and
// ReviewReport makes it REVIEWED (40-cards-issuance.md §20); the decision is the call that follows
// (Replace, Renew or Decline), not a field of the review.
type ReportedIssueStatus string

// Reported-issue statuses (project choice, see the type).
const (
	ReportedIssueStatusReported ReportedIssueStatus = "REPORTED"
	ReportedIssueStatusReviewed ReportedIssueStatus = "REVIEWED"
)

// IsKnown reports whether s is one of the chosen statuses.
func (s ReportedIssueStatus) IsKnown() bool {
	return s == ReportedIssueStatusReported || s == ReportedIssueStatusReviewed
}

// ReportedIssue is a reported-card record (Report Card Issue, Review Reported Card Issue, List
// Reported Card Issues). Schema unverified: no vendor page shows it; these are the project's fields
// (40-cards-issuance.md §20) and RawJSON keeps whatever the live API sends.
type ReportedIssue struct {
	rawJSON
	ID           ID                  `json:"id"`
	CardID       ID                  `json:"cardId"`
	CardToken    CardToken           `json:"cardToken,omitempty"`
	Status       ReportedIssueStatus `json:"status"`
	StatusReason CardReportReason    `json:"statusReason"` // the reason given to ReportIssue
	Remarks      string              `json:"remarks,omitempty"`
	CreatedAt    *Time               `json:"createdAt,omitempty"`
	UpdatedAt    *Time               `json:"updatedAt,omitempty"`
}

// ReissuedCard is the answer of Renew and Replace: the NEW card's id and token, its status (always
// CardStatusIssuanceInProgress) and a message.
type ReissuedCard struct {
	rawJSON
	CardID    ID         `json:"cardId"`
	CardToken CardToken  `json:"cardToken"`
	Status    CardStatus `json:"status"`
	Message   string     `json:"message,omitempty"` // e.g. "Card renew successfully!"
}

// ReportIssueRequest is the body of Report Card Issue. Schema unverified: the vendor page is missing
// and this is the project's default shape (40-cards-issuance.md §20); Extra adds or overrides
// top-level JSON fields.
type ReportIssueRequest struct {
	CardRef
	StatusReason CardReportReason `json:"statusReason"` // required, e.g. CardReportReasonLost
	Remarks      *string          `json:"remarks,omitempty"`
	Extra        map[string]any   `json:"-"`
}

// MarshalJSON merges Extra into the body.
func (r ReportIssueRequest) MarshalJSON() ([]byte, error) {
	type plain ReportIssueRequest
	return marshalWithExtra(plain(r), r.Extra)
}

// UnmarshalJSON reads what MarshalJSON writes; keys that name no field go to Extra.
func (r *ReportIssueRequest) UnmarshalJSON(b []byte) error {
	type plain ReportIssueRequest
	return unmarshalWithExtra(b, (*plain)(r), &r.Extra)
}

func (r *ReportIssueRequest) validate() error {
	var v fieldErrors
	r.check(&v, "cardToken")
	v.require("statusReason", !blank(string(r.StatusReason)))
	return v.err()
}

// ReviewReportRequest is the body of Review Reported Card Issue. Schema unverified: the vendor page
// is missing and this is the project's default shape (40-cards-issuance.md §20); Extra adds or
// overrides top-level JSON fields.
type ReviewReportRequest struct {
	CardRef
	Remarks *string        `json:"remarks,omitempty"`
	Extra   map[string]any `json:"-"`
}

// MarshalJSON merges Extra into the body.
func (r ReviewReportRequest) MarshalJSON() ([]byte, error) {
	type plain ReviewReportRequest
	return marshalWithExtra(plain(r), r.Extra)
}

// UnmarshalJSON reads what MarshalJSON writes; keys that name no field go to Extra.
func (r *ReviewReportRequest) UnmarshalJSON(b []byte) error {
	type plain ReviewReportRequest
	return unmarshalWithExtra(b, (*plain)(r), &r.Extra)
}

func (r *ReviewReportRequest) validate() error {
	var v fieldErrors
	r.check(&v, "cardToken")
	return v.err()
}

// ReportedCardRequest is the body that settles a reviewed report: Renew, Replace and Decline. The
// card id is required and the token optional. Renew's and Decline's vendor pages share this layout;
// Replace's page is missing and uses it too (40-cards-issuance.md §20, schema unverified there).
// Extra adds or overrides top-level JSON fields.
type ReportedCardRequest struct {
	CardRef                // ID required, Token optional
	Remarks *string        `json:"remarks,omitempty"`
	Extra   map[string]any `json:"-"`
}

// MarshalJSON merges Extra into the body.
func (r ReportedCardRequest) MarshalJSON() ([]byte, error) {
	type plain ReportedCardRequest
	return marshalWithExtra(plain(r), r.Extra)
}

// UnmarshalJSON reads what MarshalJSON writes; keys that name no field go to Extra.
func (r *ReportedCardRequest) UnmarshalJSON(b []byte) error {
	type plain ReportedCardRequest
	return unmarshalWithExtra(b, (*plain)(r), &r.Extra)
}

func (r *ReportedCardRequest) validate() error {
	var v fieldErrors
	v.positiveID("cardId", r.ID)
	v.optionalID("cardToken", ID(r.Token))
	return v.err()
}

// ReportedIssueListOptions filters List Reported Card Issues. Schema unverified: the vendor page is
// missing; the filters are the project's (40-cards-issuance.md §20).
type ReportedIssueListOptions struct {
	CardID ID                  `url:"cardId,omitempty"`
	Status ReportedIssueStatus `url:"status,omitempty"`
	ListOptions
}

// ReportIssue reports a card as lost, stolen, damaged or expired. It opens a report in
// ReportedIssueStatusReported; the card status does not change. Schema unverified (see
// ReportIssueRequest).
//
// API: POST /pcs/api/v1/report-card-issue
// Docs: not published (NOT FOUND; project default shape, 40-cards-issuance.md §20)
// Retries: only if the request provably never left this process; otherwise the error wraps
// ErrOutcomeUnknown (a repeat could open a second report or be refused).
// Errors: *ValidationError before any I/O; *APIError (e.g. a report is already open).
func (s *CardsService) ReportIssue(ctx context.Context, req *ReportIssueRequest,
	opts ...RequestOption) (*ReportedIssue, error) {
	return callChecked[ReportedIssue](ctx, s.client,
		opCardsReportIssue.at(), req, opts)
}

// ReviewReport marks a card's open report as reviewed (ReportedIssueStatusReviewed), after which it
// can be settled with Replace, Renew or Decline. Schema unverified (see ReviewReportRequest).
//
// API: POST /pcs/api/v1/review-report-card-issue
// Docs: not published (NOT FOUND; project default shape, 40-cards-issuance.md §20)
// Retries: only if the request provably never left this process; otherwise the error wraps
// ErrOutcomeUnknown.
// Errors: *ValidationError before any I/O; *APIError.
func (s *CardsService) ReviewReport(ctx context.Context, req *ReviewReportRequest,
	opts ...RequestOption) (*ReportedIssue, error) {
	return callChecked[ReportedIssue](ctx, s.client,
		opCardsReviewReport.at(), req, opts)
}

// Replace settles a reviewed report by issuing a NEW card in CardStatusIssuanceInProgress; the
// answer names the new card. Schema unverified (see ReportedCardRequest); what happens to the
// original card is undocumented (the project's fake blocks it).
//
// API: POST /pcs/api/v1/replace-card
// Docs: not published (NOT FOUND; project default shape, 40-cards-issuance.md §20)
// Retries: only if the request provably never left this process; otherwise the error wraps
// ErrOutcomeUnknown (a retry could issue a second card).
// Errors: *ValidationError before any I/O; *APIError.
func (s *CardsService) Replace(ctx context.Context, req *ReportedCardRequest,
	opts ...RequestOption) (*ReissuedCard, error) {
	return callChecked[ReissuedCard](ctx, s.client,
		opCardsReplace.at(), req, opts)
}

// Renew settles a reviewed report (e.g. a damaged or expired card) by issuing a NEW card, with a new
// id and token, in CardStatusIssuanceInProgress; the answer names the new card.
//
// API: POST /pcs/api/v1/renew-card
// Docs: https://apidoc-issuance.vaultspay.dev/payment-cards/renew-reported-card
// Retries: only if the request provably never left this process; otherwise the error wraps
// ErrOutcomeUnknown (a retry could issue a second card).
// Errors: *ValidationError before any I/O; *APIError.
func (s *CardsService) Renew(ctx context.Context, req *ReportedCardRequest,
	opts ...RequestOption) (*ReissuedCard, error) {
	return callChecked[ReissuedCard](ctx, s.client,
		opCardsRenew.at(), req, opts)
}

// Decline settles a reviewed report without a new card: the reported card is left in
// CardStatusFreeze, keeps the reason it was reported with, and stores the remarks.
//
// API: POST /pcs/api/v1/decline-card
// Docs: https://apidoc-issuance.vaultspay.dev/payment-cards/decline-reported-card
// Retries: only if the request provably never left this process; otherwise the error wraps
// ErrOutcomeUnknown.
// Errors: *ValidationError before any I/O; *APIError.
func (s *CardsService) Decline(ctx context.Context, req *ReportedCardRequest,
	opts ...RequestOption) (*CardUpdate, error) {
	return callChecked[CardUpdate](ctx, s.client,
		opCardsDecline.at(), req, opts)
}

// ListReportedIssues returns one page of reported-card issues (list may be nil). Schema unverified
// (see ReportedIssueListOptions and ReportedIssue).
//
// API: GET /pcs/api/v1/card-reported-issues
// Docs: not published (NOT FOUND; project default shape, 40-cards-issuance.md §20)
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code (a read).
// Errors: *APIError.
func (s *CardsService) ListReportedIssues(ctx context.Context, list *ReportedIssueListOptions,
	opts ...RequestOption) (*Page[ReportedIssue], error) {
	ep, err := opCardsListReportedIssues.withQuery(list)
	if err != nil {
		return nil, err
	}
	return listPage[ReportedIssue](ctx, s.client, ep, opts)
}

// ListReportedIssuesIter walks every reported-card issue from list.Page (default 1), one page at a
// time, with ListReportedIssues; list is copied, never changed. An error is yielded once and ends the
// walk.
func (s *CardsService) ListReportedIssuesIter(ctx context.Context, list *ReportedIssueListOptions,
	opts ...RequestOption) iter.Seq2[ReportedIssue, error] {
	return iterate(ctx, s.client, list, opts, func(ctx context.Context, o *ReportedIssueListOptions) (*Page[ReportedIssue], error) {
		return s.ListReportedIssues(ctx, o, opts...)
	})
}
