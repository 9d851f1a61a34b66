package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/vaultspay-go/vaultspay"
)

// globals are the flags every command accepts, before or after its name.
type globals struct {
	baseURL     setString
	clientID    setString
	appID       setString
	rsaKey      setString
	secretStdin bool
	json        bool
}

// setString is a string flag that remembers whether it was given, so an unset flag leaves the
// VAULTSPAY_* variable in force.
type setString struct {
	v   string
	set bool
}

func (s *setString) String() string { return s.v }

func (s *setString) Set(v string) error {
	s.v, s.set = v, true
	return nil
}

// register adds the global flags to fs. It is called on the top-level flag set and again on the
// command's, with the same variables, so a flag given in either place counts.
func (g *globals) register(fs *flag.FlagSet) {
	fs.Var(&g.baseURL, "base-url", `API base URL: "uat", "production" or a URL (env `+vaultspay.EnvBaseURL+`)`)
	fs.Var(&g.clientID, "client-id", "the app's Client ID (env "+vaultspay.EnvClientID+")")
	fs.Var(&g.appID, "app-id", "the app id sent as x-device-id (env "+vaultspay.EnvAppID+")")
	fs.Var(&g.rsaKey, "rsa-public-key", "VaultsPay's RSA public key, Base64 SPKI or PEM (env "+vaultspay.EnvRSAPublicKey+")")
	fs.BoolVar(&g.secretStdin, "client-secret-stdin", g.secretStdin,
		"read the client secret from the first line of standard input (never a flag: command lines are visible in ps and shell history)")
	fs.BoolVar(&g.json, "json", g.json, "print JSON instead of a table")
}

// client builds the SDK client from the VAULTSPAY_* variables (vaultspay.NewClientFromEnv) overridden
// by the flags, with the secret from the environment or, with --client-secret-stdin, from stdin.
// Missing settings are reported together as a configuration error.
func (g *globals) client(stdin io.Reader) (*vaultspay.Client, error) {
	id := g.resolve(&g.clientID, vaultspay.EnvClientID)
	secret := os.Getenv(vaultspay.EnvClientSecret)
	if g.secretStdin {
		var err error
		if secret, err = readSecret(stdin); err != nil {
			return nil, &configError{err: err}
		}
	}
	var missing []string
	for _, m := range []struct{ val, what string }{
		{id, "client ID (" + vaultspay.EnvClientID + " or --client-id)"},
		{secret, "client secret (" + vaultspay.EnvClientSecret + " or --client-secret-stdin)"},
		{g.resolve(&g.appID, vaultspay.EnvAppID), "app id (" + vaultspay.EnvAppID + " or --app-id)"},
		{g.resolve(&g.rsaKey, vaultspay.EnvRSAPublicKey), "RSA public key (" + vaultspay.EnvRSAPublicKey + " or --rsa-public-key)"},
	} {
		if strings.TrimSpace(m.val) == "" {
			missing = append(missing, m.what)
		}
	}
	if len(missing) > 0 {
		return nil, &configError{err: fmt.Errorf("missing configuration: %s", strings.Join(missing, "; "))}
	}

	opts := []vaultspay.Option{vaultspay.WithUserAgent("vaultspay-cli"), vaultspay.WithCredentials(id, secret)}
	if g.baseURL.set {
		switch strings.ToLower(strings.TrimSpace(g.baseURL.v)) {
		case "uat":
			opts = append(opts, vaultspay.WithEnvironment(vaultspay.UAT))
		case "production", "prod":
			opts = append(opts, vaultspay.WithEnvironment(vaultspay.Production))
		default:
			opts = append(opts, vaultspay.WithBaseURL(g.baseURL.v))
		}
	}
	if g.appID.set {
		opts = append(opts, vaultspay.WithAppID(g.appID.v))
	}
	if g.rsaKey.set {
		opts = append(opts, vaultspay.WithRSAPublicKey(g.rsaKey.v))
	}
	return vaultspay.NewClientFromEnv(opts...)
}

// resolve returns the flag's value when it was given, else the variable's.
func (g *globals) resolve(f *setString, env string) string {
	if f.set {
		return f.v
	}
	return os.Getenv(env)
}

// maxSecretLine bounds what --client-secret-stdin reads; the SDK refuses secrets over 4096 bytes.
const maxSecretLine = 8 << 10

// readSecret reads the first line of stdin. A terminal is refused: the secret would be echoed.
func readSecret(stdin io.Reader) (string, error) {
	if stdin == nil || isTerminal(stdin) {
		return "", errors.New("--client-secret-stdin: standard input is a terminal or absent; pipe the secret in or set " +
			vaultspay.EnvClientSecret)
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, maxSecretLine)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("--client-secret-stdin: reading standard input: %w", err)
	}
	line = strings.TrimSpace(line)
	if line == "" {
		return "", errors.New("--client-secret-stdin: standard input is empty")
	}
	return line, nil
}

// isTerminal reports whether v is an *os.File open on a character device (a terminal). Anything else,
// a pipe, a file or a test buffer, is not.
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	if !ok || f == nil {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
