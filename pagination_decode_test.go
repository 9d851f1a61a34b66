package vaultspay

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestDecodeListMatchesDecodeData: the one-pass list decoding gives what decodeData gives, items,
// pagination and errors alike, for every shape of answer.
func TestDecodeListMatchesDecodeData(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"data":[{"id":1},{"id":2}],"pagination":{"currentPage":1,"perPage":2,"totalPages":3,"totalCount":5}}`,
		` {"pagination":{"current_page":"2"},"data":[ 1 , "two" , null ]} `,
		`{"data":[]}`,
		`{"data":null}`,
		`{"Data":[{"id":3}]}`,
		`{"data":[1],"data":[2,3]}`,
		`{"data":{"id":1}}`,
		`{"id":1}`,
		`[{"id":1},{"id":2}]`,
		`{"data":[1],"pagination":{"page":"x"}}`,
		`{"data":[1],"pagination":[]}`,
		`{"data":[1,}`,
		`<html>bad gateway</html>`,
		``,
		`"text"`,
	} {
		res := &Response{StatusCode: 200, Body: []byte(body)}
		var want []json.RawMessage
		wantPag, wantErr := decodeData(res, &want)
		got, gotPag, gotErr := decodeList(res)
		assert.Equal(t, want, got, body)
		assert.Equal(t, wantPag, gotPag, body)
		assert.Equal(t, wantErr, gotErr, body)
	}
}
