package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/internal/fakeserve"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// seedDemo fills srv with the demo data of `vaultspay fake --seed demo`.
func seedDemo(t *testing.T, srv *vaultspaytest.Server) *fakeserve.Seeded {
	t.Helper()
	f := &fakeserve.Fixtures{Client: srv.Client(), Control: &fakeserve.Control{BaseURL: srv.URL}}
	s, err := f.Demo(context.Background())
	require.NoError(t, err)
	return s
}

// setFakeEnv configures the program for srv through the environment, for the rest of the test.
func setFakeEnv(t *testing.T, srv *vaultspaytest.Server) {
	t.Helper()
	t.Setenv(vaultspay.EnvBaseURL, srv.URL)
	t.Setenv(vaultspay.EnvClientID, srv.ClientID())
	t.Setenv(vaultspay.EnvClientSecret, srv.ClientSecret())
	t.Setenv(vaultspay.EnvAppID, srv.AppID())
	t.Setenv(vaultspay.EnvRSAPublicKey, srv.PublicKeyBase64())
}

// envCLI runs the program configured through the environment, with stdin.
func envCLI(t *testing.T, srv *vaultspaytest.Server, stdin string, args ...string) cliResult {
	t.Helper()
	setFakeEnv(t, srv)
	res := runRaw(t, strings.NewReader(stdin), args...)
	assertNoSecrets(t, res, srv.ClientSecret())
	return res
}

func TestCLIOnboarding(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)

	// The SDK refuses a user without names before anything is sent: exit 2.
	res := runCLI(t, srv, "users", "create", "--email", "x@example.com")
	assert.Equal(t, exitUsage, res.code, res.stderr)
	assert.Contains(t, res.stderr, "firstName")
	assert.Zero(t, srv.CountRequests(http.MethodPost, "/as/api/v1/users"))

	res = runCLI(t, srv, "users", "create", "--first-name", "Ada", "--last-name", "Lovelace", "--email", "ada@example.com")
	require.Equal(t, exitOK, res.code, res.stderr)
	user := recordFields(t, res.stdout)
	uid := user["ID"]
	assert.Equal(t, "Ada Lovelace", user["NAME"])
	assert.Equal(t, "ACTIVE", user["STATUS"])

	res = runCLI(t, srv, "kyc", "personal", "--user-id", uid, "--first-name", "Ada", "--last-name", "Lovelace", "--dob", "1990-05-15",
		"--gender", "FEMALE", "--nationality", "ARE", "--country-of-birth", "ARE", "--country-of-residence", "ARE")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, "ARE", recordFields(t, res.stdout)["NATIONALITY"])
	res = runCLI(t, srv, "kyc", "personal", "--user-id", uid, "--gender", "ROBOT")
	assert.Equal(t, exitUsage, res.code, "SDK validation: %s", res.stderr)
	assert.Contains(t, res.stderr, "gender")

	countries, err := srv.Client().Users.ListCountries(context.Background())
	require.NoError(t, err)
	var country vaultspay.ID
	for _, c := range countries {
		if c.ISO2 == "AE" {
			country = c.ID
		}
	}
	states, err := srv.Client().Users.ListStates(context.Background(), country)
	require.NoError(t, err)
	require.NotEmpty(t, states)
	cities, err := srv.Client().Users.ListCities(context.Background(), states[0].ID)
	require.NoError(t, err)
	require.NotEmpty(t, cities)
	res = runCLI(t, srv, "kyc", "address", "--user-id", uid, "--country-id", country.String(), "--state-id", states[0].ID.String(),
		"--city-id", cities[0].ID.String(), "--line1", "12 Sheikh Zayed Road", "--postal-code", "00000")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, recordFields(t, res.stdout)["ADDRESS"], "12 Sheikh Zayed Road")

	scan := filepath.Join(t.TempDir(), "passport.pdf")
	require.NoError(t, os.WriteFile(scan, []byte("%PDF-1.4 scan"), 0o600))
	res = runCLI(t, srv, "kyc", "identification", "--user-id", uid, "--number", "AB1234567", "--issue-date", "2020-01-10",
		"--expiry-date", "2030-01-09", "--issuing-country", "ARE", "--file", scan)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "PASSPORT")
	assert.Contains(t, res.stdout, "passport.pdf")
	assertNoSecrets(t, res, "AB1234567")
	res = runCLI(t, srv, "kyc", "identification", "--user-id", uid, "--number", "AB1234567", "--file", filepath.Join(t.TempDir(), "none.pdf"))
	assert.Equal(t, exitUsage, res.code)
	assert.Contains(t, res.stderr, "--file")

	res = runCLI(t, srv, "kyc", "get", uid, "-o", "json")
	require.Equal(t, exitOK, res.code, res.stderr)
	assertNoSecrets(t, res, "AB1234567")
	assert.Contains(t, res.stdout, `"PENDING"`)

	id, err := parseID(uid)
	require.NoError(t, err)
	require.NoError(t, srv.SetKYCStatus(id, vaultspay.KYCStatusVerified))
	res = runCLI(t, srv, "accounts", "create", "--user-id", uid, "--currency-id", "2")
	require.Equal(t, exitOK, res.code, res.stderr)
	acct := recordFields(t, res.stdout)
	assert.Equal(t, "AED", acct["CURRENCY"])
	assert.Equal(t, "0.00 AED", acct["BALANCE"])
	res = runCLI(t, srv, "accounts", "create", "--currency-id", "2")
	assert.Equal(t, exitUsage, res.code, "no user: SDK validation; %s", res.stderr)
}

