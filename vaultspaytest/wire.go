package vaultspaytest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/internal/envelope"
)

// Header names as the vendor writes them.
const (
	headerNonce      = "x-session-nonce"
	headerSignature  = "x-auth-signature"
	headerDeviceOS   = "x-device-os"
	headerDeviceID   = "x-device-id"
	headerEncryption = "x-enable-encryption"
)

// maxRequestBody caps what the fake reads of a request (identification uploads carry up to 10 MiB of
// files, Base64 inside an encrypted, Base64 body).
const maxRequestBody = 32 << 20

// authRule says whether a route needs a bearer token.
type authRule int

const (
	authRequired authRule = iota
	authNone              // login, refresh
	authOptional          // ping: a token that is sent is checked
)

// request is an API request after the envelope was opened.
type request struct {
	*http.Request
	body    []byte // plaintext
	session *envelope.Session
	plain   bool // answer in plain JSON
	corrupt bool // flip one ciphertext bit in the answer (fault)
}

// handler answers one API route: a value to send as {"data": value}, a reply for other shapes, or an
// *apiError.
type handler func(r *request) (any, error)

type ctxKey struct{}

// handle registers an API route ("POST /as/api/v1/saas-login") with its auth rule.
func (s *Server) handle(pattern string, auth authRule, h handler) {
	s.api.HandleFunc(pattern, func(w http.ResponseWriter, hr *http.Request) {
		r := hr.Context().Value(ctxKey{}).(*request)
		r.Request = hr // carries the path values
		if auth != authNone {
			if err := s.checkToken(r, auth == authOptional); err != nil {
				s.reply(w, r, nil, err)
				return
			}
		}
		if err := s.checkRequest(r); err != nil {
			s.reply(w, r, nil, err)
			return
		}
		v, err := h(r)
		s.reply(w, r, v, err)
	})
}

// ServeHTTP serves the control routes, then API requests: faults, routing, envelope, handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, hr *http.Request) {
	if strings.HasPrefix(hr.URL.Path, "/_fake/") {
		s.serveControl(w, hr)
		return
	}
	if s.staged(w, hr) { // staging.go
		return
	}
	rec := s.record(hr)
	sw := &statusWriter{ResponseWriter: w}
	defer func() { s.setStatus(rec, sw.status) }()
	r := &request{Request: hr}
	if f := s.takeFault(hr); f != nil {
		if done := s.applyFault(sw, r, f); done {
			return
		}
	}
	s.serveAPI(sw, r)
}

// serveAPI routes an API request, opens its envelope and runs its handler.
func (s *Server) serveAPI(sw *statusWriter, r *request) {
	hr := r.Request
	if _, pattern := s.api.Handler(hr); pattern == "" {
		s.noRoute(sw, hr)
		return
	}
	if err := s.open(r); err != nil {
		s.writeJSON(sw, r, err.status, err, true)
		return
	}
	s.api.ServeHTTP(sw, hr.WithContext(context.WithValue(hr.Context(), ctxKey{}, r)))
}

// noRoute answers 404, or 405 when the path exists for another method; plain, before the envelope.
func (s *Server) noRoute(w http.ResponseWriter, hr *http.Request) {
	var allow []string
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		probe := hr.Clone(hr.Context())
		probe.Method = m
		if _, p := s.api.Handler(probe); p != "" {
			allow = append(allow, m)
		}
	}
	status := http.StatusNotFound
	if len(allow) > 0 {
		status = http.StatusMethodNotAllowed
		w.Header().Set("Allow", strings.Join(allow, ", "))
	}
	e := newError(status, vaultspay.CodeBadRequest, "Invalid request.", vaultspay.TypeBadRequest)
	s.writeJSON(w, &request{Request: hr}, status, e, true)
}

