package vaultspay

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCallAndAttemptPrintWithoutBodies: with WithMiddlewareBodies, a middleware that logs the whole
// Call or Attempt (fmt or slog, text or JSON) prints no result and no decrypted answer.
func TestCallAndAttemptPrintWithoutBodies(t *testing.T) {
	t.Parallel()
	const pan = "4111111111111111"
	body := []byte(`{"data":{"pan":"` + pan + `","cvv":"123"}}`)
	op := Operation{Name: "Cards.PAN", Method: "POST", Template: "/pcs/api/v1/get-card-pan", Retry: RetryIfUnsent}
	call := Call{Operation: op, Host: "api.example.com", Attempts: 1, StatusCode: 200, RequestID: "req_1",
		Result: json.RawMessage(body)}
	attempt := Attempt{Operation: op, Number: 1, StatusCode: 200, Reason: "answered", Body: body, Err: errors.New("x")}
	for name, v := range map[string]any{"Call": call, "*Call": &call, "Attempt": attempt, "*Attempt": &attempt} {
		assertNoLeak(t, name, v, pan)
	}
	assert.Contains(t, fmt.Sprintf("%v", call), "Result: json.RawMessage")
	assert.Contains(t, fmt.Sprintf("%+v", attempt), fmt.Sprintf("Body: %d bytes", len(body)))
}
