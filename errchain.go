package vaultspay

import (
	"fmt"
	"io"
	"strings"
)

// errPrefix starts the text of every error the SDK returns, once.
const errPrefix = "vaultspay: "

// chainError is msg, then the text of the last error it wraps without that error's own "vaultspay: "
// prefix, so a chain of SDK errors reads "vaultspay: transfer …: outcome unknown …: POST …: …" with the
// prefix once. It wraps every error it was given, for errors.Is and errors.As.
type chainError struct {
	msg  string
	errs []error
}

func (e *chainError) Error() string   { return e.msg }
func (e *chainError) Unwrap() []error { return e.errs }

// Format prints Error() for every verb, so %#v cannot print the wrapped values' fields.
func (e *chainError) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, e.msg) }

// chain returns an error reading "msg: <cause without its prefix>" that wraps also and cause.
func chain(msg string, cause error, also ...error) error {
	return &chainError{msg: msg + ": " + unprefixed(cause), errs: append(also, cause)}
}

// outcomeUnknown wraps cause in ErrOutcomeUnknown.
func outcomeUnknown(cause error) error {
	return chain(ErrOutcomeUnknown.Error(), cause, ErrOutcomeUnknown)
}

// unprefixed is err's text without its leading "vaultspay: ".
func unprefixed(err error) string { return strings.TrimPrefix(err.Error(), errPrefix) }
