// Package bench measures what the SDK costs its users. Its test files hold Baseline, the client a
// careful user would write by hand with net/http and encoding/json alone, calling the envelope
// primitives the SDK is built on (internal/envelope) directly; the benchmarks run it and the SDK side
// by side against the same server. BENCHMARKS.md says how to run them and what they showed. The
// package exports nothing.
package bench
