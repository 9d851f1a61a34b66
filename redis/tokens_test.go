package redis

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// TestTokenSourceOneLoginForFleet: 4 replicas log in once between them, refresh once when the API
// rejects the expired token (1003), and once when their own clocks say it is about to expire.
func TestTokenSourceOneLoginForFleet(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	fleet := newFleet(t, newRedis(t), fake, 4, TokenConfig{})

	pingAll(t, fleet)
	assert.Equal(t, 1, fake.CountRequests("POST", loginPath), "one login for 4 replicas")
	assert.Zero(t, fake.CountRequests("POST", refreshPath))
	first := fleet[0].localToken().Access
	for _, r := range fleet {
		assert.Equal(t, first, r.localToken().Access, "every replica holds the shared token")
	}

	fake.ExpireTokens() // the API now answers 1003 to the shared token
	pingAll(t, fleet)
	assert.Equal(t, 1, fake.CountRequests("POST", loginPath))
	assert.Equal(t, 1, fake.CountRequests("POST", refreshPath), "one refresh for 4 replicas on an expired token")
	second := fleet[0].localToken().Access
	assert.NotEqual(t, first, second)
	for _, r := range fleet {
		assert.Equal(t, second, r.localToken().Access)
	}

	// The access lifetime passes, for the fake and for every replica's clock.
	require.NoError(t, fake.Advance(vaultspaytest.DefaultAccessTTL))
	for _, r := range fleet {
		r.shift.Store(int64(vaultspaytest.DefaultAccessTTL))
	}
	pingAll(t, fleet)
	assert.Equal(t, 1, fake.CountRequests("POST", loginPath))
	assert.Equal(t, 2, fake.CountRequests("POST", refreshPath), "one refresh per expiry")
	t.Logf("%d clients: %d login, %d refreshes for 2 expiries", len(fleet), fake.CountRequests("POST", loginPath),
		fake.CountRequests("POST", refreshPath))
}

// TestTokenSourceRejections: the refresh token refused (1004, expired; 1036, unknown) leads the fleet
// to one login, as the built-in source does.
func TestTokenSourceRejections(t *testing.T) {
	t.Parallel()
	t.Run("1004 expired session", func(t *testing.T) {
		t.Parallel()
		fake := newFake(t, vaultspaytest.WithTokenTTL(time.Minute, 2*time.Minute))
		fleet := newFleet(t, newRedis(t), fake, 4, TokenConfig{})
		pingAll(t, fleet)
		require.NoError(t, fake.Advance(3*time.Minute)) // both tokens expired for the fake only
		pingAll(t, fleet)
		assert.Equal(t, 1, fake.CountRequests("POST", refreshPath))
		assert.Equal(t, 1, countStatus(fake, "POST", refreshPath, 401), "one refresh, refused with 1004")
		assert.Equal(t, 2, fake.CountRequests("POST", loginPath), "then one login for the fleet")
	})
	t.Run("1036 unknown tokens", func(t *testing.T) {
		t.Parallel()
		fake := newFake(t)
		fleet := newFleet(t, newRedis(t), fake, 4, TokenConfig{})
		pingAll(t, fleet)
		fake.Reset() // forgets every token (and the request log): they are now unknown, 1036
		pingAll(t, fleet)
		assert.Equal(t, 1, countStatus(fake, "POST", refreshPath, 400), "one refresh, refused with 1036")
		assert.Equal(t, 1, fake.CountRequests("POST", loginPath), "then one login for the fleet")
	})
}

func countStatus(fake *vaultspaytest.Server, method, path string, status int) int {
	n := 0
	for _, r := range fake.Requests() {
		if r.Method == method && r.Path == path && r.Status == status {
			n++
		}
	}
	return n
}

