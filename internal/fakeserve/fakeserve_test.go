package fakeserve

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
)

func TestNewTestIBAN(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 50 {
		iban := NewTestIBAN()
		require.NoError(t, vaultspay.CheckIBAN(iban), iban)
		assert.True(t, strings.HasPrefix(iban, "AE"))
		assert.Len(t, iban, 23)
		seen[iban] = true
	}
	assert.Greater(t, len(seen), 45, "fresh each time")
}

// TestEnvLinesEval: the printed lines, evaluated by a POSIX shell, set exactly the values, quotes and
// all.
func TestEnvLinesEval(t *testing.T) {
	t.Parallel()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	l := &StartLine{BaseURL: "http://127.0.0.1:4000", ClientID: "client", ClientSecret: `se'cr"et $HOME ` + "`x`", AppID: "17",
		RSAPublicKey: "MIIB+/=", Seed: &Seeded{UserID: 601, AccountID: 12, ContactID: 3, VirtualCardID: 1, PhysicalCardID: 2}}
	lines := EnvLines(l, 4242, "/tmp/fake log.txt")
	script := lines + `printf '%s\n' "$VAULTSPAY_BASE_URL" "$VAULTSPAY_CLIENT_ID" "$VAULTSPAY_CLIENT_SECRET" "$VAULTSPAY_APP_ID" ` +
		`"$VAULTSPAY_RSA_PUBLIC_KEY" "$VAULTSPAY_FAKE_PID" "$VAULTSPAY_FAKE_LOG" "$VAULTSPAY_DEMO_USER_ID" "$VAULTSPAY_DEMO_ACCOUNT_ID" ` +
		`"$VAULTSPAY_DEMO_CONTACT_ID" "$VAULTSPAY_DEMO_VIRTUAL_CARD_ID" "$VAULTSPAY_DEMO_PHYSICAL_CARD_ID"`
	out, err := exec.Command(sh, "-c", `eval "$1"`, "sh", script).CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Equal(t, []string{l.BaseURL, "client", l.ClientSecret, "17", "MIIB+/=", "4242", "/tmp/fake log.txt", "601", "12", "3", "1", "2"},
		strings.Split(strings.TrimSuffix(string(out), "\n"), "\n"))
	assert.Contains(t, lines, `# the fake serves http://127.0.0.1:4000 in the background (pid 4242`)
	assert.Contains(t, lines, `kill "$VAULTSPAY_FAKE_PID"`)
}

func TestControlErrors(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/_fake/clock/advance":
			w.WriteHeader(http.StatusUnprocessableEntity)
			_, _ = w.Write([]byte(`{"code":1000,"message":"Invalid payload.","type":"INVALID_PAYLOAD","errors":[{"key":"seconds","reason":"must be a number >= 0"}]}`))
		case "/_fake/webhooks":
			_, _ = w.Write([]byte(`not json`))
		case "/_fake/big":
			_, _ = w.Write([]byte(`{"data":"` + strings.Repeat("x", maxControlAnswer) + `"}`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	c := &Control{BaseURL: srv.URL}
	ctx := context.Background()

	err := c.Advance(ctx, -1)
	var ce *ControlError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, 1000, ce.Code)
	assert.Contains(t, err.Error(), "seconds: must be a number >= 0")
	assert.False(t, IsNotFake(err))

	err = c.ReverseTransfer(ctx, 7)
	assert.True(t, IsNotFake(err), "%v", err)
	assert.Contains(t, err.Error(), "/_fake/transfers/7/reverse")

	var out map[string]any
	err = c.Do(ctx, http.MethodPost, "/_fake/webhooks", map[string]any{}, &out)
	assert.ErrorContains(t, err, `answer is not {"data": …}`)
	err = c.Do(ctx, http.MethodGet, "/_fake/big", nil, &out)
	assert.ErrorContains(t, err, "answer over")
}
