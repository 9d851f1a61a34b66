package vaultspay

import (
	"bytes"
	"encoding/json"
)

// decodeNew decodes the payload of a success body into a new T, as decodeData does. The usual
// {"data": {...}} answer is decoded in one pass and its raw JSON cut out of the body; decodeData would
// validate and scan the "data" member twice more before decoding it (a quarter of the client's CPU on
// an account read). Every other answer, and any that the one pass refuses, goes through decodeData
// into a fresh T, so results and errors are the same.
func decodeNew[T any](res *Response) (*T, error) {
	var env struct {
		Data       *T          `json:"data"`
		Pagination *Pagination `json:"pagination"` // decoded only so that a bad one fails as in decodeData
	}
	if json.Unmarshal(res.Body, &env) == nil && env.Data != nil {
		if data, ok := memberValue(res.Body, "data"); ok {
			setRawJSON(env.Data, data[:len(data):len(data)]) // a view of res.Body, which is this answer's own
			return env.Data, nil
		}
	}
	out := new(T)
	if _, err := decodeData(res, out); err != nil {
		return nil, err
	}
	return out, nil
}

// memberValue returns the value of the one member of the top-level object b that encoding/json would
// decode into a struct field tagged name (lower-case ASCII): its key equals name ignoring ASCII case. b
// is meant to be valid JSON (it has just been decoded); anything else gives ok false, never a panic. ok
// is also false when no key or more than one matches, or when any key is escaped or not ASCII, whose
// matching this does not model.
func memberValue(b []byte, name string) (value []byte, ok bool) {
	i := skipSpace(b, 0)
	if i == len(b) || b[i] != '{' {
		return nil, false
	}
	found := 0
	for i++; ; i++ { // just past '{' or ','
		i = skipSpace(b, i)
		if i < len(b) && b[i] == '}' {
			break
		}
		if i == len(b) || b[i] != '"' {
			return nil, false
		}
		end := stringEnd(b, i)
		if end < 0 {
			return nil, false
		}
		key := b[i+1 : end-1]
		for _, c := range key {
			if c == '\\' || c >= 0x80 {
				return nil, false
			}
		}
		if i = skipSpace(b, end); i == len(b) || b[i] != ':' {
			return nil, false
		}
		i = skipSpace(b, i+1)
		vEnd := valueEnd(b, i)
		if vEnd <= i {
			return nil, false
		}
		if len(key) == len(name) && bytes.EqualFold(key, []byte(name)) {
			value, found = b[i:vEnd], found+1
		}
		if i = skipSpace(b, vEnd); i == len(b) || b[i] != ',' {
			return value, found == 1 && i < len(b) && b[i] == '}'
		}
	}
	return nil, false
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index just past the string that starts at b[i] ('"'), or -1 if it never ends.
func stringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// valueEnd returns the index just past the value that starts at b[i], or -1 if it never ends.
func valueEnd(b []byte, i int) int {
	switch {
	case i == len(b):
		return -1
	case b[i] == '"':
		return stringEnd(b, i)
	case b[i] == '{' || b[i] == '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				if i = stringEnd(b, i); i < 0 {
					return -1
				}
				i--
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return -1
	default: // number, true, false, null
		for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
			i++
		}
		return i
	}
}
