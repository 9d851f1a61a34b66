package vaultspay

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Wire tests of the users and KYC services (shared/api/20-users-kyc.md). The spec's JSON examples live
// verbatim in testdata/spec/users/. Examples the stored vendor pages cut off are not valid JSON and
// are not stored whole:
//   - create-user 200 response: ends inside parent.username; no complete object inside it, nothing kept.
//   - list-cities 200 response: ends inside data[0].country; no complete object inside it, nothing kept.
//   - create-address 200 response: ends at postalCode; its complete country, state and city objects are
//     kept as create-address.response.{country,state,city}.json (they decode into NamedRef), and
//     update-address.response.json is the complete example of the same Address object.
// The wire rows for those endpoints answer a completed body built from the spec's field tables.

// invalidRow is a call that must fail client-side validation naming keys, with nothing sent.
type invalidRow struct {
	name string
	call func(ctx context.Context, c *Client) error
	keys []string
}

func runInvalidRows(t *testing.T, rows []invalidRow) {
	t.Helper()
	for _, tt := range rows {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt, rec := newWireClient(t)
			err := tt.call(context.Background(), c)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.ErrorIs(t, err, ErrValidation)
			assert.ErrorIs(t, err, ErrInvalidPayload)
			keys := make([]string, len(ve.Errors))
			for i, f := range ve.Errors {
				keys[i] = f.Key
				assert.NotEmpty(t, f.Reason, "key %s", f.Key)
				assert.Contains(t, err.Error(), f.Key)
			}
			assert.ElementsMatch(t, tt.keys, keys)
			assert.Equal(t, 0, mt.GetTotalCallCount(), "nothing sent")
			assert.Empty(t, rec.all(), "nothing sent")
		})
	}
}

// createUserReply completes the truncated create-user example with every field of its table.
const createUserReply = `{"data":{"id":604,"parentId":4,"sessionId":null,"firstName":"khalid","lastName":"raza",
"parent":{"id":4,"firstName":"Default","lastName":"Agent","userType":"AGENT","email":"default.agent@vaultspay.ae",
"username":"default.agent","countryCode":"971","phone":"500000004","status":"ACTIVE","fullName":"Default Agent",
"phoneNumber":"971500000004"},
"userType":"USER","email":"khalidraza@gmail.com","username":"khalid.raza604","countryCode":"92","phone":"3329465636",
"status":"ACTIVE","fullName":"khalid raza","phoneNumber":"923329465636"}}`

// pakistanJSON is the country object of the cities example, completed from its table.
const pakistanJSON = `{"createdAt":"2025-01-21T14:13:39.716+00:00","id":167,"name":"Pakistan","iso2":"PK","phoneCode":"92",
"capital":"Islamabad","currency":"PKR","currencySymbol":"₨","region":"Asia","latitude":"30.00000000",
"longitude":"70.00000000","nationality":"Pakistani"}`

const citiesReply = `{"data":[{"id":85475,"name":"Islamabad","latitude":"33.72148000","longitude":"73.04329000",
"country":` + pakistanJSON + `,"state":{"id":3169,"name":"Islamabad Capital Territory","latitude":"33.72049970",
"longitude":"73.04052770","country":` + pakistanJSON + `}}]}`

