package vaultspay

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testAccountListOptions is a list options type as a service would declare it.
type testAccountListOptions struct {
	Status string `url:"status,omitempty"`
	ListOptions
}

// testAccount is a list item as a service model would declare it.
type testAccount struct {
	rawJSON
	ID   int    `json:"id"`
	Name string `json:"name"`
}

const accountsPath = "/be/api/v1/accounts"

// accountsFetcher is what a service's List method does for one page.
func accountsFetcher(c *Client) func(context.Context, *testAccountListOptions) (*Page[testAccount], error) {
	return func(ctx context.Context, o *testAccountListOptions) (*Page[testAccount], error) {
		path, err := withQuery(accountsPath, o)
		if err != nil {
			return nil, err
		}
		return listPage[testAccount](ctx, c, endpoint{op: opWalletsList, path: path}, nil)
	}
}

// pageAnswer is what the list server sends for one requested page: the body of the JSON answer.
type pageAnswer func(page, perPage int) string

// items renders ids as a JSON array of accounts.
func items(ids ...int) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf(`{"id":%d,"name":"acct-%d"}`, id, id)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// pagedAccounts serves total accounts, perPage per page, honouring page.
func pagedAccounts(total int) pageAnswer {
	return func(page, perPage int) string {
		pages := (total + perPage - 1) / perPage
		var ids []int
		for id := (page-1)*perPage + 1; id <= min(page*perPage, total); id++ {
			ids = append(ids, id)
		}
		return fmt.Sprintf(`{"data":%s,"pagination":{"currentPage":%d,"perPage":%d,"totalPages":%d,"totalCount":%d,"sort":"id: ASC"}}`,
			items(ids...), page, perPage, pages, total)
	}
}

func newListServer(t *testing.T, answer pageAnswer) *fakeAPI {
	t.Helper()
	return newFakeAPI(t, WireProfile{}, func(f *fakeAPI) {
		f.mux.HandleFunc("GET "+accountsPath, func(w http.ResponseWriter, r *http.Request) {
			q := r.URL.Query()
			page, _ := strconv.Atoi(q.Get("page"))
			perPage, _ := strconv.Atoi(q.Get("perPage"))
			if perPage == 0 {
				perPage = 20
			}
			body := answer(page, perPage)
			if strings.HasPrefix(body, "ERR ") {
				w.WriteHeader(http.StatusInternalServerError)
				body = strings.TrimPrefix(body, "ERR ")
			}
			_, _ = w.Write([]byte(body))
		})
	})
}

// walk collects every item and error an iteration yields; stopAfter > 0 breaks after that many items.
func walk(seq func(func(testAccount, error) bool), stopAfter int) (ids []int, errs []error) {
	for it, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, it.ID)
		if stopAfter > 0 && len(ids) == stopAfter {
			break
		}
	}
	return ids, errs
}

func pagesRequested(f *fakeAPI) []string {
	var out []string
	for _, r := range f.requestsTo(accountsPath) {
		out = append(out, r.Query)
	}
	return out
}

