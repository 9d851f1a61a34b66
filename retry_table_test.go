package vaultspay

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var updateREADME = flag.Bool("update-readme", false, "rewrite the README's per-method retry table from the observed rules")

// retryTableCall is one service method called with a request that passes client-side validation.
type retryTableCall struct {
	name string // "Cards.Create", as in the README
	call func(ctx context.Context, c *Client) error
}

func drain[T any](seq func(func(T, error) bool)) error {
	for _, err := range seq {
		return err
	}
	return nil
}

// everyServiceCall lists every exported method of every service; TestRetryTableCoversEveryMethod
// keeps it complete.
func everyServiceCall() []retryTableCall {
	var calls []retryTableCall
	seen := map[string]bool{}
	for _, cw := range cardsWireCases() {
		name := "Cards." + strings.Fields(cw.name)[0]
		if seen[name] {
			continue
		}
		seen[name] = true
		call := cw.call
		calls = append(calls, retryTableCall{name, func(_ context.Context, c *Client) error { _, err := call(c); return err }})
	}
	transfer := func() *SendTransferRequest {
		return &SendTransferRequest{SenderAccountID: 12, CurrencyCode: "AED", PaymentContactID: 9876, Purpose: PurposeRent,
			Description: "Rent", Amount: MustParseAmount("10")}
	}
	personal := PersonalInfoFields{FirstName: "Maluk", LastName: "Antique", DOB: &dob15May1990, Gender: GenderMale,
		Nationality: "PAK", CountryOfBirth: "USA", CountryOfResidence: "UKR", Language: LanguageEnglish}
	address := AddressFields{CountryID: 167, CountryCode: "USA", StateID: 3169, StateName: "California", CityID: 85475,
		CityName: "Los Angeles", AddressLine1: "123 Main Street", PostalCode: "90091"}
	identification := func() *IdentificationRequest {
		return &IdentificationRequest{UserID: 604, Documents: []IdentityDocument{passport()}}
	}
	return append(calls, []retryTableCall{
		{"Cards.ListReportedIssuesIter", func(ctx context.Context, c *Client) error {
			return drain(c.Cards.ListReportedIssuesIter(ctx, nil))
		}},
		{"KYC.CreatePersonal", func(ctx context.Context, c *Client) error {
			_, err := c.KYC.CreatePersonal(ctx, &CreatePersonalInfoRequest{UserID: 604, PersonalInfoFields: personal})
			return err
		}},
		{"KYC.UpdatePersonal", func(ctx context.Context, c *Client) error {
			_, err := c.KYC.UpdatePersonal(ctx, &UpdatePersonalInfoRequest{UserID: 604, PersonalInfoFields: personal})
			return err
		}},
		{"KYC.CreateAddress", func(ctx context.Context, c *Client) error {
			_, err := c.KYC.CreateAddress(ctx, &CreateAddressRequest{UserID: 604, Type: AddressTypeMailing, AddressFields: address})
			return err
		}},
		{"KYC.UpdateAddress", func(ctx context.Context, c *Client) error {
			_, err := c.KYC.UpdateAddress(ctx, &UpdateAddressRequest{UserID: 604, Type: AddressTypeMailing, AddressFields: address})
			return err
		}},
		{"KYC.Get", func(ctx context.Context, c *Client) error { _, err := c.KYC.Get(ctx, 602); return err }},
		{"KYC.UploadIdentification", func(ctx context.Context, c *Client) error {
			_, err := c.KYC.UploadIdentification(ctx, identification())
			return err
		}},
		{"KYC.UpdateIdentification", func(ctx context.Context, c *Client) error {
			_, err := c.KYC.UpdateIdentification(ctx, identification())
			return err
		}},
		{"Rules.CardSecurity", func(ctx context.Context, c *Client) error { _, err := c.Rules.CardSecurity(ctx, 1); return err }},
		{"Rules.UpdateCardSecurity", func(ctx context.Context, c *Client) error {
			_, err := c.Rules.UpdateCardSecurity(ctx, &UpdateCardSecurityRequest{CardID: 1, ID: 69,
				TransactionType: RuleTransactionTypeATMWithdrawal, Enabled: true})
			return err
		}},
		{"Rules.ResetCardSecurity", func(ctx context.Context, c *Client) error { _, err := c.Rules.ResetCardSecurity(ctx, 1); return err }},
		{"Rules.TransactionLimits", func(ctx context.Context, c *Client) error { _, err := c.Rules.TransactionLimits(ctx, nil); return err }},
		{"Rules.UpdateTransactionLimit", func(ctx context.Context, c *Client) error {
			_, err := c.Rules.UpdateTransactionLimit(ctx, &UpdateTransactionLimitRequest{ID: 175,
				TransactionType: RuleTransactionTypeDeposit, Value: MustParseAmount("20000.50")})
			return err
		}},
		{"Transactions.List", func(ctx context.Context, c *Client) error { _, err := c.Transactions.List(ctx, nil); return err }},
		{"Transactions.ListIter", func(ctx context.Context, c *Client) error { return drain(c.Transactions.ListIter(ctx, nil)) }},
		{"Transactions.Get", func(ctx context.Context, c *Client) error { _, err := c.Transactions.Get(ctx, 14756); return err }},
		{"Transfers.ValidateIBAN", func(ctx context.Context, c *Client) error {
			_, err := c.Transfers.ValidateIBAN(ctx, &ValidateIBANRequest{IBAN: "AE580300000002000007377"})
			return err
		}},
		{"Transfers.CreateContact", func(ctx context.Context, c *Client) error {
			_, err := c.Transfers.CreateContact(ctx, &CreateContactRequest{Title: "Landlord", IBAN: "AE580300000002000007377"})
			return err
		}},
		{"Transfers.Send", func(ctx context.Context, c *Client) error { _, err := c.Transfers.Send(ctx, transfer()); return err }},
		{"Transfers.FindSent", func(ctx context.Context, c *Client) error {
			_, err := c.Transfers.FindSent(ctx, TransferMatch{SenderAccountID: 12, Amount: MustParseAmount("10")})
			return err
		}},
		{"Users.Create", func(ctx context.Context, c *Client) error {
			_, err := c.Users.Create(ctx, &CreateUserRequest{FirstName: "khalid", LastName: "raza", Email: "khalidraza@gmail.com",
				Status: UserStatusActive})
			return err
		}},
		{"Users.ListCountries", func(ctx context.Context, c *Client) error { _, err := c.Users.ListCountries(ctx); return err }},
		{"Users.ListStates", func(ctx context.Context, c *Client) error { _, err := c.Users.ListStates(ctx, 167); return err }},
		{"Users.ListCities", func(ctx context.Context, c *Client) error { _, err := c.Users.ListCities(ctx, 3169); return err }},
		{"Wallets.Create", func(ctx context.Context, c *Client) error {
			_, err := c.Wallets.Create(ctx, &CreateAccountRequest{UserID: 6, CurrencyID: 2, AccountType: AccountTypeDigital})
			return err
		}},
		{"Wallets.List", func(ctx context.Context, c *Client) error { _, err := c.Wallets.List(ctx, nil); return err }},
		{"Wallets.ListIter", func(ctx context.Context, c *Client) error { return drain(c.Wallets.ListIter(ctx, nil)) }},
		{"Wallets.Get", func(ctx context.Context, c *Client) error { _, err := c.Wallets.Get(ctx, 12); return err }},
		{"Wallets.ListLedger", func(ctx context.Context, c *Client) error { _, err := c.Wallets.ListLedger(ctx, 12, nil); return err }},
		{"Wallets.ListLedgerIter", func(ctx context.Context, c *Client) error { return drain(c.Wallets.ListLedgerIter(ctx, 12, nil)) }},
		{"Ping", func(ctx context.Context, c *Client) error { _, err := c.Ping(ctx); return err }},
	}...)
}

