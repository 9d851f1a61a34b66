package vaultspaytest

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// faultJSON is the /_fake/faults body for f, with the keys written from 00-conventions §14 rather than
// from Fault's struct tags.
func faultJSON(f Fault) map[string]any {
	m := map[string]any{"method": f.Method, "path": f.Path, "fault": string(f.Kind)}
	if f.Status != 0 {
		m["status"] = f.Status
	}
	if f.Body != "" {
		m["body"] = f.Body
	}
	if f.MS != 0 {
		m["ms"] = f.MS
	}
	if f.Times != 0 {
		m["times"] = f.Times
	}
	return m
}

// injectors arm a fault through the Go method and through the control route.
var injectors = []struct {
	name   string
	inject func(t *testing.T, srv *Server, f Fault)
}{
	{"InjectFault", func(t *testing.T, srv *Server, f Fault) { require.NoError(t, srv.InjectFault(f)) }},
	{"route", func(t *testing.T, srv *Server, f Fault) {
		status, raw := control(t, srv, http.MethodPost, "/_fake/faults", faultJSON(f))
		require.Equal(t, http.StatusOK, status, "body %s", raw)
	}},
}

// sendRaw sends g and returns the response (body unread) or the transport error.
func sendRaw(t *testing.T, srv *Server, g *golden) (*http.Response, error) {
	t.Helper()
	res, err := httpClient(t).Do(g.request(t, srv.URL))
	if err == nil {
		t.Cleanup(func() { _ = res.Body.Close() })
	}
	return res, err
}

func loginGolden(t *testing.T, srv *Server) *golden {
	return sealGolden(t, srv, http.MethodPost, pathLogin, mustJSON(t, loginBody(srv)))
}

func lastRecord(t *testing.T, srv *Server) RequestRecord {
	t.Helper()
	reqs := srv.Requests()
	require.NotEmpty(t, reqs)
	return reqs[len(reqs)-1]
}

func TestFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault func(srv *Server) Fault
		run   func(t *testing.T, srv *Server)
	}{
		{
			name: "status with body",
			fault: func(*Server) Fault {
				return Fault{Method: "POST", Path: pathLogin, Kind: FaultStatus, Status: 429, Body: `{"code":1005}`}
			},
			run: func(t *testing.T, srv *Server) {
				res, raw := do(t, loginGolden(t, srv).request(t, srv.URL))
				assert.Equal(t, http.StatusTooManyRequests, res.StatusCode)
				assert.Equal(t, `{"code":1005}`, string(raw), "sent as is, plain")
				assert.Empty(t, res.Header.Get("x-session-nonce"))
				assert.Zero(t, tokenCount(srv, accessToken), "handler not run")
				assert.Equal(t, 429, lastRecord(t, srv).Status)
				assert.NotEmpty(t, login(t, srv).AccessToken, "applies once by default")
			},
		},
		{
			name:  "status without body",
			fault: func(*Server) Fault { return Fault{Method: "POST", Path: pathLogin, Kind: FaultStatus, Status: 503} },
			run: func(t *testing.T, srv *Server) {
				res, raw := do(t, loginGolden(t, srv).request(t, srv.URL))
				assert.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
				assert.Empty(t, raw)
				assert.Zero(t, tokenCount(srv, accessToken), "handler not run")
				assert.Equal(t, 503, lastRecord(t, srv).Status)
			},
		},
		{
			name:  "status before routing and envelope",
			fault: func(*Server) Fault { return Fault{Method: "GET", Path: "/nope", Kind: FaultStatus, Status: 502} },
			run: func(t *testing.T, srv *Server) {
				res, _ := do(t, plainRequest(t, http.MethodGet, srv.URL+"/nope", nil, nil))
				assert.Equal(t, http.StatusBadGateway, res.StatusCode, "not 404: faults act before routing")
			},
		},
		{
			name:  "delay",
			fault: func(*Server) Fault { return Fault{Method: "POST", Path: pathLogin, Kind: FaultDelay, MS: 30} },
			run: func(t *testing.T, srv *Server) {
				start := time.Now()
				a := loginGolden(t, srv).send(t, srv)
				assert.GreaterOrEqual(t, time.Since(start), 30*time.Millisecond)
				require.Equal(t, http.StatusOK, a.Status, "still answers")
				var tk tokens
				require.NoError(t, json.Unmarshal(a.Plain, &tk))
				assert.NotEmpty(t, tk.AccessToken)
			},
		},
		{
			name:  "reset before handler",
			fault: func(*Server) Fault { return Fault{Method: "POST", Path: pathLogin, Kind: FaultResetBeforeHandler} },
			run: func(t *testing.T, srv *Server) {
				_, err := sendRaw(t, srv, loginGolden(t, srv))
				require.Error(t, err, "connection error")
				assert.Zero(t, tokenCount(srv, accessToken)+tokenCount(srv, refreshToken), "no state change")
				assert.Equal(t, 0, lastRecord(t, srv).Status, "no answer sent")
				assert.NotEmpty(t, login(t, srv).AccessToken, "applies once")
			},
		},
		{
			name:  "reset after handler",
			fault: func(*Server) Fault { return Fault{Method: "POST", Path: pathRefresh, Kind: FaultResetAfterHandler} },
			run: func(t *testing.T, srv *Server) {
				tk := login(t, srv)
				require.Equal(t, 1, tokenCount(srv, accessToken))
				g := sealGolden(t, srv, http.MethodPost, pathRefresh, []byte(`{"refreshToken":"`+tk.RefreshToken+`"}`))
				_, err := sendRaw(t, srv, g)
				require.Error(t, err, "connection error")
				assert.Equal(t, 2, tokenCount(srv, accessToken), "the handler ran: a new access token was issued")
				rec := lastRecord(t, srv)
				assert.Equal(t, pathRefresh, rec.Path)
				assert.Equal(t, 0, rec.Status, "no answer sent")
			},
		},
		{
			name:  "truncate body",
			fault: func(*Server) Fault { return Fault{Method: "POST", Path: pathLogin, Kind: FaultTruncateBody} },
			run: func(t *testing.T, srv *Server) {
				res, err := sendRaw(t, srv, loginGolden(t, srv))
				require.NoError(t, err, "the header arrives")
				assert.Equal(t, http.StatusOK, res.StatusCode)
				require.Positive(t, res.ContentLength, "full length announced")
				got, err := io.ReadAll(res.Body)
				require.ErrorIs(t, err, io.ErrUnexpectedEOF)
				assert.Equal(t, res.ContentLength/2, int64(len(got)), "half the body is sent")
				assert.Equal(t, 1, tokenCount(srv, accessToken), "the handler ran")
			},
		},
		{
			name:  "corrupt ciphertext",
			fault: func(*Server) Fault { return Fault{Method: "POST", Path: pathLogin, Kind: FaultCorruptCiphertext} },
			run: func(t *testing.T, srv *Server) {
				g := loginGolden(t, srv)
				res, raw := do(t, g.request(t, srv.URL))
				assert.Equal(t, http.StatusOK, res.StatusCode)
				var form struct {
					EncryptedData *string `json:"encryptedData"`
				}
				require.NoError(t, json.Unmarshal(raw, &form), "still the encrypted form: %s", raw)
				require.NotNil(t, form.EncryptedData, "still the encrypted form: %s", raw)
				_, encrypted, err := g.open(res.Header, raw)
				assert.True(t, encrypted)
				require.Error(t, err)
				assert.Contains(t, err.Error(), "message authentication failed", "a GCM authentication error")
				assert.Equal(t, 1, tokenCount(srv, accessToken), "the handler ran")
			},
		},
		{
			name:  "corrupt ciphertext of an encrypted error",
			fault: func(*Server) Fault { return Fault{Method: "GET", Path: pathPing, Kind: FaultCorruptCiphertext} },
			run: func(t *testing.T, srv *Server) {
				g := sealGolden(t, srv, http.MethodGet, pathPing, nil).withAuth("Bearer nope")
				res, raw := do(t, g.request(t, srv.URL))
				assert.Equal(t, http.StatusBadRequest, res.StatusCode)
				_, encrypted, err := g.open(res.Header, raw)
				assert.True(t, encrypted)
				require.Error(t, err)
			},
		},
		{
			name:  "corrupt ciphertext leaves a plain answer alone",
			fault: func(*Server) Fault { return Fault{Method: "POST", Path: pathLogin, Kind: FaultCorruptCiphertext} },
			run: func(t *testing.T, srv *Server) {
				res, raw := do(t, plainRequest(t, http.MethodPost, srv.URL+pathLogin, plainHeaders(srv), mustJSON(t, loginBody(srv))))
				assert.Equal(t, http.StatusOK, res.StatusCode)
				var tk tokens
				require.NoError(t, json.Unmarshal(raw, &tk), "body %s", raw)
				assert.NotEmpty(t, tk.AccessToken)
			},
		},
		{
			name: "times 2",
			fault: func(*Server) Fault {
				return Fault{Method: "GET", Path: pathPing, Kind: FaultStatus, Status: 503, Times: 2}
			},
			run: func(t *testing.T, srv *Server) {
				for i, want := range []int{503, 503, 200, 200} {
					assert.Equal(t, want, ping(t, srv, "").Status, "ping %d", i+1)
				}
			},
		},
		{
			name:  "method is case-insensitive",
			fault: func(*Server) Fault { return Fault{Method: "pOsT", Path: pathLogin, Kind: FaultStatus, Status: 418} },
			run: func(t *testing.T, srv *Server) {
				res, _ := do(t, plainRequest(t, http.MethodGet, srv.URL+pathLogin, nil, nil))
				assert.Equal(t, http.StatusMethodNotAllowed, res.StatusCode, "another method does not match")
				res, _ = do(t, loginGolden(t, srv).request(t, srv.URL))
				assert.Equal(t, http.StatusTeapot, res.StatusCode)
			},
		},
		{
			name:  "path must match exactly",
			fault: func(*Server) Fault { return Fault{Method: "GET", Path: pathPing, Kind: FaultStatus, Status: 418} },
			run: func(t *testing.T, srv *Server) {
				for _, p := range []string{"/v1/ping/", "/v1/pin", "/V1/PING", "/v1"} {
					res, _ := do(t, plainRequest(t, http.MethodGet, srv.URL+p, nil, nil))
					assert.NotEqual(t, http.StatusTeapot, res.StatusCode, p)
				}
				// The query is not part of the path.
				res, _ := do(t, plainRequest(t, http.MethodGet, srv.URL+pathPing+"?x=1", nil, nil))
				assert.Equal(t, http.StatusTeapot, res.StatusCode)
			},
		},
	}
	for _, inj := range injectors {
		t.Run(inj.name, func(t *testing.T) {
			t.Parallel()
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					t.Parallel()
					srv := newTestServer(t)
					inj.inject(t, srv, tt.fault(srv))
					tt.run(t, srv)
				})
			}
		})
	}
}

