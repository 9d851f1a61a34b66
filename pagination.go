package vaultspay

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/maphash"
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

// iterate walks a list page by page from opts.Page (default 1), holding one page at a time. It copies
// opts (the caller's value is never changed) and stops after the last page (currentPage >=
// totalPages), on an empty page, or when the answer has no pagination object. If the server answers
// the same page twice it yields ErrRepeatedPage and stops; any error is yielded once and ends the walk.
func iterate[T any, O any, PO pageOptions[O]](ctx context.Context, opts PO,
	fetch func(context.Context, PO) (*Page[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var o O
		if opts != nil {
			o = *opts
		}
		lo := PO(&o).listOptions()
		if lo.Page < 1 {
			lo.Page = 1
		}
		var zero T
		seed := maphash.MakeSeed()
		var prevSum uint64
		prevPage := 0
		if err := usable(ctx); err != nil {
			yield(zero, err)
			return
		}
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			page, err := fetch(ctx, &o)
			if err != nil {
				yield(zero, err)
				return
			}
			sum := pageFingerprint(seed, page)
			if p := page.Pagination; p != nil && prevPage > 0 && (p.CurrentPage != 0 && p.CurrentPage <= prevPage ||
				len(page.Items) > 0 && sum == prevSum) {
				yield(zero, fmt.Errorf("%w (asked for page %d, got page %d)", ErrRepeatedPage, lo.Page, p.CurrentPage))
				return
			}
			for _, it := range page.Items {
				if !yield(it, nil) {
					return
				}
			}
			if !page.HasNext() {
				return
			}
			prevPage, prevSum = lo.Page, sum
			if page.Pagination.CurrentPage > 0 {
				prevPage = page.Pagination.CurrentPage
			}
			lo.Page = prevPage + 1
		}
	}
}

// pageFingerprint hashes the items' raw JSON, to notice a page served twice without keeping a copy of
// the previous page.
func pageFingerprint[T any](seed maphash.Seed, p *Page[T]) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	for i := range p.Items {
		if r, ok := any(&p.Items[i]).(interface{ RawJSON() json.RawMessage }); ok {
			_, _ = h.Write(r.RawJSON())
		}
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
