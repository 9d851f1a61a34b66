package main

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vaultspay-go/vaultspay"
)

const doctorLong = `Check, in order, everything between this machine and a working API call, and print one line per
check (pass, warn, fail or skip) with the fix:

  config    which VAULTSPAY_* variables and flags are set (never their values)
  key       the RSA public key: parses, RSA, bits, SHA-256 fingerprint
  url       the base URL: https, or plain http to loopback only (refused before any traffic)
  connect   DNS, TCP and TLS (version, certificate subject and expiry, time to connect)
  clock     skew against the server's Date header
  ping      GET /v1/ping before logging in
  login     the credentials and the envelope; on 1018 every wire profile is tried, login only
  profile   the wire profile that worked, and how to pin it
  token     the access token's lifetime
  read      one harmless read: GET /us/api/v1/countries
  latency   round trips over a few pings

Never prints a secret, a token or the key. Exit code 0 when no check failed, 1 otherwise.`

// Check outcomes.
const (
	statusPass = "pass"
	statusWarn = "warn"
	statusFail = "fail"
	statusSkip = "skip"
)

// doctorCheck is one line of the report.
type doctorCheck struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
}

// doctorReport is what doctor prints with --json.
type doctorReport struct {
	OK          bool          `json:"ok"`
	Checks      []doctorCheck `json:"checks"`
	WireProfile string        `json:"wireProfile,omitempty"` // the profile that logged in
	Refused     []string      `json:"refusedProfiles,omitempty"`
}

// doctorFailed is the error of a report with failures (exit code 1); the report says why.
type doctorFailed struct{ n int }

func (e *doctorFailed) Error() string { return fmt.Sprintf("doctor: %d check(s) failed", e.n) }

// doctorTimeout replaces --timeout's default for doctor: a detection may take 24 logins, which the SDK
// bounds at one minute, and the other checks come on top.
const doctorTimeout = 2 * time.Minute

func (a *app) doctorCommand() *cobra.Command {
	run := a.do(a.doctor)
	return &cobra.Command{Use: "doctor", Short: "diagnose the configuration, the connection, the envelope and the login",
		Long: doctorLong + "\n\n--timeout defaults to " + doctorTimeout.String() + " here.", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("timeout") {
				a.timeout = doctorTimeout
			}
			return run(cmd, args)
		}}
}

// doctor runs the checks one after another; a check that cannot run because an earlier one failed is
// skipped with the reason.
func (a *app) doctor(ctx context.Context, _ []string) error {
	d := &doctorRun{app: a}
	d.run(ctx)
	rep := doctorReport{OK: true, Checks: d.checks}
	for _, c := range d.checks {
		if c.Status == statusFail {
			rep.OK = false
		}
	}
	if d.client != nil {
		if det, ok := d.client.WireProfileDetection(); ok {
			rep.WireProfile = det.Profile.String()
			for _, r := range det.Refused {
				rep.Refused = append(rep.Refused, r.Profile.String())
			}
		}
	}
	if err := a.printDoctor(rep); err != nil {
		return err
	}
	if !rep.OK {
		return &doctorFailed{n: len(slices.DeleteFunc(slices.Clone(rep.Checks), func(c doctorCheck) bool { return c.Status != statusFail }))}
	}
	return nil
}

func (a *app) printDoctor(rep doctorReport) error {
	if a.json {
		return a.printJSON(rep)
	}
	width := 0
	for _, c := range rep.Checks {
		width = max(width, len(c.Name))
	}
	var b strings.Builder
	for _, c := range rep.Checks {
		fmt.Fprintf(&b, "%-4s  %-*s  %s\n", strings.ToUpper(c.Status), width, c.Name, c.Detail)
		if c.Fix != "" {
			for i, line := range strings.Split(c.Fix, "\n") {
				label := "fix:"
				if i > 0 {
					label = ""
				}
				fmt.Fprintf(&b, "%-4s  %-*s    %-4s %s\n", "", width, "", label, line)
			}
		}
	}
	_, err := fmt.Fprint(a.stdout, b.String())
	return err
}

// doctorRun is one run's state: what each check learnt that a later one needs.
type doctorRun struct {
	app    *app
	checks []doctorCheck

	opts       []vaultspay.Option // nil when the configuration is incomplete
	keyFP      string             // the key's fingerprint, for fixes
	base       *url.URL           // nil when the URL is unusable
	client     *vaultspay.Client
	configured vaultspay.WireProfile // before detection
	pingOpen   bool                  // the unauthenticated ping was answered with a plaintext the client opened
	loggedIn   bool
}

func (d *doctorRun) add(name, status, detail, fix string) {
	d.checks = append(d.checks, doctorCheck{Name: name, Status: status, Detail: detail, Fix: fix})
}

