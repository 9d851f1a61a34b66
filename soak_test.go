package vaultspay_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"sort"
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

var soakFor = flag.Duration("soak", 10*time.Second, "how long TestSoak runs (3 s under -race unless set)")

// soakDuration is -soak, or 3 s under the race detector when -soak was not given.
func soakDuration() time.Duration {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "soak" })
	if raceEnabled && !set {
		return 3 * time.Second
	}
	return *soakFor
}

const (
	soakWorkers   = 64
	soakClients   = 4      // workers share clients, so token flights have many waiters
	soakMaxOps    = 20_000 // per worker: the loop ends by itself even if the clock misbehaves
	soakFunding   = "100000"
	chaosMessage  = "Chaos: injected failure"
	soakFaultRate = 8 // one op in this many injects a fault first
	// The workers' accounts and transfers are in USD: the fake's seeded transfer limits (at most 100
	// a day) are in AED and would refuse most of the soak's transfers.
	soakCurrencyID = 1
	soakCurrency   = "USD"
)

// soakReport counts what the soak did; every field is guarded by mu.
type soakReport struct {
	mu         sync.Mutex
	ops        map[string]int // kind/outcome → count
	faults     map[string]int // fault kind → injected
	expiries   int            // ExpireTokens calls
	advances   int            // clock jumps past the refresh token's lifetime
	landed     map[string]int // unknown outcomes resolved to "it happened", by kind
	notLanded  map[string]int // unknown outcomes resolved to "it did not happen"
	duplicates int
	unexpected []string
	epoch      atomic.Int64 // token expiries and clock jumps so far
}

func (r *soakReport) add(m map[string]int, k string) {
	r.mu.Lock()
	m[k]++
	r.mu.Unlock()
}

func (r *soakReport) unexpectedErr(kind string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.unexpected) < 20 {
		r.unexpected = append(r.unexpected, kind+": "+err.Error())
	}
}

func (r *soakReport) duplicate(n int, what string) {
	r.mu.Lock()
	r.duplicates += n
	if len(r.unexpected) < 20 {
		r.unexpected = append(r.unexpected, "duplicate: "+what)
	}
	r.mu.Unlock()
}

func (r *soakReport) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	total, faults := 0, 0
	var b strings.Builder
	for _, k := range sortedKeys(r.ops) {
		total += r.ops[k]
	}
	for _, k := range sortedKeys(r.faults) {
		faults += r.faults[k]
	}
	fmt.Fprintf(&b, "operations %d, faults injected %d, token expiries %d, refresh-token expiries %d, duplicates %d\n",
		total, faults, r.expiries, r.advances, r.duplicates)
	for _, k := range sortedKeys(r.ops) {
		fmt.Fprintf(&b, "  op %-28s %6d\n", k, r.ops[k])
	}
	for _, k := range sortedKeys(r.faults) {
		fmt.Fprintf(&b, "  fault %-25s %6d\n", k, r.faults[k])
	}
	kinds := map[string]int{}
	for k, n := range r.landed {
		kinds[k] += n
	}
	for k, n := range r.notLanded {
		kinds[k] += n
	}
	for _, k := range sortedKeys(kinds) {
		fmt.Fprintf(&b, "  unknown %-15s resolved: landed %d, not landed %d\n", k, r.landed[k], r.notLanded[k])
	}
	return b.String()
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// chaosExplains reports whether err is what an injected fault or a token expiry can cause once the
// SDK's retries are spent. Anything else (a token error reaching the caller, a refused payload) is a bug.
func chaosExplains(err error) bool {
	var apiErr *vaultspay.APIError
	var ne net.Error
	var opErr *net.OpError
	switch {
	case errors.Is(err, vaultspay.ErrOutcomeUnknown), errors.Is(err, vaultspay.ErrMalformedResponse),
		errors.Is(err, vaultspay.ErrUndecryptable), errors.Is(err, vaultspay.ErrThrottled):
		return true
	case errors.As(err, &apiErr):
		return apiErr.Message == chaosMessage || apiErr.Code == vaultspay.CodeTransactionLockedByRule
	}
	return errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) || errors.As(err, &opErr) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET)
}

// soakAccount is an account a worker owns, with what it put in and what left it.
type soakAccount struct {
	acct   *vaultspay.Account
	funded vaultspay.Amount
	sent   vaultspay.Amount // transfers that exist in the fake
}