// TestFaultsInOrder: two faults on one route apply in the order they were armed.
func TestFaultsInOrder(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	require.NoError(t, srv.InjectFault(Fault{Method: "GET", Path: pathPing, Kind: FaultStatus, Status: 501}))
	require.NoError(t, srv.InjectFault(Fault{Method: "GET", Path: pathPing, Kind: FaultStatus, Status: 502}))
	for _, want := range []int{501, 502, 200} {
		assert.Equal(t, want, ping(t, srv, "").Status)
	}
}

func TestInjectFaultInvalid(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, f := range []Fault{
		{Path: pathPing, Kind: FaultResetBeforeHandler},
		{Method: "GET", Kind: FaultResetBeforeHandler},
		{Method: "GET", Path: pathPing, Kind: "nope"},
		{Method: "GET", Path: pathPing, Kind: FaultStatus},
		{Method: "GET", Path: pathPing, Kind: FaultDelay, MS: -1},
		{Method: "GET", Path: pathPing, Kind: FaultTruncateBody, Times: -2},
	} {
		err := srv.InjectFault(f)
		assert.Error(t, err, "%+v", f)
	}
	assert.Empty(t, armedFaults(srv))
	assert.Equal(t, http.StatusOK, ping(t, srv, "").Status)
}

// TestDelayEndsWithTheClient: a delayed request whose client gives up ends without reaching the
// handler, so Close does not wait for the delay (the connection closing is the signal; no timing).
func TestDelayEndsWithTheClient(t *testing.T) {
	t.Parallel()
	for _, method := range []string{http.MethodPost, http.MethodGet} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			k, _ := testKeys(t)
			srv, err := NewUnstartedServer(WithRSAKey(k))
			require.NoError(t, err)
			closed := make(chan struct{}, 16)
			srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
				if st == http.StateClosed {
					closed <- struct{}{}
				}
			}
			require.NoError(t, srv.Start())
			t.Cleanup(srv.Close)

			path := pathLogin
			g := loginGolden(t, srv)
			if method == http.MethodGet {
				path, g = pathPing, sealGolden(t, srv, http.MethodGet, pathPing, nil)
			}
			require.NoError(t, srv.InjectFault(Fault{Method: method, Path: path, Kind: FaultDelay, MS: 600_000}))
			c := httpClient(t)
			c.Timeout = 100 * time.Millisecond
			_, err = c.Do(g.request(t, srv.URL))
			var ne interface{ Timeout() bool }
			require.True(t, errors.As(err, &ne) && ne.Timeout(), "client timeout, got %v", err)
			select {
			case <-closed:
			case <-time.After(30 * time.Second): // a guard, far below the 10-minute delay
				t.Fatal("the delayed request outlived its client")
			}
			assert.Zero(t, tokenCount(srv, accessToken))
			reqs := srv.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, 0, reqs[0].Status)
		})
	}
}
