package vaultspay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// TransfersService sends money from an account to a bank account by IBAN, in three steps: ValidateIBAN,
// CreateContact (the beneficiary), Send. The API has no idempotency key: CreateContact and Send are
// never repeated once they may have reached the server, and their unknown outcomes come back as
// *ContactUnknownError and *TransferUnknownError (both match ErrOutcomeUnknown). See FindSent.
type TransfersService service

// BankDetails are what the API knows of an IBAN's bank account. AccountTitle may be masked ("johm*").
type BankDetails struct {
	BankCode     string `json:"bankCode"` // leading zeros kept: "030"
	AccountTitle string `json:"accountTitle"`
	IBAN         string `json:"iban"`
	SwiftCode    string `json:"swiftCode"`
	BankName     string `json:"bankName"`
}

// ValidateIBANRequest is the body of POST /be/api/v1/validate-iban. AccountTitle is needed only when
// the API answers 422 on key accountTitle (the bank returned no title); it is sent as null otherwise.
type ValidateIBANRequest struct {
	IBAN         string  `json:"iban"`
	AccountTitle *string `json:"accountTitle"`
}

// IBANValidation is the API's verdict on an IBAN. UniqueReference equals the IBAN in the docs.
type IBANValidation struct {
	rawJSON
	Valid           bool        `json:"valid"`
	UniqueReference string      `json:"uniqueReference"`
	Details         BankDetails `json:"details"`
}

// ValidateIBAN checks an IBAN with the bank and returns its bank data and (masked) account title. It
// creates nothing. The IBAN is checked locally first (country, length, mod-97) and sent in upper case
// without spaces.
//
// API: POST /be/api/v1/validate-iban
// Docs: https://apidoc-issuance.vaultspay.dev/direct-transfers/validate-iban
// UNKNOWN decided: an invalid IBAN may come back as HTTP 500 1010 "Invalid IBAN" (documented) or as
// 200 with Valid false; both are returned as they come (IsInvalidIBAN tells the first).
// Retries: transport errors, 429, 5xx (not 501) without a VaultsPay code (read-only, safe to repeat).
// Errors: *ValidationError before sending; *APIError with CodeInvalidPayload (key accountTitle) or
// CodeBadRequest "Invalid IBAN".
func (s *TransfersService) ValidateIBAN(ctx context.Context, req *ValidateIBANRequest, opts ...RequestOption) (*IBANValidation, error) {
	if req == nil {
		return nil, errNilRequest
	}
	body := *req
	body.IBAN = NormalizeIBAN(body.IBAN)
	var v fieldErrors
	v.checkIBAN("iban", body.IBAN)
	if err := v.err(); err != nil {
		return nil, err
	}
	return call[IBANValidation](ctx, s.client, endpoint{method: http.MethodPost, path: "/be/api/v1/validate-iban", retry: retrySafe}, &body, opts)
}

// CreateContactRequest is the body of POST /be/api/v1/direct-payment-contact.
type CreateContactRequest struct {
	Title        string  `json:"title"` // the caller's label for the contact
	IBAN         string  `json:"iban"`
	AccountTitle *string `json:"accountTitle"` // as in ValidateIBANRequest
}

// PaymentContact is a saved beneficiary; its ID is the paymentContactId of Send. The API offers no way
// to look a contact up later: keep the ID.
type PaymentContact struct {
	rawJSON
	ID                 ID          `json:"id"`
	Title              string      `json:"title"`
	UserID             ID          `json:"userId"`
	Details            BankDetails `json:"details"`
	Status             bool        `json:"status"`
	ThirdPartyConfigID ID          `json:"thirdPartyConfigId"` // the payment rail the contact is bound to
}

// CreateContact saves a validated IBAN as a beneficiary for transfers.
//
// API: POST /be/api/v1/direct-payment-contact
// Docs: https://apidoc-issuance.vaultspay.dev/direct-transfers/create-payment-contact
// UNKNOWN decided: the uniqueness key is undocumented; vaultspaytest refuses a second contact with the
// same IBAN for the same owner (the calling app) with 500 1010 "Payment Contact already exists".
// Retries: only when the request provably never left (a dial failure); never after it may have been
// sent, 429 included. Then the error is a *ContactUnknownError matching ErrOutcomeUnknown: a repeat
// answers "already exists" if the first landed, and the API cannot return that contact's id.
// Errors: *ValidationError before sending; *APIError with CodeInvalidPayload (title, accountTitle) or
// CodeBadRequest (IsInvalidIBAN, IsContactExists); *ContactUnknownError.
func (s *TransfersService) CreateContact(ctx context.Context, req *CreateContactRequest, opts ...RequestOption) (*PaymentContact, error) {
	if req == nil {
		return nil, errNilRequest
	}
	body := *req
	body.IBAN = NormalizeIBAN(body.IBAN)
	var v fieldErrors
	v.require("title", strings.TrimSpace(body.Title) != "")
	v.checkIBAN("iban", body.IBAN)
	if err := v.err(); err != nil {
		return nil, err
	}
	sent := time.Now()
	c, err := call[PaymentContact](ctx, s.client, endpoint{method: http.MethodPost, path: "/be/api/v1/direct-payment-contact", retry: retryNoReplay}, &body, opts)
	if errors.Is(err, ErrOutcomeUnknown) {
		return nil, &ContactUnknownError{Request: body, SentAt: sent, Err: err}
	}
	return c, err
}

