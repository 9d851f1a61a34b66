package vaultspay

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/vaultspay-go/vaultspay/internal/envelope"
)

// WithWireProfileDetection lets the first login find the wire profile the server speaks. When the
// login answer says the envelope could not be opened (1018 INVALID_HEADERS, or an answer that cannot be
// decrypted), the client logs in again with the next candidate of WireProfileCandidates, the configured
// profile first, and pins the first one accepted for its lifetime (Client.WireProfile, and one Info line
// on WithLogger's logger). Where the answer's IV comes from is read off that successful answer itself.
//
// Only login is ever repeated this way: it moves no money and creates nothing the user can see, and a
// server that cannot open the envelope cannot read the credentials either. Every candidate uses the
// same key and credentials. Detection stops at the first answer that is not an envelope refusal (bad
// credentials 1002, throttling, a network failure) and returns it; when every candidate is refused the
// login fails with a *WireProfileError (ErrWireProfileNotFound), and the next login detects afresh.
// Concurrent calls share one detection, bounded as a whole like any login (one minute). It needs the
// built-in login and encryption on; NewClient refuses it otherwise.
func WithWireProfileDetection() Option {
	return func(c *config) error { c.detect = true; return nil }
}

// ErrWireProfileNotFound is matched by the *WireProfileError of a detection that found no profile.
var ErrWireProfileNotFound = errors.New("vaultspay: no wire profile was accepted")

// ProfileAttempt is one candidate a detection tried and why the server refused it.
type ProfileAttempt struct {
	Profile WireProfile
	Err     error // the login's error: an *APIError with code 1018, or a *ResponseError (ErrUndecryptable)
}

// WireProfileError is a detection in which the server refused every candidate's envelope. With the
// right key this does not happen for a server that speaks one of the SDK's profiles, so the usual cause
// is an RSA public key that does not match the server's private key.
type WireProfileError struct {
	Tried []ProfileAttempt // in the order tried
}

func (e *WireProfileError) Error() string {
	var b strings.Builder
	b.WriteString("vaultspay: login refused the envelope under all ")
	b.WriteString(strconv.Itoa(len(e.Tried)))
	b.WriteString(" wire profiles tried (most likely the RSA public key does not match the server's): ")
	for i, t := range e.Tried {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(t.Profile.String() + ": " + refusal(t.Err))
	}
	return b.String()
}

// Is matches ErrWireProfileNotFound.
func (e *WireProfileError) Is(target error) bool { return target == ErrWireProfileNotFound }

// Unwrap returns the last refusal, so errors.As finds its *APIError.
func (e *WireProfileError) Unwrap() error {
	if len(e.Tried) == 0 {
		return nil
	}
	return e.Tried[len(e.Tried)-1].Err
}

// refusal names why a candidate was refused, in a few words.
func refusal(err error) string {
	var apiErr *APIError
	switch {
	case errors.As(err, &apiErr) && apiErr.Code != 0:
		return strconv.Itoa(int(apiErr.Code)) + " " + apiErr.Type
	case errors.Is(err, ErrUndecryptable):
		return "answer could not be decrypted"
	}
	return "refused"
}

// WireProfileCandidates returns the request-side profiles a detection tries after the configured one,
// most likely first: the RSA padding varies slowest (PKCS#1 v1.5, what JCA's "RSA" means; SunJCE's
// "OAEPWithSHA-256AndMGF1Padding", which keeps MGF1 on SHA-1; "OAEPWithSHA-1AndMGF1Padding"; OAEP with
// SHA-256 throughout, which Java reaches only with an explicit OAEPParameterSpec), then the wrapped key
// (the raw bytes the vendor's sample passes on, then their Base64 text), then the body (the sample's
// "encryptedData" map key as a JSON object, Base64 text, a JSON string). ResponseIV is left at its
// default: the successful answer settles it.
//
// The bound is all 24 of them (4 paddings × 2 key forms × 3 bodies), the whole set the SDK speaks: each
// refused candidate costs one login round trip and changes nothing on the server, and a smaller bound
// would fail users whose server speaks a profile late in the list.
func WireProfileCandidates() []WireProfile {
	out := make([]WireProfile, 0, 24)
	for _, w := range []KeyWrap{KeyWrapPKCS1v15, KeyWrapOAEPSHA256MGF1SHA1, KeyWrapOAEPSHA1, KeyWrapOAEPSHA256} {
		for _, k := range []KeyEncoding{KeyEncodingRaw, KeyEncodingBase64} {
			for _, b := range []BodyFormat{BodyJSONObject, BodyBase64Text, BodyJSONString} {
				out = append(out, WireProfile{KeyWrap: w, KeyEncoding: k, Body: b, ResponseIV: ResponseIVHeader})
			}
		}
	}
	return out
}

