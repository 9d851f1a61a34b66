package vaultspay

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"iter"
	"strconv"
)

// ListOptions selects one page of a list: ?page=1&perPage=20. Page is 1-based; zero values are left
// out and the server's defaults apply (undocumented; every vendor example uses perPage=20).
type ListOptions struct {
	Page    int `url:"page,omitempty"`
	PerPage int `url:"perPage,omitempty"`
}

func (o *ListOptions) listOptions() *ListOptions { return o }

// Pagination is the "pagination" object beside "data" in list answers. It decodes camelCase and
// snake_case spellings, numbers or numeric strings.
type Pagination struct {
	CurrentPage int    `json:"currentPage"`
	PerPage     int    `json:"perPage"`
	TotalPages  int    `json:"totalPages"`
	TotalCount  int    `json:"totalCount"`
	Sort        string `json:"sort"` // output only, free-form, e.g. "id: DESC"
}

// UnmarshalJSON accepts currentPage/current_page, perPage/per_page, totalPages/total_pages,
// totalCount/total_count (and total), as numbers or numeric strings.
func (p *Pagination) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*p = Pagination{}
	for _, f := range []struct {
		dst  *int
		keys []string
	}{
		{&p.CurrentPage, []string{"currentPage", "current_page", "page"}},
		{&p.PerPage, []string{"perPage", "per_page", "pageSize"}},
		{&p.TotalPages, []string{"totalPages", "total_pages"}},
		{&p.TotalCount, []string{"totalCount", "total_count", "total"}},
	} {
		for _, k := range f.keys {
			if v, ok := m[k]; ok {
				n, err := flexInt(v)
				if err != nil {
					return fmt.Errorf("vaultspay: pagination.%s: %w", k, err)
				}
				*f.dst = n
				break
			}
		}
	}
	if v, ok := m["sort"]; ok {
		_ = json.Unmarshal(v, &p.Sort)
	}
	return nil
}

// flexInt decodes a JSON number or numeric string; null is 0.
func flexInt(v json.RawMessage) (int, error) {
	s := string(bytes.Trim(bytes.TrimSpace(v), `"`))
	if s == "" || s == "null" {
		return 0, nil
	}
	return strconv.Atoi(s)
}

// Page is one page of a list: its items and, when the server sent one, the pagination object. A
// list answered without "pagination" is a single, complete page.
type Page[T any] struct {
	Items      []T
	Pagination *Pagination
}

// HasNext reports whether a later page exists.
func (p *Page[T]) HasNext() bool {
	return p.Pagination != nil && len(p.Items) > 0 && p.Pagination.CurrentPage < p.Pagination.TotalPages
}

// listPage fetches one page at ep and decodes its items, each keeping its raw JSON.
func listPage[T any](ctx context.Context, c *Client, ep endpoint, opts []RequestOption) (*Page[T], error) {
	return sendList[T](ctx, c, ep, nil, opts)
}

// sendList sends in (nil for no body) to ep and decodes the list in the answer, each item keeping its
// raw JSON: listPage for reads, and writes whose answer is a list.
func sendList[T any](ctx context.Context, c *Client, ep endpoint, in any, opts []RequestOption) (*Page[T], error) {
	return run[*Page[T]](ctx, c, ep, in, opts, pageDecoder[T]{})
}

// pageDecoder decodes a list answer, each item keeping its raw JSON.
type pageDecoder[T any] struct{}

func (pageDecoder[T]) decode(res *Response) (*Page[T], error) {
	raws, pag, err := decodeList(res)
	if err != nil {
		return nil, err
	}
	page := &Page[T]{Items: make([]T, len(raws)), Pagination: pag}
	for i, r := range raws {
		if err := json.Unmarshal(r, &page.Items[i]); err != nil {
			return nil, newResponseError(ErrMalformedResponse, res, fmt.Sprintf("item %d: unexpected JSON shape", i), nil, err)
		}
		setRawJSON(&page.Items[i], r)
	}
	return page, nil
}