// Purpose is the reason of a transfer. The vendor lists 19 values.
type Purpose string

// Every documented transfer purpose.
const (
	PurposePersonal                  Purpose = "PERSONAL"
	PurposeOwnAccountTransfer        Purpose = "OWN_ACCOUNT_TRANSFER"
	PurposeRent                      Purpose = "RENT"
	PurposeUtilityBillPayments       Purpose = "UTILITY_BILL_PAYMENTS"
	PurposeAllowance                 Purpose = "ALLOWANCE"
	PurposeAirTransport              Purpose = "AIR_TRANSPORT"
	PurposeCommission                Purpose = "COMMISSION"
	PurposeCompensation              Purpose = "COMPENSATION"
	PurposeCreditCardPayment         Purpose = "CREDIT_CARD_PAYMENT"
	PurposeEducationalSupport        Purpose = "EDUCATIONAL_SUPPORT"
	PurposeFamilySupport             Purpose = "FAMILY_SUPPORT"
	PurposeFinancialServices         Purpose = "FINANCIAL_SERVICES"
	PurposeGoodsBought               Purpose = "GOODS_BOUGHT"
	PurposeProcessingRepair          Purpose = "PROCESSING_REPAIR"
	PurposeGovernmentGoods           Purpose = "GOVERNMENT_GOODS"
	PurposeLeasingAbroad             Purpose = "LEASING_ABROAD"
	PurposeLeasingInUAE              Purpose = "LEASING_IN_UAE"
	PurposeTravel                    Purpose = "TRAVEL"
	PurposeTelecommunicationServices Purpose = "TELECOMMUNICATION_SERVICES"
)

var purposes = map[Purpose]bool{
	PurposePersonal: true, PurposeOwnAccountTransfer: true, PurposeRent: true, PurposeUtilityBillPayments: true,
	PurposeAllowance: true, PurposeAirTransport: true, PurposeCommission: true, PurposeCompensation: true,
	PurposeCreditCardPayment: true, PurposeEducationalSupport: true, PurposeFamilySupport: true,
	PurposeFinancialServices: true, PurposeGoodsBought: true, PurposeProcessingRepair: true,
	PurposeGovernmentGoods: true, PurposeLeasingAbroad: true, PurposeLeasingInUAE: true, PurposeTravel: true,
	PurposeTelecommunicationServices: true,
}

// IsKnown reports whether p is one of the 19 documented purposes.
func (p Purpose) IsKnown() bool { return purposes[p] }

// descriptionPattern is the documented rule: only letters, digits and spaces, at most 100 characters.
var descriptionPattern = regexp.MustCompile(`^[A-Za-z0-9 ]{1,100}$`)

// SendTransferRequest is a transfer to a payment contact. Give SenderAccountID, CurrencyCode, or both.
// Amount is in major units (1000.00 AED); it is sent as the integer "cents" the API expects (100000).
//
// UNKNOWN decided: "cents" for a currency whose exponent is not 2 is undocumented; Amount is converted
// with the ISO 4217 exponent of CurrencyCode (CurrencyExponent), and with 2 when only SenderAccountID
// is given. The ids are sent as JSON strings, as documented.
type SendTransferRequest struct {
	SenderAccountID  ID
	CurrencyCode     string // ISO 4217 alpha, e.g. "AED"
	PaymentContactID ID
	Purpose          Purpose
	Description      string // letters, digits and spaces only, 1 to 100 characters
	Amount           Amount // major units, > 0, at most the currency's decimals
}

// sendTransferBody is the wire form of SendTransferRequest.
type sendTransferBody struct {
	SenderAccountID  string  `json:"senderAccountId,omitempty"`
	CurrencyCode     string  `json:"currencyCode,omitempty"`
	PaymentContactID string  `json:"paymentContactId"`
	Purpose          Purpose `json:"purpose"`
	Description      string  `json:"description"`
	Amount           Cents   `json:"amount"`
}

// MarshalJSON writes the documented body: ids as strings, amount as integer minor units.
func (r SendTransferRequest) MarshalJSON() ([]byte, error) {
	cents, err := ToCents(r.Amount, CurrencyExponent(r.CurrencyCode))
	if err != nil {
		return nil, err
	}
	b := sendTransferBody{CurrencyCode: r.CurrencyCode, PaymentContactID: r.PaymentContactID.String(),
		Purpose: r.Purpose, Description: r.Description, Amount: cents}
	if r.SenderAccountID != 0 {
		b.SenderAccountID = r.SenderAccountID.String()
	}
	return json.Marshal(b)
}

