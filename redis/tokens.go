package redis

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/vaultspay-go/vaultspay"
)

// Authenticator logs in and refreshes for a TokenSource. *vaultspay.Client implements it: build one with
// the app's options (its own token source is never used for these two calls, which need no token).
type Authenticator interface {
	RequestToken(ctx context.Context, req *vaultspay.LoginRequest) (*vaultspay.Token, error)
	RefreshToken(ctx context.Context, req *vaultspay.RefreshTokenRequest) (*vaultspay.Token, error)
}

// Defaults of TokenConfig.
const (
	DefaultRefreshSkew  = 30 * time.Second
	DefaultLockTTL      = 15 * time.Second
	DefaultPollInterval = 25 * time.Millisecond
)

// TokenConfig configures a TokenSource. Zero fields take the defaults.
type TokenConfig struct {
	// Prefix starts the keys (default DefaultPrefix): Prefix+"token:"+scope holds the sealed token pair
	// and Prefix+"token-lock:"+scope the lock, where scope is derived from the client id.
	Prefix string
	// RefreshSkew: a token this close to its expiry is refreshed (default DefaultRefreshSkew, as the SDK).
	RefreshSkew time.Duration
	// LockTTL bounds one login or refresh by the lock holder; if the holder dies, another replica takes
	// over after it.
	LockTTL time.Duration
	// PollInterval is how often a replica waiting for the lock holder looks for the new token.
	PollInterval time.Duration
	// Logger receives a warning when Redis is unreachable and the source logs in locally, or when the
	// shared token does not open with this key. Default: silent. Tokens are never logged.
	Logger *slog.Logger
}

// TokenSource is a vaultspay.TokenSource (and TokenInvalidator) whose tokens are shared by every
// process of a fleet through Redis, so the fleet logs in once and refreshes once per expiry instead of
// once per process. Install it with vaultspay.WithTokenSource.
//
// Each process keeps the token in memory and asks Redis only when it has none that is valid. Then one
// login or refresh runs per process (single flight), and across the fleet one process at a time holds
// a Redis lock (SET NX with LockTTL) while it logs in or refreshes and stores the result; the others
// poll for it, honouring their ctx. The pair is stored sealed with AES-GCM under the app's key, never in
// plaintext, with a TTL at the refresh token's expiry.
//
// A token the API rejects (1003, 1004, 1036: the SDK calls InvalidateToken) is replaced as the built-in
// source does: by the token another process already stored if it differs, else by a refresh, and by a
// login when there is no usable refresh token or the API refuses it. When Redis cannot be reached the
// source logs in (or refreshes) on its own and keeps the token locally, logging a warning; it returns to
// Redis at the next expiry or rejection.
//
// Do not use it for one process: the built-in source does the same without Redis, and faster. The pair
// is stored under a key derived from the client id, so apps with different credentials can share one
// Redis; the processes of one app must share its credentials, its encryption key (kept as secret as the
// client secret) and Prefix.
type TokenSource struct {
	rdb        goredis.UniversalClient
	auth       Authenticator
	login      vaultspay.LoginRequest
	seal       *sealer
	key, lock  string
	skew, ttl  time.Duration
	poll       time.Duration
	log        *slog.Logger
	now        func() time.Time
	flightTime time.Duration

	mu     sync.Mutex
	tok    *sealedToken
	stale  bool // the API rejected tok.Access
	noExp  bool // tok arrived already expired by this clock: use it until rejected
	flight *flight
}

var (
	_ vaultspay.TokenSource      = (*TokenSource)(nil)
	_ vaultspay.TokenInvalidator = (*TokenSource)(nil)
)

// NewTokenSource returns a source sharing login's token through rdb, logging in and refreshing through
// auth, with tokens sealed under key (16, 24 or 32 random bytes, AES-128/192/256; the slice is not
// kept). Every process of the fleet must use the same credentials, key and prefix.
func NewTokenSource(rdb goredis.UniversalClient, auth Authenticator, login vaultspay.LoginRequest, key []byte, cfg TokenConfig) (*TokenSource, error) {
	fail := func(err error) (*TokenSource, error) {
		return nil, fmt.Errorf("vaultspay/redis: NewTokenSource: %w", err)
	}
	switch {
	case rdb == nil:
		return fail(errors.New("nil Redis client"))
	case auth == nil:
		return fail(errors.New("nil Authenticator"))
	case login.ClientID == "" || login.ClientSecret == "":
		return fail(errors.New("empty client id or secret"))
	case cfg.RefreshSkew < 0 || cfg.LockTTL < 0 || cfg.PollInterval < 0:
		return fail(errors.New("negative duration"))
	}
	seal, err := newSealer(key)
	if err != nil {
		return fail(err)
	}
	prefix := cfg.Prefix
	if prefix == "" {
		prefix = DefaultPrefix
	}
	scope := sha256.Sum256([]byte(login.ClientID))
	s := &TokenSource{rdb: rdb, auth: auth, login: login, seal: seal, skew: DefaultRefreshSkew,
		ttl: DefaultLockTTL, poll: DefaultPollInterval, log: cfg.Logger, now: time.Now, flightTime: time.Minute}
	s.key = prefix + "token:" + hex.EncodeToString(scope[:8])
	s.lock = prefix + "token-lock:" + hex.EncodeToString(scope[:8])
	if cfg.RefreshSkew > 0 {
		s.skew = cfg.RefreshSkew
	}
	if cfg.LockTTL > 0 {
		s.ttl = cfg.LockTTL
	}
	if cfg.PollInterval > 0 {
		s.poll = cfg.PollInterval
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return s, nil
}

// Format prints the Redis key only, for every verb: never a token, the key or the credentials.
func (s *TokenSource) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "redis.TokenSource{key: %s}", s.key)
}

