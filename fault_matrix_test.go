package vaultspay_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// refusingTransport is a real transport whose next dial, once armed, fails with ECONNREFUSED: the
// request never leaves the process.
type refusingTransport struct {
	*http.Transport
	armed   atomic.Bool
	refused atomic.Int32
}

func newRefusingTransport(t testing.TB) *refusingTransport {
	rt := &refusingTransport{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	var d net.Dialer
	rt.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if rt.armed.CompareAndSwap(true, false) {
			rt.refused.Add(1)
			return nil, &net.OpError{Op: "dial", Net: network, Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
		}
		return d.DialContext(ctx, network, addr)
	}
	t.Cleanup(rt.CloseIdleConnections)
	return rt
}

// refuseNextDial drops the idle connections, so that the next request must dial, and arms the refusal.
func (rt *refusingTransport) refuseNextDial() {
	rt.CloseIdleConnections()
	rt.armed.Store(true)
}

// matrixEnv is one cell's world: a fresh fake, the client under test, and a second client to look at
// the fake's state.
type matrixEnv struct {
	srv     *vaultspaytest.Server
	client  *vaultspay.Client // under test: fast retries, 500 ms per attempt, Retry-After capped at 20 ms
	checker *vaultspay.Client // no faults reach it: its calls go to other paths or after the fault is spent
	rt      *refusingTransport

	user    *vaultspay.User
	account *vaultspay.Account
	contact *vaultspay.PaymentContact
	sent    *vaultspay.SendTransferRequest
	err     error // the call's error
}

// matrixCall is one column: the call under test, its rule in the README's retry table, and how to count
// its effect in the fake (nil for a read, which has none).
type matrixCall struct {
	name         string
	rule         string // read, write, money
	method, path string // the endpoint the faults hit
	setup        func(t *testing.T, e *matrixEnv)
	run          func(ctx context.Context, e *matrixEnv) error
	effect       func(t *testing.T, e *matrixEnv) int // 0 or 1 expected; never 2
}

const matrixLimitID = 175 // the fake's DEPOSIT limit through vp-acq, 20000.00 by default

var matrixLimitValue = vaultspay.MustParseAmount("30000")

func matrixCalls() []matrixCall {
	return []matrixCall{
		{
			name: "Wallets.List", rule: "read", method: http.MethodGet, path: "/be/api/v1/accounts",
			setup: func(t *testing.T, e *matrixEnv) { e.account = openAccount(t, e.srv, e.checker, "") },
			run: func(ctx context.Context, e *matrixEnv) error {
				page, err := e.client.Wallets.List(ctx, nil)
				if err == nil && len(page.Items) != e.srv.State().Accounts {
					return fmt.Errorf("listed %d accounts, the fake has %d", len(page.Items), e.srv.State().Accounts)
				}
				return err
			},
		},
		{
			name: "Rules.UpdateTransactionLimit", rule: "read", method: http.MethodPut, path: "/re/api/v1/transaction-limits",
			run: func(ctx context.Context, e *matrixEnv) error {
				_, err := e.client.Rules.UpdateTransactionLimit(ctx, &vaultspay.UpdateTransactionLimitRequest{ID: matrixLimitID,
					TransactionType: vaultspay.RuleTransactionTypeDeposit, Value: matrixLimitValue})
				return err
			},
			effect: func(t *testing.T, e *matrixEnv) int {
				limits, err := e.checker.Rules.TransactionLimits(context.Background(), nil)
				require.NoError(t, err)
				for _, l := range limits {
					if l.ID == matrixLimitID && l.Limit.Cmp(matrixLimitValue) == 0 {
						return 1
					}
				}
				return 0
			},
		},
		{
			name: "Transfers.Send", rule: "money", method: http.MethodPost, path: transferPath,
			setup: func(t *testing.T, e *matrixEnv) {
				e.account = openAccount(t, e.srv, e.checker, "100.00")
				e.contact = newContact(t, e.checker, vaultspaytest.TestIBANInvestBank)
			},
			run: func(ctx context.Context, e *matrixEnv) error {
				e.sent = rent(e.account, e.contact, "25.00")
				_, err := e.client.Transfers.Send(ctx, e.sent)
				return err
			},
			effect: func(t *testing.T, e *matrixEnv) int {
				n := e.srv.State().Transfers
				acct, err := e.checker.Wallets.Get(context.Background(), e.account.ID)
				require.NoError(t, err)
				assert.Equal(t, []string{"100", "75", "50"}[min(n, 2)], acct.Balance.String(), "balance after %d transfers", n)
				var unknown *vaultspay.TransferUnknownError
				if errors.As(e.err, &unknown) {
					found, err := e.checker.Transfers.FindSent(context.Background(), unknown.Match())
					require.NoError(t, err)
					assert.Len(t, found, n, "FindSent reconciles the unknown outcome to what the fake holds")
				}
				return n
			},
		},
		{
			// The write rule again, on another area.
			name: "Wallets.Create", rule: "write", method: http.MethodPost, path: "/be/api/v1/accounts",
			setup: func(t *testing.T, e *matrixEnv) { e.user = newUser(t, e.checker) },
			run: func(ctx context.Context, e *matrixEnv) error {
				_, err := e.client.Wallets.Create(ctx, &vaultspay.CreateAccountRequest{UserID: e.user.ID, CurrencyID: 2,
					AccountType: vaultspay.AccountTypeDigital})
				return err
			},
			effect: func(t *testing.T, e *matrixEnv) int { return e.srv.State().Accounts },
		},
		{
			name: "Cards.Create", rule: "write", method: http.MethodPost, path: cardsPath,
			setup: func(t *testing.T, e *matrixEnv) { e.account = openAccount(t, e.srv, e.checker, "") },
			run: func(ctx context.Context, e *matrixEnv) error {
				_, err := e.client.Cards.Create(ctx, &vaultspay.CreateCardRequest{CardTierID: vaultspaytest.CardTierDebit,
					CustomerID: e.account.UserID, AccountID: e.account.ID, CardType: vaultspay.CardTypeVirtual, CardHolderName: "ALI AMMAR"})
				return err
			},
			effect: func(t *testing.T, e *matrixEnv) int { return e.srv.State().Cards },
		},
	}
}

// matrixWant is what a cell must show.
type matrixWant struct {
	outcome  string  // ok, unknown (wraps ErrOutcomeUnknown), error (any other error)
	attempts int     // requests on the call's path in the fake's log
	errIs    []error // the error must match each
}

// matrixFault is one row. handlerRuns says whether the faulted attempt ran the handler, so that a call
// that fails still had its effect.
type matrixFault struct {
	name        string
	handlerRuns bool
	inject      func(t *testing.T, e *matrixEnv, c matrixCall)
	want        map[string]matrixWant // by rule
	check       func(t *testing.T, e *matrixEnv, logins, refreshes int)
}

func statusFault(status int, body string, header map[string]string) func(*testing.T, *matrixEnv, matrixCall) {
	return func(t *testing.T, e *matrixEnv, c matrixCall) {
		require.NoError(t, e.srv.InjectFault(vaultspaytest.Fault{Method: c.method, Path: c.path, Kind: vaultspaytest.FaultStatus,
			Status: status, Body: body, Header: header}))
	}
}

func kindFault(kind vaultspaytest.FaultKind, ms int) func(*testing.T, *matrixEnv, matrixCall) {
	return func(t *testing.T, e *matrixEnv, c matrixCall) {
		require.NoError(t, e.srv.InjectFault(vaultspaytest.Fault{Method: c.method, Path: c.path, Kind: kind, MS: ms}))
	}
}

func byRule(read, write, money matrixWant) map[string]matrixWant {
	return map[string]matrixWant{"read": read, "write": write, "money": money}
}

func matrixFaults() []matrixFault {
	ok := func(n int) matrixWant { return matrixWant{outcome: "ok", attempts: n} }
	unknown := func(errs ...error) matrixWant { return matrixWant{outcome: "unknown", attempts: 1, errIs: errs} }
	fail := func(errs ...error) matrixWant { return matrixWant{outcome: "error", attempts: 1, errIs: errs} }
	afterSending := byRule(ok(2), unknown(), unknown())
	const throttle = `{"code":1005,"message":"Too many requests. Please try again later.","type":"THROTTLE"}`
	return []matrixFault{
		{name: "connection refused", want: byRule(ok(1), ok(1), ok(1)),
			inject: func(_ *testing.T, e *matrixEnv, _ matrixCall) { e.rt.refuseNextDial() },
			check: func(t *testing.T, e *matrixEnv, _, _ int) {
				assert.EqualValues(t, 1, e.rt.refused.Load(), "one dial was refused")
			}},
		{name: "reset before the request is read", inject: kindFault(vaultspaytest.FaultResetBeforeHandler, 0), want: afterSending},
		{name: "reset after the handler ran", handlerRuns: true, inject: kindFault(vaultspaytest.FaultResetAfterHandler, 0), want: afterSending},
		{name: "response timeout", inject: kindFault(vaultspaytest.FaultDelay, 60_000), want: afterSending},
		{name: "429 + Retry-After", inject: statusFault(429, throttle, map[string]string{"Retry-After": "1"}),
			want: byRule(ok(2), ok(2), unknown(vaultspay.ErrThrottled))},
		{name: "502 from a gateway (HTML)", inject: statusFault(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", nil),
			want: byRule(ok(2), unknown(vaultspay.ErrMalformedResponse), unknown(vaultspay.ErrMalformedResponse))},
		{name: "503 empty", inject: statusFault(503, "", nil),
			want: byRule(ok(2), unknown(vaultspay.ErrMalformedResponse), unknown(vaultspay.ErrMalformedResponse))},
		{name: "500 without a code", inject: statusFault(500, `{"message":"Internal Server Error"}`, nil),
			want: byRule(ok(2), unknown(vaultspay.ErrMalformedResponse), unknown(vaultspay.ErrMalformedResponse))},
		{name: "500 with a VaultsPay code", inject: statusFault(500, `{"code":1010,"message":"Invalid request.","type":"BAD_REQUEST"}`, nil),
			want: byRule(fail(vaultspay.ErrBadRequest), fail(vaultspay.ErrBadRequest), fail(vaultspay.ErrBadRequest))},
		{name: "truncated body", handlerRuns: true, inject: kindFault(vaultspaytest.FaultTruncateBody, 0),
			want: byRule(ok(2), unknown(vaultspay.ErrMalformedResponse), unknown(vaultspay.ErrMalformedResponse))},
		{name: "HTML page with 200", inject: statusFault(200, "<!DOCTYPE html><html><body>Please sign in</body></html>", nil),
			want: byRule(fail(vaultspay.ErrMalformedResponse), unknown(vaultspay.ErrMalformedResponse), unknown(vaultspay.ErrMalformedResponse))},
		{name: "corrupted ciphertext (bad GCM tag)", handlerRuns: true, inject: kindFault(vaultspaytest.FaultCorruptCiphertext, 0),
			want: byRule(fail(vaultspay.ErrUndecryptable), unknown(vaultspay.ErrUndecryptable), unknown(vaultspay.ErrUndecryptable))},
		{name: "401 expired access token", inject: func(_ *testing.T, e *matrixEnv, _ matrixCall) { e.srv.ExpireTokens() },
			want: byRule(ok(2), ok(2), ok(2)),
			check: func(t *testing.T, _ *matrixEnv, logins, refreshes int) {
				assert.Equal(t, 1, refreshes, "one refresh")
				assert.Equal(t, 0, logins, "no new login")
			}},
		{name: "expired refresh token", inject: func(t *testing.T, e *matrixEnv, _ matrixCall) {
			require.NoError(t, e.srv.Advance(vaultspaytest.DefaultRefreshTTL+time.Hour))
		}, want: byRule(ok(2), ok(2), ok(2)),
			check: func(t *testing.T, _ *matrixEnv, logins, refreshes int) {
				assert.Equal(t, 1, refreshes, "the refresh is refused (1004)")
				assert.Equal(t, 1, logins, "then the client logs in again")
			}},
	}
}

// matrixLog collects each cell's result for the table printed at the end.
type matrixLog struct {
	mu           sync.Mutex
	cells        map[[2]string]string
	run, passed  int
	duplicates   int
	faults, cols []string
}

func (m *matrixLog) record(fault, call, cell string, failed bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.run++
	if failed {
		cell = "FAIL " + cell
	} else {
		m.passed++
	}
	m.cells[[2]string{fault, call}] = cell
}

func (m *matrixLog) table() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	width := make([]int, len(m.cols)+1)
	rows := [][]string{append([]string{"fault \\ call"}, m.cols...)}
	for _, f := range m.faults {
		row := []string{f}
		for _, c := range m.cols {
			row = append(row, m.cells[[2]string{f, c}])
		}
		rows = append(rows, row)
	}
	for _, r := range rows {
		for i, v := range r {
			width[i] = max(width[i], len(v))
		}
	}
	var b strings.Builder
	for n, r := range rows {
		for i, v := range r {
			fmt.Fprintf(&b, "| %-*s ", width[i], v)
		}
		b.WriteString("|\n")
		if n == 0 {
			for i := range r {
				b.WriteString("|" + strings.Repeat("-", width[i]+2))
			}
			b.WriteString("|\n")
		}
	}
	fmt.Fprintf(&b, "cells run %d, passed %d; duplicate objects %d\n", m.run, m.passed, m.duplicates)
	return b.String()
}

// TestFaultMatrix runs every fault against every call on a fresh fake and checks the error type, the
// attempts in the fake's request log and the fake's state (the call's effect happened zero or one
// times, never two). Expectations follow each call's rule in the README's retry table.
func TestFaultMatrix(t *testing.T) {
	t.Parallel()
	faults, calls := matrixFaults(), matrixCalls()
	m := &matrixLog{cells: map[[2]string]string{}}
	for _, f := range faults {
		m.faults = append(m.faults, f.name)
	}
	for _, c := range calls {
		m.cols = append(m.cols, c.name+" ("+c.rule+")")
	}
	t.Cleanup(func() { t.Log("fault matrix:\n" + m.table()) })
	for _, f := range faults {
		for _, c := range calls {
			t.Run(f.name+"/"+c.name, func(t *testing.T) {
				col := c.name + " (" + c.rule + ")"
				t.Parallel()
				cell := "?"
				t.Cleanup(func() { m.record(f.name, col, cell, t.Failed()) })
				cell = runMatrixCell(t, f, c, m)
			})
		}
	}
}

func runMatrixCell(t *testing.T, f matrixFault, c matrixCall, m *matrixLog) string {
	want := f.want[c.rule]
	srv := newFake(t)
	e := &matrixEnv{srv: srv, rt: newRefusingTransport(t), checker: srv.Client()}
	// Generous per-attempt bound: 70 cells run at once, and a login on two loaded cores can take over 0.5 s.
	e.client = srv.Client(fastRetries, vaultspay.WithRequestTimeout(2*time.Second),
		vaultspay.WithMaxRetryAfter(20*time.Millisecond), vaultspay.WithHTTPClient(&http.Client{Transport: e.rt}))
	ctx := context.Background()
	require.NoError(t, e.client.Login(ctx))
	require.NoError(t, e.checker.Login(ctx))
	if c.setup != nil {
		c.setup(t, e)
	}
	before := srv.CountRequests(c.method, c.path)
	logins, refreshes := srv.CountRequests(http.MethodPost, loginPath), srv.CountRequests(http.MethodPost, refreshPath)
	f.inject(t, e, c)

	e.err = c.run(ctx, e)
	attempts := srv.CountRequests(c.method, c.path) - before
	outcome := "ok"
	switch {
	case errors.Is(e.err, vaultspay.ErrOutcomeUnknown):
		outcome = "unknown"
	case e.err != nil:
		outcome = "error"
	}
	cell := fmt.Sprintf("%s %d req", outcome, attempts)
	if want.outcome == "ok" {
		require.NoError(t, e.err)
	}
	assert.Equal(t, want.outcome, outcome, "outcome: %v", e.err)
	for _, target := range want.errIs {
		assert.ErrorIs(t, e.err, target)
	}
	if c.rule == "money" && outcome == "unknown" {
		var unknown *vaultspay.TransferUnknownError
		assert.ErrorAs(t, e.err, &unknown, "a transfer's unknown outcome carries the request")
	}
	assert.Equal(t, want.attempts, attempts, "requests on %s %s in the fake's log", c.method, c.path)
	if f.check != nil {
		f.check(t, e, srv.CountRequests(http.MethodPost, loginPath)-logins, srv.CountRequests(http.MethodPost, refreshPath)-refreshes)
	}
	if c.effect != nil {
		wantEffect := 0
		if outcome == "ok" || f.handlerRuns {
			wantEffect = 1
		}
		got := c.effect(t, e)
		if got > 1 {
			m.mu.Lock()
			m.duplicates += got - 1
			m.mu.Unlock()
		}
		assert.Equal(t, wantEffect, got, "objects/effects in the fake")
		cell += fmt.Sprintf(", %d in fake", got)
	}
	return cell
}
