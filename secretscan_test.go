package vaultspay_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/internal/envelope"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// The secret scan. Every fake that newFake starts records, from the wire, each secret a run uses: the
// client secret, every access and refresh token, every AES key (unwrapped with the fake's RSA key), IV
// and wrapped key, and every PAN, CVV, PIN and KYC document number in a request or answer. Every client
// the fake makes logs each attempt through slog (text and JSON handlers) and runs a middleware that
// prints, every way a caller might (%v, %+v, %#v, and slog text and JSON), each call's result (handed
// over by WithMiddlewareBodies) and error, and everything else middleware is handed. All of that text is
// scanned as it is produced, in every encoding of every secret seen so far (raw, hex, Base64 in four
// alphabets); t.Cleanup fails the test on any hit.

var secretScan struct {
	texts, secrets, hits atomic.Int64
}

// secretSink is one test's scan.
type secretSink struct {
	mu        sync.Mutex
	encoded   map[string]string // every encoding of every long secret → what it is
	short     map[string]string // CVVs and PINs, matched only after a cvv/cvc/pin label
	longLived []string          // the client secret and tokens: also searched inside small texts
	hits      []string
	log       *slog.Logger
}

func newSecretSink(t testing.TB) *secretSink {
	k := &secretSink{encoded: map[string]string{}, short: map[string]string{}}
	w := sinkWriter{k}
	opts := &slog.HandlerOptions{Level: slog.LevelDebug}
	k.log = slog.New(fanout{slog.NewTextHandler(w, opts), slog.NewJSONHandler(w, opts)})
	t.Cleanup(func() {
		k.mu.Lock()
		defer k.mu.Unlock()
		if len(k.hits) > 0 {
			t.Errorf("secret scan: %d hits, e.g.:\n%s", len(k.hits), strings.Join(k.hits[:min(len(k.hits), 10)], "\n"))
		}
	})
	return k
}

// clientOptions make every client of the fake log and report into the sink.
func (k *secretSink) clientOptions() []vaultspay.Option {
	return []vaultspay.Option{vaultspay.WithLogger(k.log), vaultspay.WithMiddlewareBodies(), vaultspay.WithMiddleware(k.middleware())}
}

// middleware prints everything middleware is handed, each call and attempt, every way a caller might.
func (k *secretSink) middleware() vaultspay.Middleware {
	print := func(what string, v any) {
		k.scan(what+" %v", fmt.Sprintf("%v", v))
		k.scan(what+" %+v", fmt.Sprintf("%+v", v))
		k.scan(what+" %#v", fmt.Sprintf("%#v", v))
		k.log.Info(what, "value", v)
	}
	return vaultspay.Middleware{
		Call: func(next vaultspay.CallFunc) vaultspay.CallFunc {
			return func(ctx context.Context, c *vaultspay.Call) error {
				err := next(ctx, c)
				result := c.Result
				if c.Operation.Name == "Client.Do" {
					result = nil // Do decodes into the caller's own value, whatever it holds
				}
				k.observe(result, err)
				print("middleware call", *c)
				return err
			}
		},
		Attempt: func(next vaultspay.AttemptFunc) vaultspay.AttemptFunc {
			return func(ctx context.Context, a *vaultspay.Attempt) error {
				err := next(ctx, a)
				seen := *a
				seen.Body = nil // the decrypted answer: card data by the caller's explicit choice (WithMiddlewareBodies)
				print("middleware attempt", seen)
				return err
			}
		},
	}
}

