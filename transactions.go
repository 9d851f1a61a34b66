package vaultspay

import (
	"context"
	"encoding/json"
	"iter"
	"net/url"
)

// TransactionsService lists and reads transactions: card activity, transfers and deposits.
type TransactionsService service

// TransactionStatus is a transaction's status. The list is incomplete; other values decode as is.
type TransactionStatus string

// Statuses documented across the Transactions pages (SUCCESS, FAILED, PENDING), the transfer answer
// (PENDING) and the TRANSACTION_PERFORMED webhook (SUCCESS, REVERSED).
const (
	TransactionStatusPending  TransactionStatus = "PENDING"
	TransactionStatusSuccess  TransactionStatus = "SUCCESS"
	TransactionStatusFailed   TransactionStatus = "FAILED"
	TransactionStatusReversed TransactionStatus = "REVERSED"
)

// IsKnown reports whether s is a documented value.
func (s TransactionStatus) IsKnown() bool {
	switch s {
	case TransactionStatusPending, TransactionStatusSuccess, TransactionStatusFailed, TransactionStatusReversed:
		return true
	}
	return false
}

// TransactionType is the kind of a transaction, in the vendor's mixed case.
type TransactionType string

// Transaction types: Purchase and Transfer are documented; Deposit is what vaultspaytest records for
// back-office funding (00-conventions.md §14).
const (
	TransactionTypePurchase TransactionType = "Purchase"
	TransactionTypeTransfer TransactionType = "Transfer"
	TransactionTypeDeposit  TransactionType = "Deposit"
)

// IsKnown reports whether t is a documented value.
func (t TransactionType) IsKnown() bool {
	return t == TransactionTypePurchase || t == TransactionTypeTransfer || t == TransactionTypeDeposit
}

// AmountType says which currency a MoneyAmount is in.
type AmountType string

// Amount types documented on the transaction pages.
const (
	AmountTypeBilling     AmountType = "BILLING"     // the account's currency
	AmountTypeTransaction AmountType = "TRANSACTION" // the original transaction's currency
)

// IsKnown reports whether t is a documented value.
func (t AmountType) IsKnown() bool { return t == AmountTypeBilling || t == AmountTypeTransaction }

// MoneyAmount is an amount with its currency. UNKNOWN decided: major units (100.00000000 is 100 AED),
// kept exactly as sent.
type MoneyAmount struct {
	Amount       Amount     `json:"amount"`
	CurrencyCode string     `json:"currencyCode"`
	AmountType   AmountType `json:"amountType"`
}

// TransactionCard is the card of a card transaction. Lists carry id, lastFourDigits and cardType;
// the detail adds the rest (types assumed from the field names).
type TransactionCard struct {
	ID              ID        `json:"id"`
	CardToken       CardToken `json:"cardToken,omitempty"`
	LastFourDigits  string    `json:"lastFourDigits"`
	CardType        CardType  `json:"cardType"` // e.g. "VIRTUAL"
	CardTierID      ID        `json:"cardTierId,omitempty"`
	CardNetwork     string    `json:"cardNetwork,omitempty"`
	PaymentCardType string    `json:"paymentCardType,omitempty"`
}

// AccountSummary is the short form of an account inside a transaction.
type AccountSummary struct {
	ID            ID          `json:"id"`
	UserID        ID          `json:"userId"`
	AccountTitle  string      `json:"accountTitle"`
	AccountNumber string      `json:"accountNumber"` // masked, "************0907"
	AccountType   AccountType `json:"accountType"`
	IBAN          string      `json:"iban"`
}

// Location is where a card transaction happened; CountryCode is ISO 3166 alpha-3 ("GBR").
type Location struct {
	ID          ID     `json:"id"`
	CountryCode string `json:"countryCode"`
}

// Merchant is the merchant of a card transaction; MCC is a string ("6050").
type Merchant struct {
	ID          ID     `json:"id"`
	MCC         string `json:"mcc"`
	Name        string `json:"name"`
	City        string `json:"city"`
	Country     string `json:"country"`
	CountryCode string `json:"countryCode"`
}

// Conversions holds the rate from the transaction currency to the billing currency.
type Conversions struct {
	TransactionToBillingCR Amount `json:"transactionToBillingCR"`
}

// Charge is one fee applied to a transaction. The vendor lists only the field names: fixed and
// billingAmount may be a number, a flag or an object, so they are kept raw.
type Charge struct {
	Title         string          `json:"title"`
	Fixed         json.RawMessage `json:"fixed"`
	Value         Amount          `json:"value"`
	ChargeType    string          `json:"chargeType"`
	BillingAmount json.RawMessage `json:"billingAmount"`
	Inclusive     bool            `json:"inclusive"`
}

