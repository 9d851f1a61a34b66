package vaultspay

import (
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestVersionMatchesChangelog: the Version sent in User-Agent is the newest release of CHANGELOG.md.
func TestVersionMatchesChangelog(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("CHANGELOG.md")
	require.NoError(t, err)
	m := regexp.MustCompile(`(?m)^## \[(\d+\.\d+\.\d+)\]`).FindSubmatch(b)
	require.NotNil(t, m, "CHANGELOG.md has no release heading")
	assert.Equal(t, Version, string(m[1]))
}
