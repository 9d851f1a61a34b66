package vaultspay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// lockedBuffer is a bytes.Buffer safe for a logger's concurrent writes (the login goroutine's among them).
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestAttemptLogLines: every attempt's line carries the operation, the attempt number (over the whole
// call), the request id and the retry reason; a hostile request id is printed safely.
func TestAttemptLogLines(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	var buf lockedBuffer
	client := srv.Client(vaultspay.WithLogger(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	a := openAccount(t, srv, client, "")
	path := "/be/api/v1/accounts/" + a.ID.String()
	require.NoError(t, srv.InjectFault(vaultspaytest.Fault{Method: http.MethodGet, Path: path, Kind: vaultspaytest.FaultStatus,
		Status: http.StatusServiceUnavailable, Body: "busy", Header: map[string]string{"X-Request-Id": "req\u00e94111111111111111-1234567890123"}}))
	_, err := client.Wallets.Get(context.Background(), a.ID)
	require.NoError(t, err)

	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m), l)
		for _, k := range []string{"operation", "attempt", "requestId", "reason"} {
			assert.Contains(t, m, k, "line %s", l)
		}
		if m["operation"] == "Wallets.Get" {
			lines = append(lines, m)
		}
	}
	require.Len(t, lines, 2)
	assert.Equal(t, "req??################-1234567890123", lines[0]["requestId"])
	assert.Equal(t, "server error without a VaultsPay code", lines[0]["reason"])
	assert.Equal(t, "WARN", lines[0]["level"])
	assert.EqualValues(t, 1, lines[0]["attempt"])
	assert.Regexp(t, `^req_[0-9a-f]{16}$`, lines[1]["requestId"])
	assert.Equal(t, "answered", lines[1]["reason"])
	assert.EqualValues(t, 2, lines[1]["attempt"])
}