func TestCLITransfers(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)
	seed := seedDemo(t, srv)
	from, to := seed.AccountID.String(), seed.ContactID.String()

	res := runCLI(t, srv, "transfers", "validate-iban", vaultspaytest.TestIBANZand)
	require.Equal(t, exitOK, res.code, res.stderr)
	f := recordFields(t, res.stdout)
	assert.Equal(t, "yes", f["VALID"])
	assert.Equal(t, "Zand Bank PJSC", f["BANK"])
	res = runCLI(t, srv, "transfers", "validate-iban", "AE000000000000000000001")
	assert.Equal(t, exitUsage, res.code, "checked by the SDK first: %s", res.stderr)

	res = runCLI(t, srv, "transfers", "contacts", "create", "--title", "Zand", "--iban", vaultspaytest.TestIBANZand)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, "Zand", recordFields(t, res.stdout)["TITLE"])
	res = runCLI(t, srv, "transfers", "contacts", "create", "--title", "Zand", "--iban", vaultspaytest.TestIBANZand)
	assert.Equal(t, exitAPI, res.code)
	assert.Contains(t, res.stderr, "Payment Contact already exists")

	sends := func() int { return srv.CountRequests(http.MethodPost, "/tc/api/v1/direct-transfer") }
	before := sends()
	// Not a terminal and no --yes: shows what would move, sends nothing.
	res = runCLI(t, srv, "transfers", "send", "--from", from, "--to", to, "--amount", "25", "--description", "Rent")
	assert.Equal(t, exitUsage, res.code)
	assert.Contains(t, res.stderr, "About to send 25.00 AED\n  from account "+from+` "ADA LOVELACE" (balance 1124.50 AED)`)
	assert.Contains(t, res.stderr, "pass --yes")
	// Too many decimals, a bad purpose: the SDK refuses before anything (even the account read).
	gets := srv.CountRequests(http.MethodGet, "/be/api/v1/accounts/"+from)
	res = runCLI(t, srv, "transfers", "send", "--from", from, "--to", to, "--amount", "25.001", "--yes")
	assert.Equal(t, exitUsage, res.code)
	assert.Contains(t, res.stderr, "amount")
	res = runCLI(t, srv, "transfers", "send", "--from", from, "--to", to, "--amount", "1", "--purpose", "BRIBE", "--yes")
	assert.Equal(t, exitUsage, res.code)
	assert.Contains(t, res.stderr, "purpose")
	res = runCLI(t, srv, "transfers", "send", "--from", from, "--to", to, "--amount", "many", "--yes")
	assert.Equal(t, exitUsage, res.code)
	assert.Equal(t, gets, srv.CountRequests(http.MethodGet, "/be/api/v1/accounts/"+from), "refused before any I/O")
	assert.Equal(t, before, sends())

	res = runCLI(t, srv, "transfers", "send", "--from", from, "--to", to, "--amount", "25", "--purpose", "RENT", "--description", "Rent", "--yes")
	require.Equal(t, exitOK, res.code, res.stderr)
	f = recordFields(t, res.stdout)
	assert.Equal(t, "25.00 AED", f["AMOUNT"])
	assert.Equal(t, "PENDING", f["STATUS"])
	assert.Equal(t, before+1, sends())
	res = runCLI(t, srv, "accounts", "get", from)
	assert.Equal(t, "1099.50 AED", recordFields(t, res.stdout)["BALANCE"])

	// Too little money: the API refuses, exit 1.
	res = runCLI(t, srv, "transfers", "send", "--from", from, "--to", to, "--amount", "5000", "--yes")
	assert.Equal(t, exitAPI, res.code)
	assert.Contains(t, res.stderr, "Insufficient balance")
}

