package vaultspay

import (
	"fmt"
	"io"
	"log/slog"
)

// String describes the call without its Result, which may hold card data (WithMiddlewareBodies): a
// middleware that logs the whole Call with fmt or slog leaks nothing.
func (c Call) String() string {
	return fmt.Sprintf("vaultspay.Call{Operation: %s, Host: %s, Attempts: %d, StatusCode: %d, Code: %d, RequestID: %q, Result: %s}",
		c.Operation.Name, c.Host, c.Attempts, c.StatusCode, int(c.Code), c.RequestID, typeOnly(c.Result))
}

// Format prints String for every verb.
func (c Call) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// LogValue logs what String prints, field by field (slog's JSON handler would otherwise encode Result
// with encoding/json, card numbers in clear).
func (c Call) LogValue() slog.Value {
	return slog.GroupValue(slog.String("operation", c.Operation.Name), slog.String("host", c.Host),
		slog.Int("attempts", c.Attempts), slog.Int("status", c.StatusCode), slog.Int("code", int(c.Code)),
		slog.String("requestId", c.RequestID))
}

// String describes the attempt without its Body, the decrypted answer (WithMiddlewareBodies).
func (a Attempt) String() string {
	return fmt.Sprintf("vaultspay.Attempt{Operation: %s, Number: %d, StatusCode: %d, Code: %d, RequestID: %q, Duration: %s, Sent: %t, Retry: %t, Reason: %q, Err: %v, Body: %d bytes}",
		a.Operation.Name, a.Number, a.StatusCode, int(a.Code), a.RequestID, a.Duration, a.Sent, a.Retry, a.Reason, a.Err, len(a.Body))
}

// Format prints String for every verb.
func (a Attempt) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, a.String()) }

// LogValue logs what String prints, field by field.
func (a Attempt) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("operation", a.Operation.Name), slog.Int("attempt", a.Number),
		slog.Int("status", a.StatusCode), slog.Int("code", int(a.Code)), slog.String("requestId", a.RequestID),
		slog.Duration("duration", a.Duration), slog.Bool("sent", a.Sent), slog.Bool("retry", a.Retry),
		slog.String("reason", a.Reason), slog.Int("bodyBytes", len(a.Body))}
	if a.Err != nil {
		attrs = append(attrs, slog.String("error", a.Err.Error()))
	}
	return slog.GroupValue(attrs...)
}

// typeOnly names v's type, or "<nil>".
func typeOnly(v any) string {
	if v == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%T", v)
}
