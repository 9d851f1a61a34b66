package vaultspaytest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

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

// decodeExact reads the plaintext body like decode, strictly: every member that T has no field for
// (JSON names compared exactly, nested objects included) and every member whose value does not decode
// into its field is listed in one 422 1000, keyed by its JSON name ("address.city" inside an object).
// The card routes use it so that a misnamed field (token for cardToken) shows instead of being ignored.
func decodeExact[T any](r *request) (T, error) {
	var v T
	if len(strings.TrimSpace(string(r.body))) == 0 {
		return v, errInvalidPayload(vaultspay.FieldError{Key: "body", Reason: "must not be empty"})
	}
	var bad checks
	if !exactMembers(&bad, "", r.body, reflect.TypeOf(v)) {
		return v, errInvalidPayload(vaultspay.FieldError{Key: "body", Reason: "must be a JSON object of the documented shape"})
	}
	if err := bad.err(); err != nil {
		return v, err
	}
	if err := json.Unmarshal(r.body, &v); err != nil {
		return v, errInvalidPayload(vaultspay.FieldError{Key: "body", Reason: "must be a JSON object of the documented shape"})
	}
	return v, nil
}

// exactMembers checks the members of the JSON object raw against struct type t; false when raw is
// not an object.
func exactMembers(bad *checks, prefix string, raw []byte, t reflect.Type) bool {
	var members map[string]json.RawMessage
	if json.Unmarshal(raw, &members) != nil || members == nil {
		return false
	}
	fields := jsonFields(t)
	keys := make([]string, 0, len(members))
	for k := range members {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		ft, ok := fields[k]
		switch {
		case !ok:
			bad.add(prefix+k, "is not a field of this request")
		case json.Unmarshal(members[k], reflect.New(ft).Interface()) != nil:
			bad.add(prefix+k, "has the wrong JSON type")
		default:
			if ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct && string(members[k]) != "null" {
				exactMembers(bad, prefix+k+".", members[k], ft.Elem())
			}
		}
	}
	return true
}

// jsonFields maps the JSON member names of struct type t, promoted fields of embedded structs
// included, to their Go types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
		case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
			for k, ft := range jsonFields(f.Type) {
				out[k] = ft
			}
		case f.IsExported():
			if name == "" {
				name = f.Name
			}
			out[name] = f.Type
		}
	}
	return out
}
