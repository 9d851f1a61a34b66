package vaultspaytest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestControlClockAdvance(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, WithClock(fixedClock))
	status, raw := control(t, srv, http.MethodPost, "/_fake/clock/advance", `{"seconds": 3600}`)
	require.Equal(t, http.StatusOK, status, "body %s", raw)
	assert.JSONEq(t, `{"data":{"now":"2024-09-23T19:33:10.049+00:00"}}`, string(raw))
	assert.True(t, fixedNow.Add(time.Hour).Equal(srv.Now()), "Now() = %s", srv.Now())

	status, raw = control(t, srv, http.MethodPost, "/_fake/clock/advance", `{"seconds": 0.5}`)
	require.Equal(t, http.StatusOK, status, "body %s", raw)
	assert.True(t, fixedNow.Add(time.Hour+500*time.Millisecond).Equal(srv.Now()))

	// Moving the clock through the route expires tokens like Advance does.
	tk := login(t, srv)
	status, _ = control(t, srv, http.MethodPost, "/_fake/clock/advance", map[string]any{"seconds": DefaultAccessTTL.Seconds()})
	require.Equal(t, http.StatusOK, status)
	a := ping(t, srv, "Bearer "+tk.AccessToken)
	requireAPIError(t, 401, 1003, a.Status, a.Plain)
}

func TestControlClockAdvanceInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body any // nil: no body
		key  string
	}{
		{"negative", `{"seconds": -1}`, "seconds"},
		{"missing", `{}`, "seconds"},
		{"null", `{"seconds": null}`, "seconds"},
		{"no body", nil, "seconds"},
		{"string", `{"seconds": "60"}`, "seconds"},
		{"not JSON", `seconds=60`, "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, WithClock(fixedClock))
			status, raw := control(t, srv, http.MethodPost, "/_fake/clock/advance", tt.body)
			e := requireAPIError(t, http.StatusUnprocessableEntity, 1000, status, raw)
			assert.Equal(t, []string{tt.key}, e.keys())
			assert.True(t, fixedNow.Equal(srv.Now()), "clock unchanged")
		})
	}
}

func TestAdvanceRefusesNegative(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, WithClock(fixedClock))
	require.Error(t, srv.Advance(-time.Second))
	assert.True(t, fixedNow.Equal(srv.Now()))
}

func TestControlFaults(t *testing.T) {
	t.Parallel()
	t.Run("valid", func(t *testing.T) {
		t.Parallel()
		srv := newTestServer(t)
		status, raw := control(t, srv, http.MethodPost, "/_fake/faults",
			`{"method": "POST", "path": "/tc/api/v1/direct-transfer", "fault": "reset-after-handler", "times": 1}`)
		require.Equal(t, http.StatusOK, status, "body %s", raw)
		var out struct {
			Data map[string]any `json:"data"`
		}
		require.NoError(t, json.Unmarshal(raw, &out))
		assert.Equal(t, "POST", out.Data["method"])
		assert.Equal(t, "/tc/api/v1/direct-transfer", out.Data["path"])
		assert.Equal(t, "reset-after-handler", out.Data["fault"])
		assert.Len(t, armedFaults(srv), 1)
	})
	invalid := []struct {
		name, body string
		key        string
	}{
		{"unknown kind", `{"method":"GET","path":"/v1/ping","fault":"explode"}`, "fault"},
		{"missing kind", `{"method":"GET","path":"/v1/ping"}`, "fault"},
		{"missing method", `{"path":"/v1/ping","fault":"reset-before-handler"}`, "method"},
		{"relative path", `{"method":"GET","path":"v1/ping","fault":"reset-before-handler"}`, "fault"},
		{"status without status", `{"method":"GET","path":"/v1/ping","fault":"status"}`, "fault"},
		{"status out of range", `{"method":"GET","path":"/v1/ping","fault":"status","status":700}`, "fault"},
		{"delay without ms", `{"method":"GET","path":"/v1/ping","fault":"delay"}`, "fault"},
		{"negative times", `{"method":"GET","path":"/v1/ping","fault":"truncate-body","times":-1}`, "times"},
		{"not JSON", `fault=delay`, "body"},
	}
	for _, tt := range invalid {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t)
			status, raw := control(t, srv, http.MethodPost, "/_fake/faults", tt.body)
			e := requireAPIError(t, http.StatusUnprocessableEntity, 1000, status, raw)
			assert.Equal(t, []string{tt.key}, e.keys())
			assert.Empty(t, armedFaults(srv))
		})
	}
}

func armedFaults(srv *Server) []faultRule {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	var out []faultRule
	for _, f := range srv.faults {
		out = append(out, *f)
	}
	return out
}