// TestCLITransferUnknownOutcome: when the answer is lost, send never sends again; it looks for the
// transfer and says whether it landed.
func TestCLITransferUnknownOutcome(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		fault     vaultspaytest.FaultKind
		want      int
		wantErr   string
		transfers int
	}{
		{"processed, answer lost", vaultspaytest.FaultResetAfterHandler, exitOK, "It landed: 1 matching transaction(s); do not send it again.", 1},
		{"never processed", vaultspaytest.FaultResetBeforeHandler, exitAPI, "is not among recent transactions now", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newCLIFake(t)
			seed := seedDemo(t, srv)
			before := srv.State().Transfers
			sends := srv.CountRequests(http.MethodPost, "/tc/api/v1/direct-transfer")
			require.NoError(t, srv.InjectFault(vaultspaytest.Fault{Method: http.MethodPost, Path: "/tc/api/v1/direct-transfer", Kind: tt.fault}))
			res := runCLI(t, srv, "transfers", "send", "--from", seed.AccountID.String(), "--to", seed.ContactID.String(),
				"--amount", "10.00", "--yes")
			assert.Equal(t, tt.want, res.code, res.stderr)
			assert.Contains(t, res.stderr, "The transfer's outcome is unknown")
			assert.Contains(t, res.stderr, "It is not sent again.")
			assert.Contains(t, res.stderr, tt.wantErr)
			assert.Equal(t, sends+1, srv.CountRequests(http.MethodPost, "/tc/api/v1/direct-transfer"), "sent once, never again")
			assert.Equal(t, before+tt.transfers, srv.State().Transfers)
			if tt.want == exitOK {
				assert.Contains(t, res.stdout, "10.00 AED")
			}
		})
	}
}

