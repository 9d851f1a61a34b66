package vaultspay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// marshalWithExtra encodes v (a struct) as a JSON object and adds the keys of extra on top, extra
// winning on a clash. Request types whose vendor page is missing carry an Extra map this way, so
// callers can send whatever the live API turns out to need.
func marshalWithExtra(v any, extra map[string]any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(extra) == 0 {
		return b, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for k, x := range extra {
		raw, err := json.Marshal(x)
		if err != nil {
			return nil, fmt.Errorf("vaultspay: Extra[%q]: %w", k, err)
		}
		m[k] = raw
	}
	return json.Marshal(m)
}

// unmarshalWithExtra is the inverse of marshalWithExtra: it decodes b into *p (a struct, zeroed
// first) and sets *extra to the top-level keys that name none of its JSON fields (nil when there are
// none). p and extra may point into the same request: extra is written last. Extra's values come back as encoding/json decodes into any, except that
// numbers are json.Number, so an amount or id is never rounded through float64. A key that Extra
// used to override one of the struct's own fields comes back in that field.
func unmarshalWithExtra[P any](b []byte, p *P, extra *map[string]any) error {
	var zero P
	*p = zero
	if err := json.Unmarshal(b, p); err != nil {
		return err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	known := map[string]bool{}
	jsonNames(reflect.TypeFor[P](), known)
	var found map[string]any
	for k, raw := range all {
		if known[k] {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var x any
		if err := dec.Decode(&x); err != nil {
			return err
		}
		if found == nil {
			found = map[string]any{}
		}
		found[k] = x
	}
	*extra = found
	return nil
}

// jsonNames adds the JSON names of t's exported fields to names, descending into embedded structs
// as encoding/json does.
func jsonNames(t reflect.Type, names map[string]bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				jsonNames(ft, names)
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		names[name] = true
	}
}
