package main

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
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

// checkPingAndClock pings without a token (GET /v1/ping needs none on the fake; the vendor does not
// say) and reads the server's clock off the same answer.
func (d *doctorRun) checkPingAndClock(ctx context.Context) {
	var res vaultspay.Response
	start := time.Now()
	msg, err := d.client.Ping(ctx, vaultspay.WithoutAccessToken(), vaultspay.WithResponseInto(&res))
	rtt := time.Since(start)
	d.checkClock(res, start, rtt)
	var apiErr *vaultspay.APIError
	switch {
	case err == nil && msg == vaultspay.PingMessage:
		d.pingOpen = true
		d.add("ping", statusPass, fmt.Sprintf("%q in %s", msg, rtt.Round(time.Millisecond)), "")
	case err == nil: // the server opened the envelope, but its answer is not in the configured body form
		d.pingOpen = true
		d.add("ping", statusWarn, fmt.Sprintf("answered %d, but not with %q (%d bytes): the answer is likely in another wire profile",
			res.StatusCode, vaultspay.PingMessage, len(msg)), "see login and profile")
	case errors.Is(err, vaultspay.ErrInvalidHeaders) || errors.Is(err, vaultspay.ErrUndecryptable):
		d.add("ping", statusWarn, "the envelope was refused under the configured profile ("+d.client.WireProfile().String()+"): "+err.Error(),
			"see login: it tries every wire profile")
	case errors.As(err, &apiErr):
		d.add("ping", statusWarn, "answered without a token: "+err.Error(), "none needed if login passes: ping is checked again with a token (latency)")
	default:
		d.add("ping", statusFail, err.Error(), "the connection passed but the API did not answer; check a proxy or firewall between here and the host")
	}
}

// clockSkewWarn is the largest skew accepted quietly: the SDK refreshes a token 30 s before it
// expires (DefaultRefreshSkew), so a larger skew eats that margin. Date has a resolution of a second.
const clockSkewWarn = vaultspay.DefaultRefreshSkew

func (d *doctorRun) checkClock(res vaultspay.Response, start time.Time, rtt time.Duration) {
	date := ""
	if res.Header != nil {
		date = res.Header.Get("Date")
	}
	if date == "" {
		d.add("clock", statusSkip, "the server sent no Date header", "")
		return
	}
	t, err := httpTime(date)
	if err != nil {
		d.add("clock", statusWarn, fmt.Sprintf("unreadable Date header %q", date), "")
		return
	}
	skew := t.Sub(start.Add(rtt / 2)).Round(time.Second)
	if skew.Abs() > clockSkewWarn+rtt {
		d.add("clock", statusWarn, fmt.Sprintf("the server's clock is %s %s this machine's", skew.Abs(), aheadBehind(skew)),
			"synchronise this machine's clock (NTP: timedatectl set-ntp true); token expiries are read against it")
		return
	}
	d.add("clock", statusPass, fmt.Sprintf("within %s of the server's Date header (skew %s)", clockSkewWarn, skew), "")
}

func aheadBehind(d time.Duration) string {
	if d > 0 {
		return "ahead of"
	}
	return "behind"
}

// checkLogin logs in with detection on and tells bad credentials, a refused envelope and throttling
// apart.
func (d *doctorRun) checkLogin(ctx context.Context) {
	err := d.client.Login(ctx)
	var pe *vaultspay.WireProfileError
	switch {
	case err == nil:
		d.loggedIn = true
		det, _ := d.client.WireProfileDetection()
		d.add("login", statusPass, fmt.Sprintf("logged in (%d wire profile(s) refused first)", len(det.Refused)), "")
	case errors.As(err, &pe):
		tried := make([]string, len(pe.Tried))
		for i, t := range pe.Tried {
			tried[i] = t.Profile.String()
		}
		detail := fmt.Sprintf("envelope refused (1018) under all %d wire profiles tried: %s", len(pe.Tried), strings.Join(tried, "; "))
		if d.pingOpen {
			d.add("login", statusFail, detail+"; ping opened the envelope, so the key works: login itself is refused",
				"check the app id ("+vaultspay.EnvAppID+", sent as x-device-id) and ask VaultsPay why saas-login answers 1018")
			return
		}
		d.add("login", statusFail, detail+"; the key does not match the server's",
			"get the current RSA public key for this host from VaultsPay and set "+vaultspay.EnvRSAPublicKey+
				" (this one's SHA-256 fingerprint: "+d.keyFP+")")
	case errors.Is(err, vaultspay.ErrThrottled):
		d.add("login", statusFail, "throttled: "+err.Error(), "wait a minute, then run vaultspay doctor again")
	case errors.Is(err, vaultspay.ErrUnauthenticated):
		d.add("login", statusFail, "bad credentials: "+err.Error()+" (the server read them, so the envelope works)",
			"check "+vaultspay.EnvClientID+" and "+vaultspay.EnvClientSecret+" (Dashboard > API Keys > Apps)")
	default:
		d.add("login", statusFail, err.Error(), "")
	}
}

