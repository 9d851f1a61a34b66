package vaultspay

import (
	"net/http"
	"strings"
)

// RetryRule says when a failed attempt of an operation may be repeated; it is fixed per operation and
// no option changes it.
type RetryRule int

const (
	// RetryRead: reads and other repeatable calls. Transport errors, a body cut off in transit,
	// 429/1005, and any 5xx except 501 without a VaultsPay code are retried. A 5xx that carries a code
	// is the API's answer and is returned as an *APIError (retryable in transport.go has the table).
	RetryRead RetryRule = iota
	// RetryIfUnsent: calls that create or move something. Retried only when the request provably never
	// left this process (no header byte written) or was refused with 429/1005; otherwise the error
	// wraps ErrOutcomeUnknown.
	RetryIfUnsent
	// RetryNoReplay: calls that move money (31-transfers.md §3.2). Like RetryIfUnsent, but a 429 is not
	// retried either: once the request may have reached the server every failure wraps ErrOutcomeUnknown.
	RetryNoReplay
)

// String returns "read", "if-unsent" or "no-replay".
func (r RetryRule) String() string {
	switch r {
	case RetryRead:
		return "read"
	case RetryIfUnsent:
		return "if-unsent"
	case RetryNoReplay:
		return "no-replay"
	}
	return "unknown"
}

// Operation is one API operation as middleware sees it, the same for every call of a method.
type Operation struct {
	Name     string    // service and method: "Transfers.Send", "Wallets.Get"; "Auth.Login" and "Auth.Refresh" for token calls
	Method   string    // HTTP method
	Template string    // path template as in the vendor's endpoint index, without query: "/be/api/v1/accounts/{id}"
	Retry    RetryRule // which failures may be repeated
	public   bool      // sent without a bearer token: login and refresh
}

// endpoint is one call's operation and its escaped path (with query), built from the template by at.
type endpoint struct {
	op   *Operation
	path string
}

// at returns the endpoint of o with the template's {placeholders} replaced, in order, by args (escaped
// path segments: the SDK's ids are decimal text).
func (o *Operation) at(args ...string) endpoint {
	if len(args) == 0 {
		return endpoint{op: o, path: o.Template}
	}
	var b strings.Builder
	b.Grow(len(o.Template) + 16)
	t := o.Template
	for _, a := range args {
		i := strings.IndexByte(t, '{')
		j := strings.IndexByte(t, '}')
		if i < 0 || j < i {
			break
		}
		b.WriteString(t[:i])
		b.WriteString(a)
		t = t[j+1:]
	}
	b.WriteString(t)
	return endpoint{op: o, path: b.String()}
}

// withQuery returns the endpoint of o (a template without placeholders) with the query encoded from q
// (a struct with `url` tags, or nil).
func (o *Operation) withQuery(q any) (endpoint, error) {
	p, err := withQuery(o.Template, q)
	return endpoint{op: o, path: p}, err
}

// doOperation is Client.Do's operation: the caller's method, its path without query as the template,
// and the rule Do chose.
func doOperation(method, path string, rule RetryRule) *Operation {
	return &Operation{Name: "Client.Do", Method: method, Template: pathOnly(path), Retry: rule}
}

