package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// certExpiryWarn is how close to expiry a server certificate gets a warning.
const certExpiryWarn = 14 * 24 * time.Hour

// loopbackHost is the SDK's rule: "localhost" or a loopback IP.
func loopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func httpTime(v string) (time.Time, error) { return http.ParseTime(v) }

// checkConnect resolves the host, opens a TCP connection and, for https, completes a TLS handshake
// with the system's roots (nothing is sent over it). It reports whether the API can be reached.
func (d *doctorRun) checkConnect(ctx context.Context) bool {
	host, port := d.base.Hostname(), d.base.Port()
	if port == "" {
		port = "443"
		if d.base.Scheme == "http" {
			port = "80"
		}
	}
	var parts []string
	start := time.Now()
	if net.ParseIP(host) == nil {
		addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
		if err != nil {
			d.add("connect", statusFail, "DNS: "+err.Error(), "check the host name and this machine's DNS resolver")
			return false
		}
		parts = append(parts, fmt.Sprintf("DNS %d address(es) in %s", len(addrs), since(start)))
	}
	dialStart := time.Now()
	var dialer net.Dialer
	conn, err := dialer.DialContext(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		d.add("connect", statusFail, "TCP "+net.JoinHostPort(host, port)+": "+err.Error(), "check a firewall or proxy between here and the host")
		return false
	}
	defer conn.Close()
	parts = append(parts, fmt.Sprintf("TCP %s in %s", conn.RemoteAddr(), since(dialStart)))
	if note := proxyNote(d.base.Scheme); note != "" && !loopbackHost(host) { // net/http never proxies loopback
		parts = append(parts, note)
	}
	if d.base.Scheme == "http" {
		d.add("connect", statusPass, strings.Join(append(parts, "TLS skipped: plain http to loopback"), "; "), "")
		return true
	}
	tlsStart := time.Now()
	tc := tls.Client(conn, &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12})
	if err := tc.HandshakeContext(ctx); err != nil {
		detail := "TLS: " + err.Error()
		fix := "the server's certificate is not trusted here"
		var uae x509.UnknownAuthorityError
		var cve *tls.CertificateVerificationError
		if errors.As(err, &uae) || errors.As(err, &cve) {
			if issuer := presentedIssuer(ctx, host, port); issuer != "" {
				detail += "; the certificate presented was issued by " + issuer
			}
			fix = "a TLS-intercepting proxy or an unknown authority: trust the proxy's CA on this machine, or reach the host without it"
		}
		d.add("connect", statusFail, strings.Join(append(parts, detail), "; "), fix)
		return false
	}
	st := tc.ConnectionState()
	leaf := st.PeerCertificates[0]
	parts = append(parts, fmt.Sprintf("%s in %s, certificate %q valid until %s", tls.VersionName(st.Version), since(tlsStart),
		leaf.Subject.CommonName, leaf.NotAfter.UTC().Format(time.DateOnly)))
	if time.Until(leaf.NotAfter) < certExpiryWarn {
		d.add("connect", statusWarn, strings.Join(parts, "; "), "the server's certificate expires soon; tell VaultsPay")
		return true
	}
	d.add("connect", statusPass, strings.Join(parts, "; "), "")
	return true
}

func since(t time.Time) string { return time.Since(t).Round(100 * time.Microsecond).String() }

// proxyNote says that the SDK goes through a proxy this check does not use.
func proxyNote(scheme string) string {
	for _, k := range []string{strings.ToUpper(scheme) + "_PROXY", scheme + "_proxy"} {
		if os.Getenv(k) != "" {
			return k + " is set: API calls go through that proxy, this check dials directly"
		}
	}
	return ""
}

// presentedIssuer completes a second handshake without verification only to read who issued the
// certificate the server (or a proxy in between) presents; nothing is sent over it.
func presentedIssuer(ctx context.Context, host, port string) string {
	var dialer tls.Dialer
	dialer.Config = &tls.Config{ServerName: host, InsecureSkipVerify: true} //nolint:gosec // read-only look at the chain
	conn, err := dialer.DialContext(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		return ""
	}
	defer conn.Close()
	certs := conn.(*tls.Conn).ConnectionState().PeerCertificates
	if len(certs) == 0 {
		return ""
	}
	return fmt.Sprintf("%q", certs[0].Issuer.String())
}
