package vaultspay_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
)

// requestCases holds one filled value of every request body type of the SDK. A request stored as
// JSON (an outbox row, a queue message) must read back equal to what was stored.
func requestCases() []any {
	str := vaultspay.Ptr[string]
	addr := &vaultspay.CardAddress{Country: "ARE", State: "Dubai", City: "Dubai", AddressLine1: "1 Sheikh Zayed Rd",
		AddressLine2: str("Flat 2"), Type: vaultspay.CardAddressTypeMailing, PostalCode: "00000",
		Longitude: str("55.27"), Latitude: str("25.20")}
	dob := vaultspay.NewDate(1990, 5, 15)
	personal := vaultspay.PersonalInfoFields{FirstName: "Aisha", LastName: "Khan", NickName: "A", DOB: &dob,
		Gender: vaultspay.GenderFemale, MaritalStatus: vaultspay.MaritalStatusSingle, Nationality: "PAK",
		CountryOfBirth: "PAK", CountryOfResidence: "ARE", TIN: "TX-99887766", Language: vaultspay.LanguageEnglish}
	address := vaultspay.AddressFields{CountryID: 1, CountryCode: "ARE", StateID: 2, StateName: "Dubai", CityID: 3,
		CityName: "Dubai", AddressLine1: "1 Main St", AddressLine2: "Apt 4", PostalCode: "00000",
		Longitude: "55.27", Latitude: "25.20"}
	extra := map[string]any{"channel": "web", "flags": []any{"a", true}, "count": json.Number("12345678901234567890")}
	issued, expires := vaultspay.NewDate(2020, 1, 2), vaultspay.NewDate(2030, 1, 2)
	return []any{
		&vaultspay.LoginRequest{ClientID: "client-1", ClientSecret: "s3cret-value"},
		&vaultspay.RefreshTokenRequest{RefreshToken: "refresh-token-value"},
		&vaultspay.CreateUserRequest{FirstName: "Aisha", LastName: "Khan", Email: "a@example.com", CountryCode: "92",
			Phone: "3001234567", Status: vaultspay.UserStatusActive},
		&vaultspay.CreatePersonalInfoRequest{UserID: 7, PersonalInfoFields: personal, Extra: extra},
		&vaultspay.UpdatePersonalInfoRequest{UserID: 7, PersonalInfoFields: personal},
		&vaultspay.CreateAddressRequest{UserID: 7, Type: vaultspay.AddressTypeResidential, AddressFields: address},
		&vaultspay.UpdateAddressRequest{UserID: 7, Type: vaultspay.AddressTypeResidential, AddressFields: address, Status: vaultspay.Ptr(true)},
		&vaultspay.IdentificationRequest{UserID: 7, Extra: extra, Documents: []vaultspay.IdentityDocument{{
			Type: vaultspay.DocumentTypePassport, Number: "AB1234567", IssueDate: &issued, ExpiryDate: &expires,
			IssuingCountry: "PAK", FileName: "passport.pdf", ContentType: vaultspay.ContentTypePDF, Content: []byte("%PDF-1.4 test"),
		}}},
		&vaultspay.CreateAccountRequest{UserID: 7, CurrencyID: 2, AccountType: vaultspay.AccountTypeDigital},
		&vaultspay.ValidateIBANRequest{IBAN: "AE070331234567890123456", AccountTitle: str("ACME LLC")},
		&vaultspay.CreateContactRequest{Title: "Landlord", IBAN: "AE070331234567890123456", AccountTitle: str("ACME LLC")},
		&vaultspay.SendTransferRequest{SenderAccountID: 12, CurrencyCode: "AED", PaymentContactID: 34,
			Purpose: vaultspay.PurposeRent, Description: "Rent December", Amount: vaultspay.MustParseAmount("1000.00")},
		&vaultspay.SendTransferRequest{SenderAccountID: 12, CurrencyCode: "KWD", PaymentContactID: 34,
			Purpose: vaultspay.PurposeRent, Description: "Three decimals", Amount: vaultspay.MustParseAmount("12.345")},
		&vaultspay.SendTransferRequest{CurrencyCode: "JPY", PaymentContactID: 34,
			Purpose: vaultspay.PurposeOwnAccountTransfer, Description: "No decimals", Amount: vaultspay.MustParseAmount("5000")},
		&vaultspay.CreateCardRequest{CardTierID: 1, CustomerID: 7, Address: addr, CardType: vaultspay.CardTypePhysical,
			AccountID: 12, CardHolderName: "AISHA KHAN"},
		&vaultspay.ProcessCardRequest{CardID: 25, Remarks: str("ok"), StatusReason: str("new card"), Status: vaultspay.CardStatusIssuanceInProgress},
		&vaultspay.UpdateCardManufacturingRequest{CardRef: vaultspay.CardRef{ID: 25, Token: 99}, StatusReason: str("made"),
			CardManufacturingStatus: vaultspay.CardManufacturingStatusManufactured, Extra: extra},
		&vaultspay.UpdateCardDeliveryRequest{CardID: 25, DeliveryStatus: vaultspay.CardDeliveryStatusDelivered},
		&vaultspay.ActivateCardRequest{CardRef: vaultspay.CardByID(25), PAN: "4111111111111111", ExpiryDate: "08/28"},
		&vaultspay.SetPINRequest{CardRef: vaultspay.CardByToken(99), PIN: "1234", Extra: extra},
		&vaultspay.UpdateCardStatusRequest{CardRef: vaultspay.CardByID(25), StatusReason: "lost", CardStatus: vaultspay.CardStatusBlock},
		&vaultspay.ToggleFreezeRequest{CardRef: vaultspay.CardByID(25), StatusReason: str("travel"), Extra: extra},
		&vaultspay.EnrollThreeDSRequest{CardRef: vaultspay.CardByID(25), Extra: extra},
		&vaultspay.UpdateCardAccountRequest{CardID: 25, AccountID: 13},
		&vaultspay.CardConversionRequest{CardID: 25, AddressID: 4, Address: addr},
		&vaultspay.ProcessCardConversionRequest{CardID: 25, CardConversionStatus: vaultspay.CardConversionStatusApproved,
			Remarks: str("fine"), Extra: extra},
		&vaultspay.ReportIssueRequest{CardRef: vaultspay.CardByID(25), StatusReason: vaultspay.CardReportReasonLost,
			Remarks: str("lost on the metro"), Extra: extra},
		&vaultspay.ReviewReportRequest{CardRef: vaultspay.CardByID(25), Remarks: str("seen"), Extra: extra},
		&vaultspay.ReportedCardRequest{CardRef: vaultspay.CardRef{ID: 25, Token: 99}, Remarks: str("renew"), Extra: extra},
		&vaultspay.UpdateCardSecurityRequest{CardID: 25, ID: 69, TransactionType: vaultspay.RuleTransactionTypePurchase, Enabled: true},
		&vaultspay.UpdateTransactionLimitRequest{ID: 1, TransactionType: vaultspay.RuleTransactionTypePurchase, CardID: 25,
			Value: vaultspay.MustParseAmount("45000")},
	}
}

