package fakeserve

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// startWait bounds how long --env waits for the background server's start line (seeding included).
const startWait = 3 * time.Minute

// Detach starts exe with args (which must include --background-child) as a background server in its
// own session, with stdin from the null device and stderr to a new log file, reads its start line
// from its stdout and returns it with the process id and the log's path. The server keeps running
// after the caller exits; `kill <pid>` stops it.
func Detach(ctx context.Context, exe string, args []string) (*StartLine, int, string, error) {
	logf, err := os.CreateTemp("", "vaultspay-fake-*.log")
	if err != nil {
		return nil, 0, "", err
	}
	defer logf.Close() // the child has its own descriptor
	cmd := exec.Command(exe, args...)
	cmd.Stderr = logf
	cmd.SysProcAttr = detachedAttr()
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, 0, "", err
	}
	if err := cmd.Start(); err != nil {
		return nil, 0, "", fmt.Errorf("starting the background fake: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }() // reaps the child if it dies before the caller exits

	type result struct {
		line []byte
		err  error
	}
	got := make(chan result, 1)
	go func() {
		b, err := bufio.NewReader(io.LimitReader(out, 1<<20)).ReadBytes('\n')
		got <- result{b, err}
	}()
	fail := func(why string) (*StartLine, int, string, error) {
		_ = cmd.Process.Kill()
		return nil, 0, "", fmt.Errorf("the background fake %s; its log %s says: %s", why, logf.Name(), logTail(logf.Name()))
	}
	timer := time.NewTimer(startWait)
	defer timer.Stop()
	select {
	case r := <-got:
		if r.err != nil {
			<-exited
			return fail("exited before it was ready")
		}
		var l StartLine
		if err := json.Unmarshal(r.line, &l); err != nil {
			return fail("printed no start line")
		}
		return &l, cmd.Process.Pid, logf.Name(), nil
	case <-timer.C:
		return fail(fmt.Sprintf("was not ready within %v", startWait))
	case <-ctx.Done():
		return fail("start was interrupted")
	}
}

// logTail is the end of the log file, for an error message.
func logTail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	s := strings.TrimSpace(string(b))
	if len(s) > 2000 {
		s = "…" + s[len(s)-2000:]
	}
	if s == "" {
		return "(nothing)"
	}
	return s
}

// Serve runs the fake as c says until ctx ends. With c.Env (and not c.Child) it starts the server in
// the background instead (Detach, re-running exe with childArgs) and prints EnvLines on stdout. As
// the background child it prints the start line, then closes stdout (closeStdout) so that the
// parent's read ends. Otherwise it prints the start line and, for --seed, a summary on stderr.
func Serve(ctx context.Context, c *Config, exe string, childArgs []string, stdout io.Writer, closeStdout func() error,
	stderr io.Writer) error {
	if c.Seed != "" && c.Seed != SeedDemo {
		return fmt.Errorf("--seed %q: the only seed is %q", c.Seed, SeedDemo)
	}
	if c.Env && !c.Child {
		l, pid, logPath, err := Detach(ctx, exe, append(childArgs, "--"+ChildFlag))
		if err != nil {
			return err
		}
		if _, err := io.WriteString(stdout, EnvLines(l, pid, logPath)); err != nil {
			return err
		}
		summarize(stderr, l) // eval swallows the comments: say it where the user sees it
		fmt.Fprintf(stderr, "serving %s in the background (pid %d, log %s); stop it with: kill \"$%s\"\n", l.BaseURL, pid, logPath, EnvFakePID)
		return nil
	}
	r, err := Start(ctx, c)
	if err != nil {
		return err
	}
	defer r.Server.Close()
	line, err := r.Line.JSON()
	if err != nil {
		return err
	}
	if _, err := stdout.Write(line); err != nil {
		return err
	}
	if c.Child && closeStdout != nil {
		if err := closeStdout(); err != nil {
			return err
		}
	}
	summarize(stderr, &r.Line)
	fmt.Fprintf(stderr, "serving %s until interrupted\n", r.Line.BaseURL)
	<-ctx.Done()
	return nil
}

// summarize says what --seed created, if anything.
func summarize(w io.Writer, l *StartLine) {
	if s := l.Seed; s != nil {
		fmt.Fprintln(w, seededLine(s))
	}
}

func seededLine(s *Seeded) string {
	return fmt.Sprintf("seeded: verified user %s, funded AED account %s, payment contact %s, virtual card %s, physical card %s",
		s.UserID, s.AccountID, s.ContactID, s.VirtualCardID, s.PhysicalCardID)
}