// UnmarshalJSON reads what MarshalJSON writes, so a request kept as JSON (an outbox row, a queue
// message) comes back with the same amount: integer minor units are turned back into major units with
// the currency's exponent (1000.00 AED travels as 100000 and reads back as 1000.00).
func (r *SendTransferRequest) UnmarshalJSON(b []byte) error {
	var w struct {
		sendTransferBody
		SenderAccountID  ID `json:"senderAccountId"`
		PaymentContactID ID `json:"paymentContactId"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	amount, err := w.Amount.Major(CurrencyExponent(w.CurrencyCode))
	if err != nil {
		return fmt.Errorf("vaultspay: transfer amount %s: %w", w.Amount, err)
	}
	*r = SendTransferRequest{SenderAccountID: w.SenderAccountID, CurrencyCode: w.CurrencyCode,
		PaymentContactID: w.PaymentContactID, Purpose: w.Purpose, Description: w.Description, Amount: amount}
	return nil
}

func (r *SendTransferRequest) validate() error {
	var v fieldErrors
	if r.SenderAccountID == 0 && r.CurrencyCode == "" {
		v.add("senderAccountId", "senderAccountId or currencyCode must be given")
	}
	if r.SenderAccountID < 0 {
		v.positiveID("senderAccountId", r.SenderAccountID)
	}
	v.positiveID("paymentContactId", r.PaymentContactID)
	switch {
	case r.Purpose == "":
		v.require("purpose", false)
	case !r.Purpose.IsKnown():
		v.add("purpose", "must be one of the 19 documented purposes")
	}
	if !descriptionPattern.MatchString(r.Description) {
		v.add("description", "must be 1 to 100 letters, digits or spaces")
	}
	exp := CurrencyExponent(r.CurrencyCode)
	if r.Amount.Sign() <= 0 {
		v.add("amount", "must be greater than zero")
	} else if _, err := ToCents(r.Amount, exp); err != nil {
		v.add("amount", fmt.Sprintf("must have at most %d decimal places and fit in 64 bits of minor units", exp))
	}
	return v.err()
}

// Transfer is the API's answer to Send. The HTTP 200 means accepted, not delivered: Status starts as
// PENDING and the final status (SUCCESS, FAILED, later REVERSED) comes from Transactions.Get(ID) or the
// TRANSACTION_PERFORMED webhook. The vendor's page is cut after "status" (schema unverified after it);
// RawJSON keeps any further fields.
type Transfer struct {
	rawJSON
	ID            ID                `json:"id"`            // the transaction record id of Transactions.Get
	TransactionID string            `json:"transactionId"` // UUID, as in the webhook
	GatewayRefID  string            `json:"gatewayRefId"`
	CurrencyCode  string            `json:"currencyCode"`
	Amount        Cents             `json:"amount"`       // minor units
	TotalCharges  Cents             `json:"totalCharges"` // minor units
	Narration     string            `json:"narration"`
	Status        TransactionStatus `json:"status"`
}

// Send moves money from an account to a payment contact.
//
// Money never moves twice because of the SDK: the API has no idempotency key, so once the request may
// have reached the server (written, then a timeout, a reset, a cut or unreadable answer, any 5xx
// without a VaultsPay code, or a 429) Send does not repeat it and returns a *TransferUnknownError that
// matches ErrOutcomeUnknown and carries the request. Reconcile before sending again:
//
//	tr, err := client.Transfers.Send(ctx, req)
//	var unknown *vaultspay.TransferUnknownError
//	if errors.As(err, &unknown) {
//		found, ferr := client.Transfers.FindSent(ctx, unknown.Match())
//		// len(found) > 0: it landed, do not send again. Empty: not visible (yet); check again later or
//		// wait for the TRANSACTION_PERFORMED webhook before deciding to send again.
//	}
//
// Put a unique marker in Description (NewTransferReference) so that FindSent can tell your transfer
// from a look-alike.
//
// API: POST /tc/api/v1/direct-transfer
// Docs: https://apidoc-issuance.vaultspay.dev/direct-transfers/initiate-transfer
// UNKNOWN decided: the error list is lost; vaultspaytest refuses a balance too low with 500 1010
// "Insufficient balance" (IsInsufficientFunds), the section's pattern for business errors.
// Retries: only when the request provably never left this process (a dial failure); never after.
// Errors: *ValidationError before sending; *APIError (CodeInvalidPayload, CodeBadRequest,
// CodeTransactionLockedByRule); *TransferUnknownError.
func (s *TransfersService) Send(ctx context.Context, req *SendTransferRequest, opts ...RequestOption) (*Transfer, error) {
	if req == nil {
		return nil, errNilRequest
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	body := *req
	sent := time.Now()
	tr, err := call[Transfer](ctx, s.client, endpoint{method: http.MethodPost, path: "/tc/api/v1/direct-transfer", retry: retryNoReplay}, body, opts)
	if errors.Is(err, ErrOutcomeUnknown) {
		return nil, &TransferUnknownError{Request: body, SentAt: sent, Err: err}
	}
	return tr, err
}
