package vaultspay

import (
	"context"
	"fmt"
)

// errNilRequest is the *ValidationError of a nil request; nothing is sent. A new value each time, so
// no caller can change another's.
func errNilRequest() error { return fieldErrors{{Key: "body", Reason: "must not be nil"}}.err() }

// fieldErrors collects client-side validation failures with the JSON names of the fields, in the
// same FieldError form the API's 1000 INVALID_PAYLOAD uses. Reasons never echo the value.
type fieldErrors []FieldError

func (v *fieldErrors) add(key, reason string) { *v = append(*v, FieldError{Key: key, Reason: reason}) }

// require adds "must not be blank" for key unless ok.
func (v *fieldErrors) require(key string, ok bool) {
	if !ok {
		v.add(key, "must not be blank")
	}
}

// positiveID is the one check of a required id: zero is "must not be blank", a negative id "must be a
// positive integer".
func (v *fieldErrors) positiveID(key string, id ID) {
	if id == 0 {
		v.add(key, "must not be blank")
	} else {
		v.optionalID(key, id)
	}
}

// optionalID checks an id that may be left out (zero): a negative one is refused.
func (v *fieldErrors) optionalID(key string, id ID) {
	if id < 0 {
		v.add(key, "must be a positive integer")
	}
}

// checkPathID refuses a path id that is not positive before any request.
func checkPathID(key string, id ID) error {
	var v fieldErrors
	v.positiveID(key, id)
	return v.err()
}

// maxLen adds a reason when s is longer than n characters.
//
//lint:ignore U1000 foundation helper for the areas whose spec states lengths (users, KYC); remove this once one uses it
func (v *fieldErrors) maxLen(key, s string, n int) {
	if len([]rune(s)) > n {
		v.add(key, fmt.Sprintf("must be at most %d characters", n))
	}
}

// err returns a *ValidationError listing every failure, or nil.
func (v fieldErrors) err() error {
	if len(v) == 0 {
		return nil
	}
	return &ValidationError{Errors: v}
}

// checkedRequest is a request body that checks itself before any I/O.
type checkedRequest[R any] interface {
	*R
	validate() error
}

// callChecked runs call after req passes its own checks: a nil req or a failed check is a
// *ValidationError and nothing is sent.
func callChecked[T, R any, PR checkedRequest[R]](ctx context.Context, c *Client, ep endpoint, req PR,
	opts []RequestOption) (*T, error) {
	if req == nil {
		return nil, errNilRequest()
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	return call[T](ctx, c, ep, req, opts)
}