// flight is one obtain in progress in this process; waiters and cancel are guarded by TokenSource.mu.
type flight struct {
	done    chan struct{}
	tok     vaultspay.Secret
	err     error
	waiters int
	cancel  context.CancelFunc
}

// AccessToken implements vaultspay.TokenSource: the local token while it is valid, else the one
// obtain in flight in this process (started if none is). A caller whose ctx ends returns ctx's error at
// once; the flight stops when no caller waits any more.
func (s *TokenSource) AccessToken(ctx context.Context) (vaultspay.Secret, error) {
	if ctx == nil {
		return "", errNilContext
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	s.mu.Lock()
	if s.validLocked() {
		t := s.tok.Access
		s.mu.Unlock()
		return t, nil
	}
	f := s.flight
	if f == nil {
		fctx, cancel := context.WithTimeout(context.Background(), s.flightTime)
		f = &flight{done: make(chan struct{}), cancel: cancel}
		s.flight = f
		go s.run(fctx, f)
	}
	f.waiters++
	s.mu.Unlock()
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		s.mu.Lock()
		if f.waiters--; f.waiters == 0 && s.flight == f {
			s.flight = nil
			f.cancel()
		}
		s.mu.Unlock()
		return "", ctx.Err()
	}
}

// InvalidateToken implements vaultspay.TokenInvalidator: tok is not used again by this process, nor
// taken from Redis, if it is still the current token.
func (s *TokenSource) InvalidateToken(tok vaultspay.Secret) {
	s.mu.Lock()
	if s.tok != nil && s.tok.Access == tok {
		s.stale = true
	}
	s.mu.Unlock()
}

func (s *TokenSource) validLocked() bool {
	if s.tok == nil || s.stale {
		return false
	}
	return s.noExp || s.fresh(s.tok)
}

// fresh reports whether t's access token is not within RefreshSkew of its expiry.
func (s *TokenSource) fresh(t *sealedToken) bool {
	return t.AccessExp.IsZero() || s.now().Add(s.skew).Before(t.AccessExp)
}

func (s *TokenSource) run(ctx context.Context, f *flight) {
	defer f.cancel()
	s.mu.Lock()
	cur, rejected := s.tok, vaultspay.Secret("")
	if cur != nil && s.stale {
		rejected = cur.Access
	}
	s.mu.Unlock()
	tok, fetched, err := s.shared(ctx, cur, rejected)
	var rerr *redisError
	if errors.As(err, &rerr) {
		s.log.LogAttrs(ctx, slog.LevelWarn, "vaultspay/redis: Redis unreachable; obtaining a token without it",
			slog.String("key", s.key), slog.Any("error", rerr.err))
		tok, err = s.fetch(ctx, cur)
		fetched = true
	}
	s.mu.Lock()
	if err == nil {
		s.tok, s.stale = tok, false
		s.noExp = fetched && !s.fresh(tok)
		f.tok = tok.Access
	}
	f.err = err
	if s.flight == f {
		s.flight = nil
	}
	s.mu.Unlock()
	close(f.done)
}

// redisError marks a failure to talk to Redis, after which the source works alone.
type redisError struct{ err error }

func (e *redisError) Error() string { return "vaultspay/redis: " + e.err.Error() }
func (e *redisError) Unwrap() error { return e.err }

