package main

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// doctorOrder is every check, in the order doctor runs them.
var doctorOrder = []string{"config", "key", "url", "connect", "clock", "ping", "login", "profile", "token", "read", "latency"}

// runDoctor runs doctor --json against srv and decodes the report, checking that it names every
// check in order and that neither the secret, a token nor the public key reached the output.
func runDoctor(t *testing.T, srv *vaultspaytest.Server, args ...string) (doctorReport, cliResult) {
	t.Helper()
	res := runCLI(t, srv, append([]string{"doctor", "--json"}, args...)...)
	assertNoSecrets(t, res, srv.PublicKeyBase64())
	return decodeReport(t, res), res
}

func decodeReport(t *testing.T, res cliResult) doctorReport {
	t.Helper()
	var rep doctorReport
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &rep), "stdout %q stderr %q", res.stdout, res.stderr)
	names := make([]string, len(rep.Checks))
	for i, c := range rep.Checks {
		names[i] = c.Name
	}
	require.Equal(t, doctorOrder, names)
	if rep.OK {
		assert.Equal(t, exitOK, res.code, res.stderr)
	} else {
		assert.Equal(t, exitAPI, res.code, res.stderr)
	}
	return rep
}

// check returns the named check of rep.
func check(t *testing.T, rep doctorReport, name string) doctorCheck {
	t.Helper()
	for _, c := range rep.Checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no check %q", name)
	return doctorCheck{}
}

// statuses maps each check to its status.
func statuses(rep doctorReport) map[string]string {
	m := map[string]string{}
	for _, c := range rep.Checks {
		m[c.Name] = c.Status
	}
	return m
}

// TestDoctorAllPass: against the default fake every check passes, the table says so line by line, and
// the connection check says TLS is skipped for plain http to loopback.
func TestDoctorAllPass(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)
	rep, _ := runDoctor(t, srv)
	assert.True(t, rep.OK)
	for _, c := range rep.Checks {
		assert.Equal(t, statusPass, c.Status, "%s: %s", c.Name, c.Detail)
	}
	assert.Contains(t, check(t, rep, "connect").Detail, "TLS skipped")
	assert.Contains(t, check(t, rep, "key").Detail, "RSA 2048 bits")
	assert.Contains(t, check(t, rep, "config").Detail, "--client-secret-stdin")
	assert.Equal(t, srv.WireProfile().String(), rep.WireProfile)
	assert.Empty(t, rep.Refused)

	table := runCLI(t, srv, "doctor")
	require.Equal(t, exitOK, table.code, table.stderr)
	lines := strings.Split(strings.TrimRight(table.stdout, "\n"), "\n")
	require.Len(t, lines, len(doctorOrder))
	for i, l := range lines {
		assert.Equal(t, []string{"PASS", doctorOrder[i]}, strings.Fields(l)[:2])
	}
}

// TestDoctorDetectsEveryProfile: for every profile the fake speaks but the default, doctor logs in,
// reports the detected profile with the flag, variable and Go option that pin it, and passes; run
// again with that flag, nothing is refused.
func TestDoctorDetectsEveryProfile(t *testing.T) {
	t.Parallel()
	def, err := vaultspay.WireProfile{}.Normalize()
	require.NoError(t, err)
	for _, base := range vaultspay.WireProfileCandidates() {
		for _, iv := range []vaultspay.ResponseIV{vaultspay.ResponseIVHeader, vaultspay.ResponseIVRequest} {
			p := base
			p.ResponseIV = iv
			if p == def {
				continue
			}
			t.Run(p.String(), func(t *testing.T) {
				t.Parallel()
				srv := newCLIFake(t, vaultspaytest.WithWireProfile(p))
				rep, _ := runDoctor(t, srv)
				assert.True(t, rep.OK, "%+v", rep.Checks)
				assert.Equal(t, p.String(), rep.WireProfile)
				prof := check(t, rep, "profile")
				if len(rep.Refused) == 0 { // only the response IV differs: the default falls back to the request IV
					assert.Equal(t, statusPass, prof.Status)
				} else {
					assert.Equal(t, statusWarn, prof.Status)
				}
				assert.Contains(t, prof.Detail, p.String())
				assert.Contains(t, prof.Fix, "--wire-profile '"+p.String()+"'")
				assert.Contains(t, prof.Fix, vaultspay.EnvWireProfile+"='"+p.String()+"'")
				assert.Contains(t, prof.Fix, "vaultspay.WithWireProfile(vaultspay.WireProfile{KeyWrap: vaultspay.KeyWrap")
				assert.NotContains(t, prof.Fix, "vaultspay.}")
				assert.NotEqual(t, statusFail, check(t, rep, "ping").Status, "the unauthenticated ping used the default profile")

				pinned, _ := runDoctor(t, srv, "--wire-profile", p.String())
				assert.Equal(t, statusPass, check(t, pinned, "profile").Status)
				assert.Equal(t, statusPass, check(t, pinned, "ping").Status)
				assert.Empty(t, pinned.Refused)
			})
		}
	}
}