func (d *doctorRun) run(ctx context.Context) {
	d.checkConfig()
	d.checkKey()
	d.checkURL()
	if d.base == nil {
		for _, n := range []string{"connect", "clock", "ping", "login", "profile", "token", "read", "latency"} {
			d.add(n, statusSkip, "not run: the base URL is unusable, nothing was sent", "")
		}
		return
	}
	if !d.checkConnect(ctx) {
		for _, n := range []string{"clock", "ping", "login", "profile", "token", "read", "latency"} {
			d.add(n, statusSkip, "not run: no connection", "")
		}
		return
	}
	if d.opts == nil {
		for _, n := range []string{"clock", "ping", "login", "profile", "token", "read", "latency"} {
			d.add(n, statusSkip, "not run: the configuration is incomplete (see config)", "")
		}
		return
	}
	c, err := vaultspay.NewClientFromEnv(append(slices.Clone(d.opts), vaultspay.WithWireProfileDetection())...)
	if err != nil {
		d.add("clock", statusSkip, "not run: "+err.Error(), "")
		for _, n := range []string{"ping", "login", "profile", "token", "read", "latency"} {
			d.add(n, statusSkip, "not run: the SDK refused the configuration", "")
		}
		return
	}
	d.client, d.configured = c, c.WireProfile()
	d.checkPingAndClock(ctx)
	d.checkLogin(ctx)
	if !d.loggedIn {
		for _, n := range []string{"profile", "token", "read", "latency"} {
			d.add(n, statusSkip, "not run: not logged in", "")
		}
		return
	}
	d.checkProfile()
	d.checkToken()
	d.checkRead(ctx)
	d.checkLatency(ctx)
}

// doctorVars are the variables the config check reports, set or not.
var doctorVars = []string{vaultspay.EnvBaseURL, vaultspay.EnvClientID, vaultspay.EnvClientSecret, vaultspay.EnvAppID,
	vaultspay.EnvRSAPublicKey, vaultspay.EnvWireProfile}

// checkConfig names the variables and flags that are set, never a value, and keeps the SDK options
// when nothing is missing.
func (d *doctorRun) checkConfig() {
	var set, flags []string
	for _, k := range doctorVars {
		if _, ok := os.LookupEnv(k); ok {
			set = append(set, k)
		}
	}
	g := &d.app.g
	for _, f := range []struct {
		name string
		on   bool
	}{{"--base-url", g.baseURL.set}, {"--client-id", g.clientID.set}, {"--app-id", g.appID.set},
		{"--rsa-public-key", g.rsaKey.set}, {"--wire-profile", g.profile.set}, {"--client-secret-stdin", g.secretStdin}} {
		if f.on {
			flags = append(flags, f.name)
		}
	}
	detail := "variables set: " + listOrNone(set) + "; flags: " + listOrNone(flags)
	opts, err := g.options(d.app.stdin)
	if err != nil {
		d.add("config", statusFail, detail+"; "+err.Error(),
			"set the missing variables (see vaultspay --help); the secret only by variable or --client-secret-stdin")
		return
	}
	d.opts = opts
	d.add("config", statusPass, detail, "")
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// vendorSampleKey is the SHA-256 of the key printed in the vendor's encryption page (02-encryption §8).
const vendorSampleKey = "50b07c02770daaee40f10c157bd89c02d15b3fb2c918ff21d59878a48014c351"

// checkKey parses the public key and prints its size and fingerprint.
func (d *doctorRun) checkKey() {
	raw := d.app.g.resolve(&d.app.g.rsaKey, vaultspay.EnvRSAPublicKey)
	if strings.TrimSpace(raw) == "" {
		d.add("key", statusFail, "no RSA public key", "set "+vaultspay.EnvRSAPublicKey+" to the key VaultsPay shared with you (Base64 SPKI or PEM)")
		return
	}
	k, err := vaultspay.ParseRSAPublicKey(raw)
	if err != nil {
		d.add("key", statusFail, err.Error(), "paste the key exactly as VaultsPay sent it: Base64 of SubjectPublicKeyInfo, or PEM")
		return
	}
	der, err := x509.MarshalPKIXPublicKey(k)
	if err != nil {
		d.add("key", statusFail, err.Error(), "")
		return
	}
	sum := sha256.Sum256(der)
	d.keyFP = hex.EncodeToString(sum[:])
	detail := fmt.Sprintf("RSA %d bits, SHA-256 fingerprint %s", k.N.BitLen(), d.keyFP)
	if d.keyFP == vendorSampleKey {
		d.add("key", statusWarn, detail+": the sample key printed in the vendor's documentation",
			"production uses the key VaultsPay shares with you; make sure this one is meant for your host")
		return
	}
	d.add("key", statusPass, detail, "")
}

// checkURL accepts https, and plain http only to loopback, like the SDK; nothing is sent yet.
func (d *doctorRun) checkURL() {
	raw := strings.TrimSpace(d.app.g.resolve(&d.app.g.baseURL, vaultspay.EnvBaseURL))
	switch strings.ToLower(raw) {
	case "", "uat":
		raw = string(vaultspay.UAT)
	case "production", "prod":
		raw = string(vaultspay.Production)
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		d.add("url", statusFail, fmt.Sprintf("%q is not an absolute http(s) URL", raw), `use "uat", "production" or https://host`)
		return
	case u.Scheme == "http" && !loopbackHost(u.Hostname()):
		d.add("url", statusFail, u.Redacted()+": plain http:// to a host that is not loopback; refused before any traffic",
			"use https:// (plain http is only for a local fake on 127.0.0.1 or localhost)")
		return
	}
	d.base = u
	note := ""
	switch strings.TrimRight(u.String(), "/") {
	case string(vaultspay.UAT):
		note = " (UAT)"
	case string(vaultspay.Production):
		note = " (production)"
	}
	d.add("url", statusPass, u.Redacted()+note, "")
}
