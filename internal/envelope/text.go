package envelope

import (
	"fmt"
	"strings"
)

// Names of the profile's fields in its text form; they are also the CLI's flag names.
const (
	textKeyWrap     = "key-wrap"
	textKeyEncoding = "key-encoding"
	textBody        = "body"
	textResponseIV  = "response-iv"
)

// String is the profile's text form, every field spelled out after normalizing:
// "key-wrap=pkcs1v15,key-encoding=raw,body=json-object,response-iv=header". ParseProfile reads it back.
func (p Profile) String() string {
	n, err := p.Normalize()
	if err != nil {
		n = p // keep the unknown value visible
	}
	return textKeyWrap + "=" + string(n.KeyWrap) + "," + textKeyEncoding + "=" + string(n.KeyEncoding) + "," +
		textBody + "=" + string(n.Body) + "," + textResponseIV + "=" + string(n.ResponseIV)
}

// ParseProfile reads the text form of String. Fields may come in any order and be left out (the
// default then applies); "" and "default" are the default profile. Unknown names and values are errors.
func ParseProfile(s string) (Profile, error) {
	var p Profile
	s = strings.TrimSpace(s)
	if s == "" || s == "default" {
		return p.Normalize()
	}
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || v == "" {
			return Profile{}, fmt.Errorf("wire profile %q: want name=value pairs separated by commas", s)
		}
		if seen[k] {
			return Profile{}, fmt.Errorf("wire profile %q: %s given twice", s, k)
		}
		seen[k] = true
		switch k {
		case textKeyWrap:
			p.KeyWrap = KeyWrap(v)
		case textKeyEncoding:
			p.KeyEncoding = KeyEncoding(v)
		case textBody:
			p.Body = BodyFormat(v)
		case textResponseIV:
			p.ResponseIV = ResponseIV(v)
		default:
			return Profile{}, fmt.Errorf("wire profile %q: unknown field %q (want %s, %s, %s or %s)", s, k,
				textKeyWrap, textKeyEncoding, textBody, textResponseIV)
		}
	}
	n, err := p.Normalize()
	if err != nil {
		return Profile{}, fmt.Errorf("wire profile %q: %w", s, err)
	}
	return n, nil
}
