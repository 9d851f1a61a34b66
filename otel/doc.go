// Package vaultspayotel traces and meters every call of a vaultspay.Client with OpenTelemetry, built on
// the client's middleware alone (vaultspay.WithMiddleware): it sees what any middleware sees, never a
// body, a token, a key or card data, so no span or metric can carry one.
//
//	mw, err := vaultspayotel.Middleware(vaultspayotel.WithTracerProvider(tp), vaultspayotel.WithMeterProvider(mp))
//	client, err := vaultspay.NewClient(..., vaultspay.WithMiddleware(mw))
//
// Spans: one per call, named after the operation ("vaultspay.Transfers.Send", kind internal), with
// http.request.method, url.template, server.address, http.response.status_code, error.type,
// vaultspay.code, vaultspay.request_id, vaultspay.attempts and vaultspay.outcome_unknown; under it one
// span per attempt ("POST /tc/api/v1/direct-transfer", kind client) with the attempt's status, code,
// request id, http.request.resend_count, vaultspay.retry and vaultspay.retry_reason. The token calls
// (vaultspay.Auth.Login, vaultspay.Auth.Refresh) are spans of their own: they run detached from the
// call that needed a token.
//
// Metrics (meter "github.com/vaultspay-go/vaultspay/otel"), each with the attribute
// vaultspay.operation:
//
//	vaultspay.client.call.duration   histogram, s; plus error.type on failure
//	vaultspay.client.attempts        counter
//	vaultspay.client.retries         counter; plus vaultspay.retry_reason
//	vaultspay.client.outcome_unknown counter: calls that ended in vaultspay.ErrOutcomeUnknown
//	vaultspay.client.token.logins    counter: Auth.Login calls; plus error.type on failure
//	vaultspay.client.token.refreshes counter: Auth.Refresh calls; plus error.type on failure
//
// error.type is low-cardinality: "outcome_unknown", the VaultsPay error type ("INVALID_PAYLOAD"), the
// HTTP status ("503"), "malformed_response", "undecryptable", "validation", "timeout", "canceled" or
// "_OTHER"; error messages are never recorded (a server may echo what it was sent).
package vaultspayotel
