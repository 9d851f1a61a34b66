package bench

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// serverEnv makes the test binary serve a seeded vaultspaytest fake instead of running tests. Its value
// lists the ledger sizes to seed, comma-separated ("" for none).
const serverEnv = "VAULTSPAY_BENCH_SERVER"

// TestMain runs the server process when serverEnv is set (see startServer).
func TestMain(m *testing.M) {
	if spec, ok := os.LookupEnv(serverEnv); ok {
		if err := serveSeeded(spec); err != nil {
			fmt.Fprintln(os.Stderr, "bench server:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// serverInfo is what the server process prints on its first line of output.
type serverInfo struct {
	URL          string               `json:"url"`
	ClientID     string               `json:"clientId"`
	ClientSecret string               `json:"clientSecret"`
	AppID        string               `json:"appId"`
	PublicKey    string               `json:"publicKey"` // Base64 SPKI
	Account      vaultspay.ID         `json:"account"`   // funded once, for Get
	Ledgers      map[int]vaultspay.ID `json:"ledgers"`   // ledger size → account holding that many lines

	pub *rsa.PublicKey
	pid int // the server process
}

// startServer runs the fake in a child process, so that B/op, allocs/op, CPU profiles and the heap
// the benchmarks report are the client's alone. It stops when the benchmark ends.
func startServer(b *testing.B, ledgers ...int) *serverInfo {
	b.Helper()
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	spec := make([]string, len(ledgers))
	for i, n := range ledgers {
		spec[i] = strconv.Itoa(n)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), serverEnv+"="+strings.Join(spec, ","))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		stdin.Close() // the server exits when its input ends
		_ = cmd.Wait()
	})
	var info serverInfo
	if err := json.NewDecoder(stdout).Decode(&info); err != nil {
		b.Fatalf("bench server did not start: %v", err)
	}
	info.pid = cmd.Process.Pid
	if info.pub, err = vaultspay.ParseRSAPublicKey(info.PublicKey); err != nil {
		b.Fatal(err)
	}
	return &info
}

// sdk returns a logged-in SDK client with its default HTTP client. Unless plainHeaders is set, a
// plain client sends no crypto headers, like the plain baseline.
func (info *serverInfo) sdk(b *testing.B, encrypted, plainHeaders bool) *vaultspay.Client {
	b.Helper()
	opts := []vaultspay.Option{vaultspay.WithBaseURL(info.URL), vaultspay.WithCredentials(info.ClientID, info.ClientSecret),
		vaultspay.WithAppID(info.AppID), vaultspay.WithPublicKey(info.pub), vaultspay.WithEncryption(encrypted)}
	if !encrypted && !plainHeaders {
		opts = append(opts, vaultspay.WithoutCryptoHeadersWhenPlain())
	}
	c, err := vaultspay.NewClient(opts...)
	if err != nil {
		b.Fatal(err)
	}
	if err := c.Login(context.Background()); err != nil {
		b.Fatal(err)
	}
	return c
}

// baseline returns a logged-in Baseline with a pooled HTTP client like the SDK's default.
func (info *serverInfo) baseline(b *testing.B, encrypted bool) *Baseline {
	b.Helper()
	var pub *rsa.PublicKey
	if encrypted {
		pub = info.pub
	}
	c, err := NewBaseline(&http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}, info.URL, info.AppID, pub)
	if err != nil {
		b.Fatal(err)
	}
	if err := c.Login(context.Background(), info.ClientID, info.ClientSecret); err != nil {
		b.Fatal(err)
	}
	return c
}

// serveSeeded starts a fake with one funded account and one account per ledger size in spec, each
// with that many ledger lines, prints its serverInfo and serves until standard input ends. Its answers
// are not checked against the OpenAPI description: that check (about 0.1 ms) would add the same time
// to the SDK's and the baseline's calls and pull their ratio towards 1.
func serveSeeded(spec string) error {
	srv := vaultspaytest.NewServer(vaultspaytest.WithoutAnswerValidation())
	defer srv.Close()
	ctx := context.Background()
	admin := srv.Client()
	open := func(lines int) (vaultspay.ID, error) {
		id, err := openAccount(ctx, admin, fmt.Sprintf("ledger%d", lines))
		for i := 0; i < lines && err == nil; i++ {
			err = srv.FundAccount(id, vaultspay.MustParseAmount("1.25"))
		}
		return id, err
	}
	info := serverInfo{URL: srv.URL, ClientID: srv.ClientID(), ClientSecret: srv.ClientSecret(), AppID: srv.AppID(),
		PublicKey: srv.PublicKeyBase64(), Ledgers: map[int]vaultspay.ID{}}
	var err error
	if info.Account, err = open(1); err != nil {
		return err
	}
	for _, f := range strings.Split(spec, ",") {
		if f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil {
			return fmt.Errorf("ledger size %q: %w", f, err)
		}
		if info.Ledgers[n], err = open(n); err != nil {
			return err
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(info); err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, os.Stdin)
	return nil
}

// openAccount creates a user (name@example.com, unique per server) and an AED account for it through c
// and returns the account's id.
func openAccount(ctx context.Context, c *vaultspay.Client, name string) (vaultspay.ID, error) {
	user, err := c.Users.Create(ctx, &vaultspay.CreateUserRequest{FirstName: "Bench", LastName: "Mark",
		Email: name + "@example.com", Status: vaultspay.UserStatusActive})
	if err != nil {
		return 0, err
	}
	a, err := c.Wallets.Create(ctx, &vaultspay.CreateAccountRequest{UserID: user.ID, CurrencyID: 2,
		AccountType: vaultspay.AccountTypeDigital})
	if err != nil {
		return 0, err
	}
	return a.ID, nil
}