// Every operation of the SDK, in the order of the vendor's endpoint index.
var (
	opLogin   = &Operation{"Auth.Login", http.MethodPost, "/as/api/v1/saas-login", RetryRead, true}
	opRefresh = &Operation{"Auth.Refresh", http.MethodPost, "/as/api/v1/saas-refresh-token", RetryRead, true}
	opPing    = &Operation{"Client.Ping", http.MethodGet, "/v1/ping", RetryRead, false}

	opUsersCreate        = &Operation{"Users.Create", http.MethodPost, "/as/api/v1/users", RetryIfUnsent, false}
	opUsersListCountries = &Operation{"Users.ListCountries", http.MethodGet, "/us/api/v1/countries", RetryRead, false}
	opUsersListStates    = &Operation{"Users.ListStates", http.MethodGet, "/us/api/v1/states/{countryId}", RetryRead, false}
	opUsersListCities    = &Operation{"Users.ListCities", http.MethodGet, "/us/api/v1/cities/{stateId}", RetryRead, false}

	opKYCCreatePersonal       = &Operation{"KYC.CreatePersonal", http.MethodPost, "/us/api/v1/kyc/personal", RetryIfUnsent, false}
	opKYCUpdatePersonal       = &Operation{"KYC.UpdatePersonal", http.MethodPatch, "/us/api/v1/kyc/personal", RetryRead, false}
	opKYCCreateAddress        = &Operation{"KYC.CreateAddress", http.MethodPost, "/us/api/v1/kyc/addresses", RetryIfUnsent, false}
	opKYCUpdateAddress        = &Operation{"KYC.UpdateAddress", http.MethodPatch, "/us/api/v1/kyc/addresses", RetryRead, false}
	opKYCUploadIdentification = &Operation{"KYC.UploadIdentification", http.MethodPost, "/us/api/v1/kyc/identification", RetryIfUnsent, false}
	opKYCUpdateIdentification = &Operation{"KYC.UpdateIdentification", http.MethodPatch, "/us/api/v1/kyc/identification", RetryRead, false}
	opKYCGet                  = &Operation{"KYC.Get", http.MethodGet, "/us/api/v1/kyc/{userId}", RetryRead, false}

	opWalletsCreate     = &Operation{"Wallets.Create", http.MethodPost, "/be/api/v1/accounts", RetryIfUnsent, false}
	opWalletsList       = &Operation{"Wallets.List", http.MethodGet, "/be/api/v1/accounts", RetryRead, false}
	opWalletsGet        = &Operation{"Wallets.Get", http.MethodGet, "/be/api/v1/accounts/{id}", RetryRead, false}
	opWalletsListLedger = &Operation{"Wallets.ListLedger", http.MethodGet, "/be/api/v1/account-ledger/{id}", RetryRead, false}

	opTransfersValidateIBAN  = &Operation{"Transfers.ValidateIBAN", http.MethodPost, "/be/api/v1/validate-iban", RetryRead, false}
	opTransfersCreateContact = &Operation{"Transfers.CreateContact", http.MethodPost, "/be/api/v1/direct-payment-contact", RetryNoReplay, false}
	opTransfersSend          = &Operation{"Transfers.Send", http.MethodPost, "/tc/api/v1/direct-transfer", RetryNoReplay, false}

	opTransactionsList = &Operation{"Transactions.List", http.MethodGet, "/tme/api/v1/transactions", RetryRead, false}
	opTransactionsGet  = &Operation{"Transactions.Get", http.MethodGet, "/tme/api/v1/transactions/{id}", RetryRead, false}

	opCardsListTiers              = &Operation{"Cards.ListTiers", http.MethodGet, "/pcs/api/v1/card-tiers", RetryRead, false}
	opCardsEmbossingNames         = &Operation{"Cards.EmbossingNames", http.MethodGet, "/pcs/api/v1/embossing-names/{userId}", RetryRead, false}
	opCardsCreate                 = &Operation{"Cards.Create", http.MethodPost, "/pcs/api/v1/cards", RetryIfUnsent, false}
	opCardsProcessRequest         = &Operation{"Cards.ProcessRequest", http.MethodPost, "/pcs/api/v1/process-card-request", RetryIfUnsent, false}
	opCardsUpdateManufacturing    = &Operation{"Cards.UpdateManufacturing", http.MethodPost, "/pcs/api/v1/update-card-manufacturing", RetryIfUnsent, false}
	opCardsUpdateDelivery         = &Operation{"Cards.UpdateDelivery", http.MethodPost, "/pcs/api/v1/update-delivery-status", RetryIfUnsent, false}
	opCardsActivate               = &Operation{"Cards.Activate", http.MethodPost, "/pcs/api/v1/activate-card", RetryIfUnsent, false}
	opCardsSetPIN                 = &Operation{"Cards.SetPIN", http.MethodPost, "/pcs/api/v1/set-pin", RetryIfUnsent, false}
	opCardsDetails                = &Operation{"Cards.Details", http.MethodPost, "/pcs/api/v1/cards/details", RetryRead, false}
	opCardsPAN                    = &Operation{"Cards.PAN", http.MethodPost, "/pcs/api/v1/get-card-pan", RetryRead, false}
	opCardsCVV                    = &Operation{"Cards.CVV", http.MethodPost, "/pcs/api/v1/get-card-cvv", RetryRead, false}
	opCardsExpiry                 = &Operation{"Cards.Expiry", http.MethodPost, "/pcs/api/v1/get-card-expiry", RetryRead, false}
	opCardsEnrollThreeDS          = &Operation{"Cards.EnrollThreeDS", http.MethodPost, "/pcs/api/v1/enroll-card-three-ds", RetryIfUnsent, false}
	opCardsRemoveThreeDS          = &Operation{"Cards.RemoveThreeDS", http.MethodPost, "/pcs/api/v1/remove-card-three-ds", RetryIfUnsent, false}
	opCardsUpdateStatus           = &Operation{"Cards.UpdateStatus", http.MethodPost, "/pcs/api/v1/update-card-status", RetryIfUnsent, false}
	opCardsToggleFreeze           = &Operation{"Cards.ToggleFreeze", http.MethodPost, "/pcs/api/v1/toggle-freeze-card", RetryIfUnsent, false}
	opCardsUpdateAccount          = &Operation{"Cards.UpdateAccount", http.MethodPost, "/pcs/api/v1/update-card-account", RetryIfUnsent, false}
	opCardsRequestPhysical        = &Operation{"Cards.RequestPhysical", http.MethodPost, "/pcs/api/v1/virtual-to-physical", RetryIfUnsent, false}
	opCardsProcessPhysicalRequest = &Operation{"Cards.ProcessPhysicalRequest", http.MethodPost, "/pcs/api/v1/virtual-to-physical-process", RetryIfUnsent, false}
	opCardsReportIssue            = &Operation{"Cards.ReportIssue", http.MethodPost, "/pcs/api/v1/report-card-issue", RetryIfUnsent, false}
	opCardsReviewReport           = &Operation{"Cards.ReviewReport", http.MethodPost, "/pcs/api/v1/review-report-card-issue", RetryIfUnsent, false}
	opCardsReplace                = &Operation{"Cards.Replace", http.MethodPost, "/pcs/api/v1/replace-card", RetryIfUnsent, false}
	opCardsRenew                  = &Operation{"Cards.Renew", http.MethodPost, "/pcs/api/v1/renew-card", RetryIfUnsent, false}
	opCardsDecline                = &Operation{"Cards.Decline", http.MethodPost, "/pcs/api/v1/decline-card", RetryIfUnsent, false}
	opCardsListReportedIssues     = &Operation{"Cards.ListReportedIssues", http.MethodGet, "/pcs/api/v1/card-reported-issues", RetryRead, false}

	opRulesCardSecurity           = &Operation{"Rules.CardSecurity", http.MethodGet, "/re/api/v1/card-security", RetryRead, false}
	opRulesUpdateCardSecurity     = &Operation{"Rules.UpdateCardSecurity", http.MethodPut, "/re/api/v1/card-security", RetryRead, false}
	opRulesResetCardSecurity      = &Operation{"Rules.ResetCardSecurity", http.MethodPatch, "/re/api/v1/card-security/reset", RetryRead, false}
	opRulesTransactionLimits      = &Operation{"Rules.TransactionLimits", http.MethodGet, "/re/api/v1/transaction-limits", RetryRead, false}
	opRulesUpdateTransactionLimit = &Operation{"Rules.UpdateTransactionLimit", http.MethodPut, "/re/api/v1/transaction-limits", RetryRead, false}
)