// soakCard is a card a worker issued, with the status it knows the card has.
type soakCard struct {
	id     vaultspay.ID
	status vaultspay.CardStatus
}

// soakTransfer is one transfer a worker attempted and what it knows about it.
type soakTransfer struct {
	ref    string
	amount vaultspay.Amount
	exists bool // succeeded, or an unknown outcome resolved as landed
}

type soakWorker struct {
	t         *testing.T
	srv       *vaultspaytest.Server
	client    *vaultspay.Client
	rng       *rand.Rand
	rep       *soakReport
	contacts  []*vaultspay.PaymentContact
	id        int
	seq       int
	users     []vaultspay.ID
	accounts  []*soakAccount
	transfers []soakTransfer
	cards     []*soakCard
	cardsLost int   // card creations whose outcome is unknown: the API cannot list cards to tell
	logical   int   // users that exist (created, or unknown and resolved as landed)
	epoch     int64 // rep.epoch when the current operation began
}

var soakPaths = []struct{ method, path string }{
	{http.MethodPost, "/as/api/v1/users"}, {http.MethodPost, "/be/api/v1/accounts"}, {http.MethodGet, "/be/api/v1/accounts"},
	{http.MethodPost, transferPath}, {http.MethodPost, transferPath}, {http.MethodGet, "/tme/api/v1/transactions"},
	{http.MethodGet, "/us/api/v1/countries"}, {http.MethodPost, loginPath}, {http.MethodPost, refreshPath}, {http.MethodGet, pingPath},
	{http.MethodPost, cardsPath}, {http.MethodPost, "/pcs/api/v1/toggle-freeze-card"}, {http.MethodPost, "/pcs/api/v1/cards/details"},
	{http.MethodPost, "/pcs/api/v1/get-card-pan"},
}

// chaos injects one random fault on a random path, or expires tokens.
func (w *soakWorker) chaos() {
	switch n := w.rng.IntN(400); {
	case n == 0:
		assert.NoError(w.t, w.srv.Advance(vaultspaytest.DefaultRefreshTTL+time.Minute))
		w.rep.epoch.Add(1)
		w.rep.mu.Lock()
		w.rep.advances++
		w.rep.mu.Unlock()
		return
	case n < 8:
		w.srv.ExpireTokens()
		w.rep.epoch.Add(1)
		w.rep.mu.Lock()
		w.rep.expiries++
		w.rep.mu.Unlock()
		return
	}
	p := soakPaths[w.rng.IntN(len(soakPaths))]
	f := vaultspaytest.Fault{Method: p.method, Path: p.path, Times: 1 + w.rng.IntN(2)}
	kinds := []func(){
		func() { f.Kind = vaultspaytest.FaultResetBeforeHandler },
		func() { f.Kind = vaultspaytest.FaultResetAfterHandler },
		func() { f.Kind = vaultspaytest.FaultTruncateBody },
		func() { f.Kind = vaultspaytest.FaultCorruptCiphertext },
		func() { f.Kind, f.MS = vaultspaytest.FaultDelay, 3000 },
		func() {
			f.Kind, f.Status, f.Header = vaultspaytest.FaultStatus, 429, map[string]string{"Retry-After": "1"}
			f.Body = `{"code":1005,"message":"Too many requests.","type":"THROTTLE"}`
		},
		func() { f.Kind, f.Status, f.Body = vaultspaytest.FaultStatus, 502, "<html>Bad Gateway</html>" },
		func() { f.Kind, f.Status = vaultspaytest.FaultStatus, 503 },
		func() {
			f.Kind, f.Status, f.Body = vaultspaytest.FaultStatus, 500, `{"message":"Internal Server Error"}`
		},
		func() {
			f.Kind, f.Status = vaultspaytest.FaultStatus, 500
			f.Body = `{"code":1010,"message":"` + chaosMessage + `","type":"BAD_REQUEST"}`
		},
		func() { f.Kind, f.Status, f.Body = vaultspaytest.FaultStatus, 200, "<html>captive portal</html>" },
	}
	k := w.rng.IntN(len(kinds))
	kinds[k]()
	assert.NoError(w.t, w.srv.InjectFault(f))
	name := string(f.Kind)
	if f.Kind == vaultspaytest.FaultStatus {
		name = fmt.Sprintf("status %d", f.Status)
		if strings.Contains(f.Body, chaosMessage) {
			name += " with code"
		}
	}
	w.rep.add(w.rep.faults, name)
}

