// Command vaultspay-fake serves the vaultspaytest fake of the VaultsPay Issuance API as a program, for
// tests in other languages and for CI. On start it prints one JSON line with the base URL, credentials
// and RSA public key, then serves until SIGINT or SIGTERM and exits 0.
//
//	vaultspay-fake -addr 127.0.0.1:8080 -key-wrap oaep-sha256
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// startLine is the one JSON line printed on stdout once the server listens.
type startLine struct {
	BaseURL      string `json:"baseURL"`
	ClientID     string `json:"clientId"`
	ClientSecret string `json:"clientSecret"`
	AppID        string `json:"appId"`
	RSAPublicKey string `json:"rsaPublicKey"` // Base64 SPKI DER
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "vaultspay-fake:", err)
		os.Exit(2)
	}
}

// run parses args, starts the fake, prints the start line and serves until ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("vaultspay-fake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "listen address (loopback by default; port 0 picks a free one)")
	encryption := fs.Bool("encryption", true, "use the AES-GCM + RSA envelope; false answers plain JSON")
	production := fs.Bool("production", false, "refuse x-enable-encryption: false, as production does")
	plainErrors := fs.Bool("plain-errors", false, "send errors unencrypted after the envelope was opened")
	keyWrap := fs.String("key-wrap", string(vaultspay.KeyWrapPKCS1v15), "RSA padding: pkcs1v15, oaep-sha1, oaep-sha256, oaep-sha256-mgf1-sha1")
	keyEnc := fs.String("key-encoding", string(vaultspay.KeyEncodingRaw), "wrapped key form: raw or base64")
	body := fs.String("body", string(vaultspay.BodyJSONObject), "encrypted body form: json-object, base64-text or json-string")
	respIV := fs.String("response-iv", string(vaultspay.ResponseIVHeader), "response IV: header (fresh, in x-session-nonce) or request")
	clientID := fs.String("client-id", "", "client id (default: random)")
	clientSecret := fs.String("client-secret", "", "client secret (default: random)")
	appID := fs.String("app-id", "17", "app id expected in x-device-id")
	if err := fs.Parse(args); err != nil {
		return err
	}
	opts := []vaultspaytest.Option{
		vaultspaytest.WithWireProfile(vaultspay.WireProfile{KeyWrap: vaultspay.KeyWrap(*keyWrap),
			KeyEncoding: vaultspay.KeyEncoding(*keyEnc), Body: vaultspay.BodyFormat(*body), ResponseIV: vaultspay.ResponseIV(*respIV)}),
		vaultspaytest.WithCredentials(*clientID, *clientSecret, *appID),
	}
	if !*encryption {
		opts = append(opts, vaultspaytest.WithoutEncryption())
	}
	if *production {
		opts = append(opts, vaultspaytest.WithProductionMode())
	}
	if *plainErrors {
		opts = append(opts, vaultspaytest.WithPlainErrors())
	}
	srv, err := vaultspaytest.NewUnstartedServer(opts...)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv.Listener = l
	if err := srv.Start(); err != nil {
		return err
	}
	defer srv.Close()
	line, err := json.Marshal(startLine{BaseURL: srv.URL, ClientID: srv.ClientID(), ClientSecret: srv.ClientSecret(),
		AppID: srv.AppID(), RSAPublicKey: srv.PublicKeyBase64()})
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(stdout, "%s\n", line); err != nil {
		return err
	}
	<-ctx.Done()
	return nil
}
