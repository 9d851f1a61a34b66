package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

var (
	cliKeyOnce sync.Once
	cliKey     *rsa.PrivateKey
)

// newCLIFake starts a fake sharing one RSA key per test binary, closed when the test ends.
func newCLIFake(t *testing.T, opts ...vaultspaytest.Option) *vaultspaytest.Server {
	t.Helper()
	cliKeyOnce.Do(func() {
		var err error
		if cliKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	srv := vaultspaytest.NewServer(append([]vaultspaytest.Option{vaultspaytest.WithRSAKey(cliKey)}, opts...)...)
	t.Cleanup(srv.Close)
	return srv
}

// cliResult is one run of the program.
type cliResult struct {
	code   int
	stdout string
	stderr string
}

// configFlags points the CLI at srv with flags, the secret coming from stdin.
func configFlags(srv *vaultspaytest.Server) []string {
	return []string{"--base-url", srv.URL, "--client-id", srv.ClientID(), "--app-id", srv.AppID(),
		"--rsa-public-key", srv.PublicKeyBase64(), "--client-secret-stdin"}
}

// runCLI runs the program against srv (configured by flags, the secret on stdin) and checks that no
// secret reached its output.
func runCLI(t *testing.T, srv *vaultspaytest.Server, args ...string) cliResult {
	t.Helper()
	res := runRaw(t, strings.NewReader(srv.ClientSecret()+"\n"), append(configFlags(srv), args...)...)
	assertNoSecrets(t, res, srv.ClientSecret())
	return res
}

// runRaw runs the program with exactly args and stdin.
func runRaw(t *testing.T, stdin io.Reader, args ...string) cliResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, stdin, &stdout, &stderr)
	return cliResult{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// fakeToken matches the fake's access and refresh tokens.
var fakeToken = regexp.MustCompile(`\b[ar]t_[0-9a-f]{16,}`)

// assertNoSecrets checks that neither output holds a token or any of secrets.
func assertNoSecrets(t *testing.T, res cliResult, secrets ...string) {
	t.Helper()
	for name, out := range map[string]string{"stdout": res.stdout, "stderr": res.stderr} {
		assert.NotRegexp(t, fakeToken, out, "%s holds a token", name)
		for _, s := range secrets {
			assert.NotContains(t, out, s, "%s holds a secret", name)
		}
	}
}

// decodeJSON decodes stdout into a T.
func decodeJSON[T any](t *testing.T, res cliResult) T {
	t.Helper()
	require.Equal(t, exitOK, res.code, "stderr: %s", res.stderr)
	var v T
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &v), res.stdout)
	return v
}

// tableRows splits a table into rows of cells (two or more spaces separate cells).
func tableRows(out string) [][]string {
	var rows [][]string
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		rows = append(rows, regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(line), -1))
	}
	return rows
}

// recordFields reads a two-column record into a map.
func recordFields(t *testing.T, out string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		k, v, ok := strings.Cut(line, "  ")
		require.True(t, ok, "line %q", line)
		m[k] = strings.TrimSpace(v)
	}
	return m
}

