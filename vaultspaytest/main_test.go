package vaultspaytest

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if any goroutine outlives the fake's tests: servers, webhook deliveries and
// idle HTTP connections included.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
