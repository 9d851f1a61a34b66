package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vaultspay-go/vaultspay"
)

// The checks that talk to the API through the SDK: ping and clock, login, profile, token, read, latency.

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
