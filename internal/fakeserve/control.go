// Package fakeserve is what cmd/vaultspay-fake and `vaultspay fake` share: serving the vaultspaytest
// fake as a program (flags, start line, running detached for `eval`), seeding it with demo data, and
// a client for its plain-JSON /_fake/ control routes (00-conventions.md §14), which `vaultspay trigger`
// and `vaultspay webhooks listen --fake` use against a fake in another process.
package fakeserve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vaultspay-go/vaultspay"
)

// maxControlAnswer bounds what a control route's answer may hold.
const maxControlAnswer = 1 << 20

// Control calls a fake's /_fake/ routes: plain JSON in and out, no envelope, no token.
type Control struct {
	BaseURL string       // the fake's base URL, e.g. http://127.0.0.1:40817
	HTTP    *http.Client // nil: a client without timeout (the ctx bounds each call)
}

// ControlError is a control route's error answer (the API's error object, plain).
type ControlError struct {
	Status  int
	Code    int    `json:"code"`
	Message string `json:"message"`
	Type    string `json:"type"`
	Errors  []vaultspay.FieldError
}

func (e *ControlError) Error() string {
	msg := fmt.Sprintf("fake control route answered HTTP %d", e.Status)
	if e.Code != 0 {
		msg += fmt.Sprintf(": %d %s %s", e.Code, e.Type, e.Message)
	}
	for _, f := range e.Errors {
		msg += fmt.Sprintf("; %s: %s", f.Key, f.Reason)
	}
	return msg
}

// Do sends in (nil for no body) to method path and decodes the answer's "data" into out (nil to
// discard). A 404 for the route itself says the fake is too old for it.
func (c *Control) Do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.BaseURL, "/")+path, body)
	if err != nil {
		return fmt.Errorf("fake control %s %s: %w", method, path, err)
	}
	req.Header.Set("Content-Type", "application/json")
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{}
	}
	res, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("fake control %s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, maxControlAnswer+1))
	if err != nil {
		return fmt.Errorf("fake control %s %s: reading the answer: %w", method, path, err)
	}
	if len(raw) > maxControlAnswer {
		return fmt.Errorf("fake control %s %s: answer over %d bytes", method, path, maxControlAnswer)
	}
	if res.StatusCode/100 != 2 {
		ce := &ControlError{Status: res.StatusCode}
		var wire struct {
			Code    int                    `json:"code"`
			Message string                 `json:"message"`
			Type    string                 `json:"type"`
			Errors  []vaultspay.FieldError `json:"errors"`
		}
		if json.Unmarshal(raw, &wire) == nil {
			ce.Code, ce.Message, ce.Type, ce.Errors = wire.Code, wire.Message, wire.Type, wire.Errors
		}
		return fmt.Errorf("fake control %s %s: %w", method, path, ce)
	}
	if out == nil {
		return nil
	}
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(raw, &env); err != nil || env.Data == nil {
		return fmt.Errorf("fake control %s %s: answer is not {\"data\": …}", method, path)
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return fmt.Errorf("fake control %s %s: %w", method, path, err)
	}
	return nil
}

// IsNotFake reports whether err says the server has no such control route: it is not the fake (or
// a fake without that route).
func IsNotFake(err error) bool {
	var ce *ControlError
	return errors.As(err, &ce) && (ce.Status == http.StatusNotFound || ce.Status == http.StatusMethodNotAllowed)
}

func idPath(format string, id vaultspay.ID) string {
	return fmt.Sprintf(format, strconv.FormatInt(int64(id), 10))
}

// SetKYCStatus is the back office's KYC decision.
func (c *Control) SetKYCStatus(ctx context.Context, userID vaultspay.ID, status vaultspay.KYCStatus) error {
	return c.Do(ctx, http.MethodPost, idPath("/_fake/kyc/%s/status", userID), map[string]any{"status": status}, nil)
}

// Fund credits an account (a ledger line and a Deposit transaction).
func (c *Control) Fund(ctx context.Context, accountID vaultspay.ID, amount vaultspay.Amount) error {
	return c.Do(ctx, http.MethodPost, idPath("/_fake/accounts/%s/fund", accountID), map[string]any{"amount": amount.String()}, nil)
}

// Advance moves the fake's clock forward by d (pending transfers settle, tokens expire).
func (c *Control) Advance(ctx context.Context, d time.Duration) error {
	return c.Do(ctx, http.MethodPost, "/_fake/clock/advance", map[string]any{"seconds": d.Seconds()}, nil)
}

// SetWebhook registers the URL the fake POSTs card and transfer events to; "" removes it.
func (c *Control) SetWebhook(ctx context.Context, url string) error {
	return c.Do(ctx, http.MethodPost, "/_fake/webhooks", map[string]any{"url": url}, nil)
}

// ReverseTransfer is the back office reversing a transfer (integer transaction id).
func (c *Control) ReverseTransfer(ctx context.Context, id vaultspay.ID) error {
	return c.Do(ctx, http.MethodPost, idPath("/_fake/transfers/%s/reverse", id), map[string]any{}, nil)
}
