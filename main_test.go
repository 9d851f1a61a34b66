package vaultspay_test

import (
	"fmt"
	"os"
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if any goroutine outlives the tests of packages vaultspay and vaultspay_test
// (one binary): token flights, webhook deliveries, fake servers and idle HTTP connections included.
// It prints the secret scan's totals (the hits themselves fail the tests that made them).
func TestMain(m *testing.M) {
	code := m.Run()
	fmt.Printf("secret scan: %d texts scanned for %d secrets, %d hits\n",
		secretScan.texts.Load(), secretScan.secrets.Load(), secretScan.hits.Load())
	if err := goleak.Find(); err != nil {
		fmt.Fprintf(os.Stderr, "goleak: %v\n", err)
		code = 1
	} else {
		fmt.Println("goleak: no goroutine outlived the tests")
	}
	os.Exit(code)
}