// operations lists every operation above, for tests and documentation.
var operations = []*Operation{opLogin, opRefresh, opPing, opUsersCreate, opUsersListCountries, opUsersListStates,
	opUsersListCities, opKYCCreatePersonal, opKYCUpdatePersonal, opKYCCreateAddress, opKYCUpdateAddress,
	opKYCUploadIdentification, opKYCUpdateIdentification, opKYCGet, opWalletsCreate, opWalletsList, opWalletsGet,
	opWalletsListLedger, opTransfersValidateIBAN, opTransfersCreateContact, opTransfersSend, opTransactionsList,
	opTransactionsGet, opCardsListTiers, opCardsEmbossingNames, opCardsCreate, opCardsProcessRequest,
	opCardsUpdateManufacturing, opCardsUpdateDelivery, opCardsActivate, opCardsSetPIN, opCardsDetails, opCardsPAN,
	opCardsCVV, opCardsExpiry, opCardsEnrollThreeDS, opCardsRemoveThreeDS, opCardsUpdateStatus, opCardsToggleFreeze,
	opCardsUpdateAccount, opCardsRequestPhysical, opCardsProcessPhysicalRequest, opCardsReportIssue,
	opCardsReviewReport, opCardsReplace, opCardsRenew, opCardsDecline, opCardsListReportedIssues,
	opRulesCardSecurity, opRulesUpdateCardSecurity, opRulesResetCardSecurity, opRulesTransactionLimits,
	opRulesUpdateTransactionLimit}
