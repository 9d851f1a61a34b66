package fakeserve

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// SeedDemo is the name of the one seed: `--seed demo`.
const SeedDemo = "demo"

// Seeded are the ids --seed demo created.
type Seeded struct {
	UserID         vaultspay.ID `json:"userId"`         // KYC-verified
	AccountID      vaultspay.ID `json:"accountId"`      // AED, funded, with ledger lines
	ContactID      vaultspay.ID `json:"contactId"`      // a payment contact (an INVESTBANK IBAN)
	VirtualCardID  vaultspay.ID `json:"virtualCardId"`  // ACTIVE
	PhysicalCardID vaultspay.ID `json:"physicalCardId"` // INACTIVE: not yet made, shipped and activated
}

// Fixtures creates what seeding and `vaultspay trigger` need through the public API (the encrypted
// pipeline, so the SDK's validation and the fake's checks both apply) and the back office through the
// control routes.
type Fixtures struct {
	Client  *vaultspay.Client
	Control *Control
}

// DemoCurrencyID is the platform's currency id of AED, the seed accounts' currency.
const DemoCurrencyID vaultspay.ID = 2

// Demo creates a KYC-verified user, an AED account funded with two deposits and one transfer (three
// ledger lines), a payment contact, a virtual card and a physical card.
func (f *Fixtures) Demo(ctx context.Context) (*Seeded, error) {
	user, home, err := f.VerifiedUser(ctx, "Ada", "Lovelace")
	if err != nil {
		return nil, err
	}
	acct, err := f.FundedAccount(ctx, user.ID, vaultspay.MustParseAmount("1000.00"))
	if err != nil {
		return nil, err
	}
	if err := f.Control.Fund(ctx, acct.ID, vaultspay.MustParseAmount("250.00")); err != nil {
		return nil, err
	}
	contact, err := f.Contact(ctx, "Landlord", vaultspaytest.TestIBANInvestBank)
	if err != nil {
		return nil, err
	}
	if _, err := f.Transfer(ctx, acct, contact.ID, vaultspay.MustParseAmount("125.50"), "Demo rent"); err != nil {
		return nil, err
	}
	virtual, err := f.Card(ctx, user.ID, acct.ID, vaultspay.CardTypeVirtual, home)
	if err != nil {
		return nil, err
	}
	physical, err := f.Card(ctx, user.ID, acct.ID, vaultspay.CardTypePhysical, home)
	if err != nil {
		return nil, err
	}
	return &Seeded{UserID: user.ID, AccountID: acct.ID, ContactID: contact.ID, VirtualCardID: virtual.ID,
		PhysicalCardID: physical.ID}, nil
}

// VerifiedUser creates a user with personal info, a residential address and a passport, and has the
// back office verify the KYC. It returns the user and the address (where a physical card goes).
func (f *Fixtures) VerifiedUser(ctx context.Context, first, last string) (*vaultspay.User, *vaultspay.Address, error) {
	c := f.Client
	user, err := c.Users.Create(ctx, &vaultspay.CreateUserRequest{FirstName: first, LastName: last,
		Email: fmt.Sprintf("%s.%d@example.com", first, time.Now().UnixNano()), Status: vaultspay.UserStatusActive})
	if err != nil {
		return nil, nil, fmt.Errorf("create user: %w", err)
	}
	country, state, city, err := f.place(ctx, "AE")
	if err != nil {
		return nil, nil, err
	}
	dob := vaultspay.NewDate(1990, time.May, 15)
	if _, err := c.KYC.CreatePersonal(ctx, &vaultspay.CreatePersonalInfoRequest{UserID: user.ID,
		PersonalInfoFields: vaultspay.PersonalInfoFields{FirstName: first, LastName: last, DOB: &dob,
			Gender: vaultspay.GenderFemale, MaritalStatus: vaultspay.MaritalStatusSingle, Nationality: "ARE",
			CountryOfBirth: "ARE", CountryOfResidence: "ARE", Language: vaultspay.LanguageEnglish}}); err != nil {
		return nil, nil, fmt.Errorf("personal info: %w", err)
	}
	home, err := c.KYC.CreateAddress(ctx, &vaultspay.CreateAddressRequest{UserID: user.ID, Type: vaultspay.AddressTypeResidential,
		AddressFields: vaultspay.AddressFields{CountryID: country, StateID: state, CityID: city,
			AddressLine1: "12 Sheikh Zayed Road", PostalCode: "00000"}})
	if err != nil {
		return nil, nil, fmt.Errorf("address: %w", err)
	}
	issued, expires := vaultspay.NewDate(2020, time.January, 10), vaultspay.NewDate(2030, time.January, 9)
	if _, err := c.KYC.UploadIdentification(ctx, &vaultspay.IdentificationRequest{UserID: user.ID,
		Documents: []vaultspay.IdentityDocument{{Type: vaultspay.DocumentTypePassport, Number: "AB1234567",
			IssueDate: &issued, ExpiryDate: &expires, IssuingCountry: "ARE", FileName: "passport.pdf",
			ContentType: vaultspay.ContentTypePDF, Content: []byte("%PDF-1.4 a passport scan")}}}); err != nil {
		return nil, nil, fmt.Errorf("identification: %w", err)
	}
	if err := f.Control.SetKYCStatus(ctx, user.ID, vaultspay.KYCStatusVerified); err != nil {
		return nil, nil, err
	}
	return user, home, nil
}