// open checks the device headers and opens the envelope (§13: any failure is a plain 500 1018).
func (s *Server) open(r *request) *apiError {
	if r.Header.Get(headerDeviceOS) != "SAAS" || r.Header.Get(headerDeviceID) != s.appID {
		return errInvalidHeaders()
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
	if err != nil {
		return errInvalidHeaders()
	}
	r.body = body
	plainAsked := strings.EqualFold(r.Header.Get(headerEncryption), "false")
	if plainAsked && s.production {
		return errInvalidHeaders()
	}
	if !s.encryption || plainAsked {
		r.plain = true
		return nil
	}
	sess, err := envelope.Unwrap(s.priv, s.profile, r.Header.Get(headerNonce), r.Header.Get(headerSignature))
	if err != nil {
		return errInvalidHeaders()
	}
	r.session = sess
	if len(strings.TrimSpace(string(body))) == 0 {
		r.body = nil
		return nil
	}
	if r.body, err = sess.OpenRequest(s.profile, body); err != nil {
		return errInvalidHeaders()
	}
	return nil
}

// page is a list answer: {"data": Items, "pagination": Pagination}; Pagination nil leaves it out.
type page struct {
	Data       any                   `json:"data"`
	Pagination *vaultspay.Pagination `json:"pagination,omitempty"`
}

// flat is an answer sent as is, not wrapped in "data" (the documented login answer).
type flat struct{ v any }

// reply sends a handler's result: {"data": v}, a page, a flat value, or the error object.
func (s *Server) reply(w http.ResponseWriter, r *request, v any, err error) {
	if err != nil {
		e, ok := err.(*apiError)
		if !ok {
			e = newError(http.StatusInternalServerError, vaultspay.CodeBadRequest, err.Error(), vaultspay.TypeBadRequest)
		}
		s.writeJSON(w, r, e.status, e, s.plainErrors)
		return
	}
	var body any
	switch x := v.(type) {
	case page:
		body = x
	case flat:
		body = x.v
	default:
		body = struct {
			Data any `json:"data"`
		}{v}
	}
	s.writeJSON(w, r, http.StatusOK, body, false)
}

// writeJSON encodes v and seals it with the request's key unless plain is asked or no key is known.
func (s *Server) writeJSON(w http.ResponseWriter, r *request, status int, v any, plain bool) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"code":1010,"message":"Invalid request.","type":"BAD_REQUEST"}`)
	}
	status, b = s.checkAnswer(r, status, b)
	if !plain && !r.plain && r.session != nil {
		sealed, nonce, err := r.session.SealResponse(s.profile, b)
		if err == nil {
			if r.corrupt {
				sealed = flipBit(sealed)
			}
			b = sealed
			if nonce != "" {
				w.Header()[headerNonce] = []string{nonce}
			}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Request-Id", "req_"+randomHex(8))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// flipBit flips one bit of the ciphertext inside an encoded body by swapping one Base64 character in
// the middle of the text for its neighbour in the alphabet.
func flipBit(body []byte) []byte {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	out := append([]byte(nil), body...)
	for i := len(out) / 2; i < len(out); i++ {
		if j := strings.IndexByte(alphabet, out[i]); j >= 0 {
			out[i] = alphabet[j^1]
			return out
		}
	}
	return out
}

// decode reads the plaintext body as JSON into T; an empty or non-JSON body is 422 1000 on key "body".
func decode[T any](r *request) (T, error) {
	var v T
	if len(strings.TrimSpace(string(r.body))) == 0 {
		return v, errInvalidPayload(vaultspay.FieldError{Key: "body", Reason: "must not be empty"})
	}
	if err := json.Unmarshal(r.body, &v); err != nil {
		return v, errInvalidPayload(vaultspay.FieldError{Key: "body", Reason: "must be a JSON object of the documented shape"})
	}
	return v, nil
}

// statusWriter remembers the status sent, for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (hijack, flush).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// nowUTC is the fake's current time in UTC.
func (s *Server) nowUTC() time.Time { return s.Now().UTC() }