// decodeList is decodeData into []json.RawMessage. The usual {"data": [...], "pagination": {...}} is
// decoded in one pass; any other answer, or one that pass refuses, goes through decodeData, which gives
// the same items and the same errors but reads "data" twice (found, copied, then decoded).
func decodeList(res *Response) ([]json.RawMessage, *Pagination, error) {
	var env struct {
		Data       []json.RawMessage `json:"data"`
		Pagination *Pagination       `json:"pagination"`
	}
	if json.Unmarshal(res.Body, &env) == nil && env.Data != nil {
		return env.Data, env.Pagination, nil
	}
	var raws []json.RawMessage
	pag, err := decodeData(res, &raws)
	return raws, pag, err
}

// listAll fetches a list the API does not paginate and returns its items (a pagination object, if one
// ever appears, is ignored).
func listAll[T any](ctx context.Context, c *Client, ep endpoint, opts []RequestOption) ([]T, error) {
	page, err := listPage[T](ctx, c, ep, opts)
	if err != nil {
		return nil, err
	}
	return page.Items, nil
}

// pageOptions is implemented by every list options type through its embedded ListOptions.
type pageOptions[O any] interface {
	*O
	listOptions() *ListOptions
}

// PagingLimits bound one walk over a list (an …Iter, ListCountries, the CLI's list commands), so that
// a server that never ends a list cannot make the walk run away. A zero field means the default.
type PagingLimits struct {
	MaxPages int // pages fetched by one walk; default DefaultMaxPages
	MaxItems int // items yielded by one walk; default DefaultMaxItems
}

// Defaults of PagingLimits: 100,000 items is a ledger of 1,000 pages of 100.
const (
	DefaultMaxPages = 1000
	DefaultMaxItems = 100_000
)

// withDefaults fills the zero fields of l.
func (l PagingLimits) withDefaults() PagingLimits {
	if l.MaxPages <= 0 {
		l.MaxPages = DefaultMaxPages
	}
	if l.MaxItems <= 0 {
		l.MaxItems = DefaultMaxItems
	}
	return l
}

// WithMaxPages bounds the pages this walk fetches (an …Iter or ListCountries), replacing the
// client's limit (WithPagingLimits); n <= 0 keeps it.
func WithMaxPages(n int) RequestOption {
	return func(cfg *callConfig) {
		if n > 0 {
			cfg.paging.MaxPages = n
		}
	}
}

// WithMaxItems bounds the items this walk yields, replacing the client's limit; n <= 0 keeps it.
func WithMaxItems(n int) RequestOption {
	return func(cfg *callConfig) {
		if n > 0 {
			cfg.paging.MaxItems = n
		}
	}
}

// WithPaginationInto makes a walk (an …Iter) store each page's pagination object in p before it
// yields that page's items (a zero Pagination when the answer had none), for a progress display:
// p.TotalCount is the server's count of items, when it sends one. Only the walking goroutine writes p.
func WithPaginationInto(p *Pagination) RequestOption {
	return func(cfg *callConfig) { cfg.pagination = p }
}

// PagingLimitError ends a walk that reached one of its PagingLimits while the list went on. It
// matches ErrPagingLimit.
type PagingLimitError struct {
	Limit string // "pages" or "items": the limit that stopped the walk
	Max   int    // its value
	Pages int    // pages fetched
	Items int    // items yielded
}

func (e *PagingLimitError) Error() string {
	return fmt.Sprintf("vaultspay: paging limit reached: the list goes on past %d %s (%d pages, %d items read; raise it with WithMaxPages/WithMaxItems or WithPagingLimits)",
		e.Max, e.Limit, e.Pages, e.Items)
}

// Is reports whether target is ErrPagingLimit.
func (e *PagingLimitError) Is(target error) bool { return target == ErrPagingLimit }