func TestIterate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		answer    pageAnswer
		opts      *testAccountListOptions
		limits    []RequestOption
		stopAfter int
		wantIDs   []int
		wantPages []string
		wantErr   error
	}{
		{
			name: "stops at the last page", answer: pagedAccounts(5), opts: &testAccountListOptions{ListOptions: ListOptions{PerPage: 2}},
			wantIDs: []int{1, 2, 3, 4, 5}, wantPages: []string{"page=1&perPage=2", "page=2&perPage=2", "page=3&perPage=2"},
		},
		{
			name: "exact multiple of perPage", answer: pagedAccounts(4), opts: &testAccountListOptions{ListOptions: ListOptions{PerPage: 2}},
			wantIDs: []int{1, 2, 3, 4}, wantPages: []string{"page=1&perPage=2", "page=2&perPage=2"},
		},
		{
			name: "nil options start at page 1 with the server's perPage", answer: pagedAccounts(3),
			wantIDs: []int{1, 2, 3}, wantPages: []string{"page=1"},
		},
		{
			name: "other query fields are kept on every page", answer: pagedAccounts(3),
			opts:    &testAccountListOptions{Status: "ACTIVE", ListOptions: ListOptions{PerPage: 2}},
			wantIDs: []int{1, 2, 3}, wantPages: []string{"page=1&perPage=2&status=ACTIVE", "page=2&perPage=2&status=ACTIVE"},
		},
		{
			name: "starts at the caller's page", answer: pagedAccounts(5), opts: &testAccountListOptions{ListOptions: ListOptions{Page: 2, PerPage: 2}},
			wantIDs: []int{3, 4, 5}, wantPages: []string{"page=2&perPage=2", "page=3&perPage=2"},
		},
		{
			name: "stops on an empty page",
			answer: func(page, perPage int) string {
				if page == 1 {
					return `{"data":` + items(1, 2) + `,"pagination":{"currentPage":1,"perPage":2,"totalPages":9,"totalCount":18}}`
				}
				return `{"data":[],"pagination":{"currentPage":2,"perPage":2,"totalPages":9,"totalCount":18}}`
			},
			opts: &testAccountListOptions{ListOptions: ListOptions{PerPage: 2}}, wantIDs: []int{1, 2},
			wantPages: []string{"page=1&perPage=2", "page=2&perPage=2"},
		},
		{
			name: "empty first page", answer: func(int, int) string { return `{"data":[],"pagination":{"currentPage":1,"totalPages":0}}` },
			wantPages: []string{"page=1"},
		},
		{
			name: "missing pagination is a single page", answer: func(int, int) string { return `{"data":` + items(7, 8, 9) + `}` },
			opts: &testAccountListOptions{ListOptions: ListOptions{PerPage: 2}}, wantIDs: []int{7, 8, 9}, wantPages: []string{"page=1&perPage=2"},
		},
		{
			name: "snake_case pagination with numeric strings",
			answer: func(page, perPage int) string {
				return fmt.Sprintf(`{"data":%s,"pagination":{"current_page":"%d","per_page":"2","total_pages":"2","total_count":"4"}}`,
					items(page*10+1, page*10+2), page)
			},
			opts: &testAccountListOptions{ListOptions: ListOptions{PerPage: 2}}, wantIDs: []int{11, 12, 21, 22},
			wantPages: []string{"page=1&perPage=2", "page=2&perPage=2"},
		},
		{
			name: "server repeats page 1: ErrRepeatedPage once",
			answer: func(int, int) string {
				return `{"data":` + items(1, 2) + `,"pagination":{"currentPage":1,"perPage":2,"totalPages":3,"totalCount":6}}`
			},
			opts: &testAccountListOptions{ListOptions: ListOptions{PerPage: 2}}, wantIDs: []int{1, 2},
			wantPages: []string{"page=1&perPage=2", "page=2&perPage=2"}, wantErr: ErrRepeatedPage,
		},
		{
			name: "same items under a new page number: ErrRepeatedPage once",
			answer: func(page, _ int) string {
				return fmt.Sprintf(`{"data":%s,"pagination":{"currentPage":%d,"perPage":2,"totalPages":3,"totalCount":6}}`, items(1, 2), page)
			},
			opts: &testAccountListOptions{ListOptions: ListOptions{PerPage: 2}}, wantIDs: []int{1, 2},
			wantPages: []string{"page=1&perPage=2", "page=2&perPage=2"}, wantErr: ErrRepeatedPage,
		},
		{
			name: "two pages alternating without currentPage: ErrRepeatedPage on the third",
			answer: func(page, _ int) string {
				ids := items(1, 2)
				if page%2 == 0 {
					ids = items(3, 4)
				}
				return `{"data":` + ids + `,"pagination":{"perPage":2,"totalPages":1000000}}`
			},
			opts: &testAccountListOptions{ListOptions: ListOptions{PerPage: 2}}, wantIDs: []int{1, 2, 3, 4},
			wantPages: []string{"page=1&perPage=2", "page=2&perPage=2", "page=3&perPage=2"}, wantErr: ErrRepeatedPage,
		},
		{
			name: "a list that never ends: the page limit stops it",
			answer: func(page, _ int) string {
				return fmt.Sprintf(`{"data":%s,"pagination":{"currentPage":%d,"perPage":1,"totalPages":1000000}}`, items(page), page)
			},
			opts: &testAccountListOptions{ListOptions: ListOptions{PerPage: 1}}, limits: []RequestOption{WithMaxPages(3)},
			wantIDs: []int{1, 2, 3}, wantPages: []string{"page=1&perPage=1", "page=2&perPage=1", "page=3&perPage=1"}, wantErr: ErrPagingLimit,
		},
		{
			name: "the item limit stops a walk mid-page", answer: pagedAccounts(50),
			opts: &testAccountListOptions{ListOptions: ListOptions{PerPage: 4}}, limits: []RequestOption{WithMaxItems(6)},
			wantIDs: []int{1, 2, 3, 4, 5, 6}, wantPages: []string{"page=1&perPage=4", "page=2&perPage=4"}, wantErr: ErrPagingLimit,
		},
		{
			name: "limits met exactly by the list's end are no error", answer: pagedAccounts(6),
			opts: &testAccountListOptions{ListOptions: ListOptions{PerPage: 3}}, limits: []RequestOption{WithMaxItems(6), WithMaxPages(2)},
			wantIDs: []int{1, 2, 3, 4, 5, 6}, wantPages: []string{"page=1&perPage=3", "page=2&perPage=3"},
		},
		{
			name: "an API error ends the walk after one yield",
			answer: func(page, perPage int) string {
				if page == 2 {
					return `ERR {"code":1010,"message":"Invalid request.","type":"BAD_REQUEST"}`
				}
				return pagedAccounts(6)(page, perPage)
			},
			opts: &testAccountListOptions{ListOptions: ListOptions{PerPage: 2}}, wantIDs: []int{1, 2},
			wantPages: []string{"page=1&perPage=2", "page=2&perPage=2"}, wantErr: ErrBadRequest,
		},
		{
			name: "break stops fetching", answer: pagedAccounts(50), opts: &testAccountListOptions{ListOptions: ListOptions{PerPage: 5}},
			stopAfter: 7, wantIDs: []int{1, 2, 3, 4, 5, 6, 7}, wantPages: []string{"page=1&perPage=5", "page=2&perPage=5"},
		},
		{
			name: "break on the first item", answer: pagedAccounts(50), opts: &testAccountListOptions{ListOptions: ListOptions{PerPage: 5}},
			stopAfter: 1, wantIDs: []int{1}, wantPages: []string{"page=1&perPage=5"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newListServer(t, tt.answer)
			c := f.client(t, WithTokenSource(staticToken("tok")), WithRetryPolicy(fastRetry(0)))
			var before testAccountListOptions
			if tt.opts != nil {
				before = *tt.opts
			}
			ids, errs := walk(iterate[testAccount](context.Background(), c, tt.opts, tt.limits, accountsFetcher(c)), tt.stopAfter)
			assert.Equal(t, tt.wantIDs, ids)
			assert.Equal(t, tt.wantPages, pagesRequested(f))
			if tt.wantErr != nil {
				require.Len(t, errs, 1, "the error is yielded once")
				assert.ErrorIs(t, errs[0], tt.wantErr)
			} else {
				assert.Empty(t, errs)
			}
			if tt.opts != nil {
				assert.Equal(t, before, *tt.opts, "the caller's options are not changed")
			}
		})
	}
}

