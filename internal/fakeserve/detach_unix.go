//go:build unix

package fakeserve

import "syscall"

// detachedAttr puts the background server in its own session: no controlling terminal, so closing
// the shell or pressing Ctrl-C in it does not stop the server.
func detachedAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setsid: true} }