// TestRetryTableCoversEveryMethod: every exported method of every service has a row.
func TestRetryTableCoversEveryMethod(t *testing.T) {
	t.Parallel()
	have := map[string]bool{}
	for _, c := range everyServiceCall() {
		assert.False(t, have[c.name], "duplicate row %s", c.name)
		have[c.name] = true
	}
	ct := reflect.TypeOf(Client{})
	for i := 0; i < ct.NumField(); i++ {
		f := ct.Field(i)
		if !f.IsExported() || f.Type.Kind() != reflect.Pointer || !strings.HasSuffix(f.Type.Elem().Name(), "Service") {
			continue
		}
		for m := 0; m < f.Type.NumMethod(); m++ {
			name := f.Name + "." + f.Type.Method(m).Name
			assert.True(t, have[name], "%s has no row in everyServiceCall", name)
		}
	}
}

// observedRule is what a method did against a 503 without a code and against a 429.
type observedRule struct {
	method, path string // of the first request, numeric path segments as {id}
	rule         string // read, write, money
}

var numericSegment = regexp.MustCompile(`/\d+(/|$)`)

// observeRule runs call against a server answering status to everything and returns the attempts and
// the first request's method and path.
func observeRule(t *testing.T, call retryTableCall, status int) (attempts int, method, path string) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	var mu sync.Mutex
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		defer mu.Unlock()
		if attempts == 0 {
			method, path = r.Method, r.URL.Path
		}
		attempts++
		resp := httpmock.NewStringResponse(status, "")
		resp.Header.Set("Retry-After", "0")
		return resp, nil
	})
	c := newMockClient(t, mt, WithRetryPolicy(fastRetry(2)))
	require.Error(t, call.call(context.Background(), c))
	mu.Lock()
	defer mu.Unlock()
	return attempts, method, path
}

