package fakeserve

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStagingFlags: the staging flags map to server options; a bad --refuse-login is refused.
func TestStagingFlags(t *testing.T) {
	for _, tc := range []struct {
		c    Config
		opts int
		err  bool
	}{
		{Config{}, 0, false},
		{Config{DateSkew: time.Minute}, 1, false},
		{Config{RefuseLogin: "all"}, 1, false},
		{Config{RefuseLogin: "key-wrap=oaep-sha1", DateSkew: -time.Minute}, 2, false},
		{Config{RefuseLogin: "key-wrap=nope"}, 0, true},
	} {
		opts, err := tc.c.staged()
		if tc.err {
			assert.ErrorContains(t, err, "--refuse-login")
			continue
		}
		require.NoError(t, err)
		assert.Len(t, opts, tc.opts)
	}
}