// shared returns a usable token from Redis, or obtains one under the fleet's lock and stores it.
// fetched says whether this process obtained it from the API.
func (s *TokenSource) shared(ctx context.Context, cur *sealedToken, rejected vaultspay.Secret) (*sealedToken, bool, error) {
	for {
		t, err := s.load(ctx)
		if err != nil {
			return nil, false, err
		}
		if s.usable(t, rejected) {
			return t, false, nil
		}
		owner := randomToken()
		ok, err := s.rdb.SetNX(ctx, s.lock, owner, s.ttl).Result()
		if err != nil {
			return nil, false, &redisError{err}
		}
		if ok {
			t, fetched, err := s.underLock(ctx, cur, rejected)
			// Released with a fresh context: ctx may have ended, and the lock would block others until its TTL.
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.ttl)
			_ = releaseScript.Run(rctx, s.rdb, []string{s.lock}, owner).Err()
			cancel()
			return t, fetched, err
		}
		select {
		case <-ctx.Done():
			return nil, false, ctx.Err()
		case <-time.After(s.poll):
		}
	}
}

// underLock looks once more (the previous holder may just have stored a token), then refreshes or logs
// in and stores the result. A failure to store is logged: the token is good for this process anyway.
func (s *TokenSource) underLock(ctx context.Context, cur *sealedToken, rejected vaultspay.Secret) (*sealedToken, bool, error) {
	t, err := s.load(ctx)
	if err != nil {
		return nil, false, err
	}
	if s.usable(t, rejected) {
		return t, false, nil
	}
	if t != nil && t.Access != rejected || cur == nil {
		cur = t // the fleet's latest pair, whose refresh token may still be good
	}
	fctx, cancel := context.WithTimeout(ctx, s.ttl)
	defer cancel()
	got, err := s.fetch(fctx, cur)
	if err != nil {
		return nil, false, err
	}
	if err := s.store(ctx, got); err != nil {
		s.log.LogAttrs(ctx, slog.LevelWarn, "vaultspay/redis: could not share the new token", slog.String("key", s.key),
			slog.Any("error", err))
	}
	return got, true, nil
}

// usable reports whether t can be used: present, not the rejected token, not about to expire.
func (s *TokenSource) usable(t *sealedToken, rejected vaultspay.Secret) bool {
	return t != nil && t.Access != rejected && s.fresh(t)
}

// load reads and opens the shared pair; nil when there is none or it does not open with this key.
func (s *TokenSource) load(ctx context.Context) (*sealedToken, error) {
	b, err := s.rdb.Get(ctx, s.key).Bytes()
	if errors.Is(err, goredis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, &redisError{err}
	}
	t, err := s.seal.open(b, s.key)
	if err != nil {
		s.log.LogAttrs(ctx, slog.LevelWarn, "vaultspay/redis: ignoring the shared token", slog.String("key", s.key),
			slog.Any("error", err))
		return nil, nil
	}
	return t, nil
}

// minTokenTTL and noExpiryTTL bound how long a pair stays in Redis.
const (
	minTokenTTL = time.Minute
	noExpiryTTL = 24 * time.Hour
)

func (s *TokenSource) store(ctx context.Context, t *sealedToken) error {
	b, err := s.seal.seal(t, s.key)
	if err != nil {
		return err
	}
	return s.rdb.Set(ctx, s.key, b, s.keep(t)).Err()
}

// keep is how long Redis keeps t: until the later expiry (at least minTokenTTL), or noExpiryTTL when the
// refresh token has no known expiry.
func (s *TokenSource) keep(t *sealedToken) time.Duration {
	until := t.RefreshExp
	if until.IsZero() || t.AccessExp.After(until) {
		until = t.AccessExp
	}
	if t.RefreshExp.IsZero() {
		return max(noExpiryTTL, until.Sub(s.now()))
	}
	return max(minTokenTTL, until.Sub(s.now()))
}

// fetch refreshes with cur's refresh token while it is usable, and logs in when there is none, it has
// expired, or the API refuses it (the built-in source's rule).
func (s *TokenSource) fetch(ctx context.Context, cur *sealedToken) (*sealedToken, error) {
	if cur != nil && cur.Refresh != "" && (cur.RefreshExp.IsZero() || s.now().Add(s.skew).Before(cur.RefreshExp)) {
		t, err := s.auth.RefreshToken(ctx, &vaultspay.RefreshTokenRequest{RefreshToken: cur.Refresh})
		if err == nil {
			got := fromToken(t)
			if got.Refresh == "" { // not rotated: keep the one from the login
				got.Refresh, got.RefreshExp = cur.Refresh, cur.RefreshExp
			}
			return got, nil
		}
		var apiErr *vaultspay.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode >= 500 && apiErr.Code == 0 {
			return nil, err // the refresh got no answer; a login would not either
		}
	}
	login := s.login
	t, err := s.auth.RequestToken(ctx, &login)
	if err != nil {
		return nil, err
	}
	return fromToken(t), nil
}

func fromToken(t *vaultspay.Token) *sealedToken {
	st := &sealedToken{Access: t.AccessToken, AccessExp: t.AccessTokenExpiry.Time, Refresh: t.RefreshToken}
	if t.RefreshTokenExpiry != nil {
		st.RefreshExp = t.RefreshTokenExpiry.Time
	}
	return st
}