// outcome records one operation and reports whether it must be reconciled (ErrOutcomeUnknown).
func (w *soakWorker) outcome(kind string, err error) (unknown bool) {
	switch {
	case err == nil:
		w.rep.add(w.rep.ops, kind+"/ok")
	case errors.Is(err, vaultspay.ErrOutcomeUnknown):
		w.rep.add(w.rep.ops, kind+"/unknown")
		return true
	case chaosExplains(err), errors.Is(err, vaultspay.ErrUnauthenticated) && w.rep.epoch.Load() > w.epoch:
		// A token expired while the call ran: its one replay may meet the next expiry.
		w.rep.add(w.rep.ops, kind+"/failed")
	default:
		w.rep.add(w.rep.ops, kind+"/unexpected")
		w.rep.unexpectedErr(kind, err)
	}
	return false
}

// explained reports whether err is a consequence of the chaos: an injected fault, or a token that
// expired again while its one replay was under way.
func explained(err error) bool {
	return chaosExplains(err) || errors.Is(err, vaultspay.ErrUnauthenticated)
}

// retryRead runs a reconciliation read until it succeeds: faults are finite, so it soon does. It
// reports failure through t (never FailNow: workers are not the test's goroutine) and returns false.
func retryRead[T any](t *testing.T, read func() (T, error)) (T, bool) {
	var err error
	for range 50 {
		var v T
		if v, err = read(); err == nil {
			return v, true
		}
		if !explained(err) {
			break
		}
	}
	t.Errorf("reconciliation read failed: %v", err)
	var zero T
	return zero, false
}

func (w *soakWorker) createUser(ctx context.Context) {
	w.seq++
	req := &vaultspay.CreateUserRequest{FirstName: "Soak", LastName: fmt.Sprintf("Worker%d", w.id), Status: vaultspay.UserStatusActive,
		Email: fmt.Sprintf("soak.%d.%d@example.com", w.id, w.seq)}
	u, err := w.client.Users.Create(ctx, req)
	if !w.outcome("users.create", err) {
		if err == nil {
			w.users = append(w.users, u.ID)
			w.logical++
		}
		return
	}
	// Reconcile: once the fake has handled the request, the same email again. "already exists" means
	// the first landed; a success means it did not (and now it has, once).
	settle(w.srv)
	for range 50 {
		u, err = w.client.Users.Create(ctx, req)
		switch {
		case err == nil:
			w.rep.add(w.rep.notLanded, "users.create")
			w.users = append(w.users, u.ID)
			w.logical++
			return
		case isUserExists(err):
			w.rep.add(w.rep.landed, "users.create")
			w.logical++ // it exists; its id is unknown, so no account is opened for it
			return
		}
		if !explained(err) {
			w.t.Errorf("reconciling a user: %v", err)
			return
		}
	}
	w.t.Errorf("user %s never reconciled", req.Email)
}

func isUserExists(err error) bool {
	var e *vaultspay.APIError
	return errors.As(err, &e) && e.Code == vaultspay.CodeBadRequest && strings.Contains(e.Message, "already exists")
}

func (w *soakWorker) openAccount(ctx context.Context) {
	if len(w.users) == 0 {
		w.createUser(ctx)
		return
	}
	user := w.users[w.rng.IntN(len(w.users))]
	a, err := w.client.Wallets.Create(ctx, &vaultspay.CreateAccountRequest{UserID: user, CurrencyID: soakCurrencyID,
		AccountType: vaultspay.AccountTypeDigital})
	if !w.outcome("accounts.create", err) {
		if err == nil {
			w.adopt(a)
		}
		return
	}
	// Reconcile, once the fake has handled the request: the user's accounts that this worker does not
	// know yet (it alone opens accounts for its users). Zero or one, never two.
	settle(w.srv)
	page, ok := retryRead(w.t, func() (*vaultspay.Page[vaultspay.Account], error) {
		return w.client.Wallets.List(ctx, &vaultspay.AccountListOptions{UserID: user, ListOptions: vaultspay.ListOptions{PerPage: 100}})
	})
	if !ok {
		return
	}
	var fresh []vaultspay.Account
	for _, x := range page.Items {
		if !w.owns(x.ID) {
			fresh = append(fresh, x)
		}
	}
	if len(fresh) > 1 {
		w.rep.duplicate(len(fresh)-1, fmt.Sprintf("user %d has %d accounts the worker did not open", user, len(fresh)))
	}
	if len(fresh) == 0 {
		w.rep.add(w.rep.notLanded, "accounts.create")
		return
	}
	w.rep.add(w.rep.landed, "accounts.create")
	for i := range fresh {
		w.adopt(&fresh[i])
	}
}

