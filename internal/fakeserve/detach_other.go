//go:build !unix

package fakeserve

import "syscall"

// detachedAttr is nil where sessions do not exist: the server is still a separate process.
func detachedAttr() *syscall.SysProcAttr { return nil }
