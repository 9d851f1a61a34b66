package fakeserve

import (
	"fmt"
	"strings"

	"github.com/vaultspay-go/vaultspay"
)

// Variables --env sets besides the SDK's own VAULTSPAY_* configuration.
const (
	EnvFakePID          = "VAULTSPAY_FAKE_PID" // the background server's process id: kill "$VAULTSPAY_FAKE_PID"
	EnvFakeLog          = "VAULTSPAY_FAKE_LOG" // the background server's log file
	EnvDemoUserID       = "VAULTSPAY_DEMO_USER_ID"
	EnvDemoAccountID    = "VAULTSPAY_DEMO_ACCOUNT_ID"
	EnvDemoContactID    = "VAULTSPAY_DEMO_CONTACT_ID"
	EnvDemoVirtualCard  = "VAULTSPAY_DEMO_VIRTUAL_CARD_ID"
	EnvDemoPhysicalCard = "VAULTSPAY_DEMO_PHYSICAL_CARD_ID"
)

// EnvLines are the shell lines --env prints: one `export NAME='value'` per variable (values quoted
// for POSIX shells), then comments saying what was seeded and how to stop the server.
func EnvLines(l *StartLine, pid int, logPath string) string {
	var b strings.Builder
	export := func(k, v string) { fmt.Fprintf(&b, "export %s=%s\n", k, shellQuote(v)) }
	export(vaultspay.EnvBaseURL, l.BaseURL)
	export(vaultspay.EnvClientID, l.ClientID)
	export(vaultspay.EnvClientSecret, l.ClientSecret)
	export(vaultspay.EnvAppID, l.AppID)
	export(vaultspay.EnvRSAPublicKey, l.RSAPublicKey)
	export(EnvFakePID, fmt.Sprint(pid))
	export(EnvFakeLog, logPath)
	if s := l.Seed; s != nil {
		export(EnvDemoUserID, s.UserID.String())
		export(EnvDemoAccountID, s.AccountID.String())
		export(EnvDemoContactID, s.ContactID.String())
		export(EnvDemoVirtualCard, s.VirtualCardID.String())
		export(EnvDemoPhysicalCard, s.PhysicalCardID.String())
		fmt.Fprintf(&b, "# %s\n", seededLine(s))
	}
	fmt.Fprintf(&b, "# the fake serves %s in the background (pid %d, log %s); stop it with: kill \"$%s\"\n",
		l.BaseURL, pid, logPath, EnvFakePID)
	return b.String()
}

// shellQuote quotes s for a POSIX shell: inside single quotes, with each ' written as '\”.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