func (w *soakWorker) owns(id vaultspay.ID) bool {
	for _, a := range w.accounts {
		if a.acct.ID == id {
			return true
		}
	}
	return false
}

func (w *soakWorker) adopt(a *vaultspay.Account) {
	assert.NoError(w.t, w.srv.FundAccount(a.ID, vaultspay.MustParseAmount(soakFunding)))
	w.accounts = append(w.accounts, &soakAccount{acct: a, funded: vaultspay.MustParseAmount(soakFunding), sent: vaultspay.MustParseAmount("0")})
}

func (w *soakWorker) transfer(ctx context.Context) {
	if len(w.accounts) == 0 {
		w.openAccount(ctx)
		return
	}
	a := w.accounts[w.rng.IntN(len(w.accounts))]
	c := w.contacts[w.rng.IntN(len(w.contacts))]
	amount, _ := vaultspay.NewAmount(int64(100+w.rng.IntN(900)), 2) // 1.00 to 9.99
	ref := vaultspay.NewTransferReference()
	req := &vaultspay.SendTransferRequest{SenderAccountID: a.acct.ID, CurrencyCode: soakCurrency, PaymentContactID: c.ID,
		Purpose: vaultspay.PurposeFamilySupport, Description: "Soak " + ref, Amount: amount}
	_, err := w.client.Transfers.Send(ctx, req)
	st := soakTransfer{ref: ref, amount: amount, exists: err == nil}
	if w.outcome("transfers.send", err) {
		var unknown *vaultspay.TransferUnknownError
		if !assert.ErrorAs(w.t, err, &unknown) {
			return
		}
		settle(w.srv) // an abandoned request may still land: look once the fake has handled it
		found, ok := retryRead(w.t, func() ([]vaultspay.Transaction, error) { return w.client.Transfers.FindSent(ctx, unknown.Match()) })
		if !ok {
			return
		}
		if len(found) > 1 {
			w.rep.duplicate(len(found)-1, fmt.Sprintf("transfer %s found %d times", ref, len(found)))
		}
		st.exists = len(found) > 0
		if st.exists {
			w.rep.add(w.rep.landed, "transfers.send")
		} else {
			w.rep.add(w.rep.notLanded, "transfers.send")
		}
	}
	if st.exists {
		a.sent, _ = a.sent.Add(amount) // at most soakMaxOps transfers of under 10
	}
	w.transfers = append(w.transfers, st)
}

func (w *soakWorker) read(ctx context.Context) {
	var err error
	kind := ""
	switch w.rng.IntN(5) {
	case 0:
		kind = "accounts.list"
		_, err = w.client.Wallets.List(ctx, nil)
	case 1:
		kind = "transactions.list"
		_, err = w.client.Transactions.List(ctx, &vaultspay.TransactionListOptions{TransactionType: vaultspay.TransactionTypeTransfer})
	case 2:
		kind = "countries.list"
		_, err = w.client.Users.ListCountries(ctx)
	case 3:
		kind = "ping"
		_, err = w.client.Ping(ctx)
	default:
		if len(w.accounts) == 0 {
			return
		}
		kind = "ledger.list"
		_, err = w.client.Wallets.ListLedger(ctx, w.accounts[w.rng.IntN(len(w.accounts))].acct.ID, nil)
	}
	w.outcome(kind, err)
}