// iterate is the one page walker behind every …Iter, ListCountries and the CLI's lists. It walks from
// list.Page (default 1), holding one page at a time, copying list (the caller's value is never
// changed), and stops after the last page (currentPage >= totalPages), on an empty page, or when the
// answer has no pagination object. It yields ErrRepeatedPage and stops when a page repeats an earlier
// one by number or by content (the same items as any page before, anywhere in the walk), and a
// *PagingLimitError when the list goes on past the call's PagingLimits. Any error is yielded once and
// ends the walk.
func iterate[T rawItem, O any, PO pageOptions[O]](ctx context.Context, c *Client, list PO, opts []RequestOption,
	fetch func(context.Context, PO) (*Page[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if err := usable(ctx); err != nil {
			yield(zero, err)
			return
		}
		cfg := c.configure(opts)
		limits := cfg.paging.withDefaults()
		var o O
		if list != nil {
			o = *list
		}
		lo := PO(&o).listOptions()
		if lo.Page < 1 {
			lo.Page = 1
		}
		seen := map[uint64]int{} // page digest → page number, for every non-empty page of the walk
		pages, items, prevPage := 0, 0, 0
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			if pages == limits.MaxPages {
				yield(zero, &PagingLimitError{Limit: "pages", Max: limits.MaxPages, Pages: pages, Items: items})
				return
			}
			page, err := fetch(ctx, &o)
			if err != nil {
				yield(zero, err)
				return
			}
			pages++
			if err := repeated(page, lo.Page, prevPage, seen); err != nil {
				yield(zero, err)
				return
			}
			if cfg.pagination != nil {
				*cfg.pagination = Pagination{}
				if page.Pagination != nil {
					*cfg.pagination = *page.Pagination
				}
			}
			for _, it := range page.Items {
				if items == limits.MaxItems {
					yield(zero, &PagingLimitError{Limit: "items", Max: limits.MaxItems, Pages: pages, Items: items})
					return
				}
				items++
				if !yield(it, nil) {
					return
				}
			}
			if !page.HasNext() {
				return
			}
			prevPage = lo.Page
			if page.Pagination.CurrentPage > 0 {
				prevPage = page.Pagination.CurrentPage
			}
			lo.Page = prevPage + 1
		}
	}
}

// repeated reports a page that goes back (its currentPage is not after the previous one's) or holds
// the same items as an earlier page of the walk, and records it in seen.
func repeated[T rawItem](page *Page[T], asked, prevPage int, seen map[uint64]int) error {
	p := page.Pagination
	if p != nil && prevPage > 0 && p.CurrentPage != 0 && p.CurrentPage <= prevPage {
		return fmt.Errorf("%w (asked for page %d, got page %d)", ErrRepeatedPage, asked, p.CurrentPage)
	}
	if len(page.Items) == 0 {
		return nil
	}
	digest := digestItems(page.Items)
	if first, ok := seen[digest]; ok {
		return fmt.Errorf("%w (page %d holds the same items as page %d)", ErrRepeatedPage, asked, first)
	}
	seen[digest] = asked
	return nil
}

// rawItem is a list item that keeps the JSON it was decoded from, as every model does.
type rawItem interface{ RawJSON() json.RawMessage }

// digestItems is the 64-bit FNV-1a hash of the items' raw JSON, each followed by a separator: how a
// walk recognises a page it has already seen without keeping a copy of it. Only walks compute it.
func digestItems[T rawItem](items []T) uint64 {
	h := fnv.New64a()
	for _, it := range items {
		_, _ = h.Write(it.RawJSON())
		_, _ = h.Write([]byte{0})
	}
	return h.Sum64()
}

// getPage fetches one page of the GET list op, its template filled with args, with the query encoded
// from list (nil for none).
func getPage[T any, O any](ctx context.Context, c *Client, op *Operation, list *O, opts []RequestOption, args ...string) (*Page[T], error) {
	ep := op.at(args...)
	if list != nil {
		var err error
		if ep.path, err = withQuery(ep.path, list); err != nil {
			return nil, err
		}
	}
	return listPage[T](ctx, c, ep, opts)
}
