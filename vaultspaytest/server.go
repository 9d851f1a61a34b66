// Package vaultspaytest is an in-memory, stateful fake of the VaultsPay Issuance API for tests, shaped
// like net/http/httptest. It speaks the real wire protocol, the AES-GCM + RSA envelope included, with
// its own RSA key pair, and follows shared/api/00-conventions.md §13 where the vendor is silent.
// Back-office actions (clock, faults, …) are Server methods and plain-JSON routes under /_fake/.
//
//	srv := vaultspaytest.NewServer()
//	defer srv.Close()
//	client := srv.Client()
//	msg, err := client.Ping(ctx)
package vaultspaytest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/internal/envelope"
	"github.com/vaultspay-go/vaultspay/openapi"
)

// Default token lifetimes. The vendor gives none; its FAQ illustrates access tokens with 5–60 minutes.
const (
	DefaultAccessTTL  = 15 * time.Minute
	DefaultRefreshTTL = 24 * time.Hour
)

// Server is a running fake. Its exported fields mirror httptest.Server.
type Server struct {
	URL      string       // base URL, http://127.0.0.1:port, no trailing slash
	Listener net.Listener // set it before Start to listen elsewhere
	Config   *http.Server

	clientID     string
	clientSecret string
	appID        string
	priv         *rsa.PrivateKey
	profile      envelope.Profile
	encryption   bool
	production   bool
	plainErrors  bool
	accessTTL    time.Duration
	refreshTTL   time.Duration
	now          func() time.Time
	cardRules    CardLifecycle
	stage        staging // staged failures (staging.go)

	contract       *openapi.Contract // openapi/vaultspay.yaml (contract.go)
	noAnswerChecks bool

	clientOpts []vaultspay.Option // added by Client and ClientOptions after the server's own

	api       *http.ServeMux // API routes: "METHOD /path" patterns
	control   *http.ServeMux // /_fake/ routes
	transport *http.Transport
	hooks     *webhookEngine // webhook deliveries (webhooks.go)

	mu     sync.Mutex // guards everything below
	offset time.Duration
	st     *state
	faults []*faultRule
	log    []RequestRecord

	violations []ContractViolation
}

// Option configures a Server.
type Option func(*Server)

// WithWireProfile makes the fake expect and answer with profile p (default: the zero WireProfile).
func WithWireProfile(p vaultspay.WireProfile) Option { return func(s *Server) { s.profile = p } }

// WithoutEncryption makes the fake read and answer plain JSON, as UAT does with x-enable-encryption.
func WithoutEncryption() Option { return func(s *Server) { s.encryption = false } }

// WithProductionMode refuses x-enable-encryption: false with 1018, as production does.
func WithProductionMode() Option { return func(s *Server) { s.production = true } }

// WithPlainErrors sends errors after the envelope was opened as plain JSON instead of encrypted.
func WithPlainErrors() Option { return func(s *Server) { s.plainErrors = true } }

// WithCredentials sets the app's client id, client secret and app id (x-device-id). By default they
// are random per server, and the app id is "17" (the vendor's example).
func WithCredentials(clientID, clientSecret, appID string) Option {
	return func(s *Server) { s.clientID, s.clientSecret, s.appID = clientID, clientSecret, appID }
}

// WithRSAKey uses k instead of generating a 2048-bit key pair (generation takes tens of milliseconds;
// share one key across many servers in a test suite).
func WithRSAKey(k *rsa.PrivateKey) Option { return func(s *Server) { s.priv = k } }

// WithTokenTTL sets the access and refresh token lifetimes.
func WithTokenTTL(access, refresh time.Duration) Option {
	return func(s *Server) { s.accessTTL, s.refreshTTL = access, refresh }
}

// WithClock sets the base clock (default time.Now); Advance moves the fake's time past it.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithClientOptions adds opts to every client that Client makes and to ClientOptions, after the
// server's own: a logger for every client of a test suite, say.
func WithClientOptions(opts ...vaultspay.Option) Option {
	return func(s *Server) { s.clientOpts = append(s.clientOpts, opts...) }
}

// NewServer starts a fake on a free loopback port. Like httptest.NewServer it panics if it cannot;
// programs use NewUnstartedServer and Start.
func NewServer(opts ...Option) *Server {
	s, err := NewUnstartedServer(opts...)
	if err == nil {
		err = s.Start()
	}
	if err != nil {
		panic("vaultspaytest: " + err.Error())
	}
	return s
}