var (
	doctorWrongKeyOnce sync.Once
	doctorWrongKey     string
)

// otherPublicKey is a 2048-bit key no fake decrypts with, as Base64 SPKI, made once per test binary.
func otherPublicKey(t *testing.T) string {
	t.Helper()
	doctorWrongKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
		if err != nil {
			panic(err)
		}
		doctorWrongKey = base64.StdEncoding.EncodeToString(der)
	})
	return doctorWrongKey
}

// TestDoctorWrongKey: a key that is not the server's is diagnosed as "key does not match" once every
// profile was refused, listing them.
func TestDoctorWrongKey(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)
	rep, res := runDoctor(t, srv, "--rsa-public-key", otherPublicKey(t))
	assertNoSecrets(t, res, otherPublicKey(t))
	assert.False(t, rep.OK)
	login := check(t, rep, "login")
	assert.Equal(t, statusFail, login.Status)
	assert.Contains(t, login.Detail, "key does not match")
	n := len(vaultspay.WireProfileCandidates())
	for _, p := range vaultspay.WireProfileCandidates() {
		assert.Contains(t, login.Detail, p.String())
	}
	assert.Contains(t, login.Fix, vaultspay.EnvRSAPublicKey)
	assert.Equal(t, statusWarn, check(t, rep, "ping").Status)
	assert.Equal(t, n, srv.CountRequests(http.MethodPost, "/as/api/v1/saas-login"))
	for _, name := range []string{"profile", "token", "read", "latency"} {
		assert.Equal(t, statusSkip, check(t, rep, name).Status)
	}
}

// TestDoctorWrongSecret: a wrong secret is diagnosed as bad credentials (1002) after one login.
func TestDoctorWrongSecret(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)
	const wrong = "secret_wrong_0123456789abcdef"
	res := runRaw(t, strings.NewReader(wrong+"\n"), append(configFlags(srv), "doctor", "--json")...)
	assertNoSecrets(t, res, wrong, srv.ClientSecret())
	rep := decodeReport(t, res)
	login := check(t, rep, "login")
	assert.Equal(t, statusFail, login.Status)
	assert.Contains(t, login.Detail, "1002")
	assert.Contains(t, login.Detail, "bad credentials")
	assert.Contains(t, login.Fix, vaultspay.EnvClientSecret)
	assert.Equal(t, 1, srv.CountRequests(http.MethodPost, "/as/api/v1/saas-login"))
}

// TestDoctorSkewedClock: a server whose Date is ten minutes ahead gets a warning, and doctor still
// exits 0.
func TestDoctorSkewedClock(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t, vaultspaytest.WithDateSkew(10*time.Minute))
	rep, _ := runDoctor(t, srv)
	assert.True(t, rep.OK)
	clock := check(t, rep, "clock")
	assert.Equal(t, statusWarn, clock.Status)
	assert.Regexp(t, `clock is (9m5\ds|10m0s) ahead of`, clock.Detail) // Date has a one-second resolution
}

// TestDoctorLoginRefusedButPingOpens: when ping opens the envelope but login answers 1018 under every
// profile, doctor does not blame the key.
func TestDoctorLoginRefusedButPingOpens(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t, vaultspaytest.WithLoginRefused())
	rep, _ := runDoctor(t, srv)
	login := check(t, rep, "login")
	assert.Equal(t, statusFail, login.Status)
	assert.Contains(t, login.Detail, "the key works")
	assert.NotContains(t, login.Detail, "key does not match")
	assert.Equal(t, statusPass, check(t, rep, "ping").Status)
}

// TestDoctorPlainHTTPRefused: plain http:// to a host that is not loopback fails the URL check and
// nothing is sent: every network check, DNS included, is skipped (had one run, the host's lookup would
// fail instead).
func TestDoctorPlainHTTPRefused(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)
	rep, _ := runDoctor(t, srv, "--base-url", "http://api.vaultspay.example")
	assert.False(t, rep.OK)
	url := check(t, rep, "url")
	assert.Equal(t, statusFail, url.Status)
	assert.Contains(t, url.Detail, "refused before any traffic")
	for _, name := range doctorOrder[3:] {
		assert.Equal(t, statusSkip, check(t, rep, name).Status, name)
		assert.Contains(t, check(t, rep, name).Detail, "nothing was sent")
	}
}

