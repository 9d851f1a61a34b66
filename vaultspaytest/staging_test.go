package vaultspaytest

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vaultspay-go/vaultspay"
)

// TestStagedDateSkew: every answer's Date header is off by the staged skew.
func TestStagedDateSkew(t *testing.T) {
	k, _ := testKeys(t)
	srv := NewServer(WithRSAKey(k), WithDateSkew(-time.Hour))
	defer srv.Close()
	var res vaultspay.Response
	_, err := srv.Client().Ping(context.Background(), vaultspay.WithResponseInto(&res))
	require.NoError(t, err)
	date, err := http.ParseTime(res.Header.Get("Date"))
	require.NoError(t, err)
	assert.InDelta(t, -time.Hour.Seconds(), time.Until(date).Seconds(), 5)
}

// TestStagedLoginRefused: a login whose envelope opens under a refused profile answers the plain 1018
// (logged), other profiles and routes are untouched.
func TestStagedLoginRefused(t *testing.T) {
	k, _ := testKeys(t)
	ctx := context.Background()
	def := vaultspay.WireProfile{}
	srv := NewServer(WithRSAKey(k), WithLoginRefused(def))
	defer srv.Close()
	c := srv.Client()
	err := c.Login(ctx)
	assert.ErrorIs(t, err, vaultspay.ErrInvalidHeaders)
	_, err = c.Ping(ctx, vaultspay.WithoutAccessToken())
	require.NoError(t, err)
	log := srv.Requests()
	require.Len(t, log, 2)
	assert.Equal(t, http.StatusInternalServerError, log[0].Status)
	assert.Equal(t, "/as/api/v1/saas-login", log[0].Path)

	other := NewServer(WithRSAKey(k), WithLoginRefused(vaultspay.WireProfile{KeyWrap: vaultspay.KeyWrapOAEPSHA1}))
	defer other.Close()
	require.NoError(t, other.Client().Login(ctx))
}