// card runs one card lifecycle step: issue a virtual card for one of the worker's accounts, freeze or
// unfreeze one (an unknown outcome resolved by reading the card), or read its details, PAN or CVV.
func (w *soakWorker) card(ctx context.Context) {
	if len(w.accounts) == 0 {
		w.openAccount(ctx)
		return
	}
	if n := w.rng.IntN(3); n == 0 || len(w.cards) == 0 {
		a := w.accounts[w.rng.IntN(len(w.accounts))].acct
		c, err := w.client.Cards.Create(ctx, &vaultspay.CreateCardRequest{CardTierID: vaultspaytest.CardTierDebit, CustomerID: a.UserID,
			AccountID: a.ID, CardType: vaultspay.CardTypeVirtual, CardHolderName: fmt.Sprintf("SOAK WORKER%d", w.id)})
		if w.outcome("cards.create", err) {
			w.cardsLost++ // counted against the fake's total at the end
		} else if err == nil {
			w.cards = append(w.cards, &soakCard{id: c.ID, status: c.Status})
		}
		return
	} else if n == 1 {
		c := w.cards[w.rng.IntN(len(w.cards))]
		up, err := w.client.Cards.ToggleFreeze(ctx, &vaultspay.ToggleFreezeRequest{CardRef: vaultspay.CardByID(c.id)})
		if !w.outcome("cards.freeze", err) {
			if err == nil {
				c.status = up.Status
			}
			return
		}
		settle(w.srv)
		got, ok := retryRead(w.t, func() (*vaultspay.Card, error) { return w.client.Cards.Details(ctx, vaultspay.CardByID(c.id)) })
		if !ok {
			return
		}
		if got.Status == c.status {
			w.rep.add(w.rep.notLanded, "cards.freeze")
		} else {
			w.rep.add(w.rep.landed, "cards.freeze")
		}
		c.status = got.Status
		return
	}
	c := w.cards[w.rng.IntN(len(w.cards))]
	var err error
	kind := "cards.details"
	switch w.rng.IntN(3) {
	case 0:
		var got *vaultspay.Card
		if got, err = w.client.Cards.Details(ctx, vaultspay.CardByID(c.id)); err == nil && got.Status != c.status {
			w.t.Errorf("card %d is %s, the worker knows it %s", c.id, got.Status, c.status)
		}
	case 1:
		kind = "cards.pan"
		_, err = w.client.Cards.PAN(ctx, vaultspay.CardByID(c.id))
	default:
		kind = "cards.cvv"
		_, err = w.client.Cards.CVV(ctx, vaultspay.CardByID(c.id))
	}
	w.outcome(kind, err)
}

func (w *soakWorker) run(ctx context.Context, deadline time.Time) {
	for i := 0; i < soakMaxOps && time.Now().Before(deadline); i++ {
		if w.rng.IntN(soakFaultRate) == 0 {
			w.chaos()
		}
		w.epoch = w.rep.epoch.Load()
		switch n := w.rng.IntN(100); {
		case n < 8:
			w.createUser(ctx)
		case n < 18:
			w.openAccount(ctx)
		case n < 50:
			w.transfer(ctx)
		case n < 70:
			w.card(ctx)
		default:
			w.read(ctx)
		}
	}
}

// TestSoak runs 64 workers of mixed calls against one fake with random faults and token expiries for
// -soak (10 s; 3 s under -race), then reconciles every result against the fake: each success exists
// exactly once, each unknown outcome was resolved to one or zero, balances add up, no duplicates.
// Card steps: issue, freeze/unfreeze, read details, PAN and CVV.
func TestSoak(t *testing.T) {
	t.Parallel()
	d := soakDuration()
	srv := newFake(t)
	ctx := context.Background()
	checker := srv.Client()
	contacts := []*vaultspay.PaymentContact{newContact(t, checker, vaultspaytest.TestIBANInvestBank),
		newContact(t, checker, vaultspaytest.TestIBANZand), newContact(t, checker, vaultspaytest.TestIBANZandAli)}

	clients := make([]*vaultspay.Client, soakClients)
	for i := range clients {
		clients[i] = srv.Client(fastRetries, vaultspay.WithRequestTimeout(2*time.Second), vaultspay.WithMaxRetryAfter(5*time.Millisecond))
	}
	rep := &soakReport{ops: map[string]int{}, faults: map[string]int{}, landed: map[string]int{}, notLanded: map[string]int{}}
	workers := make([]*soakWorker, soakWorkers)
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	var seed atomic.Uint64
	seed.Store(uint64(time.Now().UnixNano()))
	t.Logf("soak: %d workers, %d clients, %s, seed %d", soakWorkers, soakClients, d, seed.Load())
	for i := range workers {
		workers[i] = &soakWorker{t: t, srv: srv, client: clients[i%soakClients], rep: rep, contacts: contacts, id: i,
			rng: rand.New(rand.NewPCG(seed.Load(), uint64(i)))}
		wg.Add(1)
		go func(w *soakWorker) {
			defer wg.Done()
			w.run(ctx, deadline)
		}(workers[i])
	}
	wg.Wait()
	t.Cleanup(func() { t.Log("soak report:\n" + rep.String()) })
	assert.Empty(t, rep.unexpected, "errors no injected fault explains")
	reconcileSoak(t, srv, checker, workers, rep)
	assert.Zero(t, rep.duplicates, "duplicates")
}

