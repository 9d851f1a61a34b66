package vaultspay_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if any goroutine outlives the tests of packages vaultspay and vaultspay_test
// (one binary): token flights, webhook deliveries, fake servers and idle HTTP connections included.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
