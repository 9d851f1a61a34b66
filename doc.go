// Package vaultspay is the typed Go client for the VaultsPay Issuance API: users and KYC, wallets and
// ledgers, IBAN transfers, transactions, payment cards and their lifecycle, the rules engine and
// webhooks.
//
// A Client logs in lazily with the app's credentials, refreshes its token before it expires, seals
// every request in the AES-GCM + RSA envelope the API requires (see WireProfile) and opens every
// answer. Errors are typed: *APIError for answers of the API (classify by Code), *ResponseError for
// answers that could not be read, and sentinels for errors.Is.
//
// Timeouts: the ctx given to a call bounds all of it (every attempt, backoff and token refresh);
// WithRequestTimeout bounds one attempt.
//
// Quick start:
//
//	client, err := vaultspay.NewClientFromEnv()
//	if err != nil {
//		return err
//	}
//	msg, err := client.Ping(ctx)
//
// Package vaultspaytest is a fake of the API for tests, speaking the same wire protocol.
package vaultspay