func TestCLIUsage(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)
	tests := []struct {
		name       string
		args       []string
		want       int
		wantOut    string // in stdout
		wantErr    string // in stderr
		needConfig bool   // run with the fake's configuration
	}{
		{name: "no command: help", want: exitOK, wantOut: "Exit codes:"},
		{name: "--help", args: []string{"--help"}, want: exitOK, wantOut: "Exit codes:"},
		{name: "help", args: []string{"help"}, want: exitOK, wantOut: "never a flag"},
		{name: "help of a group", args: []string{"help", "accounts"}, want: exitOK, wantOut: "vaultspay accounts [command]"},
		{name: "--version", args: []string{"--version"}, want: exitOK, wantOut: "vaultspay " + vaultspay.Version},
		{name: "completion", args: []string{"completion", "bash"}, want: exitOK, wantOut: "bash completion"},
		{name: "unknown command", args: []string{"refund"}, want: exitUsage, wantErr: `unknown command "refund" for "vaultspay"`},
		{name: "group alone: its help", args: []string{"accounts"}, want: exitOK, wantOut: "ledger"},
		{name: "group --help", args: []string{"accounts", "--help"}, want: exitOK, wantOut: "Available Commands:"},
		{name: "nested group alone", args: []string{"transfers", "contacts"}, want: exitOK, wantOut: "create"},
		{name: "unknown method", args: []string{"cards", "issue"}, want: exitUsage, wantErr: `unknown command "issue" for "vaultspay cards"`},
		{name: "unknown global flag", args: []string{"--verbose", "ping"}, want: exitUsage, wantErr: "unknown flag: --verbose"},
		{name: "unknown flag", args: []string{"accounts", "list", "--colour"}, want: exitUsage, wantErr: "unknown flag: --colour"},
		{name: "bad output", args: []string{"ping", "--output", "yaml"}, want: exitUsage, wantErr: `--output: "yaml" is neither table nor json`},
		{name: "bad timeout", args: []string{"ping", "--timeout", "soon"}, want: exitUsage, wantErr: "--timeout"},
		{name: "missing argument", args: []string{"accounts", "get"}, want: exitUsage, wantErr: "want 1 argument(s) <accountId>, got 0"},
		{name: "extra argument", args: []string{"accounts", "list", "7"}, want: exitUsage, wantErr: `unknown command "7" for "vaultspay accounts list"`},
		{name: "id not a number", args: []string{"kyc", "get", "khalid"}, want: exitUsage, wantErr: `userId: "khalid" is not a positive integer id`},
		{name: "id not positive", args: []string{"ledger", "0"}, want: exitUsage, wantErr: "not a positive integer id"},
		{name: "bad flag id", args: []string{"accounts", "list", "--user-id", "-3"}, want: exitUsage, wantErr: "--user-id"},
		{name: "bad page", args: []string{"transactions", "list", "--page", "0"}, want: exitUsage, wantErr: "--page"},
		{name: "bad date", args: []string{"transactions", "list", "--start-date", "yesterday"}, want: exitUsage, wantErr: "neither YYYY-MM-DD"},
		{name: "command help", args: []string{"accounts", "get", "--help"}, want: exitOK, wantOut: "vaultspay accounts get <accountId> [flags]"},
		{name: "command help lists flags", args: []string{"ledger", "-h"}, want: exitOK, wantOut: "--start-date time"},
		{name: "global flags after the command", args: []string{"ping", "--help"}, want: exitOK, wantOut: "--timeout duration"},
		{name: "card by neither", args: []string{"cards", "details"}, want: exitUsage, wantErr: "exactly one of <cardId> and --token", needConfig: true},
		{name: "card by both", args: []string{"cards", "details", "1", "--token", "2"}, want: exitUsage,
			wantErr: "exactly one of <cardId> and --token", needConfig: true},
		{name: "trigger unknown event", args: []string{"trigger", "card.lost"}, want: exitUsage, wantErr: `unknown event "card.lost"`, needConfig: true},
		{name: "api bad method", args: []string{"api", "FETCH", "/v1/ping"}, want: exitUsage, wantErr: `"FETCH" is not an HTTP method`},
		{name: "api bad data", args: []string{"api", "POST", "/as/api/v1/users", "--data", "{nope"}, want: exitUsage, wantErr: "not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var res cliResult
			if tt.needConfig {
				res = runCLI(t, srv, tt.args...)
			} else {
				res = runRaw(t, strings.NewReader(""), tt.args...)
			}
			assert.Equal(t, tt.want, res.code, "stderr: %s", res.stderr)
			assert.Contains(t, res.stdout, tt.wantOut)
			assert.Contains(t, res.stderr, tt.wantErr)
			if tt.want == exitOK {
				assert.Empty(t, res.stderr)
			} else {
				assert.Empty(t, res.stdout)
			}
		})
	}
	assert.Zero(t, srv.CountRequests("GET", "/be/api/v1/accounts"), "usage errors never reach the API")
}

func TestCLIHelpDocumentsExitCodesAndSecret(t *testing.T) {
	t.Parallel()
	res := runRaw(t, nil, "--help")
	require.Equal(t, exitOK, res.code)
	for _, want := range []string{"0  success", "1  the API refused", "2  usage error", "3  configuration error",
		"VAULTSPAY_CLIENT_SECRET", "never a flag", "shell history", "--client-secret-stdin", "--output", "--timeout",
		"--version", `eval "$(vaultspay fake --seed demo --env)"`} {
		assert.Contains(t, res.stdout, want)
	}
	root := (&app{}).rootCommand()
	for _, c := range root.Commands() {
		if !c.Hidden {
			assert.Contains(t, res.stdout, "\n  "+c.Name()+" ", "every command is listed")
		}
	}
	// Every command's own help exits 0 and shows the global flags the same way, with two dashes.
	var walk func(path []string, c *cobra.Command)
	walk = func(path []string, c *cobra.Command) {
		for _, sub := range c.Commands() {
			p := append(append([]string{}, path...), sub.Name())
			res := runRaw(t, nil, append(p, "--help")...)
			assert.Equal(t, exitOK, res.code, "%v --help: %s", p, res.stderr)
			if sub.Name() != "help" && sub.Name() != "completion" && len(sub.Commands()) == 0 {
				assert.Contains(t, res.stdout, "--output string", "%v --help", p)
				assert.NotRegexp(t, `(?m)^\s+-[a-z]{2,}`, res.stdout, "%v --help: a flag with one dash", p)
			}
			walk(p, sub)
		}
	}
	walk(nil, root)
}

// clearEnv unsets every VAULTSPAY_* connection variable for the test.
func clearEnv(t *testing.T) {
	t.Helper()
	for _, k := range []string{vaultspay.EnvBaseURL, vaultspay.EnvClientID, vaultspay.EnvClientSecret, vaultspay.EnvAppID, vaultspay.EnvRSAPublicKey,
		vaultspay.EnvWireProfile} {
		t.Setenv(k, "")
		require.NoError(t, os.Unsetenv(k))
	}
}