// TestPagingLimitsPerClient: the client's limits apply to every walk, a call's own replace them, and
// the error names the limit that stopped the walk.
func TestPagingLimitsPerClient(t *testing.T) {
	t.Parallel()
	f := newListServer(t, pagedAccounts(100))
	c := f.client(t, WithTokenSource(staticToken("tok")), WithPagingLimits(PagingLimits{MaxPages: 2}))
	opts := &testAccountListOptions{ListOptions: ListOptions{PerPage: 10}}
	ids, errs := walk(iterate[testAccount](context.Background(), c, opts, nil, accountsFetcher(c)), 0)
	assert.Len(t, ids, 20)
	require.Len(t, errs, 1)
	var pl *PagingLimitError
	require.ErrorAs(t, errs[0], &pl)
	assert.Equal(t, PagingLimitError{Limit: "pages", Max: 2, Pages: 2, Items: 20}, *pl)
	assert.Contains(t, errs[0].Error(), "past 2 pages")

	ids, errs = walk(iterate[testAccount](context.Background(), c, opts, []RequestOption{WithMaxPages(20)}, accountsFetcher(c)), 0)
	assert.Len(t, ids, 100)
	assert.Empty(t, errs)

	_, err := NewClient(WithPagingLimits(PagingLimits{MaxItems: -1}))
	assert.ErrorIs(t, err, ErrInvalidConfig)
}

func TestIterateCancelled(t *testing.T) {
	t.Parallel()
	f := newListServer(t, pagedAccounts(10))
	c := f.client(t, WithTokenSource(staticToken("tok")))
	opts := &testAccountListOptions{ListOptions: ListOptions{PerPage: 2}}

	// Cancelled before the walk: one error, no request.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ids, errs := walk(iterate[testAccount](ctx, c, opts, nil, accountsFetcher(c)), 0)
	assert.Empty(t, ids)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
	assert.Empty(t, pagesRequested(f))

	// Cancelled while the first page is consumed: the page finishes, then one error and no more requests.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	var got []int
	var gotErrs []error
	for it, err := range iterate[testAccount](ctx, c, opts, nil, accountsFetcher(c)) {
		if err != nil {
			gotErrs = append(gotErrs, err)
			continue
		}
		got = append(got, it.ID)
		cancel()
	}
	assert.Equal(t, []int{1, 2}, got)
	require.Len(t, gotErrs, 1)
	assert.ErrorIs(t, gotErrs[0], context.Canceled)
	assert.Equal(t, []string{"page=1&perPage=2"}, pagesRequested(f))
	assert.Equal(t, ListOptions{PerPage: 2}, opts.ListOptions)
}

