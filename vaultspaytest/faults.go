package vaultspaytest

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// FaultKind is what an injected fault does to a matching request.
type FaultKind string

// The faults of /_fake/faults (shared/api/00-conventions.md §14).
const (
	FaultStatus             FaultKind = "status"               // answer Status with Body (plain), handler not run
	FaultDelay              FaultKind = "delay"                // wait MS milliseconds, then handle normally
	FaultResetBeforeHandler FaultKind = "reset-before-handler" // close the connection, handler not run
	FaultResetAfterHandler  FaultKind = "reset-after-handler"  // run the handler, then close with no answer
	FaultTruncateBody       FaultKind = "truncate-body"        // announce the full length, send half
	FaultCorruptCiphertext  FaultKind = "corrupt-ciphertext"   // flip one bit of the encrypted answer
)

// Fault is one injected fault. It matches Path exactly and Method case-insensitively, acts before
// routing, and applies to the next Times matching requests (default 1).
type Fault struct {
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Kind   FaultKind `json:"fault"`
	Status int       `json:"status,omitempty"` // FaultStatus
	Body   string    `json:"body,omitempty"`   // FaultStatus: sent as is (plain)
	MS     int       `json:"ms,omitempty"`     // FaultDelay
	Times  int       `json:"times,omitempty"`

	Header map[string]string `json:"header,omitempty"` // FaultStatus: extra response headers, e.g. Retry-After
}

type faultRule struct {
	Fault
	left int
}

// InjectFault arms f. It mirrors POST /_fake/faults.
func (s *Server) InjectFault(f Fault) error {
	if err := f.validate(); err != nil {
		return err
	}
	if f.Times == 0 {
		f.Times = 1
	}
	s.mu.Lock()
	s.faults = append(s.faults, &faultRule{Fault: f, left: f.Times})
	s.mu.Unlock()
	return nil
}

func (f Fault) validate() error {
	var bad []string
	if f.Method == "" {
		bad = append(bad, "method: must not be blank")
	}
	if !strings.HasPrefix(f.Path, "/") {
		bad = append(bad, "path: must start with /")
	}
	switch f.Kind {
	case FaultStatus:
		if f.Status < 100 || f.Status > 599 {
			bad = append(bad, "status: must be an HTTP status")
		}
	case FaultDelay:
		if f.MS <= 0 {
			bad = append(bad, "ms: must be positive")
		}
	case FaultResetBeforeHandler, FaultResetAfterHandler, FaultTruncateBody, FaultCorruptCiphertext:
	default:
		bad = append(bad, "fault: unknown kind "+strconv.Quote(string(f.Kind)))
	}
	if f.Times < 0 {
		bad = append(bad, "times: must not be negative")
	}
	if len(bad) > 0 {
		return fmt.Errorf("vaultspaytest: invalid fault: %s", strings.Join(bad, "; "))
	}
	return nil
}

// takeFault consumes one use of the first fault matching r.
func (s *Server) takeFault(r *http.Request) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Path == r.URL.Path && strings.EqualFold(f.Method, r.Method) {
			f.left--
			if f.left <= 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			out := f.Fault
			return &out
		}
	}
	return nil
}

// applyFault acts on a matched fault; done reports that the request has been dealt with.
func (s *Server) applyFault(w *statusWriter, r *request, f *Fault) (done bool) {
	switch f.Kind {
	case FaultStatus:
		for k, v := range f.Header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte(f.Body))
		return true
	case FaultDelay:
		// Read the body first: net/http notices a client that hangs up (and cancels the context)
		// only once the request body has been consumed.
		body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
		if err != nil {
			return true
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		t := time.NewTimer(time.Duration(f.MS) * time.Millisecond)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return true
		}
		return false
	case FaultResetBeforeHandler:
		resetConn(w)
		return true
	case FaultCorruptCiphertext:
		r.corrupt = true
		return false
	}
	// Run the whole request into a buffer, then misdeliver it.
	buf := &bufferWriter{header: http.Header{}}
	inner := &statusWriter{ResponseWriter: buf}
	s.serveAPI(inner, r)
	switch f.Kind {
	case FaultResetAfterHandler:
		resetConn(w)
	case FaultTruncateBody:
		for k, v := range buf.header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(buf.body.Len()))
		w.WriteHeader(buf.status)
		_, _ = w.Write(buf.body.Bytes()[:buf.body.Len()/2])
		// Hijack sends the header but drops body bytes still buffered in the response: flush them
		// first, then end with a FIN, not an RST, so the client's read ends in io.ErrUnexpectedEOF.
		_ = http.NewResponseController(w).Flush()
		closeConn(w, false)
	}
	return true
}

// resetConn closes the client connection abruptly (RST), with no answer.
func resetConn(w http.ResponseWriter) { closeConn(w, true) }

// closeConn takes over the client connection and closes it: with an RST when abort is set, else with
// an orderly FIN.
func closeConn(w http.ResponseWriter, abort bool) {
	conn, brw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	_ = brw.Flush()
	if tc, ok := conn.(*net.TCPConn); ok && abort {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// bufferWriter records a response for faults that misdeliver it.
type bufferWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferWriter) Header() http.Header { return b.header }
func (b *bufferWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *bufferWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