// TestDoctorUntrustedTLS: a server whose certificate this machine does not trust (as behind a
// TLS-intercepting proxy) fails the connection check, naming the certificate's issuer.
func TestDoctorUntrustedTLS(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)
	tlsSrv := httptest.NewUnstartedServer(http.NotFoundHandler())
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	rep, _ := runDoctor(t, srv, "--base-url", tlsSrv.URL)
	conn := check(t, rep, "connect")
	assert.Equal(t, statusFail, conn.Status)
	assert.Contains(t, conn.Detail, "issued by")
	assert.Contains(t, conn.Fix, "TLS-intercepting proxy")
	assert.Equal(t, statusSkip, check(t, rep, "login").Status)
}

// TestDoctorMissingConfiguration: with nothing configured doctor names what is missing, never a
// value, and fails.
func TestDoctorMissingConfiguration(t *testing.T) {
	clearEnv(t)
	t.Setenv(vaultspay.EnvClientSecret, "secret_from_env_0123456789")
	res := runRaw(t, strings.NewReader(""), "doctor", "--json", "--base-url", "http://127.0.0.1:1")
	assertNoSecrets(t, res, "secret_from_env_0123456789")
	rep := decodeReport(t, res)
	cfg := check(t, rep, "config")
	assert.Equal(t, statusFail, cfg.Status)
	assert.Contains(t, cfg.Detail, vaultspay.EnvClientSecret)
	assert.Contains(t, cfg.Detail, "missing configuration")
	assert.Equal(t, statusFail, check(t, rep, "key").Status)
}

// TestDoctorAgainstFakeProcess: the staging flags of `vaultspay fake` (--date-skew, --refuse-login)
// reach a served fake, and doctor reports both against it.
func TestDoctorAgainstFakeProcess(t *testing.T) {
	t.Parallel()
	line, stop := serveFake(t, "--date-skew", "-5m", "--refuse-login", "all")
	args := []string{"--base-url", line.BaseURL, "--client-id", line.ClientID, "--app-id", line.AppID, "--rsa-public-key", line.RSAPublicKey,
		"--client-secret-stdin", "doctor", "--json"}
	res := runRaw(t, strings.NewReader(line.ClientSecret+"\n"), args...)
	assertNoSecrets(t, res, line.ClientSecret, line.RSAPublicKey)
	rep := decodeReport(t, res)
	st := statuses(rep)
	assert.Equal(t, statusWarn, st["clock"])
	assert.Contains(t, check(t, rep, "clock").Detail, "behind")
	assert.Equal(t, statusPass, st["ping"])
	assert.Equal(t, statusFail, st["login"])

	stop()
}

// TestDoctorREADMEExample: the README's sample of the profile check is what doctor prints for that
// profile.
func TestDoctorREADMEExample(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	p, err := vaultspay.ParseWireProfile("key-wrap=oaep-sha1,body=base64-text")
	require.NoError(t, err)
	var out bytes.Buffer
	a := &app{stdout: &out}
	require.NoError(t, a.printDoctor(doctorReport{Checks: []doctorCheck{{Name: "profile", Status: statusWarn, Detail: "d", Fix: pinInstructions(p)}}}))
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	require.Len(t, lines, 4)
	for _, l := range lines[1:3] { // the Go line is shortened in the README
		assert.Contains(t, string(readme), strings.TrimLeft(l, " "))
	}
}

// TestDoctorThrottled: a login refused with 429/1005 is reported as throttling, after one candidate.
func TestDoctorThrottled(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)
	require.NoError(t, srv.InjectFault(vaultspaytest.Fault{Method: http.MethodPost, Path: "/as/api/v1/saas-login", Kind: vaultspaytest.FaultStatus,
		Status: http.StatusTooManyRequests, Body: `{"code":1005,"message":"Too many requests.","type":"THROTTLE"}`, Times: 10,
		Header: map[string]string{"Retry-After": "0"}}))
	rep, _ := runDoctor(t, srv)
	login := check(t, rep, "login")
	assert.Equal(t, statusFail, login.Status)
	assert.Contains(t, login.Detail, "throttled")
	assert.Contains(t, login.Fix, "wait")
	assert.Equal(t, 1+vaultspay.DefaultMaxRetries, srv.CountRequests(http.MethodPost, "/as/api/v1/saas-login"), "one candidate, with its retries")
}
