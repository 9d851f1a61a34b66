package vaultspaytest

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"net"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
)

var loopbackURL = regexp.MustCompile(`^http://127\.0\.0\.1:\d+$`)

// TestCloseWaitsForInFlight: Close returns only after a request in flight has been answered, and the
// port is closed afterwards.
func TestCloseWaitsForInFlight(t *testing.T) {
	t.Parallel()
	k, _ := testKeys(t)
	srv := NewServer(WithRSAKey(k))
	require.NoError(t, srv.InjectFault(Fault{Method: "GET", Path: pathPing, Kind: FaultDelay, MS: 200}))
	req := sealGolden(t, srv, http.MethodGet, pathPing, nil).request(t, srv.URL)
	type result struct {
		status int
		err    error
	}
	done := make(chan result, 1)
	go func() {
		res, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
		if err != nil {
			done <- result{err: err}
			return
		}
		_ = res.Body.Close()
		done <- result{status: res.StatusCode}
	}()
	require.Eventually(t, func() bool { return len(srv.Requests()) == 1 }, 10*time.Second, time.Millisecond,
		"the request reaches the server")

	srv.Close()
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, http.StatusOK, reqs[0].Status, "answered before Close returned")
	r := <-done
	require.NoError(t, r.err)
	assert.Equal(t, http.StatusOK, r.status)

	_, err := httpClient(t).Do(sealGolden(t, srv, http.MethodGet, pathPing, nil).request(t, srv.URL))
	assert.Error(t, err, "closed server refuses connections")
}

func TestServersGetDistinctPorts(t *testing.T) {
	t.Parallel()
	a, b := newTestServer(t), newTestServer(t)
	assert.Regexp(t, loopbackURL, a.URL)
	assert.Regexp(t, loopbackURL, b.URL)
	assert.NotEqual(t, a.URL, b.URL)
	assert.NotEqual(t, a.ClientID(), b.ClientID(), "random credentials per server")
	assert.NotEqual(t, a.ClientSecret(), b.ClientSecret())

	a.Close()
	c := newTestServer(t)
	assert.NotEqual(t, b.URL, c.URL)
	assert.Equal(t, http.StatusOK, ping(t, c, "").Status)
	assert.Equal(t, http.StatusOK, ping(t, b, "").Status, "closing one server leaves the other serving")
}

func TestUnstartedServerWithListener(t *testing.T) {
	t.Parallel()
	k, _ := testKeys(t)
	srv, err := NewUnstartedServer(WithRSAKey(k), WithCredentials("cid", "csecret", "42"))
	require.NoError(t, err)
	assert.Empty(t, srv.URL, "not listening yet")

	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv.Listener = l
	require.NoError(t, srv.Start())
	t.Cleanup(srv.Close)
	assert.Equal(t, "http://"+l.Addr().String(), srv.URL)
	assert.Error(t, srv.Start(), "Start twice")
	assert.Equal(t, "http://"+l.Addr().String(), srv.URL, "the second Start changes nothing")

	assert.Equal(t, "cid", srv.ClientID())
	assert.Equal(t, "csecret", srv.ClientSecret())
	assert.Equal(t, "42", srv.AppID())
	assert.NotEmpty(t, login(t, srv).AccessToken, "credentials and app id are used")
}

func TestCloseUnstartedServer(t *testing.T) {
	t.Parallel()
	k, _ := testKeys(t)
	srv, err := NewUnstartedServer(WithRSAKey(k))
	require.NoError(t, err)
	assert.NotPanics(t, srv.Close)
}

func TestNewServerPanicsOnBadOption(t *testing.T) {
	t.Parallel()
	k, _ := testKeys(t)
	assert.Panics(t, func() { NewServer(WithRSAKey(k), WithWireProfile(vaultspay.WireProfile{Body: "xml"})) })
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	srv := NewServer() // generates its own key: the one test that pays for it
	t.Cleanup(srv.Close)
	assert.Equal(t, "17", srv.AppID(), "the vendor's example app id")
	assert.True(t, srv.Encryption())
	assert.Equal(t, vaultspay.WireProfile{KeyWrap: "pkcs1v15", KeyEncoding: "raw", Body: "json-object", ResponseIV: "header"},
		srv.WireProfile())
	assert.Equal(t, 2048, srv.PublicKey().N.BitLen())
	assert.NotEmpty(t, login(t, srv).AccessToken)
}

func TestPublicKeyBase64(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	s := srv.PublicKeyBase64()
	der, err := base64.StdEncoding.Strict().DecodeString(s)
	require.NoError(t, err, "standard Base64")
	pub, err := x509.ParsePKIXPublicKey(der)
	require.NoError(t, err, "SPKI DER")
	rk, ok := pub.(*rsa.PublicKey)
	require.True(t, ok, "an RSA key, got %T", pub)
	assert.Equal(t, 2048, rk.N.BitLen())
	assert.True(t, rk.Equal(srv.PublicKey()))
	assert.Regexp(t, `^MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA`, s, "the vendor's key prefix")
	assert.Len(t, s, 392, "as long as the vendor's sample key")
}

func TestClientOptions(t *testing.T) {
	t.Parallel()
	for _, opts := range [][]Option{nil, {WithoutEncryption()}, {WithWireProfile(vaultspay.WireProfile{KeyWrap: vaultspay.KeyWrapOAEPSHA1})}} {
		srv := newTestServer(t, opts...)
		c, err := vaultspay.NewClient(srv.ClientOptions()...)
		require.NoError(t, err)
		assert.NotNil(t, c)
		assert.NotPanics(t, func() { srv.Client() })
	}
}
