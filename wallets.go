package vaultspay

import (
	"context"
	"encoding/json"
	"iter"
)

// WalletsService opens accounts (wallets) for users, reads their balances and walks their ledgers.
type WalletsService service

// AccountType is the kind of an account. Only DIGITAL is documented; other values decode as is.
type AccountType string

// AccountTypeDigital is the only account type the vendor shows (30-wallets.md §1).
const AccountTypeDigital AccountType = "DIGITAL"

// IsKnown reports whether t is a documented value.
func (t AccountType) IsKnown() bool { return t == AccountTypeDigital }

// AccountStatus is an account's status. Only ACTIVE is documented; other values decode as is.
type AccountStatus string

// AccountStatusActive is the only account status the vendor shows (30-wallets.md §1).
const AccountStatusActive AccountStatus = "ACTIVE"

// IsKnown reports whether s is a documented value.
func (s AccountStatus) IsKnown() bool { return s == AccountStatusActive }

// CurrencyType is the kind of a currency. Only FIAT is documented.
type CurrencyType string

// CurrencyTypeFiat is the only currency type the vendor shows (30-wallets.md §1).
const CurrencyTypeFiat CurrencyType = "FIAT"

// IsKnown reports whether t is a documented value.
func (t CurrencyType) IsKnown() bool { return t == CurrencyTypeFiat }

// Currency is the currency record embedded in an account. Its ID is the currencyId of
// CreateAccountRequest (2 is AED, the only documented mapping); DecimalPoint is its number of decimals.
type Currency struct {
	CreatedAt    *Time           `json:"createdAt"`
	CreatedBy    json.RawMessage `json:"createdBy"` // null in every example; type when set UNKNOWN
	UpdatedAt    *Time           `json:"updatedAt"`
	UpdatedBy    json.RawMessage `json:"updatedBy"` // null in every example; type when set UNKNOWN
	ID           ID              `json:"id"`
	Name         string          `json:"name"`
	Code         string          `json:"code"`    // ISO 4217 alpha, e.g. "AED"
	ISOCode      int             `json:"isoCode"` // ISO 4217 numeric, e.g. 784
	DecimalPoint int             `json:"decimalPoint"`
	Type         CurrencyType    `json:"type"`
	Symbol       *string         `json:"symbol"`
	Icon         *string         `json:"icon"`
	Status       bool            `json:"status"`
}

// Account is a wallet owned by one user in one currency.
//
// UNKNOWN decided: the vendor does not say whether Balance, BalanceOnHold and CreditLimit are major or
// minor units. They are kept exactly as sent; vaultspaytest sends major units (250.00 AED is 250).
type Account struct {
	rawJSON
	ID                ID                `json:"id"` // the senderAccountId of transfers
	UserID            ID                `json:"userId"`
	AccountType       AccountType       `json:"accountType"`
	CurrencyCode      string            `json:"currencyCode"`
	Currency          Currency          `json:"currency"`
	AccountTitle      string            `json:"accountTitle"`
	AccountNumber     string            `json:"accountNumber"` // digits, sent as a string
	Balance           Amount            `json:"balance"`
	BalanceOnHold     Amount            `json:"balanceOnHold"`
	TotalTransactions *int64            `json:"totalTransactions"` // null in lists and on create, a count in Get
	Status            AccountStatus     `json:"status"`
	References        []json.RawMessage `json:"references"` // always [] in the docs; element shape UNKNOWN
	IBAN              *string           `json:"iban"`       // null until assigned
	IsPrimary         bool              `json:"isPrimary"`
	CreditLimit       Amount            `json:"creditLimit"`
}

// proves: an account answer names the account.
func (a *Account) proves() bool { return a.ID > 0 }

// CreateAccountRequest is the body of POST /be/api/v1/accounts.
type CreateAccountRequest struct {
	UserID      ID          `json:"userId"`
	CurrencyID  ID          `json:"currencyId"`  // the internal currency id, not the ISO code: 2 is AED
	AccountType AccountType `json:"accountType"` // AccountTypeDigital
}

func (r *CreateAccountRequest) validate() error {
	var v fieldErrors
	v.positiveID("userId", r.UserID)
	v.positiveID("currencyId", r.CurrencyID)
	v.require("accountType", r.AccountType != "")
	return v.err()
}