// TestTokenSourceSealed: Redis holds the pair sealed (no token in any encoding), with a TTL at the
// refresh token's expiry; a replica with another key cannot read it and logs in itself, saying why.
func TestTokenSourceSealed(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	redis := newRedis(t)
	fleet := newFleet(t, redis, fake, 1, TokenConfig{})
	pingAll(t, fleet)
	tok := fleet[0].localToken()
	rdb := connect(t, redis)
	ctx := context.Background()
	raw, err := rdb.Get(ctx, fleet[0].ts.key).Bytes()
	require.NoError(t, err)
	for _, secret := range []string{tok.Access.Reveal(), tok.Refresh.Reveal(), fake.ClientSecret()} {
		for _, enc := range []string{secret, base64.StdEncoding.EncodeToString([]byte(secret)), fmt.Sprintf("%x", secret)} {
			assert.False(t, bytes.Contains(raw, []byte(enc)), "Redis holds a secret in clear")
		}
	}
	pttl, err := rdb.PTTL(ctx, fleet[0].ts.key).Result()
	require.NoError(t, err)
	assert.InDelta(t, vaultspaytest.DefaultRefreshTTL.Seconds(), pttl.Seconds(), 60, "kept until the refresh token expires")
	n, err := rdb.Exists(ctx, fleet[0].ts.lock).Result()
	require.NoError(t, err)
	assert.Zero(t, n, "the lock is released")

	var logs bytes.Buffer
	login := vaultspay.LoginRequest{ClientID: fake.ClientID(), ClientSecret: vaultspay.Secret(fake.ClientSecret())}
	other, err := NewTokenSource(rdb, fake.Client(), login, bytes.Repeat([]byte{7}, 32),
		TokenConfig{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	require.NoError(t, err)
	got, err := other.AccessToken(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, tok.Access, got)
	assert.Equal(t, 2, fake.CountRequests("POST", loginPath), "the other key's replica logged in itself")
	assert.Contains(t, logs.String(), "does not open with this key")
	assert.NotContains(t, logs.String(), got.Reveal())
}

// TestSealerBindsKeyName: a sealed pair opens only under the Redis key it was written to, and with
// the key it was sealed with.
func TestSealerBindsKeyName(t *testing.T) {
	t.Parallel()
	s, err := newSealer(testKey)
	require.NoError(t, err)
	in := &sealedToken{Access: "at_1", AccessExp: time.UnixMilli(1_800_000_000_000), Refresh: "rt_1"}
	b, err := s.seal(in, "k1")
	require.NoError(t, err)
	out, err := s.open(b, "k1")
	require.NoError(t, err)
	assert.Equal(t, in.Access, out.Access)
	assert.Equal(t, in.Refresh, out.Refresh)
	assert.True(t, in.AccessExp.Equal(out.AccessExp))
	assert.True(t, out.RefreshExp.IsZero())
	_, err = s.open(b, "k2")
	assert.ErrorIs(t, err, errUnsealable)
	other, err := newSealer(bytes.Repeat([]byte{1}, 16))
	require.NoError(t, err)
	_, err = other.open(b, "k1")
	assert.ErrorIs(t, err, errUnsealable)
	for _, bad := range [][]byte{nil, {sealVersion}, append([]byte{2}, b[1:]...), b[:len(b)-1]} {
		_, err = s.open(bad, "k1")
		assert.ErrorIs(t, err, errUnsealable)
	}
}

// TestTokenSourceWaitsForTheLock: while another replica holds the lock, a caller waits and its ctx
// ends the wait; when the holder dies, its lock expires and the waiter logs in.
func TestTokenSourceWaitsForTheLock(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	redis := newRedis(t)
	fleet := newFleet(t, redis, fake, 1, TokenConfig{})
	ts := fleet[0].ts
	rdb := connect(t, redis)
	bg := context.Background()
	require.NoError(t, rdb.Set(bg, ts.lock, "another replica", time.Hour).Err())

	ctx, cancel := context.WithTimeout(bg, 100*time.Millisecond)
	defer cancel()
	_, err := ts.AccessToken(ctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Zero(t, fake.CountRequests("POST", loginPath), "no login while another replica holds the lock")

	require.NoError(t, rdb.PExpire(bg, ts.lock, 200*time.Millisecond).Err()) // the holder died
	tok, err := ts.AccessToken(bg)
	require.NoError(t, err)
	assert.NotEmpty(t, tok)
	assert.Equal(t, 1, fake.CountRequests("POST", loginPath))
}

func TestNewTokenSourceErrors(t *testing.T) {
	t.Parallel()
	redis := newRedis(t)
	rdb := connect(t, redis)
	fake := newFake(t)
	login := vaultspay.LoginRequest{ClientID: "id", ClientSecret: "secret"}
	tests := []struct {
		name  string
		build func() (*TokenSource, error)
	}{
		{"nil redis", func() (*TokenSource, error) { return NewTokenSource(nil, fake.Client(), login, testKey, TokenConfig{}) }},
		{"nil auth", func() (*TokenSource, error) { return NewTokenSource(rdb, nil, login, testKey, TokenConfig{}) }},
		{"no secret", func() (*TokenSource, error) {
			return NewTokenSource(rdb, fake.Client(), vaultspay.LoginRequest{ClientID: "id"}, testKey, TokenConfig{})
		}},
		{"short key", func() (*TokenSource, error) {
			return NewTokenSource(rdb, fake.Client(), login, testKey[:15], TokenConfig{})
		}},
		{"negative TTL", func() (*TokenSource, error) {
			return NewTokenSource(rdb, fake.Client(), login, testKey, TokenConfig{LockTTL: -time.Second})
		}},
	}
	for _, tt := range tests {
		ts, err := tt.build()
		assert.Error(t, err, tt.name)
		assert.Nil(t, ts, tt.name)
	}
	ts, err := NewTokenSource(rdb, fake.Client(), login, testKey, TokenConfig{})
	require.NoError(t, err)
	var nilCtx context.Context
	_, err = ts.AccessToken(nilCtx)
	assert.ErrorIs(t, err, errNilContext)
	printed := fmt.Sprintf("%v %+v %#v %s", ts, ts, ts, ts)
	assert.NotContains(t, printed, "secret")
	assert.NotContains(t, printed, string(testKey))
	assert.Contains(t, printed, "redis.TokenSource{key: vaultspay:token:")
}

func TestTokenSourceKeep(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	s := &TokenSource{now: func() time.Time { return now }}
	for _, tt := range []struct {
		name            string
		access, refresh time.Time
		want            time.Duration
	}{
		{"until the refresh token expires", now.Add(15 * time.Minute), now.Add(24 * time.Hour), 24 * time.Hour},
		{"until the later expiry", now.Add(48 * time.Hour), now.Add(24 * time.Hour), 48 * time.Hour},
		{"no refresh expiry: a day", now.Add(15 * time.Minute), time.Time{}, noExpiryTTL},
		{"no expiry at all: a day", time.Time{}, time.Time{}, noExpiryTTL},
		{"already expired: a minute", now.Add(-time.Hour), now.Add(-time.Minute), minTokenTTL},
	} {
		assert.Equal(t, tt.want, s.keep(&sealedToken{AccessExp: tt.access, RefreshExp: tt.refresh}), tt.name)
	}
}