// checkProfile reports the profile that logged in and how to pin it.
func (d *doctorRun) checkProfile() {
	det, _ := d.client.WireProfileDetection()
	p := det.Profile
	switch {
	case len(det.Refused) == 0 && p == d.configured:
		d.add("profile", statusPass, "the configured wire profile works: "+p.String(), "")
		return
	case len(det.Refused) == 0: // the response IV alone differs: the configured one falls back to it
		d.add("profile", statusPass, "the configured wire profile works; the answers reuse the request IV, so exactly it is "+p.String(),
			"optional, to pin it exactly:\n"+pinInstructions(p))
		return
	}
	d.add("profile", statusWarn, fmt.Sprintf("detected %s after %d refused; without pinning it every other command is refused (1018)",
		p.String(), len(det.Refused)), pinInstructions(p))
}

// pinInstructions are the three ways to pin p: flag, variable and SDK option.
func pinInstructions(p vaultspay.WireProfile) string {
	return "CLI: --wire-profile '" + p.String() + "'\n" +
		"environment: export " + vaultspay.EnvWireProfile + "='" + p.String() + "'\n" +
		"Go: " + goProfile(p)
}

// goProfile is p as a Go expression using the SDK's constants.
func goProfile(p vaultspay.WireProfile) string {
	names := map[string]string{
		string(vaultspay.KeyWrapPKCS1v15): "KeyWrapPKCS1v15", string(vaultspay.KeyWrapOAEPSHA1): "KeyWrapOAEPSHA1",
		string(vaultspay.KeyWrapOAEPSHA256): "KeyWrapOAEPSHA256", string(vaultspay.KeyWrapOAEPSHA256MGF1SHA1): "KeyWrapOAEPSHA256MGF1SHA1",
	}
	enc := map[vaultspay.KeyEncoding]string{vaultspay.KeyEncodingRaw: "KeyEncodingRaw", vaultspay.KeyEncodingBase64: "KeyEncodingBase64"}
	body := map[vaultspay.BodyFormat]string{vaultspay.BodyJSONObject: "BodyJSONObject", vaultspay.BodyBase64Text: "BodyBase64Text",
		vaultspay.BodyJSONString: "BodyJSONString"}
	iv := map[vaultspay.ResponseIV]string{vaultspay.ResponseIVHeader: "ResponseIVHeader", vaultspay.ResponseIVRequest: "ResponseIVRequest"}
	return fmt.Sprintf("vaultspay.WithWireProfile(vaultspay.WireProfile{KeyWrap: vaultspay.%s, KeyEncoding: vaultspay.%s, Body: vaultspay.%s, ResponseIV: vaultspay.%s})",
		names[string(p.KeyWrap)], enc[p.KeyEncoding], body[p.Body], iv[p.ResponseIV])
}

// shortTokenLife is when a token lifetime is worth a warning: the SDK refreshes 30 s before expiry.
const shortTokenLife = 2 * time.Minute

func (d *doctorRun) checkToken() {
	exp, ok := d.client.AccessTokenExpiry()
	switch {
	case !ok || exp.IsZero():
		d.add("token", statusWarn, "the login answer carried no access-token expiry", "none: the SDK uses the token until the API refuses it")
	case time.Until(exp) < shortTokenLife:
		d.add("token", statusWarn, fmt.Sprintf("the access token expires at %s, in %s", exp.UTC().Format(time.RFC3339), time.Until(exp).Round(time.Second)),
			"a short or past expiry usually means this machine's clock is wrong (see clock)")
	default:
		d.add("token", statusPass, fmt.Sprintf("the access token expires at %s, in %s", exp.UTC().Format(time.RFC3339), time.Until(exp).Round(time.Second)), "")
	}
}

func (d *doctorRun) checkRead(ctx context.Context) {
	start := time.Now()
	countries, err := d.client.Users.ListCountries(ctx)
	if err != nil {
		d.add("read", statusFail, "GET /us/api/v1/countries: "+err.Error(), "logged in but a read is refused: check the app's permissions with VaultsPay")
		return
	}
	d.add("read", statusPass, fmt.Sprintf("GET /us/api/v1/countries: %d countries in %s", len(countries), time.Since(start).Round(time.Millisecond)), "")
}

// latencyPings is how many authenticated pings the latency check makes.
const latencyPings = 5

func (d *doctorRun) checkLatency(ctx context.Context) {
	var rtts []time.Duration
	for range latencyPings {
		start := time.Now()
		if _, err := d.client.Ping(ctx); err != nil {
			d.add("latency", statusFail, "GET /v1/ping with a token: "+err.Error(), "")
			return
		}
		rtts = append(rtts, time.Since(start))
	}
	slices.Sort(rtts)
	r := func(x time.Duration) time.Duration { return x.Round(100 * time.Microsecond) }
	d.add("latency", statusPass, fmt.Sprintf("%d pings: min %s, median %s, max %s", len(rtts), r(rtts[0]), r(rtts[len(rtts)/2]), r(rtts[len(rtts)-1])), "")
}