// Create opens an account of the given type and currency for an existing user.
//
// API: POST /be/api/v1/accounts
// Docs: https://apidoc-issuance.vaultspay.dev/accounts/create-account
// UNKNOWN decided: errors for an unknown user or currency are undocumented; vaultspaytest answers
// 422 1000 naming userId or currencyId, the documented pattern for a missing id. Whether a user may
// hold several accounts of one currency is UNKNOWN; vaultspaytest allows it and makes the first primary.
// Retries: only if the request provably never left; otherwise the error wraps ErrOutcomeUnknown (a
// retry could open a second account).
// Errors: *ValidationError before sending; *APIError with CodeInvalidPayload.
func (s *WalletsService) Create(ctx context.Context, req *CreateAccountRequest, opts ...RequestOption) (*Account, error) {
	if req == nil {
		return nil, errNilRequest()
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	return call[Account](ctx, s.client, opWalletsCreate.at(), req, opts)
}

// AccountListOptions filters Wallets.List; every filter the vendor lists, all optional, combined with AND.
type AccountListOptions struct {
	AccountType          AccountType `url:"accountType,omitempty"`
	UserID               ID          `url:"userId,omitempty"`
	ShownMyAccounts      *bool       `url:"shownMyAccounts,omitempty"` // spelled as the vendor spells it
	ThirdPartyConfigSlug string      `url:"thirdPartyConfigSlug,omitempty"`
	CurrencyCode         string      `url:"currencyCode,omitempty"`
	TransactionType      string      `url:"transactionType,omitempty"` // semantics UNKNOWN
	ListOptions
}

// List returns one page of accounts.
//
// API: GET /be/api/v1/accounts
// Docs: https://apidoc-issuance.vaultspay.dev/accounts/get-accounts
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code.
// Errors: *APIError.
func (s *WalletsService) List(ctx context.Context, list *AccountListOptions, opts ...RequestOption) (*Page[Account], error) {
	return getPage[Account](ctx, s.client, opWalletsList, list, opts)
}

// ListIter walks every account matching list, page by page (see List), holding one page at a time.
//
// Retries: each page as List.
func (s *WalletsService) ListIter(ctx context.Context, list *AccountListOptions, opts ...RequestOption) iter.Seq2[Account, error] {
	return iterate(ctx, s.client, list, opts, func(ctx context.Context, o *AccountListOptions) (*Page[Account], error) {
		return s.List(ctx, o, opts...)
	})
}

// Get returns one account with its current balance.
//
// API: GET /be/api/v1/accounts/{id}
// Docs: https://apidoc-issuance.vaultspay.dev/accounts/get-account-by-id
// UNKNOWN decided: the answer for an unknown id is undocumented; vaultspaytest answers 422 1000 on key id.
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code.
// Errors: *ValidationError for an id <= 0; *APIError.
func (s *WalletsService) Get(ctx context.Context, id ID, opts ...RequestOption) (*Account, error) {
	if err := checkPathID("id", id); err != nil {
		return nil, err
	}
	return call[Account](ctx, s.client, opWalletsGet.at(id.String()), nil, opts)
}

// LedgerEntry is one line of an account's ledger: money in (Credit) or out (Debit), the other being 0,
// and the running Balance after it, all in the account's currency (units as for Account.Balance).
type LedgerEntry struct {
	rawJSON
	ID               ID     `json:"id"`
	TransactionID    ID     `json:"transactionId"`    // the internal transaction id, most likely Transaction.ID (unconfirmed)
	TransactionRefID ID     `json:"transactionRefId"` // gateway reference, a 14-digit number
	Debit            Amount `json:"debit"`
	Credit           Amount `json:"credit"`
	Balance          Amount `json:"balance"`
	Narration        string `json:"narration"`
	Date             Time   `json:"date"`
}

// LedgerListOptions filters Wallets.ListLedger.
type LedgerListOptions struct {
	UserID        ID `url:"userId,omitempty"`
	DateRange     `url:"dates"`
	TransactionID ID `url:"transactionId,omitempty"` // the ledger's integer transaction id
	ListOptions
}

// ListLedger returns one page of an account's ledger, newest first in the vendor's example.
//
// API: GET /be/api/v1/account-ledger/{id}
// Docs: https://apidoc-issuance.vaultspay.dev/accounts/get-account-ledger
// UNKNOWN decided: the documented answer has no pagination object; page and perPage are sent anyway
// and an answer without pagination is one complete page (vaultspaytest pages it like every list).
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code.
// Errors: *ValidationError for an id <= 0; *APIError.
func (s *WalletsService) ListLedger(ctx context.Context, id ID, list *LedgerListOptions, opts ...RequestOption) (*Page[LedgerEntry], error) {
	if err := checkPathID("id", id); err != nil {
		return nil, err
	}
	return getPage[LedgerEntry](ctx, s.client, opWalletsListLedger, list, opts, id.String())
}

// ListLedgerIter walks an account's whole ledger, page by page, stopping after the last page.
//
// Retries: each page as ListLedger.
func (s *WalletsService) ListLedgerIter(ctx context.Context, id ID, list *LedgerListOptions, opts ...RequestOption) iter.Seq2[LedgerEntry, error] {
	return iterate(ctx, s.client, list, opts, func(ctx context.Context, o *LedgerListOptions) (*Page[LedgerEntry], error) {
		return s.ListLedger(ctx, id, o, opts...)
	})
}
