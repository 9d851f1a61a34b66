//go:build unix

package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tourBlock returns the README's five-minute tour (the shell block between <!-- tour --> and
// <!-- /tour -->) and what its "# → text" comments say the run prints.
func tourBlock(t *testing.T, readme string) (script string, want []string) {
	t.Helper()
	_, after, ok := strings.Cut(readme, "<!-- tour -->\n```sh\n")
	require.True(t, ok, "README has no tour block")
	script, _, ok = strings.Cut(after, "```\n<!-- /tour -->")
	require.True(t, ok, "the tour block is not closed")
	for _, m := range regexp.MustCompile(`# → (.+)`).FindAllStringSubmatch(script, -1) {
		want = append(want, strings.TrimSpace(m[1]))
	}
	require.NotEmpty(t, want)
	return script, want
}

// copyTree copies the repository at root to dst, without .git and build output: a fresh clone with
// the working tree's changes.
func copyTree(t *testing.T, root, dst string) {
	t.Helper()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			if rel == ".git" || rel == "bin" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if d.Name() == ".git" || !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	require.NoError(t, err)
}

// TestREADMETour runs the README's five-minute tour as written, in bash, in a copy of the repository
// (so it builds the binaries like a fresh clone would), and checks that everything its comments
// promise is printed. The fake and the listener it leaves running are stopped by their pids.
func TestREADMETour(t *testing.T) {
	if testing.Short() {
		t.Skip("builds both binaries")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go on PATH")
	}
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	script, want := tourBlock(t, string(readme))
	assert.Contains(t, string(readme), "kill %1 \"$VAULTSPAY_FAKE_PID\"", "the README says how to stop both")

	dir := t.TempDir()
	copyTree(t, root, dir)
	outPath := filepath.Join(t.TempDir(), "tour.out")
	out, err := os.Create(outPath)
	require.NoError(t, err)
	defer out.Close()
	cmd := exec.Command(bash, "-c", "set -euo pipefail\n"+script+
		"\necho \"TOUR_LISTENER=$!\"\necho \"TOUR_FAKE=$VAULTSPAY_FAKE_PID\"\n")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = out, out
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "VAULTSPAY_") && !strings.HasPrefix(kv, "GOFLAGS=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	// -trimpath keeps the copy's directory out of the build cache's keys: later runs reuse the build.
	cmd.Env = append(cmd.Env, "GOFLAGS=-trimpath")
	t.Cleanup(func() { stopTourProcesses(t, outPath) })
	require.NoError(t, cmd.Start())
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err = <-waited:
	case <-time.After(5 * time.Minute): // building included: a guard against a hang
		_ = cmd.Process.Kill()
		t.Fatal("the tour did not finish")
	}
	shown := func() string { b, _ := os.ReadFile(outPath); return string(b) }
	require.NoError(t, err, "the tour failed:\n%s", shown())

	// The listener prints the events as the fake delivers them, in the background.
	deadline := time.Now().Add(generous)
	for {
		missing := ""
		for _, w := range want {
			if !strings.Contains(shown(), w) {
				missing = w
				break
			}
		}
		if missing == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the tour never printed %q:\n%s", missing, shown())
		}
		time.Sleep(50 * time.Millisecond)
	}
	assert.NotContains(t, shown(), "vaultspay: ", "no command failed")
}

// stopTourProcesses stops the listener and the background fake the tour started (their pids are in
// its output), waits until they are gone and removes the fake's log.
func stopTourProcesses(t *testing.T, outPath string) {
	b, _ := os.ReadFile(outPath)
	var pids []int
	for _, re := range []string{`TOUR_LISTENER=(\d+)`, `TOUR_FAKE=(\d+)`, `in the background \(pid (\d+),`} {
		for _, m := range regexp.MustCompile(re).FindAllStringSubmatch(string(b), -1) {
			if pid, err := strconv.Atoi(m[1]); err == nil && pid > 0 {
				pids = append(pids, pid)
			}
		}
	}
	for _, pid := range pids {
		_ = syscall.Kill(pid, syscall.SIGTERM)
	}
	for _, m := range regexp.MustCompile(`log (\S+vaultspay-fake-\d+\.log)\)`).FindAllStringSubmatch(string(b), -1) {
		defer os.Remove(m[1]) // after the fake stopped writing it
	}
	deadline := time.Now().Add(generous)
	for _, pid := range pids {
		for syscall.Kill(pid, 0) == nil && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if syscall.Kill(pid, 0) == nil {
			t.Errorf("process %d still runs after SIGTERM", pid)
		}
	}
}