// Transaction is a transaction as listed (a summary) or read by id (the detail adds
// transactionAmount, conversions, apiStatus, thirdPartyConfigSlug and charges). Card, merchant and
// location data are present only for card transactions.
type Transaction struct {
	rawJSON
	ID                   ID                `json:"id"`            // the {id} of Transactions.Get; a transfer's Transfer.ID
	TransactionID        string            `json:"transactionId"` // UUID used across systems and in webhooks
	TransactionType      TransactionType   `json:"transactionType"`
	DateTime             Time              `json:"dateTime"`
	Status               TransactionStatus `json:"status"`
	TotalCharges         Amount            `json:"totalCharges"` // units as BillingAmount
	Narration            string            `json:"narration"`
	Card                 *TransactionCard  `json:"card,omitempty"`
	BillingAmount        *MoneyAmount      `json:"billingAmount,omitempty"`
	TransactionAmount    *MoneyAmount      `json:"transactionAmount,omitempty"`
	Conversions          *Conversions      `json:"conversions,omitempty"`
	SenderAccount        *AccountSummary   `json:"senderAccount,omitempty"`
	ReceiverAccount      *AccountSummary   `json:"receiverAccount,omitempty"`
	Location             *Location         `json:"location,omitempty"`
	Merchant             *Merchant         `json:"merchant,omitempty"`
	APIStatus            TransactionStatus `json:"apiStatus,omitempty"` // the processor's status
	ThirdPartyConfigSlug string            `json:"thirdPartyConfigSlug,omitempty"`
	Charges              []Charge          `json:"charges,omitempty"`
}

// Filters is a free-form query for filters the vendor does not name; each key is sent as is, after
// the typed filters.
type Filters map[string]string

// EncodeValues adds every filter to the query (go-querystring's Encoder).
func (f Filters) EncodeValues(_ string, v *url.Values) error {
	for k, x := range f {
		v.Set(k, x)
	}
	return nil
}

// TransactionListOptions filters Transactions.List.
//
// UNKNOWN decided: the vendor says the list filters "by dates, status, type, accounts, cards" but the
// page naming them is lost. The typed fields use the names the same API uses on sibling endpoints
// (startDate/endDate, see DateRange; transactionType; currencyCode; userId; transactionId) and
// vaultspaytest honours them; any other filter goes in Extra.
type TransactionListOptions struct {
	DateRange       `url:"dates"`
	TransactionType TransactionType `url:"transactionType,omitempty"`
	CurrencyCode    string          `url:"currencyCode,omitempty"`
	UserID          ID              `url:"userId,omitempty"`
	TransactionID   string          `url:"transactionId,omitempty"` // the UUID
	Extra           Filters         `url:"extra,omitempty"`
	ListOptions
}

// List returns one page of transactions, newest first in vaultspaytest ("sort": "id: DESC").
//
// API: GET /tme/api/v1/transactions
// Docs: https://apidoc-issuance.vaultspay.dev/transactions/transactions-listing
// UNKNOWN decided: the end of the documented answer is lost; a pagination object of the global shape
// is expected, and an answer without one is a single page.
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code.
// Errors: *APIError.
func (s *TransactionsService) List(ctx context.Context, list *TransactionListOptions, opts ...RequestOption) (*Page[Transaction], error) {
	return getPage[Transaction](ctx, s.client, opTransactionsList, list, opts)
}

// ListIter walks every transaction matching list, page by page (see List).
//
// Retries: each page as List.
func (s *TransactionsService) ListIter(ctx context.Context, list *TransactionListOptions, opts ...RequestOption) iter.Seq2[Transaction, error] {
	return iterate(ctx, s.client, list, opts, func(ctx context.Context, o *TransactionListOptions) (*Page[Transaction], error) {
		return s.List(ctx, o, opts...)
	})
}

// Get returns one transaction in full detail by its integer record id (Transaction.ID, Transfer.ID),
// not the UUID.
//
// API: GET /tme/api/v1/transactions/{id}
// Docs: https://apidoc-issuance.vaultspay.dev/transactions/transaction-detail
// UNKNOWN decided: the answer for an unknown id is undocumented; vaultspaytest answers 422 1000 on key id.
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code.
// Errors: *ValidationError for an id <= 0; *APIError.
func (s *TransactionsService) Get(ctx context.Context, id ID, opts ...RequestOption) (*Transaction, error) {
	if err := checkPathID("id", id); err != nil {
		return nil, err
	}
	return call[Transaction](ctx, s.client, opTransactionsGet.at(id.String()), nil, opts)
}
