// Package redistest runs a throw-away redis-server for tests and examples: on a free loopback port, with
// persistence off, its files in a directory of the caller's, stopped by its PID. It needs the
// redis-server binary on PATH (Debian and Ubuntu: apt-get install redis-server; macOS: brew install
// redis).
package redistest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// ErrNotInstalled reports that no redis-server binary is on PATH.
var ErrNotInstalled = errors.New("redistest: redis-server not found on PATH (apt-get install redis-server, or brew install redis)")

// startTimeout bounds how long Start waits for the server to answer PING.
const startTimeout = 15 * time.Second

// Server is a running redis-server. Addr stays the same across Restart.
type Server struct {
	Addr string // 127.0.0.1:<port>

	bin, dir, port string
	mu             sync.Mutex
	cmd            *exec.Cmd
	exited         chan struct{}
}

// Start runs redis-server on a free loopback port with dir as its working directory and waits until it
// answers PING. It returns ErrNotInstalled when the binary is missing.
func Start(ctx context.Context, dir string) (*Server, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, ErrNotInstalled
	}
	var last error
	for range 5 { // another process may take the port between probing and binding it
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		s := &Server{Addr: net.JoinHostPort("127.0.0.1", port), bin: bin, dir: dir, port: port}
		if last = s.start(ctx); last == nil {
			return s, nil
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, last
}

// New starts a server for a test and stops it when the test ends. Without a redis-server binary the
// test is skipped, unless the CI environment variable is set: in CI a missing binary fails the test.
func New(tb testing.TB) *Server {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	s, err := Start(ctx, tb.TempDir())
	if errors.Is(err, ErrNotInstalled) && os.Getenv("CI") == "" {
		tb.Skip("redis-server is not installed; apt-get install redis-server (Debian, Ubuntu) or brew install redis (macOS) to run this test")
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.Stop(); err != nil {
			tb.Error(err)
		}
	})
	return s
}

// PID is the running server's process id (0 when stopped).
func (s *Server) PID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

// Restart starts the server again on the same address after Stop. Its data is gone: persistence is off.
func (s *Server) Restart(ctx context.Context) error {
	if s.PID() != 0 {
		return errors.New("redistest: Restart: the server is still running")
	}
	return s.start(ctx)
}

// Stop ends the server by its PID (SIGTERM, then SIGKILL after 10 s) and waits for it. Stopping a
// stopped server does nothing.
func (s *Server) Stop() error {
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return nil
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
	}
	return nil
}

func (s *Server) start(ctx context.Context) error {
	out := &lockedBuffer{}
	cmd := exec.Command(s.bin, "--port", s.port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", s.dir, "--protected-mode", "yes", "--loglevel", "warning")
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("redistest: starting redis-server: %w", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	s.mu.Lock()
	s.cmd, s.exited = cmd, exited
	s.mu.Unlock()
	if err := s.waitReady(ctx, exited); err != nil {
		_ = s.Stop()
		return fmt.Errorf("redistest: redis-server on %s: %w; its output: %q", s.Addr, err, out.String())
	}
	return nil
}

// waitReady polls with PING until the server answers PONG, it exits, or ctx (bounded by startTimeout)
// ends.
func (s *Server) waitReady(ctx context.Context, exited <-chan struct{}) error {
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	for {
		if ping(ctx, s.Addr) == nil {
			return nil
		}
		select {
		case <-exited:
			return errors.New("exited before answering PING")
		case <-ctx.Done():
			return fmt.Errorf("no answer to PING: %w", ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func ping(ctx context.Context, addr string) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(time.Second))
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if line != "+PONG\r\n" {
		return fmt.Errorf("answered %q", line)
	}
	return nil
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("redistest: finding a free port: %w", err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port), nil
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