// reconcileSoak checks the fake's final state against what the workers saw.
func reconcileSoak(t *testing.T, srv *vaultspaytest.Server, checker *vaultspay.Client, workers []*soakWorker, rep *soakReport) {
	ctx := context.Background()
	settle(srv)
	users, accounts, transfers := 0, 0, 0
	owned := map[vaultspay.ID]*soakAccount{}
	refs := map[string]soakTransfer{}
	for _, w := range workers {
		users += w.logical
		accounts += len(w.accounts)
		for _, a := range w.accounts {
			owned[a.acct.ID] = a
		}
		for _, tr := range w.transfers {
			refs[tr.ref] = tr
			if tr.exists {
				transfers++
			}
		}
	}
	state := srv.State()
	assert.Equal(t, users, state.Users, "users in the fake = created + unknown resolved as landed")
	cards, lost := 0, 0
	for _, w := range workers {
		cards += len(w.cards)
		lost += w.cardsLost
		for _, c := range w.cards {
			got, ok := retryRead(t, func() (*vaultspay.Card, error) { return checker.Cards.Details(ctx, vaultspay.CardByID(c.id)) })
			if ok {
				assert.Equal(t, c.status, got.Status, "card %d", c.id)
			}
		}
	}
	// The API cannot list cards, so an unknown creation is resolved in aggregate: each landed once
	// or not at all.
	if assert.GreaterOrEqual(t, state.Cards, cards, "every card issued exists") &&
		assert.LessOrEqual(t, state.Cards, cards+lost, "no card beyond those issued and those unknown") {
		rep.mu.Lock()
		rep.landed["cards.create"] += state.Cards - cards
		rep.notLanded["cards.create"] += cards + lost - state.Cards
		rep.mu.Unlock()
	}

	all, _ := retryRead(t, func() ([]vaultspay.Account, error) {
		var out []vaultspay.Account
		for a, err := range checker.Wallets.ListIter(ctx, &vaultspay.AccountListOptions{ListOptions: vaultspay.ListOptions{PerPage: 100}}) {
			if err != nil {
				return nil, err
			}
			out = append(out, a)
		}
		return out, nil
	})
	assert.Len(t, all, accounts, "accounts in the fake = opened + unknown resolved as landed")
	for _, a := range all {
		sa := owned[a.ID]
		if !assert.NotNil(t, sa, "account %d belongs to no worker", a.ID) {
			rep.duplicate(1, fmt.Sprintf("account %d belongs to no worker", a.ID))
			continue
		}
		want, err := sa.funded.Sub(sa.sent)
		require.NoError(t, err)
		assert.Equal(t, want.String(), a.Balance.String(), "balance of account %d = funding - transfers that exist", a.ID)
	}

	txs, _ := retryRead(t, func() ([]vaultspay.Transaction, error) {
		var out []vaultspay.Transaction
		opts := &vaultspay.TransactionListOptions{TransactionType: vaultspay.TransactionTypeTransfer, ListOptions: vaultspay.ListOptions{PerPage: 100}}
		for tx, err := range checker.Transactions.ListIter(ctx, opts) {
			if err != nil {
				return nil, err
			}
			out = append(out, tx)
		}
		return out, nil
	})
	seen := map[string]int{}
	for _, tx := range txs {
		i := strings.LastIndex(tx.Narration, "Soak ")
		if !assert.GreaterOrEqual(t, i, 0, "transfer %d is no worker's: %q", tx.ID, tx.Narration) {
			continue
		}
		seen[strings.TrimSpace(tx.Narration[i+len("Soak "):])]++
	}
	for ref, tr := range refs {
		want := 0
		if tr.exists {
			want = 1
		}
		if seen[ref] > 1 {
			rep.duplicate(seen[ref]-1, "transfer "+ref+" in the fake more than once")
		}
		assert.Equal(t, want, seen[ref], "transfer %s", ref)
	}
	assert.Len(t, seen, transfers, "every transfer in the fake is one a worker knows")
	assert.Equal(t, transfers, state.Transfers, "transfers in the fake")
}
