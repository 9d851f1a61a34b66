package vaultspay

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/vaultspay-go/vaultspay/internal/envelope"
)

// Fuzz targets: go test -run '^$' -fuzz '^FuzzX$' -fuzztime 2s . (.ci/run runs each one briefly).
// Seeds are the spec's examples under testdata/spec. Every target must never panic; the decoding
// targets run the whole client pipeline (status, body, error and pagination decoding) over a canned
// answer read through a 64 KiB response limit.

// seedFiles adds every file under testdata/spec matching glob as a seed, through add.
func seedFiles(f *testing.F, glob string, add func(b []byte)) {
	f.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", "spec", glob))
	if err != nil || len(names) == 0 {
		f.Fatalf("no seeds for %s: %v", glob, err)
	}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		add(b)
	}
}

// cannedAnswer is a RoundTripper that answers every request with one status and body.
type cannedAnswer struct {
	status int
	body   []byte
}

func (c cannedAnswer) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	return &http.Response{StatusCode: c.status, Header: http.Header{"Content-Type": {"application/json"}}, Request: r,
		Body: io.NopCloser(bytes.NewReader(c.body)), ContentLength: int64(len(c.body))}, nil
}

// cannedClient is a client whose every call gets status and body, with no retries and a 64 KiB limit.
func cannedClient(t *testing.T, status int, body []byte) *Client {
	if status < 100 || status > 599 {
		status = 200
	}
	c, err := NewClient(WithBaseURL("http://127.0.0.1:7"), WithAppID(testAppID), WithEncryption(false),
		WithTokenSource(staticToken("tok")), WithHTTPClient(&http.Client{Transport: cannedAnswer{status, body}}),
		WithRetryPolicy(RetryPolicy{}), WithMaxResponseSize(64<<10))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var longDigits = regexp.MustCompile(`[0-9]{8,}`)

// checkCallResult: a result and an error never come together, and no error string carries a run of
// eight or more digits from the body (card numbers and document numbers are masked).
func checkCallResult(t *testing.T, ok bool, err error) {
	t.Helper()
	if ok == (err != nil) {
		t.Fatalf("result present %v with error %v", ok, err)
	}
	if err != nil && longDigits.MatchString(err.Error()) {
		t.Fatalf("error text carries a long digit run: %s", err)
	}
}

func addStatusSeeds(f *testing.F, b []byte) {
	for _, s := range []int{200, 422, 500, 503} {
		f.Add(s, b)
	}
}

func FuzzDecodeCard(f *testing.F) {
	seedFiles(f, "cards/*.response*", func(b []byte) { addStatusSeeds(f, b) })
	f.Add(200, []byte(cardObject()))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		card, err := cannedClient(t, status, body).Cards.Details(context.Background(), CardByID(17))
		checkCallResult(t, card != nil, err)
		if card != nil {
			_ = card.RawJSON()
		}
	})
}

func FuzzDecodeAccount(f *testing.F) {
	seedFiles(f, "wallets/*.response*", func(b []byte) { addStatusSeeds(f, b) })
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		a, err := cannedClient(t, status, body).Wallets.Get(context.Background(), 12)
		checkCallResult(t, a != nil, err)
	})
}

func FuzzDecodeTransaction(f *testing.F) {
	seedFiles(f, "transactions/*", func(b []byte) { addStatusSeeds(f, b) })
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		tx, err := cannedClient(t, status, body).Transactions.Get(context.Background(), 14756)
		checkCallResult(t, tx != nil, err)
	})
}

// FuzzDecodePage: list answers, their pagination object, and the pager's walk over them.
func FuzzDecodePage(f *testing.F) {
	seedFiles(f, "transactions/*", func(b []byte) { f.Add(b) })
	seedFiles(f, "wallets/get-accounts*", func(b []byte) { f.Add(b) })
	f.Add([]byte(`{"data":[],"pagination":{"current_page":"1","per_page":"20","total_pages":"9","total":"1"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c := cannedClient(t, 200, body)
		page, err := c.Transactions.List(context.Background(), nil)
		checkCallResult(t, page != nil, err)
		if page != nil {
			_ = page.HasNext()
		}
		n := 0
		for _, err := range c.Wallets.ListIter(context.Background(), nil) {
			if n++; err != nil || n > 1000 { // the same page again stops the walk (ErrRepeatedPage)
				break
			}
		}
		var p Pagination
		_ = p.UnmarshalJSON(body)
	})
}

// FuzzDecodeError: any status and body yields a typed error (or a result), never a panic, never a
// long digit run in the error text.
func FuzzDecodeError(f *testing.F) {
	seedFiles(f, "*/*error*", func(b []byte) {
		for _, s := range []int{400, 401, 422, 429, 500, 502} {
			f.Add(s, b)
		}
	})
	f.Add(502, []byte("<html><body>502 Bad Gateway ref 4111111111111111</body></html>"))
	f.Add(200, []byte(`{"code":"1003","type":"TOKEN_EXPIRED"}`))
	f.Add(422, []byte(`{"code":1000,"type":"T4111111111111111","message":"pan 4111111111111111",`+
		`"errors":[{"key":"k4111111111111111","reason":"4111111111111111"}]}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		var out any
		err := cannedClient(t, status, body).Do(context.Background(), http.MethodGet, "/v1/x", nil, &out)
		checkCallResult(t, err == nil, err)
		var apiErr *APIError
		var re *ResponseError
		if err != nil && !errors.As(err, &apiErr) && !errors.As(err, &re) {
			t.Fatalf("untyped error: %v", err)
		}
		_ = looksLikeError(body)
		_ = probeCode(body)
	})
}