// NewUnstartedServer returns a configured fake that is not listening yet.
func NewUnstartedServer(opts ...Option) (*Server, error) {
	s := &Server{
		appID:      "17",
		encryption: true,
		accessTTL:  DefaultAccessTTL,
		refreshTTL: DefaultRefreshTTL,
		now:        time.Now,
		api:        http.NewServeMux(),
		control:    http.NewServeMux(),
		hooks:      newWebhookEngine(),
	}
	for _, o := range opts {
		o(s)
	}
	var err error
	if s.contract, err = loadContract(); err != nil {
		return nil, err
	}
	if s.profile, err = s.profile.Normalize(); err != nil {
		return nil, err
	}
	if s.priv == nil {
		if s.priv, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			return nil, err
		}
	}
	if s.clientID == "" {
		s.clientID = "client_" + randomHex(8)
	}
	if s.clientSecret == "" {
		s.clientSecret = "secret_" + randomHex(24)
	}
	s.st = newState(vaultspay.Time{Time: s.now().UTC()})
	s.routes()
	s.Config = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.transport = http.DefaultTransport.(*http.Transport).Clone()
	return s, nil
}

// routes registers the handlers of every API area, one file each, and the /_fake/ control routes.
func (s *Server) routes() {
	s.authRoutes()
	s.userRoutes()
	s.kycRoutes()
	s.walletRoutes()
	s.transferRoutes()
	s.transactionRoutes()
	s.rulesRoutes()
	s.cardRoutes()
	s.controlRoutes()
}

// Start listens (on 127.0.0.1:0 unless Listener is set) and serves in the background.
func (s *Server) Start() error {
	if s.URL != "" {
		return errors.New("server already started")
	}
	if s.Listener == nil {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("listening: %w", err)
		}
		s.Listener = l
	}
	s.URL = "http://" + s.Listener.Addr().String()
	go func() { _ = s.Config.Serve(s.Listener) }()
	return nil
}

// Close stops the server, waiting for in-flight requests, then cancels webhook deliveries still
// waiting to retry and waits for every delivery goroutine, and closes idle connections of the clients
// made by Client.
func (s *Server) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Config.Shutdown(ctx); err != nil {
		_ = s.Config.Close()
	}
	s.closeWebhooks()
	s.transport.CloseIdleConnections()
}

// Client returns a *vaultspay.Client configured for this server: its URL, credentials, public key and
// wire profile, then opts. It panics only if opts are invalid, like a misused test helper.
func (s *Server) Client(opts ...vaultspay.Option) *vaultspay.Client {
	c, err := vaultspay.NewClient(append(s.ClientOptions(), opts...)...)
	if err != nil {
		panic("vaultspaytest: Client: " + err.Error())
	}
	return c
}

// ClientOptions are the options Client uses, for callers who build the client themselves: the server's
// own, then those of WithClientOptions.
func (s *Server) ClientOptions() []vaultspay.Option {
	return append([]vaultspay.Option{
		vaultspay.WithBaseURL(s.URL),
		vaultspay.WithCredentials(s.clientID, s.clientSecret),
		vaultspay.WithAppID(s.appID),
		vaultspay.WithPublicKey(&s.priv.PublicKey),
		vaultspay.WithWireProfile(s.profile),
		vaultspay.WithEncryption(s.encryption),
		vaultspay.WithHTTPClient(&http.Client{Transport: s.transport}),
	}, s.clientOpts...)
}

// ClientID returns the app's client id.
func (s *Server) ClientID() string { return s.clientID }

// ClientSecret returns the app's client secret.
func (s *Server) ClientSecret() string { return s.clientSecret }

// AppID returns the app id expected in x-device-id.
func (s *Server) AppID() string { return s.appID }

// PublicKey returns the server's RSA public key.
func (s *Server) PublicKey() *rsa.PublicKey { return &s.priv.PublicKey }

// PublicKeyBase64 returns the public key as Base64 SPKI DER, the form the vendor distributes.
func (s *Server) PublicKeyBase64() string {
	der, err := x509.MarshalPKIXPublicKey(&s.priv.PublicKey)
	if err != nil { // cannot happen for an RSA key
		return ""
	}
	return base64.StdEncoding.EncodeToString(der)
}

// WireProfile returns the normalized wire profile the server speaks.
func (s *Server) WireProfile() vaultspay.WireProfile { return s.profile }

// Encryption reports whether the server uses the envelope.
func (s *Server) Encryption() bool { return s.encryption }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
