package vaultspay

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

// accountJSON is an account answer as the fake sends it.
const accountJSON = `{"id":13,"userId":3,"accountType":"DIGITAL","currencyCode":"AED","currency":{"createdAt":` +
	`"2024-10-07T04:56:49.699+00:00","createdBy":null,"id":2,"name":"United \"ARAB\" EMIRATE {x}","code":"AED"},` +
	`"balance":1.25,"references":[],"iban":null,"isPrimary":true}`

// TestDecodeNewMatchesDecodeData: the one-pass decoding of call gives what decodeData into a new value
// gives, values, raw JSON and errors alike, for every shape of answer.
func TestDecodeNewMatchesDecodeData(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"data":` + accountJSON + `}`,
		" \n{ \"data\" : " + accountJSON + " , \"pagination\" : {\"currentPage\":1} }\n",
		`{"pagination":{"totalCount":"3"},"data":` + accountJSON + `,"extra":[{"data":1}]}`,
		`{"Data":` + accountJSON + `}`,
		`{"DATA":{"id":1},"data":{"userId":2}}`,
		`{"data":{"id":1},"data":{"userId":2}}`,
		`{"d\u0061ta":{"id":1}}`,
		`{"dat\u0061":{"id":1},"data":{"userId":2}}`,
		`{"datä":{"id":1},"data":{"userId":2}}`,
		`{"data":null}`,
		`{"data":{}}`,
		`{"id":1,"userId":2}`,
		`{"data":{"id":"x"}}`,
		`{"data":{"balance":"ten"}}`,
		`{"data":[1,2]}`,
		`{"data":{"id":1},"pagination":{"page":"x"}}`,
		`{"data":{"id":1}} trailing`,
		`{"data":{"id":1}`,
		`[{"id":1}]`,
		`"text"`,
		``,
		`<html></html>`,
	} {
		res := &Response{StatusCode: 200, Body: []byte(body)}
		want := new(Account)
		_, wantErr := decodeData(res, want)
		if wantErr != nil {
			want = nil
		}
		got, err := decodeNew[Account](res)
		assert.Equal(t, wantErr, err, body)
		assert.Equal(t, want, got, body)
		if got != nil {
			assert.Equal(t, want.RawJSON(), got.RawJSON(), body)
		}
	}
}

func TestMemberValue(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		body, want string
		ok         bool
	}{
		{`{"data":{"a":"}]\"{"},"b":1}`, `{"a":"}]\"{"}`, true},
		{` { "x" : [ {"data":1} ] , "data" : "s\\" } `, `"s\\"`, true},
		{`{"data":"a\\\"b\\","x":1}`, `"a\\\"b\\"`, true},
		{`{"data":"\\","x":"\""}`, `"\\"`, true},
		{`{"x":"\\\\\"","data":["\"\\"]}`, `["\"\\"]`, true},
		{`{"data":-1.5e3}`, `-1.5e3`, true},
		{`{"data":true,"x":null}`, `true`, true},
		{`{"Data":[]}`, `[]`, true},
		{`{}`, ``, false},
		{`{"x":1}`, ``, false},
		{`{"data":1,"DATA":2}`, ``, false},
		{`{"d\u0061ta":1}`, ``, false},
		{`{"é":1,"data":2}`, ``, false},
		{`[{"data":1}]`, ``, false},
	} {
		got, ok := memberValue([]byte(tt.body), "data")
		assert.Equal(t, tt.ok, ok, tt.body)
		if tt.ok {
			assert.Equal(t, tt.want, string(got), tt.body)
		}
	}
	// Cut anywhere, an answer never makes it panic and is never read as complete.
	body := []byte(`{"pagination":{"a":[1,"]"]},"data":{"s":"x\"}","n":[{}]}}`)
	assert.True(t, json.Valid(body))
	for i := 0; i < len(body); i++ {
		assert.NotPanics(t, func() {
			_, ok := memberValue(body[:i], "data")
			assert.False(t, ok, string(body[:i]))
		})
	}
}

// FuzzOnePassDecoding: for any body, the one-pass decoders give exactly what decodeData gives.
func FuzzOnePassDecoding(f *testing.F) {
	seedFiles(f, "wallets/*.response*", func(b []byte) { f.Add(b) })
	for _, s := range []string{`{"data":` + accountJSON + `}`, `{"data":[{"id":1}],"pagination":{"page":"2"}}`,
		`{"Data":{"id":1},"data":{"userId":2}}`, `{"d\u0061ta":{"id":1}}`, `{"data":null}`, `[1]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		res := &Response{StatusCode: 200, Body: body}
		want := new(Account)
		if _, err := decodeData(res, want); err != nil {
			want = nil
		}
		got, _ := decodeNew[Account](res)
		if !assert.Equal(t, want, got) {
			t.FailNow()
		}
		var wantRaws []json.RawMessage
		wantPag, wantErr := decodeData(res, &wantRaws)
		raws, pag, err := decodeList(res)
		if !assert.Equal(t, wantRaws, raws) || !assert.Equal(t, wantPag, pag) || !assert.Equal(t, wantErr, err) {
			t.FailNow()
		}
	})
}