func TestUsersWire(t *testing.T) {
	t.Parallel()
	runWireCases(t, []wireCase{
		{
			name: "Create", method: http.MethodPost, path: "/as/api/v1/users",
			body:   usersGolden(t, "create-user.request.json"),
			answer: []byte(createUserReply),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Users.Create(ctx, &CreateUserRequest{FirstName: "khalid", LastName: "raza", Email: "khalidraza@gmail.com",
					CountryCode: "92", Phone: "3329465636", Status: UserStatusActive})
			},
			check: func(t *testing.T, got any) {
				u := got.(*User)
				assert.Equal(t, ID(604), u.ID)
				assert.Equal(t, ID(4), u.ParentID)
				assert.Nil(t, u.SessionID)
				require.NotNil(t, u.Parent)
				assert.Equal(t, ID(4), u.Parent.ID)
				assert.Equal(t, UserTypeAgent, u.Parent.UserType)
				assert.Equal(t, "default.agent", u.Parent.Username)
				assert.Equal(t, "Default Agent", u.Parent.FullName)
				assert.Equal(t, UserTypeUser, u.UserType)
				assert.Equal(t, "khalid.raza604", u.Username)
				assert.Equal(t, UserStatusActive, u.Status)
				assert.Equal(t, "khalid raza", u.FullName)
				assert.Equal(t, "923329465636", u.PhoneNumber)
				assert.JSONEq(t, createUserReply[len(`{"data":`):len(createUserReply)-1], string(u.RawJSON()))
			},
		},
		{
			name: "ListCountries", method: http.MethodGet, path: "/us/api/v1/countries",
			answer: []byte(`{"data":[` + pakistanJSON + `,{"id":1,"name":"Afghanistan","iso2":"AF","iso3":"AFG","phoneCode":"93"}]}`),
			call:   func(ctx context.Context, c *Client) (any, error) { return c.Users.ListCountries(ctx) },
			check: func(t *testing.T, got any) {
				cs := got.([]Country)
				require.Len(t, cs, 2)
				assert.Equal(t, ID(167), cs[0].ID)
				assert.Equal(t, "Pakistan", cs[0].Name)
				assert.Equal(t, "PK", cs[0].ISO2)
				assert.Equal(t, "₨", cs[0].CurrencySymbol)
				assert.Equal(t, Coordinate("30.00000000"), cs[0].Latitude)
				require.NotNil(t, cs[0].CreatedAt)
				assert.Equal(t, "AFG", cs[1].ISO3)
			},
		},
		{
			name: "ListStates", method: http.MethodGet, path: "/us/api/v1/states/167",
			answer: []byte(usersGolden(t, "list-states.response.json")),
			call:   func(ctx context.Context, c *Client) (any, error) { return c.Users.ListStates(ctx, 167) },
			check: func(t *testing.T, got any) {
				ss := got.([]State)
				require.Len(t, ss, 2)
				assert.Equal(t, ID(3172), ss[0].ID)
				assert.Equal(t, "Azad Kashmir", ss[0].Name)
				assert.Equal(t, Coordinate("33.92590550"), ss[0].Latitude, "decimal text kept exactly")
				assert.Equal(t, Coordinate("73.78103340"), ss[0].Longitude)
				assert.Equal(t, ID(167), ss[0].CountryID)
				assert.Equal(t, "Balochistan", ss[1].Name)
			},
		},
		{
			name: "ListCities", method: http.MethodGet, path: "/us/api/v1/cities/3169",
			answer: []byte(citiesReply),
			call:   func(ctx context.Context, c *Client) (any, error) { return c.Users.ListCities(ctx, 3169) },
			check: func(t *testing.T, got any) {
				cs := got.([]City)
				require.Len(t, cs, 1)
				assert.Equal(t, ID(85475), cs[0].ID)
				require.NotNil(t, cs[0].Country)
				assert.Equal(t, "PKR", cs[0].Country.Currency)
				require.NotNil(t, cs[0].State)
				assert.Equal(t, ID(3169), cs[0].State.ID)
				require.NotNil(t, cs[0].State.Country)
				assert.Equal(t, ID(167), cs[0].State.Country.ID)
			},
		},
	})
}

// TestUsersSpecExamples decodes every complete users example strictly.
func TestUsersSpecExamples(t *testing.T) {
	t.Parallel()
	t.Run("create-user request", func(t *testing.T) {
		var req CreateUserRequest
		require.NoError(t, decodeStrict(usersGolden(t, "create-user.request.json"), &req))
		assert.Equal(t, CreateUserRequest{FirstName: "khalid", LastName: "raza", Email: "khalidraza@gmail.com",
			CountryCode: "92", Phone: "3329465636", Status: UserStatusActive}, req)
		require.NoError(t, req.validate(), "the documented example passes client validation")
	})
	t.Run("list-states response", func(t *testing.T) {
		var out dataOf[[]State]
		require.NoError(t, decodeStrict(usersGolden(t, "list-states.response.json"), &out))
		require.Len(t, out.Data, 2)
		assert.Equal(t, ID(3174), out.Data[1].ID)
		assert.Equal(t, Coordinate("65.09577920"), out.Data[1].Longitude)
	})
	t.Run("list-states error", func(t *testing.T) {
		var body apiErrorBody
		require.NoError(t, decodeStrict(usersGolden(t, "list-states.error.json"), &body))
		assert.Equal(t, CodeInvalidCountryID, body.code())
	})
	t.Run("create-user completed response", func(t *testing.T) {
		var out dataOf[User]
		require.NoError(t, decodeStrict(createUserReply, &out), "every field of the create-user table is modelled")
	})
	t.Run("list-cities completed response", func(t *testing.T) {
		var out dataOf[[]City]
		require.NoError(t, decodeStrict(citiesReply, &out), "every field of the list-cities table is modelled")
	})
}

// TestListStatesDocumentedError: the documented 400 1401 answer becomes an *APIError.
func TestListStatesDocumentedError(t *testing.T) {
	t.Parallel()
	c, mt, rec := newWireClient(t)
	mt.RegisterResponder(http.MethodGet, wireBase+"/us/api/v1/states/99999", rec.reply(http.StatusBadRequest, usersGolden(t, "list-states.error.json")))

	_, err := c.Users.ListStates(context.Background(), 99999)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
	assert.Equal(t, CodeInvalidCountryID, apiErr.Code)
	assert.Equal(t, TypeBadRequest, apiErr.Type)
	assert.Equal(t, "Invalid or missing countryId parameter.", apiErr.Message)
	assert.ErrorIs(t, err, ErrBadRequest)
	assert.Len(t, rec.all(), 1, "a 400 with a code is an answer, not retried")
}

