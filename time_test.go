package vaultspay

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTimeDecodesEscapedStrings: a timestamp spelled with JSON escapes decodes like the plain one (the
// plain spelling skips the nested json.Unmarshal; escaped ones take it).
func TestTimeDecodesEscapedStrings(t *testing.T) {
	t.Parallel()
	want := time.Date(2024, 9, 23, 18, 33, 10, 49_000_000, time.UTC)
	for _, in := range []string{`"2024-09-23T18:33:10.049+00:00"`, `"2024-09-23T18:33:10.049\u002b00:00"`,
		`"2024-09-23T18:33:10.049\u002B00:00"`, `"\u0032024-09-23T18:33:10.049Z"`} {
		var v Time
		require.NoError(t, json.Unmarshal([]byte(in), &v), in)
		assert.True(t, want.Equal(v.Time), "%s: got %s", in, v.Time)
	}
	var v Time
	assert.Error(t, v.UnmarshalJSON([]byte(`"2024-09-23`)), "unterminated string")
}

func TestPlainString(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want string
		ok   bool
	}{
		{`"2024-09-23"`, "2024-09-23", true},
		{`""`, "", true},
		{`"a\"b"`, "", false},
		{`"a\u0062"`, "", false},
		{"\"a\tb\"", "", false},
		{"\"caf\xc3\xa9\"", "", false},
		{`"open`, "", false},
		{`"`, "", false},
		{`12`, "", false},
	} {
		got, ok := plainString([]byte(tt.in))
		assert.Equal(t, tt.ok, ok, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
}