func FuzzParseEvent(f *testing.F) {
	seedFiles(f, "webhooks/*", func(b []byte) { f.Add(b) })
	seedFiles(f, "transfers/webhook-*", func(b []byte) { f.Add(b) })
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := ParseEvent(body)
		if (ev == nil) == (err == nil) {
			t.Fatalf("event %v with error %v", ev, err)
		}
		if ev != nil {
			_, _ = ev.EventID(), ev.EventType()
		}
	})
}

func FuzzCheckIBAN(f *testing.F) {
	for _, s := range []string{"AE580300000002000007377", "ae58 0300 0000 0200 0007 377", "GB82WEST12345698765432", "AE00", "", "XX", "AE58!3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeIBAN(s)
		if NormalizeIBAN(n) != n {
			t.Fatalf("NormalizeIBAN not idempotent on %q", s)
		}
		if CheckIBAN(s) == nil && (len(n) != ibanLengths[n[:2]] || ibanMod97(n) != 1) {
			t.Fatalf("%q accepted but not a valid IBAN", s)
		}
	})
}

func FuzzPANShape(f *testing.F) {
	for _, s := range []string{"5408968100040422", "4111111111111111", "411111111111111", "1234", "", "abcd5408968100040422"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := PAN(s)
		shown := p.String()
		if len(s) > 4 && strings.Contains(shown, s) {
			t.Fatalf("PAN %q printed as %q", s, shown)
		}
		if panShape(s) == "" && (len(p.Last4()) != 4 || !luhn(s)) {
			t.Fatalf("%q accepted as a PAN", s)
		}
		_ = pinShape(s)
	})
}

// fuzzSealed holds one sealed request per wire profile, made once (RSA is slow for a fuzz loop).
var fuzzSealed struct {
	once     sync.Once
	profiles []WireProfile
	sealed   []*sealedReq
	answers  [][2]string // a valid answer (nonce, body) per profile
}

func FuzzEnvelopeOpen(f *testing.F) {
	priv := testKey(f)
	fuzzSealed.once.Do(func() {
		for _, p := range allProfiles() {
			env, err := newSealer(&priv.PublicKey, p)
			if err != nil {
				panic(err)
			}
			s, err := env.Seal(nil)
			if err != nil {
				panic(err)
			}
			sess, err := envelope.Unwrap(priv, env.Profile(), s.Nonce, s.Signature)
			if err != nil {
				panic(err)
			}
			body, nonce, err := sess.SealResponse(env.Profile(), []byte(`{"data":{"ok":true}}`))
			if err != nil {
				panic(err)
			}
			fuzzSealed.profiles = append(fuzzSealed.profiles, env.Profile())
			fuzzSealed.sealed = append(fuzzSealed.sealed, s)
			fuzzSealed.answers = append(fuzzSealed.answers, [2]string{nonce, string(body)})
		}
	})
	for i, a := range fuzzSealed.answers {
		f.Add(uint8(i), a[0], []byte(a[1]))
	}
	f.Add(uint8(0), "", []byte(`{"encryptedData":"AAAA"}`))
	f.Fuzz(func(t *testing.T, which uint8, nonce string, body []byte) {
		i := int(which) % len(fuzzSealed.sealed)
		s := fuzzSealed.sealed[i]
		_ = s.IsEncrypted(body)
		pt, err := s.Open(nonce, body)
		if err == nil && !bytes.Equal(pt, []byte(`{"data":{"ok":true}}`)) {
			// GCM cannot be forged: only the one sealed answer (or its encodings) may open.
			t.Fatalf("profile %d opened a forged body to %q", i, pt)
		}
	})
}
