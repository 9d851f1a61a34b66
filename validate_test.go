package vaultspay

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFieldErrors(t *testing.T) {
	t.Parallel()
	var v fieldErrors
	require.NoError(t, v.err(), "no failures, no error")
	v.require("firstName", false)
	v.require("lastName", true)
	v.maxLen("description", "äöü", 3)
	v.maxLen("purpose", "abcd", 3)
	err := v.err()
	require.ErrorIs(t, err, ErrValidation)
	require.ErrorIs(t, err, ErrInvalidPayload)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []FieldError{
		{Key: "firstName", Reason: "must not be blank"},
		{Key: "purpose", Reason: "must be at most 3 characters"},
	}, ve.Errors, "length counts characters, not bytes")
	assert.NotContains(t, err.Error(), "abcd", "reasons never echo the value")
}

func TestMarshalWithExtra(t *testing.T) {
	t.Parallel()
	type req struct {
		Name string `json:"name"`
		Age  int    `json:"age"`
	}
	b, err := marshalWithExtra(req{Name: "Ada", Age: 36}, nil)
	require.NoError(t, err)
	assert.JSONEq(t, `{"name":"Ada","age":36}`, string(b))

	b, err = marshalWithExtra(req{Name: "Ada", Age: 36}, map[string]any{"age": "37", "nickname": "A"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"name":"Ada","age":"37","nickname":"A"}`, string(b), "extra wins on a clash")

	_, err = marshalWithExtra(req{}, map[string]any{"bad": make(chan int)})
	require.Error(t, err)
	_, err = marshalWithExtra([]int{1}, map[string]any{"x": 1})
	var typeErr *json.UnmarshalTypeError
	require.ErrorAs(t, err, &typeErr, "only objects take extra keys")
}