func TestRequestsRoundTripThroughJSON(t *testing.T) {
	for _, req := range requestCases() {
		name := reflect.TypeOf(req).Elem().Name()
		t.Run(name, func(t *testing.T) {
			wire, err := json.Marshal(req)
			require.NoError(t, err)
			back := reflect.New(reflect.TypeOf(req).Elem()).Interface()
			require.NoError(t, json.Unmarshal(wire, back), "%s", wire)
			assert.Equal(t, req, back, "a %s read back from JSON must equal what was stored", name)
			again, err := json.Marshal(back)
			require.NoError(t, err)
			assert.JSONEq(t, string(wire), string(again), "the wire form must survive a round trip")
		})
	}
}

// TestTransferAmountSurvivesStorage is the reported case: 1000.00 AED stored as JSON must not read back
// as 100000, and the reloaded unknown-outcome error must search for the same transfer.
func TestTransferAmountSurvivesStorage(t *testing.T) {
	req := vaultspay.SendTransferRequest{SenderAccountID: 12, CurrencyCode: "AED", PaymentContactID: 34,
		Purpose: vaultspay.PurposeRent, Description: "Rent", Amount: vaultspay.MustParseAmount("1000.00")}
	stored, err := json.Marshal(vaultspay.TransferUnknownError{Request: req})
	require.NoError(t, err)
	var back vaultspay.TransferUnknownError
	require.NoError(t, json.Unmarshal(stored, &back))
	assert.Equal(t, 0, back.Request.Amount.Cmp(vaultspay.MustParseAmount("1000.00")), "read back as %s", back.Request.Amount)
	assert.Equal(t, (&vaultspay.TransferUnknownError{Request: req}).Match(), back.Match())
}

// TestEveryRequestTypeHasARoundTripCase fails when a request body type is added to the SDK without a
// case in requestCases.
func TestEveryRequestTypeHasARoundTripCase(t *testing.T) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	var declared []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if ok && ts.Name.IsExported() && strings.HasSuffix(ts.Name.Name, "Request") {
				if _, isStruct := ts.Type.(*ast.StructType); isStruct {
					declared = append(declared, ts.Name.Name)
				}
			}
			return true
		})
	}
	covered := map[string]bool{}
	for _, req := range requestCases() {
		covered[reflect.TypeOf(req).Elem().Name()] = true
	}
	var missing []string
	for _, name := range declared {
		if !covered[name] {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	assert.Empty(t, missing, "request types without a JSON round-trip case")
	assert.GreaterOrEqual(t, len(declared), 25)
}
