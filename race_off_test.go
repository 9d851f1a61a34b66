//go:build !race

package vaultspay_test

// raceEnabled shortens the soak under the race detector.
const raceEnabled = false