func TestIDDecodesNumberAndString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		json string
	}{
		{"numbers", `{"id":604,"parentId":4,"parent":{"id":4}}`},
		{"strings", `{"id":"604","parentId":"4","parent":{"id":"4"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var u User
			require.NoError(t, json.Unmarshal([]byte(tt.json), &u))
			assert.Equal(t, ID(604), u.ID)
			assert.Equal(t, ID(4), u.ParentID)
			require.NotNil(t, u.Parent)
			assert.Equal(t, ID(4), u.Parent.ID)
		})
	}
	var u User
	require.Error(t, json.Unmarshal([]byte(`{"id":"u-604"}`), &u), "a non-numeric id is refused")
}

func TestUsersValidation(t *testing.T) {
	t.Parallel()
	valid := func() *CreateUserRequest {
		return &CreateUserRequest{FirstName: "khalid", LastName: "raza", Email: "khalidraza@gmail.com", Status: UserStatusActive}
	}
	create := func(mod func(r *CreateUserRequest)) func(context.Context, *Client) error {
		return func(ctx context.Context, c *Client) error {
			r := valid()
			mod(r)
			_, err := c.Users.Create(ctx, r)
			return err
		}
	}
	long := string(bytes.Repeat([]byte("a"), 101))
	runInvalidRows(t, []invalidRow{
		{"create: missing firstName", create(func(r *CreateUserRequest) { r.FirstName = "" }), []string{"firstName"}},
		{"create: missing lastName", create(func(r *CreateUserRequest) { r.LastName = "" }), []string{"lastName"}},
		{"create: firstName too long", create(func(r *CreateUserRequest) { r.FirstName = long }), []string{"firstName"}},
		{"create: missing status", create(func(r *CreateUserRequest) { r.Status = "" }), []string{"status"}},
		{"create: unknown status", create(func(r *CreateUserRequest) { r.Status = "DELETED" }), []string{"status"}},
		{"create: neither email nor phone", create(func(r *CreateUserRequest) { r.Email = "" }), []string{"email"}},
		{"create: bad email", create(func(r *CreateUserRequest) { r.Email = "khalid.at.example" }), []string{"email"}},
		{"create: phone without countryCode", create(func(r *CreateUserRequest) { r.Phone = "3329465636" }), []string{"phone"}},
		{"create: countryCode with +", create(func(r *CreateUserRequest) { r.CountryCode, r.Phone = "+92", "3329465636" }), []string{"countryCode"}},
		{"create: phone not digits", create(func(r *CreateUserRequest) { r.CountryCode, r.Phone = "92", "332-946" }), []string{"phone"}},
		{"create: everything wrong at once", create(func(r *CreateUserRequest) { *r = CreateUserRequest{Status: "X"} }),
			[]string{"firstName", "lastName", "status", "email"}},
		{"states: countryId 0", func(ctx context.Context, c *Client) error { _, err := c.Users.ListStates(ctx, 0); return err }, []string{"countryId"}},
		{"states: negative countryId", func(ctx context.Context, c *Client) error { _, err := c.Users.ListStates(ctx, -1); return err }, []string{"countryId"}},
		{"cities: stateId 0", func(ctx context.Context, c *Client) error { _, err := c.Users.ListCities(ctx, 0); return err }, []string{"stateId"}},
	})

	t.Run("nil request", func(t *testing.T) {
		t.Parallel()
		c, mt, _ := newWireClient(t)
		_, err := c.Users.Create(context.Background(), nil)
		require.ErrorIs(t, err, ErrValidation)
		assert.Equal(t, 0, mt.GetTotalCallCount())
	})
}

// TestListCountriesHostilePaging: a countries list that never ends, or alternates two pages without
// page numbers, stops with an error after a bounded number of requests instead of growing for ever.
func TestListCountriesHostilePaging(t *testing.T) {
	t.Parallel()
	country := func(id int) string { return fmt.Sprintf(`{"id":%d,"name":"C%d","code":"C%02d"}`, id, id, id%100) }
	tests := []struct {
		name     string
		answer   func(n int) string
		opts     []RequestOption
		wantErr  error
		requests int
	}{
		{"never ends: page limit", func(n int) string {
			return fmt.Sprintf(`{"data":[%s],"pagination":{"currentPage":%d,"totalPages":999999}}`, country(n), n)
		}, []RequestOption{WithMaxPages(7)}, ErrPagingLimit, 7},
		{"alternates two pages without currentPage", func(n int) string {
			return fmt.Sprintf(`{"data":[%s],"pagination":{"totalPages":999999}}`, country(n%2))
		}, nil, ErrRepeatedPage, 3},
		{"never ends: item limit", func(n int) string {
			return fmt.Sprintf(`{"data":[%s,%s],"pagination":{"currentPage":%d,"totalPages":999999}}`, country(2*n), country(2*n+1), n)
		}, []RequestOption{WithMaxItems(5)}, ErrPagingLimit, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt, _ := setup(t)
			n := 0
			mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
				n++
				return httpmock.NewStringResponse(http.StatusOK, tt.answer(n)), nil
			})
			out, err := c.Users.ListCountries(context.Background(), tt.opts...)
			require.ErrorIs(t, err, tt.wantErr)
			assert.Nil(t, out)
			assert.Equal(t, tt.requests, mt.GetTotalCallCount())
		})
	}
}