func TestCLIConfiguration(t *testing.T) {
	srv := newCLIFake(t)
	clearEnv(t)
	flags := func(drop string, extra ...string) []string {
		var out []string
		all := configFlags(srv)
		for i := 0; i < len(all); i++ {
			if all[i] == drop {
				if !strings.HasSuffix(drop, "stdin") {
					i++
				}
				continue
			}
			out = append(out, all[i])
		}
		return append(out, extra...)
	}
	secret := strings.NewReader(srv.ClientSecret() + "\n")
	tests := []struct {
		name    string
		stdin   io.Reader
		args    []string
		want    int
		wantErr string
	}{
		{name: "nothing configured", args: []string{"ping"}, want: exitConfig,
			wantErr: "missing configuration: client ID (VAULTSPAY_CLIENT_ID or --client-id); client secret " +
				"(VAULTSPAY_CLIENT_SECRET or --client-secret-stdin); app id (VAULTSPAY_APP_ID or --app-id); RSA public key"},
		{name: "no secret", args: flags("--client-secret-stdin", "ping"), want: exitConfig, wantErr: "client secret (VAULTSPAY_CLIENT_SECRET"},
		{name: "empty stdin", stdin: strings.NewReader(""), args: flags("", "ping"), want: exitConfig, wantErr: "standard input is empty"},
		{name: "no app id", stdin: secret, args: flags("--app-id", "ping"), want: exitConfig, wantErr: "app id (VAULTSPAY_APP_ID"},
		{name: "malformed key", stdin: strings.NewReader("s\n"), args: flags("", "--rsa-public-key", "not-a-key", "ping"),
			want: exitConfig, wantErr: "invalid configuration: RSA public key"},
		{name: "plain http to a remote host", stdin: strings.NewReader("s\n"), args: flags("", "--base-url", "http://api.example.com", "ping"),
			want: exitConfig, wantErr: "plain http:// is refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runRaw(t, tt.stdin, tt.args...)
			assert.Equal(t, tt.want, res.code, "stderr: %s", res.stderr)
			assert.Contains(t, res.stderr, tt.wantErr)
			assert.Empty(t, res.stdout)
			assertNoSecrets(t, res, srv.ClientSecret())
		})
	}

	t.Run("from the environment only", func(t *testing.T) {
		setFakeEnv(t, srv)
		res := runRaw(t, nil, "ping")
		assert.Equal(t, exitOK, res.code, "stderr: %s", res.stderr)
		assert.Contains(t, res.stdout, vaultspay.PingMessage)
		assertNoSecrets(t, res, srv.ClientSecret())

		t.Setenv(vaultspay.EnvAppID, "99")
		res = runRaw(t, nil, "--app-id", srv.AppID(), "ping")
		assert.Equal(t, exitOK, res.code, "a flag wins over its variable; stderr: %s", res.stderr)
	})
}

func TestCLISecretFromTerminalIsRefused(t *testing.T) {
	t.Parallel()
	tty, err := os.Open("/dev/tty")
	if err != nil {
		t.Skip("no terminal to test with:", err)
	}
	defer tty.Close()
	_, err = readSecret(tty)
	require.ErrorContains(t, err, "standard input is a terminal")
}

func TestCLIIsTerminal(t *testing.T) {
	t.Parallel()
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, isTerminal(f), "a regular file")
	assert.False(t, isTerminal(&bytes.Buffer{}), "a buffer")
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	assert.False(t, isTerminal(w), "a pipe")
}

func TestCLIExitCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		want int
	}{
		{nil, exitOK},
		{usagef("x"), exitUsage},
		{&vaultspay.ValidationError{Errors: []vaultspay.FieldError{{Key: "id", Reason: "must be a positive id"}}}, exitUsage},
		{&configError{err: fmt.Errorf("x")}, exitConfig},
		{fmt.Errorf("building: %w", vaultspay.ErrInvalidConfig), exitConfig},
		{&vaultspay.APIError{StatusCode: 401, Code: vaultspay.CodeUnauthenticated}, exitAPI},
		{context.Canceled, exitAPI},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, exitCode(tt.err), "%v", tt.err)
	}
}

// TestCell: text from the network cannot move the cursor, colour the terminal or reorder a line.
func TestCell(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                      "-",
		"  ":                    "-",
		"Rent":                  "Rent",
		"a\tb\nc":               `a\x09b\x0ac`,
		"\x1b[31mred":           `\x1b[31mred`,
		"abc\u202edcba":         `abc\u202edcba`,
		"DEPOSIT AMT 25.00 AED": "DEPOSIT AMT 25.00 AED",
	} {
		assert.Equal(t, want, cell(in), "%q", in)
	}
}

// TestFailEscapesControls: whatever an error carries, stderr gets no terminal escape sequence.
func TestFailEscapesControls(t *testing.T) {
	t.Parallel()
	var stderr bytes.Buffer
	code := fail(&stderr, errors.New("reading data.json: \x1b]0;owned\x07\x1b[2J"))
	assert.Equal(t, exitAPI, code)
	assert.Equal(t, `vaultspay: reading data.json: \x1b]0;owned\x07\x1b[2J`+"\n", stderr.String())
}
