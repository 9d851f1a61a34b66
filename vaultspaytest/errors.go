package vaultspaytest

import (
	"net/http"

	"github.com/vaultspay-go/vaultspay"
)

// apiError is the error object on the wire: {"code","message","type","errors"}.
type apiError struct {
	status  int
	Code    vaultspay.ErrorCode    `json:"code"`
	Message string                 `json:"message"`
	Type    string                 `json:"type"`
	Errors  []vaultspay.FieldError `json:"errors,omitempty"`
}

func (e *apiError) Error() string { return e.Message }

func newError(status int, code vaultspay.ErrorCode, msg, typ string, fields ...vaultspay.FieldError) *apiError {
	return &apiError{status: status, Code: code, Message: msg, Type: typ, Errors: fields}
}

// errInvalidPayload is 422 1000 with one entry per bad field.
func errInvalidPayload(fields ...vaultspay.FieldError) *apiError {
	return newError(http.StatusUnprocessableEntity, vaultspay.CodeInvalidPayload,
		"Invalid payload. Please check your request.", vaultspay.TypeInvalidPayload, fields...)
}

// errInvalidHeaders is the plain 500 1018 for an envelope that cannot be opened.
func errInvalidHeaders() *apiError {
	return newError(http.StatusInternalServerError, vaultspay.CodeInvalidHeaders, "Invalid HTTP headers.",
		vaultspay.TypeInvalidHeaders)
}

func errUnauthenticated() *apiError {
	return newError(http.StatusUnauthorized, vaultspay.CodeUnauthenticated,
		"You are not authenticated. Please login to continue.", vaultspay.TypeUnauthenticated)
}

func errTokenExpired() *apiError {
	return newError(http.StatusUnauthorized, vaultspay.CodeTokenExpired,
		"Your access token has expired. Please get a new token.", vaultspay.TypeTokenExpired)
}

func errSessionExpired() *apiError {
	return newError(http.StatusUnauthorized, vaultspay.CodeSessionExpired,
		"Your session has expired. Please login again.", vaultspay.TypeSessionExpired)
}

func errInvalidToken() *apiError {
	return newError(http.StatusBadRequest, vaultspay.CodeInvalidToken, "Invalid access token provided.",
		vaultspay.TypeInvalidToken)
}

// errBadRequest is 1010 BAD_REQUEST with the given status and message (the vendor uses 400 and 500).
func errBadRequest(status int, msg string) *apiError {
	return newError(status, vaultspay.CodeBadRequest, msg, vaultspay.TypeBadRequest)
}
