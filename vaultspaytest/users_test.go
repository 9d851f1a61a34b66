package vaultspaytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const pathUsers = "/as/api/v1/users"

// apiCall sends plaintext (nil: no body) to path with tk's access token over the golden envelope.
func TestCreateUserAnswer(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	tk := login(t, srv)
	a := apiCall(t, srv, tk, http.MethodPost, pathUsers, []byte(`{"firstName":"khalid","lastName":"raza",
		"email":"khalidraza@gmail.com","countryCode":"92","phone":"3329465636","status":"ACTIVE","parentId":99}`))
	require.Equal(t, http.StatusOK, a.Status, "body %s", a.Plain)
	assert.True(t, a.Encrypted)
	// parentId is set from the caller (the app's agent, id 4), whatever is sent.
	assert.JSONEq(t, `{"data":{"id":601,"parentId":4,"userType":"USER","firstName":"khalid","lastName":"raza",
		"email":"khalidraza@gmail.com","username":"khalid.raza601","countryCode":"92","phone":"3329465636","status":"ACTIVE",
		"fullName":"khalid raza","phoneNumber":"923329465636","sessionId":null,
		"parent":{"id":4,"userType":"AGENT","firstName":"Default","lastName":"Agent","email":"default.agent@vaultspay.ae",
			"username":"default.agent","countryCode":"971","phone":"500000004","status":"ACTIVE","fullName":"Default Agent",
			"phoneNumber":"971500000004"}}}`, string(a.Plain))
	assert.Equal(t, 1, srv.State().Users)

	// A user by email only has null phone fields; ids go up by one.
	a = apiCall(t, srv, tk, http.MethodPost, pathUsers, []byte(`{"firstName":"Ada","lastName":"L","email":"ada@example.com","status":"PENDING"}`))
	require.Equal(t, http.StatusOK, a.Status, "body %s", a.Plain)
	var out struct {
		Data map[string]any `json:"data"`
	}
	require.NoError(t, json.Unmarshal(a.Plain, &out))
	assert.EqualValues(t, 602, out.Data["id"])
	assert.Equal(t, "PENDING", out.Data["status"])
	for _, k := range []string{"countryCode", "phone", "phoneNumber", "sessionId"} {
		assert.Contains(t, out.Data, k, "documented fields are always sent")
		assert.Nil(t, out.Data[k], "null when the user has none")
	}

	// The same email again (any case) is refused with 1010, and nothing is stored.
	a = apiCall(t, srv, tk, http.MethodPost, pathUsers, []byte(`{"firstName":"K","lastName":"R","email":"KhalidRaza@gmail.com","status":"ACTIVE"}`))
	assert.Equal(t, http.StatusInternalServerError, a.Status)
	var e apiErr
	require.NoError(t, json.Unmarshal(a.Plain, &e))
	assert.Equal(t, 1010, e.Code)
	assert.Equal(t, "BAD_REQUEST", e.Type)
	assert.Equal(t, 2, srv.State().Users)
}

func TestCreateUserInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		keys []string
	}{
		{"every field bad at once", `{"firstName":"","lastName":" ","email":"not-an-email","countryCode":"+92","phone":"12","status":"ACTIVE"}`,
			[]string{"countryCode", "email", "firstName", "lastName", "phone"}},
		{"a closed enum", `{"firstName":"a","lastName":"b","email":"a@b.co","status":"GONE"}`, []string{"status"}},
		{"neither email nor phone", `{"firstName":"a","lastName":"b","status":"ACTIVE"}`, []string{"email"}},
		{"phone without countryCode", `{"firstName":"a","lastName":"b","phone":"3329465636","status":"ACTIVE"}`, []string{"email"}},
		{"missing status", `{"firstName":"a","lastName":"b","email":"a@b.co"}`, []string{"status"}},
		{"empty object", `{}`, []string{"firstName", "lastName", "status"}},
		{"wrong JSON type", `{"firstName":1,"lastName":"b","email":"a@b.co","status":"ACTIVE"}`, []string{"firstName"}},
		{"cause 2: misnamed and missing at once", `{"firstname":"a","lastName":"b","email":"a@b.co","status":"ACTIVE"}`,
			[]string{"firstName", "firstname"}},
		{"not JSON", `firstName=a`, []string{"body"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t)
			a := apiCall(t, srv, login(t, srv), http.MethodPost, pathUsers, []byte(tt.body))
			e := requireAPIError(t, http.StatusUnprocessableEntity, 1000, a.Status, a.Plain)
			assert.Equal(t, tt.keys, e.keys(), "every bad field, in order")
			assert.Equal(t, 0, srv.State().Users, "nothing stored")
		})
	}
}

