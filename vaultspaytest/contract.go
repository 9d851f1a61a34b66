package vaultspaytest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/openapi"
)

// The fake holds itself to openapi/vaultspay.yaml: every API request is checked against it after the
// envelope is opened and the token is checked, before the handler runs (a request that breaks it is
// refused as 00-conventions.md §13 says), and every answer is checked before it is sealed.

// loadContract parses and validates the description once per process: it is immutable and
// validation is safe for concurrent use, so every server shares it.
var loadContract = sync.OnceValues(openapi.Load)

// CodeContractViolation is the error code of the answer the fake sends instead of one that breaks
// the description: it is in no vendor catalogue, so a test that meets it fails.
const CodeContractViolation vaultspay.ErrorCode = 9999

// ContractViolation is a bug of the fake: an answer that broke the description, or a route the fake
// serves that the description lacks (Status 0).
type ContractViolation struct {
	Method   string   `json:"method"`
	Path     string   `json:"path"`
	Status   int      `json:"status"`   // the status the answer would have had; 0 for an undescribed route
	Problems []string `json:"problems"` // "body data[0].is3DS: must not be blank", …
}

// WithoutAnswerValidation stops the fake from checking its answers against the description (on by
// default, which costs some CPU per request). Requests are checked either way.
func WithoutAnswerValidation() Option { return func(s *Server) { s.noAnswerChecks = true } }

// ContractViolations returns the violations so far, oldest first. Each answer that broke the
// description was replaced by a 500 with code CodeContractViolation naming the problems. A test
// suite asserts it is empty when a server closes.
func (s *Server) ContractViolations() []ContractViolation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ContractViolation(nil), s.violations...)
}

// checkRequest refuses a request that breaks the description: a bad path parameter is 400 "Invalid
// or missing <name> parameter." (1401 for countryId, as documented, 1010 elsewhere), a bad header
// 500 1018, anything in the query or body 422 1000 listing every problem under its JSON name.
func (s *Server) checkRequest(r *request) error {
	body := r.body
	if r.Method == http.MethodGet && len(body) == 0 {
		body = nil
	}
	probs, err := s.contract.CheckRequest(r.Request, body)
	if errors.Is(err, openapi.ErrNoOperation) {
		// A route the fake serves but the description lacks: the contract is incomplete.
		s.recordViolation(ContractViolation{Method: r.Method, Path: r.URL.Path,
			Problems: []string{"the description has no operation for this route"}})
		return nil
	}
	if len(probs) == 0 {
		return nil
	}
	var bad checks
	for _, p := range probs {
		switch p.In {
		case "path":
			code := vaultspay.CodeBadRequest
			if p.Key == "countryId" {
				code = vaultspay.CodeInvalidCountryID
			}
			return newError(http.StatusBadRequest, code, fmt.Sprintf("Invalid or missing %s parameter.", p.Key), vaultspay.TypeBadRequest)
		case "header":
			return errInvalidHeaders()
		default:
			bad.add(p.Key, p.Reason)
		}
	}
	return bad.err()
}

// checkAnswer returns status and body unchanged when they keep to the description, else records the
// violation and returns the 500 that replaces them.
func (s *Server) checkAnswer(r *request, status int, body []byte) (int, []byte) {
	if s.noAnswerChecks || r.Request == nil || r.URL == nil {
		return status, body
	}
	probs, err := s.contract.CheckResponse(r.Method, r.URL.RequestURI(), status, nil, body)
	if err != nil || len(probs) == 0 {
		return status, body
	}
	v := ContractViolation{Method: r.Method, Path: r.URL.Path, Status: status}
	for _, p := range probs {
		v.Problems = append(v.Problems, p.String())
	}
	s.recordViolation(v)
	e := newError(http.StatusInternalServerError, CodeContractViolation,
		"vaultspaytest: this answer breaks openapi/vaultspay.yaml: "+strings.Join(v.Problems, "; "), "FAKE_CONTRACT_VIOLATION")
	b, mErr := json.Marshal(e)
	if mErr != nil {
		return http.StatusInternalServerError, []byte(`{"code":9999,"message":"vaultspaytest: contract violation","type":"FAKE_CONTRACT_VIOLATION"}`)
	}
	return http.StatusInternalServerError, b
}

// openAPIRoute serves the description at GET /_fake/openapi.yaml.
func (s *Server) openAPIRoute() {
	s.control.HandleFunc("GET /_fake/openapi.yaml", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write(openapi.YAML())
	})
}

// serveControl checks a control request against the description (its body read whole, at most 1
// MiB) and serves it: a bad path id is 400 1010, a bad body 422 1000 naming every field.
func (s *Server) serveControl(w http.ResponseWriter, hr *http.Request) {
	body, err := io.ReadAll(io.LimitReader(hr.Body, 1<<20))
	if err != nil {
		controlError(w, errInvalidPayload(vaultspay.FieldError{Key: "body", Reason: "could not be read"}))
		return
	}
	var checked []byte
	if len(bytes.TrimSpace(body)) > 0 {
		checked = body
	}
	probs, err := s.contract.CheckRequest(hr, checked)
	if err == nil && len(probs) > 0 {
		var bad checks
		for _, p := range probs {
			if p.In == "path" {
				controlError(w, errBadRequest(http.StatusBadRequest, "Invalid request."))
				return
			}
			bad.add(p.Key, p.Reason)
		}
		controlError(w, errInvalidPayload(bad...))
		return
	}
	hr.Body = io.NopCloser(bytes.NewReader(body))
	s.control.ServeHTTP(w, hr)
}

// recordViolation keeps v for ContractViolations.
func (s *Server) recordViolation(v ContractViolation) {
	s.mu.Lock()
	s.violations = append(s.violations, v)
	s.mu.Unlock()
}