// TestCLICardWrites is not parallel: the commands reading stdin take the secret from the environment.
func TestCLICardWrites(t *testing.T) {
	srv := newCLIFake(t)
	seed := seedDemo(t, srv)
	uid, acct := seed.UserID.String(), seed.AccountID.String()

	res := runCLI(t, srv, "cards", "create", "--user-id", uid, "--account-id", acct)
	require.Equal(t, exitOK, res.code, res.stderr)
	f := recordFields(t, res.stdout)
	assert.Equal(t, "VIRTUAL", f["TYPE"])
	assert.Equal(t, "ACTIVE", f["STATUS"])
	assert.Equal(t, "ADA LOVELACE", f["EMBOSS NAME"])
	virtual := f["ID"]
	res = runCLI(t, srv, "cards", "create", "--user-id", uid, "--account-id", acct, "--type", "physical")
	require.Equal(t, exitOK, res.code, res.stderr)
	f = recordFields(t, res.stdout)
	assert.Equal(t, "PHYSICAL", f["TYPE"])
	assert.Equal(t, "INACTIVE", f["STATUS"])
	physical := f["ID"]
	res = runCLI(t, srv, "cards", "create", "--user-id", uid, "--account-id", acct, "--type", "metal")
	assert.Equal(t, exitUsage, res.code)

	// freeze, freeze again (nothing sent), unfreeze; a physical INACTIVE card cannot be frozen.
	toggles := func() int { return srv.CountRequests(http.MethodPost, "/pcs/api/v1/toggle-freeze-card") }
	res = runCLI(t, srv, "cards", "freeze", virtual)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, "FREEZE", recordFields(t, res.stdout)["STATUS"])
	res = runCLI(t, srv, "cards", "freeze", virtual)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stderr, "is already FREEZE: nothing sent")
	assert.Equal(t, 1, toggles())
	res = runCLI(t, srv, "cards", "unfreeze", virtual)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, "ACTIVE", recordFields(t, res.stdout)["STATUS"])
	res = runCLI(t, srv, "cards", "freeze", physical)
	assert.Equal(t, exitUsage, res.code)
	assert.Contains(t, res.stderr, "is INACTIVE")
	assert.Equal(t, 2, toggles())

	// PAN and CVV only with --reveal.
	ref := vaultspay.CardByID(seed.VirtualCardID)
	pan, err := srv.Client().Cards.PAN(context.Background(), ref)
	require.NoError(t, err)
	res = runCLI(t, srv, "cards", "details", seed.VirtualCardID.String())
	require.Equal(t, exitOK, res.code, res.stderr)
	assertNoSecrets(t, res, pan.Reveal())
	res = runCLI(t, srv, "cards", "details", seed.VirtualCardID.String(), "--reveal")
	require.Equal(t, exitOK, res.code, res.stderr)
	f = recordFields(t, res.stdout)
	assert.Equal(t, pan.Reveal(), f["CARD"])
	assert.Regexp(t, `^\d{3}$`, f["CVV"])
	assert.Regexp(t, `^\d{2}/\d{2}$`, f["EXPIRY"])
	got := decodeJSON[map[string]any](t, runCLI(t, srv, "cards", "details", seed.VirtualCardID.String(), "--reveal", "-o", "json"))
	assert.Equal(t, pan.Reveal(), got["pan"])

	// set-pin from stdin (never a flag); the physical card then goes through production to activation.
	res = envCLI(t, srv, "2580\n", "cards", "set-pin", physical, "--stdin")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, "yes", recordFields(t, res.stdout)["PIN SET"])
	assertNoSecrets(t, res, "2580")
	res = runCLI(t, srv, "cards", "set-pin", physical)
	assert.Equal(t, exitUsage, res.code, "stdin is not a terminal and no --stdin")
	assert.Contains(t, res.stderr, "pipe the value in with --stdin")
	res = runCLI(t, srv, "cards", "set-pin", physical, "--pin", "1234")
	assert.Equal(t, exitUsage, res.code, "no PIN flag")

	pid, err := parseID(physical)
	require.NoError(t, err)
	ctx := context.Background()
	_, err = srv.Client().Cards.ProcessRequest(ctx, &vaultspay.ProcessCardRequest{CardID: pid})
	require.NoError(t, err)
	require.NoError(t, srv.SetCardManufacturing(pid, vaultspay.CardManufacturingStatusManufactured))
	require.NoError(t, srv.SetCardDelivery(pid, vaultspay.CardDeliveryStatusDelivered))
	ppan, err := srv.Client().Cards.PAN(ctx, vaultspay.CardByID(pid))
	require.NoError(t, err)
	exp, err := srv.Client().Cards.Expiry(ctx, vaultspay.CardByID(pid))
	require.NoError(t, err)
	res = envCLI(t, srv, ppan.Reveal()+"\n"+exp.Reveal()+"\n", "cards", "activate", physical, "--stdin")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, "ACTIVE", recordFields(t, res.stdout)["STATUS"])
	assertNoSecrets(t, res, ppan.Reveal(), exp.Reveal())

	// block needs a reason (SDK validation), then blocks.
	res = runCLI(t, srv, "cards", "block", virtual)
	assert.Equal(t, exitUsage, res.code)
	assert.Contains(t, res.stderr, "statusReason")
	res = runCLI(t, srv, "cards", "block", virtual, "--reason", "lost")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, "BLOCK", recordFields(t, res.stdout)["STATUS"])
}

