package vaultspaytest

import (
	"bytes"
	"io"
	"net/http"
	"time"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/internal/envelope"
)

// staging holds the failures a server stages for `vaultspay doctor` and detection tests.
type staging struct {
	dateSkew     time.Duration      // added to the Date header of every answer
	refuseLogin  []envelope.Profile // login answers 1018 when its envelope opens under one of these
	refuseLogins bool               // login always answers 1018
}

// WithDateSkew sends every answer's Date header d away from the real time (positive: the server's
// clock is ahead), as a server with a wrong clock would.
func WithDateSkew(d time.Duration) Option { return func(s *Server) { s.stage.dateSkew = d } }

// WithLoginRefused makes POST /as/api/v1/saas-login answer the plain 500 1018 INVALID_HEADERS, as for
// an envelope the server cannot open, when the request's envelope opens under one of profiles; with no
// profile given, every login is refused that way. Ping and the other routes are not affected.
func WithLoginRefused(profiles ...vaultspay.WireProfile) Option {
	return func(s *Server) {
		if len(profiles) == 0 {
			s.stage.refuseLogins = true
		}
		for _, p := range profiles {
			if n, err := p.Normalize(); err == nil {
				s.stage.refuseLogin = append(s.stage.refuseLogin, n)
			}
		}
	}
}

// staged applies the staged failures to an API request: it sets the skewed Date header, and answers
// a refused login itself (logged like any request), returning true.
func (s *Server) staged(w http.ResponseWriter, hr *http.Request) bool {
	st := &s.stage
	if st.dateSkew != 0 {
		w.Header().Set("Date", time.Now().Add(st.dateSkew).UTC().Format(http.TimeFormat))
	}
	if !st.refuseLogins && len(st.refuseLogin) == 0 || hr.Method != http.MethodPost || hr.URL.Path != "/as/api/v1/saas-login" ||
		!s.loginRefused(hr) {
		return false
	}
	rec := s.record(hr)
	s.setStatus(rec, http.StatusInternalServerError)
	s.writeJSON(w, &request{Request: hr}, http.StatusInternalServerError, errInvalidHeaders(), true)
	return true
}

// loginRefused reports whether a staged refusal applies to this login. It reads the body and puts it
// back for the handler.
func (s *Server) loginRefused(hr *http.Request) bool {
	if s.stage.refuseLogins {
		return true
	}
	body, err := io.ReadAll(io.LimitReader(hr.Body, maxRequestBody))
	if err != nil {
		return false
	}
	hr.Body = io.NopCloser(bytes.NewReader(body))
	for _, p := range s.stage.refuseLogin {
		sess, err := envelope.Unwrap(s.priv, p, hr.Header.Get(headerNonce), hr.Header.Get(headerSignature))
		if err != nil {
			continue
		}
		if _, err := sess.OpenRequest(p, body); err == nil {
			return true
		}
	}
	return false
}
