package vaultspaytest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
)

func TestPathID(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		value string
		want  vaultspay.ID
		ok    bool
	}{{"604", 604, true}, {"0", 0, false}, {"-1", 0, false}, {"abc", 0, false}, {"", 0, false}} {
		hr := httptest.NewRequest(http.MethodGet, "/x", nil)
		hr.SetPathValue("countryId", tt.value)
		got, err := pathID(&request{Request: hr}, "countryId", vaultspay.CodeInvalidCountryID)
		if tt.ok {
			require.NoError(t, err, tt.value)
			assert.Equal(t, tt.want, got)
			continue
		}
		e, ok := err.(*apiError)
		require.True(t, ok, tt.value)
		assert.Equal(t, http.StatusBadRequest, e.status)
		assert.Equal(t, vaultspay.CodeInvalidCountryID, e.Code)
		assert.Equal(t, "Invalid or missing countryId parameter.", e.Message)
	}
}

func TestPaginate(t *testing.T) {
	t.Parallel()
	items := make([]int, 45)
	for i := range items {
		items[i] = i + 1
	}
	for _, tt := range []struct {
		query             string
		first, n          int
		page, per, totalP int
	}{
		{"", 1, 20, 1, 20, 3},
		{"?page=3", 41, 5, 3, 20, 3},
		{"?page=2&perPage=10", 11, 10, 2, 10, 5},
		{"?page=9", 0, 0, 9, 20, 3},
		{"?perPage=1000", 1, 45, 1, 100, 1},
	} {
		v, err := paginate(&request{Request: httptest.NewRequest(http.MethodGet, "/x"+tt.query, nil)}, items)
		require.NoError(t, err, tt.query)
		p := v.(page)
		data := p.Data.([]int)
		require.Len(t, data, tt.n, tt.query)
		if tt.n > 0 {
			assert.Equal(t, tt.first, data[0], tt.query)
		}
		assert.NotNil(t, data, "an empty page is [], not null")
		assert.Equal(t, vaultspay.Pagination{CurrentPage: tt.page, PerPage: tt.per, TotalPages: tt.totalP, TotalCount: 45,
			Sort: "id: DESC"}, *p.Pagination, tt.query)
	}
	_, err := paginate(&request{Request: httptest.NewRequest(http.MethodGet, "/x?page=0&perPage=x", nil)}, items)
	e, ok := err.(*apiError)
	require.True(t, ok)
	assert.Equal(t, vaultspay.CodeInvalidPayload, e.Code)
	assert.Len(t, e.Errors, 2)
}
