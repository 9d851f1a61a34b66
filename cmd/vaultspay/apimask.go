package main

import (
	"bytes"
	"encoding/json"

	"github.com/vaultspay-go/vaultspay/internal/redact"
)

// maskedValue replaces a secret member's value.
const maskedValue = "[masked: --reveal shows it]"

// maskJSON returns raw with the value of every secret member (redact.SecretMember) masked, and whether it masked any.
// When it did, members come back in sorted order (the document is re-encoded); otherwise raw is
// returned as it was.
func maskJSON(raw []byte) ([]byte, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return raw, false
	}
	if !maskValue(v) {
		return raw, false
	}
	out, err := json.Marshal(v)
	if err != nil {
		return raw, false
	}
	return out, true
}

// maskValue masks the secret members inside v in place and reports whether there were any.
func maskValue(v any) bool {
	masked := false
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if redact.SecretMember(k) && val != nil {
				x[k] = maskedValue
				masked = true
				continue
			}
			masked = maskValue(val) || masked
		}
	case []any:
		for _, val := range x {
			masked = maskValue(val) || masked
		}
	}
	return masked
}
