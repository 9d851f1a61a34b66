package vaultspaytest

import (
	"fmt"
	"time"
)

// Now returns the fake's time: the base clock moved forward by every Advance.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nowLocked()
}

func (s *Server) nowLocked() time.Time { return s.now().Add(s.offset) }

// Advance moves the fake's clock forward by d: tokens expire, timestamps move and due transfers
// settle (sending their webhook events). It mirrors
// POST /_fake/clock/advance.
func (s *Server) Advance(d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("vaultspaytest: cannot move the clock back (%s)", d)
	}
	s.mu.Lock()
	s.offset += d
	s.settleDueLocked()
	s.mu.Unlock()
	return nil
}
