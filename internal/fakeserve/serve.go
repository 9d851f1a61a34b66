package fakeserve

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"time"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// Config is how the fake is served: the flags of cmd/vaultspay-fake and `vaultspay fake`.
type Config struct {
	Addr         string
	Encryption   bool
	Production   bool
	PlainErrors  bool
	KeyWrap      string
	KeyEncoding  string
	Body         string
	ResponseIV   string
	ClientID     string
	ClientSecret string
	AppID        string
	Seed         string        // "" or SeedDemo
	Env          bool          // print export lines and keep serving in the background
	Child        bool          // internal: this process is the background server of --env
	DateSkew     time.Duration // staged: answers' Date header this far from the real time
	RefuseLogin  string        // staged: "all", or a wire profile (text form) whose logins answer 1018
}

// Register adds the flags to fs. Go's flag package accepts -flag and --flag alike; `vaultspay fake`
// adds the same set to its pflag flags.
func (c *Config) Register(fs *flag.FlagSet) {
	fs.StringVar(&c.Addr, "addr", "127.0.0.1:0", "listen address (loopback by default; port 0 picks a free one)")
	fs.BoolVar(&c.Encryption, "encryption", true, "use the AES-GCM + RSA envelope; false answers plain JSON")
	fs.BoolVar(&c.Production, "production", false, "refuse x-enable-encryption: false, as production does")
	fs.BoolVar(&c.PlainErrors, "plain-errors", false, "send errors unencrypted after the envelope was opened")
	fs.StringVar(&c.KeyWrap, "key-wrap", string(vaultspay.KeyWrapPKCS1v15), "RSA padding: pkcs1v15, oaep-sha1, oaep-sha256, oaep-sha256-mgf1-sha1")
	fs.StringVar(&c.KeyEncoding, "key-encoding", string(vaultspay.KeyEncodingRaw), "wrapped key form: raw or base64")
	fs.StringVar(&c.Body, "body", string(vaultspay.BodyJSONObject), "encrypted body form: json-object, base64-text or json-string")
	fs.StringVar(&c.ResponseIV, "response-iv", string(vaultspay.ResponseIVHeader), "response IV: header (fresh, in x-session-nonce) or request")
	fs.StringVar(&c.ClientID, "client-id", "", "client id (default: random)")
	fs.StringVar(&c.ClientSecret, "client-secret", "", "client secret (default: random)")
	fs.StringVar(&c.AppID, "app-id", "17", "app id expected in x-device-id")
	fs.StringVar(&c.Seed, "seed", "", `"demo": create a verified user, a funded account, a contact and two cards, and print their ids`)
	fs.BoolVar(&c.Env, "env", false, `print "export VAULTSPAY_…" lines for eval and keep serving in the background`)
	fs.BoolVar(&c.Child, ChildFlag, false, "internal: serve as the background process of --env")
	fs.DurationVar(&c.DateSkew, "date-skew", 0, "stage a wrong server clock: answers' Date header this far ahead (negative: behind)")
	fs.StringVar(&c.RefuseLogin, "refuse-login", "", `stage a refused login: "all", or a wire profile (e.g. key-wrap=oaep-sha1) whose logins answer 1018`)
}

// ChildFlag is the hidden flag the --env parent passes to the background server it starts.
const ChildFlag = "background-child"

// StartLine is the one JSON line printed on stdout once the server listens (and, with --seed, is
// seeded).
type StartLine struct {
	BaseURL      string  `json:"baseURL"`
	ClientID     string  `json:"clientId"`
	ClientSecret string  `json:"clientSecret"`
	AppID        string  `json:"appId"`
	RSAPublicKey string  `json:"rsaPublicKey"`   // Base64 SPKI DER
	Seed         *Seeded `json:"seed,omitempty"` // with --seed demo only
}

// Running is a started fake.
type Running struct {
	Server *vaultspaytest.Server
	Line   StartLine
}

// seedTimeout bounds seeding; it is a dozen loopback calls.
const seedTimeout = 2 * time.Minute

// Start checks the configuration, serves the fake on c.Addr and seeds it. The caller closes
// Running.Server.
func Start(ctx context.Context, c *Config) (*Running, error) {
	if c.Seed != "" && c.Seed != SeedDemo {
		return nil, fmt.Errorf("--seed %q: the only seed is %q", c.Seed, SeedDemo)
	}
	opts := []vaultspaytest.Option{
		vaultspaytest.WithWireProfile(vaultspay.WireProfile{KeyWrap: vaultspay.KeyWrap(c.KeyWrap),
			KeyEncoding: vaultspay.KeyEncoding(c.KeyEncoding), Body: vaultspay.BodyFormat(c.Body), ResponseIV: vaultspay.ResponseIV(c.ResponseIV)}),
		vaultspaytest.WithCredentials(c.ClientID, c.ClientSecret, c.AppID),
	}
	if !c.Encryption {
		opts = append(opts, vaultspaytest.WithoutEncryption())
	}
	if c.Production {
		opts = append(opts, vaultspaytest.WithProductionMode())
	}
	if c.PlainErrors {
		opts = append(opts, vaultspaytest.WithPlainErrors())
	}
	staged, err := c.staged()
	if err != nil {
		return nil, err
	}
	opts = append(opts, staged...)
	srv, err := vaultspaytest.NewUnstartedServer(opts...)
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return nil, err
	}
	srv.Listener = l
	if err := srv.Start(); err != nil {
		_ = l.Close()
		return nil, err
	}
	r := &Running{Server: srv, Line: StartLine{BaseURL: srv.URL, ClientID: srv.ClientID(), ClientSecret: srv.ClientSecret(),
		AppID: srv.AppID(), RSAPublicKey: srv.PublicKeyBase64()}}
	if c.Seed == SeedDemo {
		sctx, cancel := context.WithTimeout(ctx, seedTimeout)
		defer cancel()
		f := &Fixtures{Client: srv.Client(), Control: &Control{BaseURL: srv.URL}}
		if r.Line.Seed, err = f.Demo(sctx); err != nil {
			srv.Close()
			return nil, fmt.Errorf("seeding: %w", err)
		}
	}
	return r, nil
}

// JSON is the start line with its newline.
func (l *StartLine) JSON() ([]byte, error) {
	b, err := json.Marshal(l)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