func TestLocationRoutes(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, WithClock(fixedClock))
	tk := login(t, srv)
	// list fetches path and returns its data array; these lists carry no pagination object.
	list := func(path string) []map[string]any {
		a := apiCall(t, srv, tk, http.MethodGet, path, nil)
		require.Equal(t, http.StatusOK, a.Status, "body %s", a.Plain)
		var out struct {
			Data       []map[string]any `json:"data"`
			Pagination *json.RawMessage `json:"pagination"`
		}
		require.NoError(t, json.Unmarshal(a.Plain, &out))
		assert.Nil(t, out.Pagination, "%s is not paginated", path)
		return out.Data
	}

	assert.Contains(t, list("/us/api/v1/countries"), map[string]any{"id": 167.0, "name": "Pakistan", "iso2": "PK", "iso3": "PAK",
		"phoneCode": "92", "capital": "Islamabad", "currency": "PKR", "currencySymbol": "₨", "region": "Asia",
		"latitude": "30.00000000", "longitude": "70.00000000", "nationality": "Pakistani", "createdAt": "2024-09-23T18:33:10.049+00:00"})
	states := list("/us/api/v1/states/167")
	assert.Contains(t, states, map[string]any{"id": 3172.0, "name": "Azad Kashmir", "latitude": "33.92590550",
		"longitude": "73.78103340", "countryId": 167.0}, "the spec's example state")
	for _, s := range states {
		assert.Equal(t, 167.0, s["countryId"])
	}
	cities := list("/us/api/v1/cities/3169")
	require.Len(t, cities, 1)
	assert.Equal(t, "Islamabad", cities[0]["name"])
	assert.Equal(t, 85475.0, cities[0]["id"])

	for _, path := range []string{"/us/api/v1/states/9999", "/us/api/v1/cities/9999"} {
		assert.Empty(t, list(path), "%s: an unknown id has no entries", path)
		a := apiCall(t, srv, tk, http.MethodGet, path, nil)
		assert.JSONEq(t, `{"data":[]}`, string(a.Plain), "an empty list is [], not null")
	}
	for _, id := range []string{"0", "abc", "-3"} {
		a := apiCall(t, srv, tk, http.MethodGet, "/us/api/v1/states/"+id, nil)
		assert.Equal(t, http.StatusBadRequest, a.Status)
		assert.JSONEq(t, `{"code":1401,"message":"Invalid or missing countryId parameter.","type":"BAD_REQUEST"}`, string(a.Plain), id)
	}
}

func TestControlKYCStatus(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	tk := login(t, srv)
	a := apiCall(t, srv, tk, http.MethodPost, pathUsers, []byte(`{"firstName":"a","lastName":"b","email":"a@b.co","status":"ACTIVE"}`))
	require.Equal(t, http.StatusOK, a.Status, "body %s", a.Plain)
	kycStatus := func() string {
		a := apiCall(t, srv, tk, http.MethodGet, "/us/api/v1/kyc/601", nil)
		require.Equal(t, http.StatusOK, a.Status, "body %s", a.Plain)
		var out struct {
			Data struct {
				Status string `json:"status"`
			} `json:"data"`
		}
		require.NoError(t, json.Unmarshal(a.Plain, &out))
		return out.Data.Status
	}
	require.Equal(t, "PENDING", kycStatus(), "a new user starts PENDING")

	tests := []struct {
		name   string
		userID string
		body   any
		status int
		code   int
		key    string
	}{
		{"unknown user", "999", `{"status":"VERIFIED"}`, http.StatusBadRequest, 1010, ""},
		{"user id not a number", "abc", `{"status":"VERIFIED"}`, http.StatusBadRequest, 1010, ""},
		{"unknown status", "601", `{"status":"APPROVED"}`, http.StatusUnprocessableEntity, 1000, "status"},
		{"lower-case status", "601", `{"status":"verified"}`, http.StatusUnprocessableEntity, 1000, "status"},
		{"missing status", "601", `{}`, http.StatusUnprocessableEntity, 1000, "status"},
		{"no body", "601", nil, http.StatusUnprocessableEntity, 1000, "status"},
		{"not JSON", "601", `status=VERIFIED`, http.StatusUnprocessableEntity, 1000, "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, raw := control(t, srv, http.MethodPost, "/_fake/kyc/"+tt.userID+"/status", tt.body)
			e := requireAPIError(t, tt.status, tt.code, status, raw)
			if tt.key != "" {
				assert.Equal(t, []string{tt.key}, e.keys())
			}
		})
	}
	assert.Equal(t, "PENDING", kycStatus(), "no refused request changed the status")

	for _, s := range []string{"VERIFIED", "REJECTED", "PENDING"} {
		status, raw := control(t, srv, http.MethodPost, "/_fake/kyc/601/status", map[string]string{"status": s})
		require.Equal(t, http.StatusOK, status, "body %s", raw)
		assert.JSONEq(t, fmt.Sprintf(`{"data":{"userId":601,"status":%q}}`, s), string(raw))
		assert.Equal(t, s, kycStatus())
	}
}
