package bench

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/internal/envelope"
)

// maxBody caps what Baseline reads of a response, as the SDK does.
const maxBody = 16 << 20

// Baseline is a hand-written VaultsPay client: no retries, no token refresh, no validation, no raw
// JSON kept. It holds one access token; it is safe for concurrent use once Login has returned.
type Baseline struct {
	http    *http.Client
	base    string
	appID   string
	pub     *rsa.PublicKey // nil: plain JSON with x-enable-encryption: false and no crypto headers
	profile envelope.Profile
	token   string
}

// NewBaseline returns a Baseline for the server at base (no trailing slash) and app id appID. With pub
// nil it sends plain JSON, as the UAT allows; otherwise it seals every request under the default wire
// profile.
func NewBaseline(hc *http.Client, base, appID string, pub *rsa.PublicKey) (*Baseline, error) {
	p, err := envelope.Profile{}.Normalize()
	if err != nil {
		return nil, err
	}
	return &Baseline{http: hc, base: base, appID: appID, pub: pub, profile: p}, nil
}

// Login obtains the access token used by every later call.
func (c *Baseline) Login(ctx context.Context, clientID, clientSecret string) error {
	in := map[string]string{"clientId": clientID, "clientSecret": clientSecret}
	var tok struct {
		AccessToken string `json:"accessToken"`
	}
	if err := c.do(ctx, http.MethodPost, "/as/api/v1/saas-login", in, &tok); err != nil {
		return err
	}
	c.token = tok.AccessToken
	return nil
}

// GetAccount is GET /be/api/v1/accounts/{id}, decoded into the SDK's model type so that both clients
// pay for the same decoding.
func (c *Baseline) GetAccount(ctx context.Context, id int64) (*vaultspay.Account, error) {
	var out struct {
		Data vaultspay.Account `json:"data"`
	}
	if err := c.do(ctx, http.MethodGet, "/be/api/v1/accounts/"+strconv.FormatInt(id, 10), nil, &out); err != nil {
		return nil, err
	}
	return &out.Data, nil
}

// do sends in (nil: no body) and decodes a 2xx answer into out. Errors carry the status only.
func (c *Baseline) do(ctx context.Context, method, path string, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return err
		}
	}
	var sess *envelope.Session
	var nonce, sig string
	if c.pub != nil {
		var err error
		if sess, err = envelope.NewSession(nil); err != nil {
			return err
		}
		if sig, err = sess.WrapKey(c.pub, c.profile); err != nil {
			return err
		}
		nonce = sess.Nonce()
		if body != nil {
			body = sess.SealRequest(c.profile, body)
		}
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	h := req.Header
	h.Set("Accept", "application/json")
	if body != nil {
		h.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		h.Set("Authorization", "Bearer "+c.token)
	}
	h["x-device-os"] = []string{"SAAS"}
	h["x-device-id"] = []string{c.appID}
	if sess != nil {
		h["x-session-nonce"] = []string{nonce}
		h["x-auth-signature"] = []string{sig}
	} else {
		h["x-enable-encryption"] = []string{"false"}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: status %d", method, path, resp.StatusCode)
	}
	if sess != nil {
		iv, err := sess.ResponseIV(c.profile, resp.Header.Get("x-session-nonce"))
		if err != nil {
			return err
		}
		if raw, err = sess.Open(c.profile, iv, raw); err != nil {
			return err
		}
	}
	return json.Unmarshal(raw, out)
}