// ParseWireProfile reads a profile's text form (WireProfile's String, e.g.
// "key-wrap=oaep-sha1,key-encoding=raw,body=json-object,response-iv=header"). Fields may be left out
// and take their default; "" and "default" are the default profile.
func ParseWireProfile(s string) (WireProfile, error) {
	p, err := envelope.ParseProfile(s)
	if err != nil {
		return WireProfile{}, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	return p, nil
}

// Detection is what a wire-profile detection found.
type Detection struct {
	Profile WireProfile      // the profile pinned
	Refused []ProfileAttempt // the candidates refused before it, in order
}

// WireProfile returns the wire profile the client speaks now: the one detection pinned, else the
// configured one (normalized), or the zero WireProfile for a client that seals nothing. Write a detected profile into the configuration with WithWireProfile
// (its String form is what ParseWireProfile, VAULTSPAY_WIRE_PROFILE and the CLI's --wire-profile read).
func (c *Client) WireProfile() WireProfile {
	if e := c.envelopeFor(context.Background()); e != nil {
		return e.Profile()
	}
	return WireProfile{} // no envelope: nothing is sealed
}

// WireProfileDetection returns what detection found; ok is false when WithWireProfileDetection is off
// or no login has succeeded yet.
func (c *Client) WireProfileDetection() (d Detection, ok bool) {
	if c.detect == nil {
		return Detection{}, false
	}
	c.detect.mu.Lock()
	defer c.detect.mu.Unlock()
	if c.detect.pinned.Load() == nil {
		return Detection{}, false
	}
	return Detection{Profile: c.detect.pinned.Load().Profile(), Refused: append([]ProfileAttempt(nil), c.detect.refused...)}, true
}

// detector is the state of WithWireProfileDetection. Detection runs inside the authenticator's single
// login flight, so one runs at a time however many goroutines call.
type detector struct {
	c      *Client
	pinned atomic.Pointer[sealer] // nil until a login succeeded

	mu      sync.Mutex
	refused []ProfileAttempt // of the detection that pinned
}

// newDetector returns nil when detection is off, or an error when it cannot work.
func newDetector(cfg config, c *Client) (*detector, error) {
	if !cfg.detect {
		return nil, nil
	}
	if cfg.tokenSource != nil {
		return nil, errors.New("WithWireProfileDetection needs the built-in login, not WithTokenSource")
	}
	if c.env == nil || !c.encrypt {
		return nil, errors.New("WithWireProfileDetection needs encryption on and an RSA public key")
	}
	return &detector{c: c}, nil
}

// probeKey carries the candidate's *sealer to sealedRequest for one detection login.
type probeKey struct{}

// envelopeFor returns the envelope a request is sealed with: a detection candidate's, the pinned one,
// else the configured one (nil without a public key).
func (c *Client) envelopeFor(ctx context.Context) *sealer {
	if c.detect == nil {
		return c.env
	}
	if e, ok := ctx.Value(probeKey{}).(*sealer); ok {
		return e
	}
	if e := c.detect.pinned.Load(); e != nil {
		return e
	}
	return c.env
}

// login logs in trying each candidate in turn (see WithWireProfileDetection) and pins the first one
// accepted.
func (d *detector) login(ctx context.Context, a *authenticator) (*Token, error) {
	first := d.c.env.Profile()
	first.ResponseIV = ResponseIVHeader
	cands := []WireProfile{first}
	for _, p := range WireProfileCandidates() {
		if p != first {
			cands = append(cands, p)
		}
	}
	var refused []ProfileAttempt
	for _, p := range cands {
		probe := new(ivProbe)
		env := &sealer{pub: d.c.env.pub, profile: p, probe: probe}
		tok, err := a.loginOnce(context.WithValue(ctx, probeKey{}, env))
		if err == nil {
			if iv := probe.v.Load(); iv != nil {
				p.ResponseIV = *iv
			}
			d.pin(ctx, p, refused)
			return tok, nil
		}
		if !envelopeRefused(err) {
			return nil, err
		}
		refused = append(refused, ProfileAttempt{Profile: p, Err: err})
	}
	return nil, &WireProfileError{Tried: refused}
}

// pin makes p the client's profile for its lifetime and reports it.
func (d *detector) pin(ctx context.Context, p WireProfile, refused []ProfileAttempt) {
	d.mu.Lock()
	d.refused = refused
	d.pinned.Store(&sealer{pub: d.c.env.pub, profile: p})
	d.mu.Unlock()
	if d.c.log != nil {
		d.c.log.LogAttrs(ctx, slog.LevelInfo, "vaultspay wire profile detected; pin it with WithWireProfile",
			slog.String("profile", p.String()), slog.Int("refused", len(refused)))
	}
}

// envelopeRefused reports whether a login error says the server could not open the envelope.
func envelopeRefused(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.Code == CodeInvalidHeaders || errors.Is(err, ErrUndecryptable)
}

// ivProbe records which IV opened a detection login's answer.
type ivProbe struct{ v atomic.Pointer[ResponseIV] }

// openProbing opens an answer during detection: with the IV of its x-session-nonce header when there
// is one, else (or when that fails) with the request IV, and records which one worked. An answer
// opened with the request IV pins ResponseIVRequest, an answer opened with its header's IV pins
// ResponseIVHeader.
func (s *sealedReq) openProbing(respNonce string, body []byte) ([]byte, error) {
	if respNonce != "" {
		if iv, err := envelope.DecodeNonce(respNonce); err == nil {
			if pt, err := s.session.Open(s.profile, iv, body); err == nil {
				v := ResponseIVHeader
				s.probe.v.Store(&v)
				return pt, nil
			}
		}
	}
	iv, err := s.session.ResponseIV(WireProfile{ResponseIV: ResponseIVRequest}, "")
	if err != nil {
		return nil, err
	}
	pt, err := s.session.Open(s.profile, iv, body)
	if err != nil {
		return nil, err
	}
	v := ResponseIVRequest
	s.probe.v.Store(&v)
	return pt, nil
}

// WithoutAccessToken sends this call without a bearer token and without logging in first: a Ping that
// checks the envelope before any login, say. Calls that need a token are then refused by the API (401).
func WithoutAccessToken() RequestOption {
	return func(cfg *callConfig) { cfg.noToken = true }
}

// withWireProfileText is WithWireProfile from the text form (VAULTSPAY_WIRE_PROFILE).
func withWireProfileText(s string) Option {
	return func(c *config) error {
		p, err := ParseWireProfile(s)
		if err != nil {
			return fmt.Errorf("%s: %w", EnvWireProfile, err)
		}
		c.profile = p
		return nil
	}
}
