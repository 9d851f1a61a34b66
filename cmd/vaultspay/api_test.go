package main

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
)

// TestCLIAPI is not parallel: --data - reads stdin, so the secret comes from the environment.
func TestCLIAPI(t *testing.T) {
	srv := newCLIFake(t)

	res := runCLI(t, srv, "api", "GET", "/us/api/v1/countries")
	require.Equal(t, exitOK, res.code, res.stderr)
	var countries []vaultspay.Country
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &countries), res.stdout)
	assert.NotEmpty(t, countries)

	body := filepath.Join(t.TempDir(), "user.json")
	require.NoError(t, os.WriteFile(body, []byte(`{"firstName":"Ada","lastName":"Lovelace","email":"ada@example.com","status":"ACTIVE"}`), 0o600))
	res = runCLI(t, srv, "api", "post", "/as/api/v1/users", "--data", "@"+body)
	require.Equal(t, exitOK, res.code, res.stderr)
	var u vaultspay.User
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &u), res.stdout)
	assert.Equal(t, "Lovelace", u.LastName)
	assert.NotZero(t, u.ID)

	res = envCLI(t, srv, `{"firstName":"Grace","lastName":"Hopper","email":"grace@example.com","status":"ACTIVE"}`,
		"api", "POST", "/as/api/v1/users", "-d", "-")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, `"lastName": "Hopper"`)

	// The API's refusal: exit 1, its error on stderr.
	res = runCLI(t, srv, "api", "POST", "/as/api/v1/users", "--data", `{"firstName":""}`)
	assert.Equal(t, exitAPI, res.code)
	assert.Contains(t, res.stderr, "INVALID_PAYLOAD (1000)")
	res = runCLI(t, srv, "api", "GET", "/no/such/route")
	assert.Equal(t, exitAPI, res.code)
	res = runCLI(t, srv, "api", "GET", "v1/ping")
	assert.Equal(t, exitUsage, res.code)
	res = runCLI(t, srv, "api", "POST", "/as/api/v1/users", "--data", "-")
	assert.Equal(t, exitUsage, res.code, "--data - and --client-secret-stdin both want stdin")
	assert.Contains(t, res.stderr, "both read standard input")
	res = runCLI(t, srv, "api", "POST", "/as/api/v1/users", "--data", "@"+filepath.Join(t.TempDir(), "missing.json"))
	assert.Equal(t, exitUsage, res.code)
}

// TestCLITimeout: against a server that accepts connections and never answers, a command fails with
// a timeout error naming --timeout, instead of hanging. The bound checked is generous (the machine
// may be loaded); what matters is that the command returns at all, and says why.
func TestCLITimeout(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = l.Close() })
	var (
		mu   sync.Mutex
		held []net.Conn
	)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c) // never read, never answered
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			_ = c.Close()
		}
	})
	srv := newCLIFake(t)
	args := []string{"--base-url", "http://" + l.Addr().String(), "--client-id", "id", "--app-id", "17",
		"--rsa-public-key", srv.PublicKeyBase64(), "--client-secret-stdin", "--timeout", "1s"}
	for _, cmd := range [][]string{{"ping"}, {"accounts", "list"}, {"api", "GET", "/v1/ping"}} {
		start := time.Now()
		res := runRaw(t, strings.NewReader("secret\n"), append(args, cmd...)...)
		elapsed := time.Since(start)
		assert.Equal(t, exitAPI, res.code, "%v: %s", cmd, res.stderr)
		assert.Contains(t, res.stderr, "no answer within --timeout 1s", "%v", cmd)
		assert.Less(t, elapsed, 30*time.Second, "%v: a guard against hanging, not a performance check", cmd)
	}
}

// TestCLIAPIMasksCardData: card data read through api is masked unless --reveal, like cards details.
func TestCLIAPIMasksCardData(t *testing.T) {
	t.Parallel()
	srv := newCLIFake(t)
	seed := seedDemo(t, srv)
	pan, err := srv.Client().Cards.PAN(context.Background(), vaultspay.CardByID(seed.VirtualCardID))
	require.NoError(t, err)
	body := `{"cardId":` + seed.VirtualCardID.String() + `}`
	res := runCLI(t, srv, "api", "POST", "/pcs/api/v1/get-card-pan", "--data", body)
	require.Equal(t, exitOK, res.code, res.stderr)
	assertNoSecrets(t, res, pan.Reveal())
	assert.Contains(t, res.stdout, `"pan": "[masked: --reveal shows it]"`)
	res = runCLI(t, srv, "api", "POST", "/pcs/api/v1/get-card-pan", "--data", body, "--reveal")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, pan.Reveal())
}

func TestMaskJSON(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{`{"a":1,"b":[{"PAN":"4111111111111111","x":2}]}`, `{"a":1,"b":[{"PAN":"[masked: --reveal shows it]","x":2}]}`},
		{`{"cvv":"123","expiry":"08/28","pin":null}`, `{"cvv":"[masked: --reveal shows it]","expiry":"[masked: --reveal shows it]","pin":null}`},
		{`{"id":12345678901234567890,"name":"x"}`, `{"id":12345678901234567890,"name":"x"}`},
		{`"just a string"`, `"just a string"`},
	}
	for _, tt := range tests {
		got, _ := maskJSON([]byte(tt.in))
		assert.JSONEq(t, tt.want, string(got), tt.in)
	}
	got, masked := maskJSON([]byte("not json"))
	assert.False(t, masked)
	assert.Equal(t, "not json", string(got), "left as it was")
}