func TestCLIRules(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)
	seed := seedDemo(t, srv)
	card := seed.VirtualCardID.String()

	res := runCLI(t, srv, "rules", "get", card)
	require.Equal(t, exitOK, res.code, res.stderr)
	rows := tableRows(res.stdout)
	assert.Equal(t, []string{"RULE", "ID", "TRANSACTION TYPE", "WHAT", "VALUE", "AT MOST"}, rows[0])
	var limit, security []string
	for _, r := range rows[1:] {
		switch {
		case r[0] == "limit" && limit == nil && strings.HasSuffix(r[4], " AED"):
			limit = r
		case r[0] == "security" && security == nil:
			security = r
		}
	}
	require.NotNil(t, limit, res.stdout)
	require.NotNil(t, security, res.stdout)
	assert.Regexp(t, `^\d+\.\d{2} AED$`, limit[4], "money with its currency")

	res = runCLI(t, srv, "rules", "set", "limit", card, "--id", limit[1], "--value", "1.00")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, "1.00 AED", recordFields(t, res.stdout)["LIMIT"])
	res = runCLI(t, srv, "rules", "set", "limit", card, "--id", "999999", "--value", "1.00")
	assert.Equal(t, exitUsage, res.code)
	assert.Contains(t, res.stderr, "no limit with --id 999999")

	res = runCLI(t, srv, "rules", "set", "security", card, "--id", security[1], "--enabled=true")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, "yes", recordFields(t, res.stdout)["ENABLED"])
	res = runCLI(t, srv, "rules", "set", "security", card, "--id", security[1])
	assert.Equal(t, exitUsage, res.code, "on or off must be said")

	got := decodeJSON[rulesView](t, runCLI(t, srv, "rules", "get", card, "-o", "json"))
	assert.NotEmpty(t, got.Limits)
	assert.NotEmpty(t, got.Security)
}

// TestCLITransferTimeout: the transfer's answer never comes within --timeout; the outcome is unknown,
// so send reconciles (with a fresh --timeout) and reports, and never sends again. The fake drops the
// delayed request when the client hangs up, so the transfer is not found.
func TestCLITransferTimeout(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)
	seed := seedDemo(t, srv)
	before, sends := srv.State().Transfers, srv.CountRequests(http.MethodPost, "/tc/api/v1/direct-transfer")
	require.NoError(t, srv.InjectFault(vaultspaytest.Fault{Method: http.MethodPost, Path: "/tc/api/v1/direct-transfer",
		Kind: vaultspaytest.FaultDelay, MS: 600_000}))
	res := runCLI(t, srv, "transfers", "send", "--from", seed.AccountID.String(), "--to", seed.ContactID.String(),
		"--amount", "10.00", "--yes", "--timeout", "5s")
	assert.Equal(t, exitAPI, res.code, res.stderr)
	assert.Contains(t, res.stderr, "The transfer's outcome is unknown")
	assert.Contains(t, res.stderr, "no answer within --timeout 5s")
	assert.Contains(t, res.stderr, "is not among recent transactions now")
	assert.Equal(t, sends+1, srv.CountRequests(http.MethodPost, "/tc/api/v1/direct-transfer"), "sent once, never again")
	assert.Equal(t, before, srv.State().Transfers)
}
