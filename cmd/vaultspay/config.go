package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/vaultspay-go/vaultspay"
)

// globals are the flags every command accepts, before or after its name.
type globals struct {
	baseURL     setString
	clientID    setString
	appID       setString
	rsaKey      setString
	profile     setString // --wire-profile
	secretStdin bool
}

// setString is a string flag that remembers whether it was given, so an unset flag leaves the
// VAULTSPAY_* variable in force.
type setString struct {
	v   string
	set bool
}

func (s *setString) String() string { return s.v }

func (s *setString) Type() string { return "string" }

func (s *setString) Set(v string) error {
	s.v, s.set = v, true
	return nil
}

// register adds the configuration flags to fs (the root's persistent flags: they are accepted before
// or after the command's name).
func (g *globals) register(fs *pflag.FlagSet) {
	fs.Var(&g.baseURL, "base-url", `API base URL: "uat", "production" or a URL (env `+vaultspay.EnvBaseURL+`)`)
	fs.Var(&g.clientID, "client-id", "the app's Client ID (env "+vaultspay.EnvClientID+")")
	fs.Var(&g.appID, "app-id", "the app id sent as x-device-id (env "+vaultspay.EnvAppID+")")
	fs.Var(&g.rsaKey, "rsa-public-key", "VaultsPay's RSA public key, Base64 SPKI or PEM (env "+vaultspay.EnvRSAPublicKey+")")
	fs.Var(&g.profile, "wire-profile", `the envelope's wire profile, as vaultspay doctor prints it (env `+vaultspay.EnvWireProfile+`; default: the SDK's)`)
	fs.BoolVar(&g.secretStdin, "client-secret-stdin", false,
		"read the client secret from the first line of standard input (never a flag: command lines are visible in ps and shell history)")
}

// options are the SDK options the flags add to the VAULTSPAY_* variables (vaultspay.NewClientFromEnv
// reads those), with the secret from the environment or, with --client-secret-stdin, from stdin.
// Missing settings are reported together as a configuration error.
func (g *globals) options(stdin io.Reader) ([]vaultspay.Option, error) {
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
	if g.profile.set {
		p, err := vaultspay.ParseWireProfile(g.profile.v)
		if err != nil {
			return nil, &configError{err: fmt.Errorf("--wire-profile: %w", err)}
		}
		opts = append(opts, vaultspay.WithWireProfile(p))
	}
	return opts, nil
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

// sdk returns the SDK client, built on first use from the configuration.
func (a *app) sdk() (*vaultspay.Client, error) {
	if a.client != nil {
		return a.client, nil
	}
	if a.g.secretStdin {
		if err := a.claimStdin("--client-secret-stdin"); err != nil {
			return nil, err
		}
	}
	opts, err := a.g.options(a.stdin)
	if err != nil {
		return nil, err
	}
	c, err := vaultspay.NewClientFromEnv(opts...)
	if err != nil {
		return nil, err
	}
	a.opts, a.client = opts, c
	return c, nil
}

// claimStdin records that flag reads standard input; a second reader is a usage error.
func (a *app) claimStdin(flag string) error {
	if a.stdinBy != "" && a.stdinBy != flag {
		return usagef("%s and %s both read standard input; give one of them", a.stdinBy, flag)
	}
	a.stdinBy = flag
	return nil
}

// errNotSent is what the dry client's transport answers: nothing leaves the process.
var errNotSent = errors.New("validation only: nothing is sent")

type refuseTransport struct{}

func (refuseTransport) RoundTrip(*http.Request) (*http.Response, error) { return nil, errNotSent }

// validate runs call on a client that cannot send anything (its transport refuses every request and
// its context is already cancelled) and returns the *vaultspay.ValidationError the SDK's own checks
// found, or nil. The SDK validates a request before any I/O, so this is its validation, run early:
// before a confirmation prompt, for example.
func (a *app) validate(call func(ctx context.Context, c *vaultspay.Client) error) error {
	if _, err := a.sdk(); err != nil {
		return err
	}
	dry, err := vaultspay.NewClientFromEnv(append(append([]vaultspay.Option{}, a.opts...),
		vaultspay.WithHTTPClient(&http.Client{Transport: refuseTransport{}}), vaultspay.WithMaxRetries(0))...)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var ve *vaultspay.ValidationError
	if err := call(ctx, dry); errors.As(err, &ve) {
		return err
	}
	return nil
}
