// Command quickstart is the first program a new user runs: it logs in, pings the API, onboards a
// user through KYC, opens and funds an account, sends a transfer to a validated IBAN, prints the
// transactions and the ledger, issues a physical card and activates it, and reads the card's limits
// and security settings. With no VAULTSPAY_* variables set it starts the vaultspaytest fake
// in-process, so it works offline, and plays the VaultsPay back office itself (approving KYC, funding
// the account, making and delivering the card); with them set it talks to the configured environment
// and leaves back-office steps to VaultsPay. It prints each step and never a secret.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// story is one run of the quickstart: the client, where it points, and the fake's back office when
// running offline (nil against a real environment).
type story struct {
	client *vaultspay.Client
	fake   *vaultspaytest.Server
	out    io.Writer
	step   int
	home   *vaultspay.Address // the user's KYC address, where the card is delivered
}

func (s *story) say(format string, args ...any) {
	s.step++
	fmt.Fprintf(s.out, "%2d. "+format+"\n", append([]any{s.step}, args...)...)
}

func run(ctx context.Context, out io.Writer) error {
	s := &story{out: out}
	where, closeFn, err := s.connect()
	if err != nil {
		return err
	}
	defer closeFn()
	s.say("client ready for %s", where)

	if err := s.client.Login(ctx); err != nil {
		return fmt.Errorf("login: %w", err)
	}
	s.say("logged in (the client holds the access token and refreshes it by itself)")

	msg, err := s.client.Ping(ctx)
	if err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	s.say("ping: %s", msg)

	user, err := s.onboard(ctx)
	if err != nil {
		return err
	}
	acct, err := s.moveMoney(ctx, user)
	if err != nil {
		return err
	}
	return s.issueCard(ctx, user, acct)
}

// connect uses the VAULTSPAY_* variables when any is set, else an in-process fake.
func (s *story) connect() (string, func(), error) {
	if vaultspay.EnvConfigured() {
		c, err := vaultspay.NewClientFromEnv()
		if err != nil {
			return "", nil, err
		}
		s.client = c
		return "the environment in VAULTSPAY_BASE_URL (default UAT)", func() {}, nil
	}
	srv, err := vaultspaytest.NewUnstartedServer()
	if err != nil {
		return "", nil, err
	}
	if err := srv.Start(); err != nil {
		return "", nil, err
	}
	s.client, s.fake = srv.Client(), srv
	return "the in-process fake at " + srv.URL + " (no VAULTSPAY_* variables set)", srv.Close, nil
}

// onboard creates a user and takes them through KYC, returning the user.
func (s *story) onboard(ctx context.Context) (*vaultspay.User, error) {
	c := s.client
	email := fmt.Sprintf("ada.%d@example.com", time.Now().UnixNano())
	user, err := c.Users.Create(ctx, &vaultspay.CreateUserRequest{FirstName: "Ada", LastName: "Lovelace",
		Email: email, Status: vaultspay.UserStatusActive})
	if err != nil {
		return nil, fmt.Errorf("create user: %w", err)
	}
	s.say("created user %d (%s), username %s", user.ID, user.FullName, user.Username)

	country, state, city, err := s.place(ctx, "PK")
	if err != nil {
		return nil, err
	}
	s.say("resolved %s → %s → %s (ids %d, %d, %d)", country.Name, state.Name, city.Name, country.ID, state.ID, city.ID)

	dob := vaultspay.NewDate(1990, time.May, 15)
	info, err := c.KYC.CreatePersonal(ctx, &vaultspay.CreatePersonalInfoRequest{UserID: user.ID,
		PersonalInfoFields: vaultspay.PersonalInfoFields{FirstName: "Ada", LastName: "Lovelace", DOB: &dob,
			Gender: vaultspay.GenderFemale, MaritalStatus: vaultspay.MaritalStatusSingle, Nationality: "PAK",
			CountryOfBirth: "PAK", CountryOfResidence: "PAK", Language: vaultspay.LanguageEnglish}})
	if err != nil {
		return nil, fmt.Errorf("personal info: %w", err)
	}
	s.say("submitted personal info, KYC status %s", info.Status)

	addr, err := c.KYC.CreateAddress(ctx, &vaultspay.CreateAddressRequest{UserID: user.ID, Type: vaultspay.AddressTypeResidential,
		AddressFields: vaultspay.AddressFields{CountryID: country.ID, StateID: state.ID, CityID: city.ID,
			AddressLine1: "12 Jinnah Avenue", PostalCode: "44000"}})
	if err != nil {
		return nil, fmt.Errorf("address: %w", err)
	}
	s.say("added %s address %d in %s, %s", addr.Type, addr.ID, addr.CityName, addr.CountryCode)
	s.home = addr

	issued, expires := vaultspay.NewDate(2020, time.January, 10), vaultspay.NewDate(2030, time.January, 9)
	scan := []byte("%PDF-1.4 a passport scan would go here")
	ident, err := c.KYC.UploadIdentification(ctx, &vaultspay.IdentificationRequest{UserID: user.ID,
		Documents: []vaultspay.IdentityDocument{{Type: vaultspay.DocumentTypePassport, Number: "AB1234567",
			IssueDate: &issued, ExpiryDate: &expires, IssuingCountry: "PAK", FileName: "passport.pdf",
			ContentType: vaultspay.ContentTypePDF, Content: scan}}})
	if err != nil {
		return nil, fmt.Errorf("identification: %w", err)
	}
	s.say("uploaded %d identity document(s); number shown as %s", len(ident.Documents), ident.Documents[0].Number)

	if s.fake != nil {
		if err := s.fake.SetKYCStatus(user.ID, vaultspay.KYCStatusVerified); err != nil {
			return nil, err
		}
		s.say("back office (fake): KYC approved")
	} else {
		s.say("KYC now waits for a VaultsPay admin; poll KYC.Get to see the decision")
	}
	kyc, err := c.KYC.Get(ctx, user.ID)
	if err != nil {
		return nil, fmt.Errorf("get KYC: %w", err)
	}
	s.say("final KYC status of user %d: %s", user.ID, kyc.Status)
	return user, nil
}

// place resolves the first state and city of the country with ISO code iso2.
func (s *story) place(ctx context.Context, iso2 string) (vaultspay.Country, vaultspay.State, vaultspay.City, error) {
	var (
		country vaultspay.Country
		state   vaultspay.State
		city    vaultspay.City
	)
	countries, err := s.client.Users.ListCountries(ctx)
	if err != nil {
		return country, state, city, fmt.Errorf("countries: %w", err)
	}
	for _, c := range countries {
		if c.ISO2 == iso2 {
			country = c
		}
	}
	if country.ID == 0 {
		return country, state, city, fmt.Errorf("no country %s", iso2)
	}
	states, err := s.client.Users.ListStates(ctx, country.ID)
	if err != nil || len(states) == 0 {
		return country, state, city, fmt.Errorf("states of %s: %v", country.Name, err)
	}
	for _, st := range states {
		cities, err := s.client.Users.ListCities(ctx, st.ID)
		if err != nil {
			return country, state, city, fmt.Errorf("cities of %s: %w", st.Name, err)
		}
		if len(cities) > 0 {
			return country, st, cities[0], nil
		}
	}
	return country, state, city, fmt.Errorf("no city in %s", country.Name)
}
