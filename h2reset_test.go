package vaultspay

import (
	"bufio"
	"crypto/tls"
	"encoding/binary"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// h2ResetServer is an HTTP/2 server written frame by frame: it reads each request to its last DATA frame
// (END_STREAM), counts the body, and answers the first resets of the stream with resetCode
// (RST_STREAM) and later ones with 200 and answer. A client that replays a body after the reset shows
// up as a second body.
type h2ResetServer struct {
	*httptest.Server
	resetCode uint32
	resets    int // how many completed requests are answered with RST_STREAM
	answer    []byte

	mu     sync.Mutex
	bodies int
}

func newH2ResetServer(t *testing.T, resetCode uint32, resets int, answer string) *h2ResetServer {
	t.Helper()
	s := &h2ResetServer{resetCode: resetCode, resets: resets, answer: []byte(answer)}
	s.Server = httptest.NewUnstartedServer(http.NotFoundHandler())
	s.EnableHTTP2 = true
	s.Config.TLSNextProto = map[string]func(*http.Server, *tls.Conn, http.Handler){
		"h2": func(_ *http.Server, c *tls.Conn, _ http.Handler) { s.serveConn(c) },
	}
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}

func (s *h2ResetServer) received() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bodies
}

// HTTP/2 frame types and flags used here (RFC 9113 §6).
const (
	h2Data, h2Headers, h2RSTStream, h2Settings, h2Ping, h2GoAway = 0x0, 0x1, 0x3, 0x4, 0x6, 0x7
	h2FlagEndStream, h2FlagAck, h2FlagEndHeaders                 = 0x1, 0x1, 0x4
	h2CodeProtocol, h2CodeRefusedStream                          = 0x1, 0x7
)

func (s *h2ResetServer) serveConn(c *tls.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	preface := make([]byte, 24)
	if _, err := io.ReadFull(r, preface); err != nil {
		return
	}
	var wmu sync.Mutex
	write := func(typ, flags byte, stream uint32, payload []byte) {
		wmu.Lock()
		defer wmu.Unlock()
		h := make([]byte, 9, 9+len(payload))
		h[0], h[1], h[2] = byte(len(payload)>>16), byte(len(payload)>>8), byte(len(payload))
		h[3], h[4] = typ, flags
		binary.BigEndian.PutUint32(h[5:], stream)
		_, _ = c.Write(append(h, payload...))
	}
	write(h2Settings, 0, 0, nil)
	hdr := make([]byte, 9)
	for {
		if _, err := io.ReadFull(r, hdr); err != nil {
			return
		}
		n := int(hdr[0])<<16 | int(hdr[1])<<8 | int(hdr[2])
		typ, flags := hdr[3], hdr[4]
		stream := binary.BigEndian.Uint32(hdr[5:]) & 0x7fffffff
		payload := make([]byte, n)
		if _, err := io.ReadFull(r, payload); err != nil {
			return
		}
		switch {
		case typ == h2Settings && flags&h2FlagAck == 0:
			write(h2Settings, h2FlagAck, 0, nil)
		case typ == h2Ping && flags&h2FlagAck == 0:
			write(h2Ping, h2FlagAck, 0, payload)
		case (typ == h2Data || typ == h2Headers) && flags&h2FlagEndStream != 0:
			s.mu.Lock()
			s.bodies++
			reset := s.bodies <= s.resets
			s.mu.Unlock()
			if reset {
				code := make([]byte, 4)
				binary.BigEndian.PutUint32(code, s.resetCode)
				write(h2RSTStream, 0, stream, code)
				continue
			}
			write(h2Headers, h2FlagEndHeaders, stream, []byte{0x88}) // HPACK static index 8: ":status: 200"
			write(h2Data, h2FlagEndStream, stream, s.answer)
		case typ == h2GoAway:
			return
		}
	}
}