func TestControlRequests(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, WithClock(fixedClock))
	status, raw := control(t, srv, http.MethodGet, "/_fake/requests", nil)
	require.Equal(t, http.StatusOK, status)
	assert.JSONEq(t, `{"data":[]}`, string(raw), "an empty log is an empty list")

	tk := login(t, srv)
	control(t, srv, http.MethodGet, "/_fake/state", nil) // not logged
	require.NoError(t, srv.Advance(time.Minute))
	g := sealGolden(t, srv, http.MethodGet, pathPing+"?verbose=1&x=2", nil).withAuth("Bearer " + tk.AccessToken)
	assert.Equal(t, http.StatusOK, g.send(t, srv).Status)
	control(t, srv, http.MethodPost, "/_fake/clock/advance", `{"seconds":60}`) // not logged
	res, _ := do(t, plainRequest(t, http.MethodDelete, srv.URL+"/nope?a=b", nil, nil))
	require.Equal(t, http.StatusNotFound, res.StatusCode)

	status, raw = control(t, srv, http.MethodGet, "/_fake/requests", nil)
	require.Equal(t, http.StatusOK, status, "body %s", raw)
	var out struct {
		Data []map[string]json.RawMessage `json:"data"`
	}
	require.NoError(t, json.Unmarshal(raw, &out), "body %s", raw)
	require.Len(t, out.Data, 3, "API requests only: %s", raw)
	want := []struct {
		method, path string
		status       int
		at           time.Time
	}{
		{"POST", pathLogin, 200, fixedNow},
		{"GET", pathPing, 200, fixedNow.Add(time.Minute)},
		{"DELETE", "/nope", 404, fixedNow.Add(2 * time.Minute)},
	}
	for i, w := range want {
		rec := out.Data[i]
		assert.ElementsMatch(t, []string{"method", "path", "status", "time"}, keysOf(rec), "record %d", i)
		var (
			method, path string
			status       int
			at           time.Time
		)
		require.NoError(t, json.Unmarshal(rec["method"], &method))
		require.NoError(t, json.Unmarshal(rec["path"], &path))
		require.NoError(t, json.Unmarshal(rec["status"], &status))
		require.NoError(t, json.Unmarshal(rec["time"], &at))
		assert.Equal(t, w.method, method, "record %d", i)
		assert.Equal(t, w.path, path, "record %d: no query", i)
		assert.Equal(t, w.status, status, "record %d", i)
		assert.True(t, w.at.Equal(at), "record %d: time %s, want %s (the fake's clock)", i, at, w.at)
	}
	assert.Equal(t, 1, srv.CountRequests("GET", pathPing))
	assert.Equal(t, 0, srv.CountRequests("GET", "/_fake/requests"))
}

func TestControlState(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	login(t, srv)
	status, raw := control(t, srv, http.MethodGet, "/_fake/state", nil)
	require.Equal(t, http.StatusOK, status, "body %s", raw)
	var out map[string]map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(raw, &out), "body %s", raw)
	require.Len(t, out, 1)
	data, ok := out["data"]
	require.True(t, ok, "body %s", raw)
	assert.ElementsMatch(t,
		[]string{"users", "accounts", "paymentContacts", "transfers", "transactions", "cards", "webhookDeliveries"},
		keysOf(data))
	for k, v := range data {
		var n int
		assert.NoError(t, json.Unmarshal(v, &n), "%s is an integer: %s", k, v)
		assert.GreaterOrEqual(t, n, 0, k)
	}
	var counts StateCounts
	require.NoError(t, json.Unmarshal(mustJSON(t, data), &counts))
	assert.Equal(t, srv.State(), counts)
}

func TestControlReset(t *testing.T) {
	t.Parallel()
	for _, viaRoute := range []bool{true, false} {
		name := "Reset method"
		if viaRoute {
			name = "route"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, WithClock(fixedClock))
			tk := login(t, srv)
			require.NoError(t, srv.Advance(time.Hour))
			require.NoError(t, srv.InjectFault(Fault{Method: "GET", Path: pathPing, Kind: FaultStatus, Status: 503}))
			before := struct{ id, secret, app, key string }{srv.ClientID(), srv.ClientSecret(), srv.AppID(), srv.PublicKeyBase64()}

			if viaRoute {
				status, raw := control(t, srv, http.MethodPost, "/_fake/reset", nil)
				require.Equal(t, http.StatusOK, status, "body %s", raw)
				assert.True(t, bytes.HasPrefix(raw, []byte(`{"data":{`)), "body %s", raw)
			} else {
				srv.Reset()
			}

			assert.True(t, fixedNow.Equal(srv.Now()), "clock offset cleared")
			assert.Empty(t, srv.Requests(), "log cleared")
			assert.Empty(t, armedFaults(srv), "faults cleared")
			assert.Zero(t, tokenCount(srv, accessToken)+tokenCount(srv, refreshToken), "tokens cleared")
			assert.Equal(t, StateCounts{}, srv.State())

			a := ping(t, srv, "Bearer "+tk.AccessToken) // no 503: the fault is gone
			requireAPIError(t, http.StatusBadRequest, 1036, a.Status, a.Plain)
			a = sealGolden(t, srv, http.MethodPost, pathRefresh, []byte(`{"refreshToken":"`+tk.RefreshToken+`"}`)).send(t, srv)
			requireAPIError(t, http.StatusBadRequest, 1036, a.Status, a.Plain)

			after := struct{ id, secret, app, key string }{srv.ClientID(), srv.ClientSecret(), srv.AppID(), srv.PublicKeyBase64()}
			assert.Equal(t, before, after, "same keys and credentials")
			assert.NotEmpty(t, login(t, srv).AccessToken)
			assert.Len(t, srv.Requests(), 3)
		})
	}
}

func TestControlUnknownRoute(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, r := range []struct{ method, path string }{
		{http.MethodGet, "/_fake/nope"},
		{http.MethodGet, "/_fake/clock/advance"},
		{http.MethodPost, "/_fake/state"},
	} {
		status, raw := control(t, srv, r.method, r.path, nil)
		assert.Equal(t, http.StatusNotFound, status, "%s %s", r.method, r.path)
		assert.JSONEq(t, badRequestBody, string(raw), "%s %s", r.method, r.path)
	}
	assert.Empty(t, srv.Requests())
}
