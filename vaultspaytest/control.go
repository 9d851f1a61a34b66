package vaultspaytest

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/vaultspay-go/vaultspay"
)

// controlRoutes serves /_fake/: plain JSON in and out, no envelope, no token. Each route mirrors a
// Server method.
func (s *Server) controlRoutes() {
	s.control.HandleFunc("POST /_fake/clock/advance", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Seconds *float64 `json:"seconds"`
		}
		if !readControl(w, r, &in) {
			return
		}
		if in.Seconds == nil || *in.Seconds < 0 {
			controlError(w, errInvalidPayload(vaultspay.FieldError{Key: "seconds", Reason: "must be a number >= 0"}))
			return
		}
		_ = s.Advance(time.Duration(*in.Seconds * float64(time.Second)))
		controlReply(w, map[string]any{"now": vaultspay.Time{Time: s.nowUTC()}})
	})
	s.control.HandleFunc("POST /_fake/accounts/{id}/fund", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Amount *vaultspay.Amount `json:"amount"`
		}
		if !readControl(w, r, &in) {
			return
		}
		if in.Amount == nil {
			controlError(w, errInvalidPayload(vaultspay.FieldError{Key: "amount", Reason: "must not be blank"}))
			return
		}
		id := controlID(r)
		if err := s.FundAccount(id, *in.Amount); err != nil {
			controlFail(w, err)
			return
		}
		s.mu.Lock()
		out := s.st.wallets.byID[id].Account
		s.mu.Unlock()
		controlReply(w, out)
	})
	s.control.HandleFunc("POST /_fake/faults", func(w http.ResponseWriter, r *http.Request) {
		var f Fault
		if !readControl(w, r, &f) {
			return
		}
		if err := s.InjectFault(f); err != nil {
			controlError(w, errInvalidPayload(vaultspay.FieldError{Key: "fault", Reason: err.Error()}))
			return
		}
		controlReply(w, f)
	})
	s.control.HandleFunc("POST /_fake/webhooks", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			URL    *string `json:"url"`
			Secret string  `json:"secret"`
		}
		if !readControl(w, r, &in) {
			return
		}
		if in.URL == nil {
			controlError(w, errInvalidPayload(vaultspay.FieldError{Key: "url", Reason: "must not be blank (\"\" removes the webhook)"}))
			return
		}
		if err := s.SetWebhook(*in.URL, in.Secret); err != nil {
			controlError(w, errInvalidPayload(vaultspay.FieldError{Key: "url", Reason: "must be an absolute http(s) URL"}))
			return
		}
		controlReply(w, map[string]any{"url": *in.URL, "signed": in.Secret != ""})
	})
	s.control.HandleFunc("GET /_fake/requests", func(w http.ResponseWriter, _ *http.Request) {
		reqs := s.Requests()
		if reqs == nil {
			reqs = []RequestRecord{} // an empty log is [], not null
		}
		controlReply(w, reqs)
	})
	s.control.HandleFunc("GET /_fake/state", func(w http.ResponseWriter, _ *http.Request) {
		controlReply(w, s.State())
	})
	s.control.HandleFunc("POST /_fake/reset", func(w http.ResponseWriter, _ *http.Request) {
		s.Reset()
		controlReply(w, s.State())
	})
	s.control.HandleFunc("POST /_fake/kyc/{userId}/status", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Status vaultspay.KYCStatus `json:"status"`
		}
		if !readControl(w, r, &in) {
			return
		}
		if !in.Status.IsKnown() {
			controlError(w, errInvalidPayload(vaultspay.FieldError{Key: "status", Reason: "must be VERIFIED, REJECTED or PENDING"}))
			return
		}
		id, err := strconv.ParseInt(r.PathValue("userId"), 10, 64)
		if err != nil || s.SetKYCStatus(vaultspay.ID(id), in.Status) != nil {
			controlError(w, errBadRequest(http.StatusBadRequest, "Invalid request."))
			return
		}
		controlReply(w, map[string]any{"userId": id, "status": in.Status})
	})
	s.backOfficeRoutes()
	s.openAPIRoute()
	s.control.HandleFunc("/_fake/", func(w http.ResponseWriter, _ *http.Request) {
		controlError(w, errBadRequest(http.StatusNotFound, "Invalid request."))
	})
}

// readControl decodes a control body; an empty body decodes as {}.
func readControl(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		controlError(w, errInvalidPayload(vaultspay.FieldError{Key: "body", Reason: "must be a JSON object"}))
		return false
	}
	return true
}

func controlReply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(struct {
		Data any `json:"data"`
	}{v})
}

func controlError(w http.ResponseWriter, e *apiError) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.status)
	_ = json.NewEncoder(w).Encode(e)
}