func observeRules(t *testing.T) map[string]observedRule {
	out := map[string]observedRule{}
	for _, call := range everyServiceCall() {
		n503, method, path := observeRule(t, call, http.StatusServiceUnavailable)
		n429, _, _ := observeRule(t, call, http.StatusTooManyRequests)
		o := observedRule{method: method, path: numericSegment.ReplaceAllString(path, "/{id}$1")}
		switch {
		case n503 == 3 && n429 == 3:
			o.rule = "read"
		case n503 == 1 && n429 == 3:
			o.rule = "write"
		case n503 == 1 && n429 == 1:
			o.rule = "money"
		default:
			t.Errorf("%s: %d attempts on 503, %d on 429: no rule does that", call.name, n503, n429)
		}
		out[call.name] = o
	}
	return out
}

// retryRuleCells are the table's columns per rule: refused before sending, reset/timeout/cut after
// sending, 429/1005, 5xx without a code (not 501), bad GCM tag.
var retryRuleCells = map[string]string{
	"read":  "retried | retried | retried | retried | error",
	"write": "retried | unknown | retried | unknown | unknown",
	"money": "retried | unknown | unknown | unknown | unknown",
}

const (
	retryTableStart = "<!-- retry-table:start (go test -run TestREADMERetryTable -update-readme) -->"
	retryTableEnd   = "<!-- retry-table:end -->"
)

func renderRetryTable(rules map[string]observedRule) string {
	names := make([]string, 0, len(rules))
	for n := range rules {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("| Method | Request | Rule | Nothing sent (refused dial) | Reset, timeout or cut body after sending | 429 / 1005 | 5xx without a code (not 501) | Bad GCM tag |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|\n")
	for _, n := range names {
		r := rules[n]
		fmt.Fprintf(&b, "| `%s` | `%s %s` | %s | %s |\n", n, r.method, r.path, r.rule, retryRuleCells[r.rule])
	}
	return b.String()
}

// TestREADMERetryTable: the README's per-method retry table is exactly what each method does against
// a 503 without a code and a 429 (attempts counted on httpmock). Run with -update-readme to rewrite it.
func TestREADMERetryTable(t *testing.T) {
	t.Parallel()
	want := renderRetryTable(observeRules(t))
	raw, err := os.ReadFile("README.md")
	require.NoError(t, err)
	readme := string(raw)
	i, j := strings.Index(readme, retryTableStart), strings.Index(readme, retryTableEnd)
	require.True(t, i >= 0 && j > i, "README.md lacks the retry table markers")
	got := readme[i+len(retryTableStart)+1 : j]
	if *updateREADME {
		readme = readme[:i+len(retryTableStart)+1] + want + readme[j:]
		require.NoError(t, os.WriteFile("README.md", []byte(readme), 0o644))
		return
	}
	assert.Equal(t, want, got, "README retry table is stale: go test -run TestREADMERetryTable -update-readme")
}