// secret records s, in each encoding, as a secret of the given kind.
func (k *secretSink) secret(s, kind string) {
	if s == "" {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(s) < 8 {
		if allDigits(s) && len(s) >= 3 {
			k.short[s] = kind
		}
		return
	}
	if _, seen := k.encoded[s]; seen {
		return
	}
	secretScan.secrets.Add(1)
	k.addEncodings([]byte(s), kind)
	k.encoded[s] = kind
	if kind == "client secret" || strings.HasSuffix(kind, "token") {
		k.longLived = append(k.longLived, s)
	}
}

// secretBytes records a binary secret (key, IV) in its text encodings.
func (k *secretSink) secretBytes(b []byte, kind string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	secretScan.secrets.Add(1)
	k.addEncodings(b, kind)
}

func (k *secretSink) addEncodings(b []byte, kind string) {
	for name, enc := range map[string]string{
		"Base64": base64.StdEncoding.EncodeToString(b), "Base64 URL": base64.URLEncoding.EncodeToString(b),
		"raw Base64": base64.RawStdEncoding.EncodeToString(b), "raw Base64 URL": base64.RawURLEncoding.EncodeToString(b),
		"hex": hex.EncodeToString(b), "HEX": strings.ToUpper(hex.EncodeToString(b)),
	} {
		k.encoded[enc] = kind + " as " + name
	}
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

var (
	secretRun  = regexp.MustCompile(`[A-Za-z0-9+/=_-]{8,}`)
	shortLabel = regexp.MustCompile(`(?i)\b(cvv2?|cvc|pin)\b["'\s:=]{0,4}([0-9]{3,6})\b`)
)

// scan looks for every recorded secret in text, which a caller could see at where.
func (k *secretSink) scan(where, text string) {
	secretScan.texts.Add(1)
	k.mu.Lock()
	defer k.mu.Unlock()
	hit := func(kind string) {
		secretScan.hits.Add(1)
		k.hits = append(k.hits, fmt.Sprintf("%s: %s", where, kind))
	}
	for _, run := range secretRun.FindAllString(text, -1) {
		if kind, ok := k.encoded[run]; ok {
			hit(kind)
		} else if kind, ok := k.encoded[strings.TrimRight(run, "=")]; ok {
			hit(kind)
		}
	}
	for _, m := range shortLabel.FindAllStringSubmatch(text, -1) {
		if kind, ok := k.short[m[2]]; ok {
			hit(kind + " after a label")
		}
	}
	if len(text) <= 8<<10 {
		for _, s := range k.longLived {
			if strings.Contains(text, s) {
				hit(k.encoded[s] + " inside the text")
			}
		}
	}
}

// observe prints a call's result and error every way a caller might.
func (k *secretSink) observe(result any, err error) {
	if err != nil {
		k.scan("error string", err.Error())
		k.scan("error %+v", fmt.Sprintf("%+v", err))
		k.scan("error %#v", fmt.Sprintf("%#v", err))
		k.log.Info("call failed", "err", err)
	}
	if result != nil {
		k.scan("result %v", fmt.Sprintf("%v", result))
		k.scan("result %+v", fmt.Sprintf("%+v", result))
		k.scan("result %#v", fmt.Sprintf("%#v", result))
		k.log.Info("call result", "result", result)
	}
}

// sinkWriter scans each log record (text and JSON handlers write one record per Write).
type sinkWriter struct{ k *secretSink }

func (w sinkWriter) Write(p []byte) (int, error) {
	w.k.scan("slog", string(p))
	return len(p), nil
}

// fanout sends each record to every handler.
type fanout []slog.Handler

func (f fanout) Enabled(ctx context.Context, l slog.Level) bool {
	for _, h := range f {
		if h.Enabled(ctx, l) {
			return true
		}
	}
	return false
}

func (f fanout) Handle(ctx context.Context, r slog.Record) error {
	for _, h := range f {
		if err := h.Handle(ctx, r.Clone()); err != nil {
			return err
		}
	}
	return nil
}

func (f fanout) WithAttrs(as []slog.Attr) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithAttrs(as)
	}
	return out
}

func (f fanout) WithGroup(name string) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithGroup(name)
	}
	return out
}

// sensitiveKeys are the JSON members whose values are secrets (compared in lower case).
var sensitiveKeys = map[string]string{
	"clientsecret": "client secret", "accesstoken": "access token", "refreshtoken": "refresh token",
	"pan": "PAN", "cardnumber": "PAN", "cvv": "CVV", "cvc": "CVV", "cvv2": "CVV", "pin": "PIN",
	"documentnumber": "KYC document number",
}

