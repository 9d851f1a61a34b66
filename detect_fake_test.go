package vaultspay_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"log/slog"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

var (
	otherKeyOnce sync.Once
	otherKey     *rsa.PrivateKey
)

// wrongKey is a 2048-bit RSA key no fake decrypts with, generated once per test binary.
func wrongKey(t testing.TB) *rsa.PublicKey {
	t.Helper()
	otherKeyOnce.Do(func() {
		var err error
		if otherKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return &otherKey.PublicKey
}

// everyProfile is every profile the SDK and the fake speak: each detection candidate with each
// response IV source.
func everyProfile() []vaultspay.WireProfile {
	var out []vaultspay.WireProfile
	for _, p := range vaultspay.WireProfileCandidates() {
		for _, iv := range []vaultspay.ResponseIV{vaultspay.ResponseIVHeader, vaultspay.ResponseIVRequest} {
			p.ResponseIV = iv
			out = append(out, p)
		}
	}
	return out
}

// candidateIndex is where p's request side sits in the detection order.
func candidateIndex(t *testing.T, p vaultspay.WireProfile) int {
	t.Helper()
	p.ResponseIV = vaultspay.ResponseIVHeader
	for i, c := range vaultspay.WireProfileCandidates() {
		if c == p {
			return i
		}
	}
	t.Fatalf("%v is not a candidate", p)
	return -1
}

// detecting is a client of srv that starts from the default profile and detects.
func detecting(srv *vaultspaytest.Server, opts ...vaultspay.Option) *vaultspay.Client {
	return srv.Client(append([]vaultspay.Option{vaultspay.WithWireProfile(vaultspay.WireProfile{}),
		vaultspay.WithWireProfileDetection(), fastRetries}, opts...)...)
}

// loginStatuses is the status of every login in the fake's log, in order.
func loginStatuses(srv *vaultspaytest.Server) []int {
	var out []int
	for _, r := range srv.Requests() {
		if r.Path == loginPath {
			out = append(out, r.Status)
		}
	}
	return out
}

// TestDetectPinsEveryProfile: for every profile the fake can serve but the default, a detecting client
// logs in after exactly as many refused logins as candidates come before it (never more than the bound),
// pins that profile (response IV included, read off the successful answer), logs it, and every later
// call, a refresh included, uses it: no 1018 and no login again.
func TestDetectPinsEveryProfile(t *testing.T) {
	t.Parallel()
	bound := len(vaultspay.WireProfileCandidates())
	def, err := vaultspay.WireProfile{}.Normalize()
	require.NoError(t, err)
	for _, p := range everyProfile() {
		if p == def {
			continue
		}
		t.Run(p.String(), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := newFake(t, vaultspaytest.WithWireProfile(p))
			var logs lockedBuffer
			c := detecting(srv, vaultspay.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))

			require.NoError(t, c.Login(ctx))
			assert.Equal(t, p, c.WireProfile())
			d, ok := c.WireProfileDetection()
			require.True(t, ok)
			assert.Equal(t, p, d.Profile)
			want := candidateIndex(t, p)
			assert.Len(t, d.Refused, want)
			for _, r := range d.Refused {
				assert.ErrorIs(t, r.Err, vaultspay.ErrInvalidHeaders)
			}
			statuses := loginStatuses(srv)
			require.Len(t, statuses, want+1)
			assert.LessOrEqual(t, want, bound)
			for _, s := range statuses[:want] {
				assert.Equal(t, http.StatusInternalServerError, s)
			}
			assert.Equal(t, http.StatusOK, statuses[want])
			assert.Contains(t, logs.String(), "wire profile detected")
			assert.Contains(t, logs.String(), p.String())

			before := len(srv.Requests())
			_, err := c.Ping(ctx)
			require.NoError(t, err)
			_, err = c.Users.ListCountries(ctx)
			require.NoError(t, err)
			srv.ExpireTokens() // the next call is refused 1003, refreshes and replays
			_, err = c.Ping(ctx)
			require.NoError(t, err)
			later := srv.Requests()[before:]
			assert.Equal(t, 1, countPath(later, refreshPath))
			for _, r := range later {
				assert.NotEqual(t, loginPath, r.Path)
				assert.NotEqual(t, http.StatusInternalServerError, r.Status, "%s %s", r.Method, r.Path)
			}
			assert.Equal(t, p, c.WireProfile())
		})
	}
}

