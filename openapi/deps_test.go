package openapi

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRootPackageDoesNotDependOnTheValidator: only vaultspaytest and openapi import the validator;
// `go list -deps` of the root SDK package shows neither it nor this package.
func TestRootPackageDoesNotDependOnTheValidator(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/vaultspay-go/vaultspay").Output()
	require.NoError(t, err)
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/vaultspay-go/vaultspay")
	for _, d := range deps {
		assert.NotContains(t, d, "getkin", "the root package depends on %s", d)
		assert.NotContains(t, d, "santhosh-tekuri", "the root package depends on %s", d)
		assert.NotEqual(t, "github.com/vaultspay-go/vaultspay/openapi", d)
		assert.NotEqual(t, "github.com/vaultspay-go/vaultspay/vaultspaytest", d)
	}
}