// collect records the secrets of a JSON body.
func (k *secretSink) collect(body []byte) {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for key, val := range x {
				if kind, ok := sensitiveKeys[strings.ToLower(key)]; ok {
					switch s := val.(type) {
					case string:
						k.secret(s, kind)
					case json.Number, float64:
						k.secret(fmt.Sprint(s), kind)
					}
				}
				walk(val)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
}

// teeWriter keeps a copy of the answer; Unwrap lets the fake hijack and flush through it.
type teeWriter struct {
	http.ResponseWriter
	buf bytes.Buffer
}

func (w *teeWriter) Write(b []byte) (int, error) {
	w.buf.Write(b)
	return w.ResponseWriter.Write(b)
}

func (w *teeWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// wire wraps the fake's handler: it records the secrets of each request and of its answer.
func (k *secretSink) wire(srv *vaultspaytest.Server) http.Handler {
	next := srv.Config.Handler
	profile := srv.WireProfile()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/_fake/") {
			next.ServeHTTP(w, r)
			return
		}
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			k.secret(tok, "access token")
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, 64<<20))
		r.Body = io.NopCloser(bytes.NewReader(body))
		sess := k.session(profile, r.Header.Get("x-session-nonce"), r.Header.Get("x-auth-signature"))
		if sess != nil && envelope.IsEncrypted(profile.Body, body) {
			if pt, err := sess.OpenRequest(profile, body); err == nil {
				body = pt
			}
		}
		k.collect(body)
		tw := &teeWriter{ResponseWriter: w}
		next.ServeHTTP(tw, r)
		answer := tw.buf.Bytes()
		if sess != nil && envelope.IsEncrypted(profile.Body, answer) {
			var nonce string
			for k, v := range tw.Header() { // the fake sets it verbatim, in lower case
				if strings.EqualFold(k, "x-session-nonce") && len(v) > 0 {
					nonce = v[0]
				}
			}
			if iv, err := sess.ResponseIV(profile, nonce); err == nil {
				if pt, err := sess.Open(profile, iv, answer); err == nil {
					answer = pt
				}
			}
		}
		k.collect(answer)
	})
}

// session records the request's IV, wrapped key and AES key, and returns the session that opens the
// request and its answer (nil when the headers are missing or bad).
func (k *secretSink) session(p vaultspay.WireProfile, nonce, sig string) *envelope.Session {
	if nonce == "" || sig == "" {
		return nil
	}
	k.secret(sig, "wrapped AES key")
	iv, err := envelope.DecodeNonce(nonce)
	if err != nil {
		return nil
	}
	k.secretBytes(iv, "IV")
	aesKey, err := envelope.UnwrapKey(fakeKey, p, sig)
	if err != nil {
		return nil
	}
	k.secretBytes(aesKey, "AES key")
	sess, err := envelope.SessionOf(aesKey, iv)
	if err != nil {
		return nil
	}
	return sess
}

// inflight tracks the requests a fake is serving, so that a test can wait until every request that
// began before some moment has been fully handled: an abandoned request may still land after its
// client gave up, and reconciling before it did would be wrong.
type inflight struct {
	mu      sync.Mutex
	cond    *sync.Cond
	next    uint64
	running map[uint64]bool
}

var inflights sync.Map // *vaultspaytest.Server → *inflight

// trackInflight wraps h and registers the tracker for srv.
func trackInflight(srv *vaultspaytest.Server, h http.Handler) http.Handler {
	f := &inflight{running: map[uint64]bool{}}
	f.cond = sync.NewCond(&f.mu)
	inflights.Store(srv, f)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		id := f.next
		f.next++
		f.running[id] = true
		f.mu.Unlock()
		defer func() {
			f.mu.Lock()
			delete(f.running, id)
			f.cond.Broadcast()
			f.mu.Unlock()
		}()
		h.ServeHTTP(w, r)
	})
}

// settle waits until every request srv received before the call has been handled.
func settle(srv *vaultspaytest.Server) {
	v, ok := inflights.Load(srv)
	if !ok {
		return
	}
	f := v.(*inflight)
	f.mu.Lock()
	defer f.mu.Unlock()
	mark := f.next
	for {
		older := false
		for id := range f.running {
			older = older || id < mark
		}
		if !older {
			return
		}
		f.cond.Wait()
	}
}