func countPath(log []vaultspaytest.RequestRecord, path string) int {
	n := 0
	for _, r := range log {
		if r.Path == path {
			n++
		}
	}
	return n
}

// TestDetectDefaultCostsOneLogin: on a server speaking the configured profile detection costs nothing.
func TestDetectDefaultCostsOneLogin(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	c := detecting(srv)
	require.NoError(t, c.Login(context.Background()))
	assert.Equal(t, []int{http.StatusOK}, loginStatuses(srv))
	d, ok := c.WireProfileDetection()
	require.True(t, ok)
	assert.Empty(t, d.Refused)
	assert.Equal(t, srv.WireProfile(), c.WireProfile())
}

// TestDetectStartsFromConfiguredProfile: the configured profile is tried first.
func TestDetectStartsFromConfiguredProfile(t *testing.T) {
	t.Parallel()
	p := vaultspay.WireProfile{KeyWrap: vaultspay.KeyWrapOAEPSHA256, KeyEncoding: vaultspay.KeyEncodingBase64,
		Body: vaultspay.BodyJSONString, ResponseIV: vaultspay.ResponseIVHeader}
	srv := newFake(t, vaultspaytest.WithWireProfile(p))
	c := srv.Client(vaultspay.WithWireProfileDetection())
	require.NoError(t, c.Login(context.Background()))
	assert.Equal(t, []int{http.StatusOK}, loginStatuses(srv))
	assert.Equal(t, p, c.WireProfile())
}

// TestDetectWrongKey: with a public key that is not the server's, every candidate is refused once, in
// order, and the error says so and lists them.
func TestDetectWrongKey(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	c := detecting(srv, vaultspay.WithPublicKey(wrongKey(t)))
	err := c.Login(context.Background())
	require.Error(t, err)
	assert.ErrorIs(t, err, vaultspay.ErrWireProfileNotFound)
	var we *vaultspay.WireProfileError
	require.ErrorAs(t, err, &we)
	cands := vaultspay.WireProfileCandidates()
	require.Len(t, we.Tried, len(cands))
	for i, tr := range we.Tried {
		assert.Equal(t, cands[i], tr.Profile)
		assert.ErrorIs(t, tr.Err, vaultspay.ErrInvalidHeaders)
		assert.Contains(t, err.Error(), tr.Profile.String())
	}
	var apiErr *vaultspay.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, vaultspay.CodeInvalidHeaders, apiErr.Code)
	assert.Contains(t, err.Error(), "does not match")
	assert.Len(t, loginStatuses(srv), len(cands))
	_, ok := c.WireProfileDetection()
	assert.False(t, ok)
	assert.NotContains(t, err.Error(), srv.ClientSecret())
}

// TestDetectStopsOnOtherAnswers: bad credentials (1002) in the right profile, throttling and a
// staged refusal that is not the envelope's end detection at once with that answer, pinning nothing.
func TestDetectStopsOnOtherAnswers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	oaep := vaultspay.WireProfile{KeyWrap: vaultspay.KeyWrapOAEPSHA1}
	t.Run("bad secret", func(t *testing.T) {
		t.Parallel()
		srv := newFake(t, vaultspaytest.WithWireProfile(oaep))
		c := detecting(srv, vaultspay.WithCredentials(srv.ClientID(), "not-the-secret"))
		err := c.Login(ctx)
		require.Error(t, err)
		assert.ErrorIs(t, err, vaultspay.ErrUnauthenticated)
		assert.NotErrorIs(t, err, vaultspay.ErrWireProfileNotFound)
		n, _ := oaep.Normalize()
		assert.Len(t, loginStatuses(srv), candidateIndex(t, n)+1)
		_, ok := c.WireProfileDetection()
		assert.False(t, ok)
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		srv := newFake(t)
		require.NoError(t, srv.InjectFault(vaultspaytest.Fault{Method: http.MethodPost, Path: loginPath, Kind: vaultspaytest.FaultStatus,
			Status: http.StatusTooManyRequests, Body: `{"code":1005,"message":"Too many requests.","type":"THROTTLE"}`, Times: 10}))
		c := detecting(srv)
		err := c.Login(ctx)
		assert.ErrorIs(t, err, vaultspay.ErrThrottled)
		assert.Len(t, loginStatuses(srv), 3) // the first attempt and fastRetries' two retries, one candidate
	})
}

