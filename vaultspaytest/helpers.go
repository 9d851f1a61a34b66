package vaultspaytest

import (
	"fmt"
	"math"
	"net/http"
	"strconv"

	"github.com/vaultspay-go/vaultspay"
)

// pathID reads a path parameter that must be a positive integer; anything else is 400 BAD_REQUEST
// "Invalid or missing <name> parameter." (the documented states answer, used for every path id).
func pathID(r *request, name string, code vaultspay.ErrorCode) (vaultspay.ID, error) {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || n <= 0 {
		return 0, newError(http.StatusBadRequest, code, fmt.Sprintf("Invalid or missing %s parameter.", name),
			vaultspay.TypeBadRequest)
	}
	return vaultspay.ID(n), nil
}

// deref is *p, or the zero value for an optional field that was not sent.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// checks collects payload problems; err answers 422 1000 listing every one of them.
type checks []vaultspay.FieldError

func (c *checks) add(key, reason string) {
	*c = append(*c, vaultspay.FieldError{Key: key, Reason: reason})
}

func (c *checks) require(key string, ok bool) {
	if !ok {
		c.add(key, "must not be blank")
	}
}

func (c checks) err() error {
	if len(c) == 0 {
		return nil
	}
	return errInvalidPayload(c...)
}

// Paging defaults of the fake; the vendor documents none (every example uses perPage=20).
const (
	defaultPerPage = 20
	maxPerPage     = 100
)

// paginate answers one page of items for the request's ?page=&perPage= (1-based; perPage defaults to
// 20 and is capped at 100). A page past the end is empty, with the true totals. Bad numbers are
// 422 1000 naming the parameter.
func paginate[T any](r *request, items []T) (any, error) {
	pg, per, err := pageParams(r)
	if err != nil {
		return nil, err
	}
	total := len(items)
	lo := min(pageSkip(pg, per), total)
	hi := min(lo+per, total)
	return pageOf(items[lo:hi], pg, per, total), nil
}

// pageParams reads ?page=&perPage= as paginate does.
func pageParams(r *request) (pg, per int, err error) {
	q := r.URL.Query()
	var bad checks
	num := func(key string, def int) int {
		v := q.Get(key)
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			bad.add(key, "must be a positive integer")
		}
		return n
	}
	pg, per = num("page", 1), num("perPage", defaultPerPage)
	if err := bad.err(); err != nil {
		return 0, 0, err
	}
	return pg, min(per, maxPerPage), nil
}

// pageSkip is how many items come before page pg of per items (saturating, for absurd page numbers).
func pageSkip(pg, per int) int {
	if pg-1 > math.MaxInt/per {
		return math.MaxInt
	}
	return (pg - 1) * per
}

// pageOf is the answer for page pg of per items: data (that page's items) out of total.
func pageOf[T any](data []T, pg, per, total int) page {
	if data == nil {
		data = []T{}
	}
	return page{Data: data, Pagination: &vaultspay.Pagination{CurrentPage: pg, PerPage: per,
		TotalPages: (total + per - 1) / per, TotalCount: total, Sort: "id: DESC"}}
}