func TestListPageKeepsRawJSON(t *testing.T) {
	t.Parallel()
	f := newListServer(t, func(int, int) string {
		return `{"data":[{"id":1,"name":"a","extra":{"nested":true}}],"pagination":{"currentPage":1,"totalPages":1}}`
	})
	c := f.client(t, WithTokenSource(staticToken("tok")))
	page, err := accountsFetcher(c)(context.Background(), &testAccountListOptions{})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.JSONEq(t, `{"id":1,"name":"a","extra":{"nested":true}}`, string(page.Items[0].RawJSON()))
	assert.False(t, page.HasNext())
	require.NotNil(t, page.Pagination)
	assert.Equal(t, 1, page.Pagination.TotalPages)

	// Items that do not decode are a malformed response.
	f2 := newListServer(t, func(int, int) string { return `{"data":[{"id":"one"}]}` })
	_, err = accountsFetcher(f2.client(t, WithTokenSource(staticToken("tok"))))(context.Background(), nil)
	require.ErrorIs(t, err, ErrMalformedResponse)
	assert.Contains(t, err.Error(), "item 0")
}

func TestPaginationDecoding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		json    string
		want    Pagination
		wantErr bool
	}{
		{
			name: "camelCase (documented)", json: `{"currentPage":1,"perPage":20,"totalPages":26,"totalCount":506,"sort":"id: DESC"}`,
			want: Pagination{CurrentPage: 1, PerPage: 20, TotalPages: 26, TotalCount: 506, Sort: "id: DESC"},
		},
		{
			name: "snake_case", json: `{"current_page":2,"per_page":10,"total_pages":3,"total_count":25}`,
			want: Pagination{CurrentPage: 2, PerPage: 10, TotalPages: 3, TotalCount: 25},
		},
		{
			name: "numeric strings", json: `{"currentPage":"3","perPage":"20","totalPages":"4","totalCount":"61"}`,
			want: Pagination{CurrentPage: 3, PerPage: 20, TotalPages: 4, TotalCount: 61},
		},
		{
			name: "snake_case numeric strings", json: `{"current_page":"1","per_page":"5","total_pages":"1","total_count":"5","sort":"createdAt: ASC"}`,
			want: Pagination{CurrentPage: 1, PerPage: 5, TotalPages: 1, TotalCount: 5, Sort: "createdAt: ASC"},
		},
		{name: "aliases page, pageSize, total", json: `{"page":4,"pageSize":7,"total":50}`, want: Pagination{CurrentPage: 4, PerPage: 7, TotalCount: 50}},
		{name: "nulls are zero", json: `{"currentPage":null,"totalPages":null}`, want: Pagination{}},
		{name: "camelCase wins over snake_case", json: `{"currentPage":1,"current_page":9}`, want: Pagination{CurrentPage: 1}},
		{name: "not a number", json: `{"currentPage":"first"}`, wantErr: true},
		{name: "fraction", json: `{"totalPages":2.5}`, wantErr: true},
		{name: "not an object", json: `[1,2]`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var p Pagination
			err := json.Unmarshal([]byte(tt.json), &p)
			if tt.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, p)
		})
	}
}

func TestHasNext(t *testing.T) {
	t.Parallel()
	one := []int{1}
	assert.False(t, (&Page[int]{Items: one}).HasNext(), "no pagination: single page")
	assert.True(t, (&Page[int]{Items: one, Pagination: &Pagination{CurrentPage: 1, TotalPages: 2}}).HasNext())
	assert.False(t, (&Page[int]{Items: one, Pagination: &Pagination{CurrentPage: 2, TotalPages: 2}}).HasNext())
	assert.False(t, (&Page[int]{Pagination: &Pagination{CurrentPage: 1, TotalPages: 2}}).HasNext(), "empty page")
}

func TestWithQuery(t *testing.T) {
	t.Parallel()
	p, err := withQuery(accountsPath, nil)
	require.NoError(t, err)
	assert.Equal(t, accountsPath, p)
	p, err = withQuery(accountsPath, &testAccountListOptions{})
	require.NoError(t, err)
	assert.Equal(t, accountsPath, p, "zero values are left out")
	p, err = withQuery(accountsPath, &testAccountListOptions{Status: "a b&c", ListOptions: ListOptions{Page: 3, PerPage: 20}})
	require.NoError(t, err)
	u, err := url.Parse(p)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"page": {"3"}, "perPage": {"20"}, "status": {"a b&c"}}, u.Query())
	assert.Equal(t, accountsPath, pathOnly(p))
}