// TestDetectUndecryptableAnswer: an answer that cannot be opened counts as a refused envelope.
func TestDetectUndecryptableAnswer(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	require.NoError(t, srv.InjectFault(vaultspaytest.Fault{Method: http.MethodPost, Path: loginPath, Kind: vaultspaytest.FaultCorruptCiphertext}))
	c := detecting(srv)
	err := c.Login(context.Background())
	var we *vaultspay.WireProfileError
	require.ErrorAs(t, err, &we)
	assert.ErrorIs(t, we.Tried[0].Err, vaultspay.ErrUndecryptable)
	assert.Contains(t, err.Error(), "could not be decrypted")

	// Nothing was pinned: the next login detects afresh and finds the default at once.
	require.NoError(t, c.Login(context.Background()))
	assert.Equal(t, srv.WireProfile(), c.WireProfile())
}

// TestDetectOneFlight: many goroutines calling while nothing is pinned share one detection.
func TestDetectOneFlight(t *testing.T) {
	t.Parallel()
	p := vaultspay.WireProfile{KeyWrap: vaultspay.KeyWrapOAEPSHA256MGF1SHA1, Body: vaultspay.BodyBase64Text}
	srv := newFake(t, vaultspaytest.WithWireProfile(p))
	c := detecting(srv)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Ping(context.Background())
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	n, _ := p.Normalize()
	assert.Len(t, loginStatuses(srv), candidateIndex(t, n)+1)
	assert.Equal(t, 64, srv.CountRequests(http.MethodGet, pingPath))
}

// TestDetectNeverOutsideLogin: a call other than login refused with 1018 is not repeated under
// another profile, before or after detection.
func TestDetectNeverOutsideLogin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := newFake(t, vaultspaytest.WithWireProfile(vaultspay.WireProfile{KeyWrap: vaultspay.KeyWrapOAEPSHA1}))
	c := detecting(srv)
	_, err := c.Ping(ctx, vaultspay.WithoutAccessToken()) // no login: the default profile, refused
	assert.ErrorIs(t, err, vaultspay.ErrInvalidHeaders)
	assert.Equal(t, 1, srv.CountRequests(http.MethodGet, pingPath))
	assert.Empty(t, loginStatuses(srv))

	require.NoError(t, c.Login(ctx))
	require.NoError(t, srv.InjectFault(vaultspaytest.Fault{Method: http.MethodGet, Path: pingPath, Kind: vaultspaytest.FaultStatus,
		Status: http.StatusInternalServerError, Body: `{"code":1018,"message":"Invalid HTTP headers.","type":"INVALID_HEADERS"}`}))
	logins := len(loginStatuses(srv))
	_, err = c.Ping(ctx)
	assert.ErrorIs(t, err, vaultspay.ErrInvalidHeaders)
	assert.Equal(t, 2, srv.CountRequests(http.MethodGet, pingPath))
	assert.Len(t, loginStatuses(srv), logins)
}

// TestDetectStagedLoginRefusal: a server that refuses every login with 1018 while ping opens the
// envelope: every candidate is tried and refused, and the unauthenticated ping still passes.
func TestDetectStagedLoginRefusal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := newFake(t, vaultspaytest.WithLoginRefused())
	c := detecting(srv)
	msg, err := c.Ping(ctx, vaultspay.WithoutAccessToken())
	require.NoError(t, err)
	assert.Equal(t, vaultspay.PingMessage, msg)
	err = c.Login(ctx)
	assert.ErrorIs(t, err, vaultspay.ErrWireProfileNotFound)
	assert.Len(t, loginStatuses(srv), len(vaultspay.WireProfileCandidates()))

	// Refusing one profile only: the fake speaks the default, refuses it on login; nothing else opens.
	srv2 := newFake(t, vaultspaytest.WithLoginRefused(vaultspay.WireProfile{KeyWrap: vaultspay.KeyWrapOAEPSHA1}))
	require.NoError(t, detecting(srv2).Login(ctx)) // another profile's refusal does not touch the default
}
