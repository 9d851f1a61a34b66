package vaultspay

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadBody: a response body reads the same whatever length was announced, up to the cap.
func TestReadBody(t *testing.T) {
	t.Parallel()
	body := strings.Repeat("0123456789", 500)
	const limit = 8000
	huge := int64(limit + 100)
	errBoom := errors.New("boom")
	for _, tt := range []struct {
		name    string
		r       func() io.Reader
		size    int64
		wantLen int
		err     error
	}{
		{"known length", func() io.Reader { return strings.NewReader(body) }, int64(len(body)), len(body), nil},
		{"unknown length", func() io.Reader { return strings.NewReader(body) }, -1, len(body), nil},
		{"empty", func() io.Reader { return strings.NewReader("") }, 0, 0, nil},
		{"longer than announced", func() io.Reader { return strings.NewReader(body) }, 10, len(body), nil},
		{"shorter than announced", func() io.Reader { return strings.NewReader(body) }, int64(len(body)) * 2, len(body), nil},
		{"one byte at a time", func() io.Reader { return iotest.OneByteReader(strings.NewReader(body)) }, int64(len(body)), len(body), nil},
		{"announced past the cap", func() io.Reader { return strings.NewReader(body) }, huge, len(body), nil},
		{"exactly the cap", func() io.Reader { return io.LimitReader(zeros{}, limit) }, limit, limit, nil},
		{"over the cap, known length", func() io.Reader { return io.LimitReader(zeros{}, huge) }, huge, limit + 1, nil},
		{"over the cap, lying length", func() io.Reader { return io.LimitReader(zeros{}, huge) }, 100, limit + 1, nil},
		{"over the cap, unknown length", func() io.Reader { return io.LimitReader(zeros{}, huge) }, -1, limit + 1, nil},
		{"error half-way", func() io.Reader {
			return io.MultiReader(strings.NewReader(body[:100]), iotest.ErrReader(errBoom))
		}, int64(len(body)), 100, errBoom},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readBody(tt.r(), tt.size, limit)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
			} else {
				require.NoError(t, err)
			}
			assert.Len(t, got, tt.wantLen)
			if tt.wantLen <= len(body) {
				assert.Equal(t, body[:tt.wantLen], string(got))
			}
		})
	}
}

// zeros reads as an endless run of '0'.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	copy(p, bytes.Repeat([]byte{'0'}, len(p)))
	return len(p), nil
}