// place returns the ids of a country (by ISO alpha-2) and of its first state that has a city.
func (f *Fixtures) place(ctx context.Context, iso2 string) (country, state, city vaultspay.ID, err error) {
	c := f.Client
	countries, err := c.Users.ListCountries(ctx)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("countries: %w", err)
	}
	for _, co := range countries {
		if co.ISO2 == iso2 {
			country = co.ID
		}
	}
	if country == 0 {
		return 0, 0, 0, fmt.Errorf("no country %s", iso2)
	}
	states, err := c.Users.ListStates(ctx, country)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("states: %w", err)
	}
	for _, st := range states {
		cities, err := c.Users.ListCities(ctx, st.ID)
		if err != nil {
			return 0, 0, 0, fmt.Errorf("cities: %w", err)
		}
		if len(cities) > 0 {
			return country, st.ID, cities[0].ID, nil
		}
	}
	return 0, 0, 0, fmt.Errorf("no city in %s", iso2)
}

// FundedAccount opens an AED account for userID and has the back office credit it with amount.
func (f *Fixtures) FundedAccount(ctx context.Context, userID vaultspay.ID, amount vaultspay.Amount) (*vaultspay.Account, error) {
	acct, err := f.Client.Wallets.Create(ctx, &vaultspay.CreateAccountRequest{UserID: userID, CurrencyID: DemoCurrencyID,
		AccountType: vaultspay.AccountTypeDigital})
	if err != nil {
		return nil, fmt.Errorf("open account: %w", err)
	}
	if err := f.Control.Fund(ctx, acct.ID, amount); err != nil {
		return nil, err
	}
	return acct, nil
}

// Contact validates iban and saves it as a payment contact titled title.
func (f *Fixtures) Contact(ctx context.Context, title, iban string) (*vaultspay.PaymentContact, error) {
	check, err := f.Client.Transfers.ValidateIBAN(ctx, &vaultspay.ValidateIBANRequest{IBAN: iban})
	if err != nil {
		return nil, fmt.Errorf("validate IBAN: %w", err)
	}
	contact, err := f.Client.Transfers.CreateContact(ctx, &vaultspay.CreateContactRequest{Title: title, IBAN: check.Details.IBAN})
	if err != nil {
		return nil, fmt.Errorf("create contact: %w", err)
	}
	return contact, nil
}

// Transfer sends amount from acct to a contact, with a unique reference in the description. It never
// sends twice: an unknown outcome is returned as is.
func (f *Fixtures) Transfer(ctx context.Context, acct *vaultspay.Account, contactID vaultspay.ID, amount vaultspay.Amount,
	what string) (*vaultspay.Transfer, error) {
	tr, err := f.Client.Transfers.Send(ctx, &vaultspay.SendTransferRequest{SenderAccountID: acct.ID, CurrencyCode: acct.CurrencyCode,
		PaymentContactID: contactID, Purpose: vaultspay.PurposeRent, Description: what + " " + vaultspay.NewTransferReference(),
		Amount: amount})
	if err != nil {
		return nil, fmt.Errorf("send transfer: %w", err)
	}
	return tr, nil
}

// Card issues a card of type t on account accountID for userID: the first tier, the fullest embossing
// name the API offers and, for a physical card, home as the mailing address.
func (f *Fixtures) Card(ctx context.Context, userID, accountID vaultspay.ID, t vaultspay.CardType, home *vaultspay.Address) (*vaultspay.Card, error) {
	req, err := NewCardRequest(ctx, f.Client, userID, accountID, t, home)
	if err != nil {
		return nil, err
	}
	card, err := f.Client.Cards.Create(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("create %s card: %w", t, err)
	}
	return card, nil
}

// NewCardRequest fills a CreateCardRequest with the defaults a person would pick: the first card tier,
// the fullest of the user's embossing names and, for a physical card, home (the user's KYC address)
// as the mailing address. home may be nil for a virtual card.
func NewCardRequest(ctx context.Context, c *vaultspay.Client, userID, accountID vaultspay.ID, t vaultspay.CardType,
	home *vaultspay.Address) (*vaultspay.CreateCardRequest, error) {
	tiers, err := c.Cards.ListTiers(ctx)
	if err != nil {
		return nil, fmt.Errorf("card tiers: %w", err)
	}
	if len(tiers) == 0 {
		return nil, fmt.Errorf("card tiers: the API lists none")
	}
	names, err := c.Cards.EmbossingNames(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("embossing names: %w", err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("embossing names: the API offers none for user %d", userID)
	}
	name := names[0]
	for _, n := range names[1:] {
		if len(n) > len(name) {
			name = n
		}
	}
	req := &vaultspay.CreateCardRequest{CardTierID: tiers[0].ID, CustomerID: userID, AccountID: accountID, CardType: t,
		CardHolderName: name}
	if t == vaultspay.CardTypePhysical && home != nil {
		req.Address = &vaultspay.CardAddress{Country: home.CountryCode, State: home.StateName, City: home.CityName,
			AddressLine1: home.AddressLine1, PostalCode: home.PostalCode, Type: vaultspay.CardAddressTypeMailing}
	}
	return req, nil
}

// NewTestIBAN returns a fresh valid UAE IBAN at INVESTBANK (bank code 030) with random account digits,
// so that each call can save a new payment contact (the API refuses an IBAN saved before).
func NewTestIBAN() string {
	const bank = "030"
	acct := make([]byte, 16)
	for i := range acct {
		acct[i] = byte('0' + rand.IntN(10))
	}
	bban := bank + string(acct)
	// ISO 13616: move "AE00" to the end, letters as numbers (A=10 … E=14), 98 - (n mod 97).
	rem := 0
	for _, ch := range bban + "1014" + "00" {
		rem = (rem*10 + int(ch-'0')) % 97
	}
	return fmt.Sprintf("AE%02d%s", 98-rem, bban)
}
