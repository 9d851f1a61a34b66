//go:build unix

package main

import (
	"bufio"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runMainEnv makes the test binary behave as vaultspay-fake itself (TestMain calls main), so the
// tests below see real exit codes and -env can re-run "this program" in the background.
const runMainEnv = "VAULTSPAY_FAKE_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// asProgram is the test binary run as vaultspay-fake with args.
func asProgram(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), runMainEnv+"=1")
	return cmd
}

func TestProgramExitCodes(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args    []string
		want    int
		wantOut string
	}{
		{[]string{"-h"}, 0, "Control routes"},
		{[]string{"--help"}, 0, "Start line:"},
		{[]string{"-no-such-flag"}, 2, ""},
		{[]string{"-seed", "big"}, 2, ""},
	} {
		out, err := asProgram(tt.args...).Output()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else {
			require.NoError(t, err)
		}
		assert.Equal(t, tt.want, code, "%v", tt.args)
		assert.Contains(t, string(out), tt.wantOut, "%v", tt.args)
	}
}

// TestProgramEnv: -env starts the server in the background, prints export lines and exits; the
// server keeps serving until its pid is sent SIGTERM.
func TestProgramEnv(t *testing.T) {
	t.Parallel()
	cmd := asProgram("-env", "-seed", "demo")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "stderr: %s", stderr.String())
	lines := string(out)
	m := regexp.MustCompile(`(?m)^export VAULTSPAY_FAKE_PID='(\d+)'$`).FindStringSubmatch(lines)
	require.NotNil(t, m, lines)
	pid, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) })
	for _, v := range []string{"VAULTSPAY_BASE_URL", "VAULTSPAY_CLIENT_ID", "VAULTSPAY_CLIENT_SECRET", "VAULTSPAY_APP_ID",
		"VAULTSPAY_RSA_PUBLIC_KEY", "VAULTSPAY_FAKE_LOG", "VAULTSPAY_DEMO_USER_ID", "VAULTSPAY_DEMO_ACCOUNT_ID",
		"VAULTSPAY_DEMO_CONTACT_ID", "VAULTSPAY_DEMO_VIRTUAL_CARD_ID", "VAULTSPAY_DEMO_PHYSICAL_CARD_ID"} {
		assert.Regexp(t, "(?m)^export "+v+"='[^']+'$", lines)
	}
	assert.Contains(t, stderr.String(), "seeded: verified user")
	base := regexp.MustCompile(`(?m)^export VAULTSPAY_BASE_URL='([^']+)'$`).FindStringSubmatch(lines)[1]

	// Still serving after the parent exited.
	res, err := httpGet(base + "/_fake/state")
	require.NoError(t, err)
	assert.Contains(t, res, `"users":1`)

	require.NoError(t, syscall.Kill(pid, syscall.SIGTERM))
	deadline := time.Now().Add(60 * time.Second) // a guard against a hang
	for syscall.Kill(pid, 0) == nil && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	assert.Error(t, syscall.Kill(pid, 0), "the background fake stops on SIGTERM")
	logPath := regexp.MustCompile(`(?m)^export VAULTSPAY_FAKE_LOG='([^']+)'$`).FindStringSubmatch(lines)[1]
	logf, err := os.Open(logPath)
	require.NoError(t, err)
	defer logf.Close()
	first, _ := bufio.NewReader(logf).ReadString('\n')
	assert.Contains(t, first, "seeded:", "the server's stderr went to the log")
	_ = os.Remove(logPath)
}

func httpGet(url string) (string, error) {
	res, err := http.Get(url)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return string(b), err
}
