package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/internal/fakeserve"
)

// forwardTimeout bounds one forwarded delivery.
const forwardTimeout = 30 * time.Second

func (a *app) webhooksCommand() *cobra.Command {
	return group("webhooks", "receive webhooks locally", a.webhooksListen())
}

// listener is a running `webhooks listen`.
type listener struct {
	a       *app
	forward string
	hc      *http.Client
	mu      sync.Mutex // orders printed lines
	events  chan struct{}
}

func (a *app) webhooksListen() *cobra.Command {
	var (
		addr, forward string
		fake          bool
		count         int
	)
	cmd := &cobra.Command{Use: "listen", Short: "receive webhooks on a local port, print each event, optionally forward it", Args: cobra.NoArgs,
		Long: `Receives webhooks on a local port and prints each event as it arrives (one line, or one JSON object
per line with --output json). With --forward-to the original body and headers are POSTed on to your
endpoint and its status is answered to the sender. With --fake it registers itself as the webhook URL
of the fake at VAULTSPAY_BASE_URL (POST /_fake/webhooks), and removes itself on exit.

  vaultspay webhooks listen --fake --forward-to http://localhost:8080/webhooks

A first line on standard error says where it listens once it is ready. It runs until interrupted, or
until --count events arrived.`}
	fs := cmd.Flags()
	fs.StringVar(&addr, "addr", "127.0.0.1:0", "listen address (port 0 picks a free one)")
	fs.StringVar(&forward, "forward-to", "", "POST each delivery on to this URL")
	fs.BoolVar(&fake, "fake", false, "register on the fake at the configured base URL (POST /_fake/webhooks)")
	fs.IntVar(&count, "count", 0, "exit after this many events (0: run until interrupted)")
	cmd.RunE = a.long(func(ctx context.Context, _ []string) error {
		if forward != "" {
			if u, err := url.Parse(forward); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return usagef("webhooks listen: --forward-to %q is not an http(s) URL", forward)
			}
		}
		if count < 0 {
			return usagef("webhooks listen: --count %d is negative", count)
		}
		var ctl *fakeserve.Control
		if fake {
			var err error
			if ctl, err = a.fakeControl(); err != nil {
				return err
			}
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return usagef("webhooks listen: --addr: %v", err)
		}
		l := &listener{a: a, forward: forward, hc: &http.Client{Timeout: forwardTimeout}, events: make(chan struct{}, 1024)}
		srv := &http.Server{Handler: l, ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = srv.Serve(ln) }()
		defer srv.Close()
		hookURL := "http://" + ln.Addr().String() + "/webhooks"
		where := ""
		if ctl != nil {
			rctx, cancel := context.WithTimeout(ctx, a.timeoutOr(defaultTimeout))
			err := ctl.SetWebhook(rctx, hookURL)
			cancel()
			if err != nil {
				return a.notFake(err)
			}
			defer func() {
				uctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				_ = ctl.SetWebhook(uctx, "")
			}()
			where = ", registered on the fake at " + ctl.BaseURL
		}
		fmt.Fprintf(a.stderr, "Ready: listening on %s%s (Ctrl-C to stop)\n", hookURL, where)
		for n := 0; count == 0 || n < count; n++ {
			select {
			case <-l.events:
			case <-ctx.Done():
				return nil
			}
		}
		return nil
	})
	return cmd
}

// timeoutOr is --timeout, or d when it is 0 (no limit) for a call that must not hang.
func (a *app) timeoutOr(d time.Duration) time.Duration {
	if a.timeout > 0 {
		return a.timeout
	}
	return d
}

// ServeHTTP receives one delivery: prints it, forwards it, answers.
func (l *listener) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, vaultspay.DefaultWebhookMaxBody+1))
	if err != nil || int64(len(body)) > vaultspay.DefaultWebhookMaxBody {
		http.Error(w, "body unreadable or too large", http.StatusRequestEntityTooLarge)
		return
	}
	status, fwd := http.StatusOK, ""
	if l.forward != "" {
		status, fwd = l.forwardBody(r, body)
	}
	ev, perr := vaultspay.ParseEvent(body)
	l.print(ev, perr, body, fwd)
	w.WriteHeader(status)
	select {
	case l.events <- struct{}{}:
	default:
	}
}

// forwardBody POSTs body with the delivery's headers to --forward-to and returns the status to answer
// (the target's, or 502 when it could not be reached) and a note for the printed line.
func (l *listener) forwardBody(r *http.Request, body []byte) (int, string) {
	req, err := http.NewRequestWithContext(r.Context(), http.MethodPost, l.forward, bytes.NewReader(body))
	if err != nil {
		return http.StatusBadGateway, "forward failed: " + err.Error()
	}
	for k, vs := range r.Header {
		switch http.CanonicalHeaderKey(k) {
		case "Host", "Content-Length", "Connection", "Accept-Encoding", "Transfer-Encoding":
			continue
		}
		req.Header[k] = append([]string(nil), vs...)
	}
	res, err := l.hc.Do(req)
	if err != nil {
		return http.StatusBadGateway, "forward failed: " + err.Error()
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 1<<20))
	_ = res.Body.Close()
	return res.StatusCode, fmt.Sprintf("→ %d %s", res.StatusCode, l.forward)
}

// eventLine is one event in --output json.
type eventLine struct {
	ReceivedAt time.Time       `json:"receivedAt"`
	Type       string          `json:"type"`
	ID         string          `json:"id"`
	Event      json.RawMessage `json:"event,omitempty"`
	Error      string          `json:"error,omitempty"`
	Forward    string          `json:"forward,omitempty"`
}

func (l *listener) print(ev vaultspay.Event, perr error, body []byte, fwd string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now().UTC()
	if l.a.json {
		line := eventLine{ReceivedAt: now, Forward: fwd}
		if perr != nil {
			line.Error = perr.Error()
		} else {
			line.Type, line.ID, line.Event = ev.EventType(), ev.EventID(), ev.RawJSON()
		}
		b, _ := json.Marshal(line)
		fmt.Fprintf(l.a.stdout, "%s\n", b)
		return
	}
	var desc string
	switch e := ev.(type) {
	case *vaultspay.CardEvent:
		prev := "none"
		if e.Status.Previous != nil {
			prev = string(e.Status.Previous.Code)
		}
		desc = fmt.Sprintf("%s  card %s token %s: %s → %s", e.Type, masked(e.Card.LastFourDigits), tokenText(e.Card.Token),
			prev, e.Status.Current.Code)
		if e.Status.Reason != "" {
			desc += " (" + e.Status.Reason + ")"
		}
	case *vaultspay.TransferEvent:
		// The event carries no currency, so the amount is printed as sent (its unit is UNKNOWN, 60-webhooks.md).
		desc = fmt.Sprintf("%s  %s  transaction %s  amount %s (as sent; no currency in the event)", vaultspay.TransferEventName,
			e.Status, e.TransactionID, e.Amount)
	case *vaultspay.UnknownEvent:
		desc = fmt.Sprintf("unknown event type %q id %q: %s", e.Type, e.ID, truncate(string(body), 200))
	default:
		desc = fmt.Sprintf("unreadable delivery (%v): %s", perr, truncate(string(body), 200))
	}
	fmt.Fprintln(l.a.stdout, cell(strings.TrimSpace(now.Format(time.RFC3339)+"  "+desc+"  "+fwd)))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// fakeControl is a client for the fake's control routes at the configured base URL.
func (a *app) fakeControl() (*fakeserve.Control, error) {
	base := a.g.resolve(&a.g.baseURL, vaultspay.EnvBaseURL)
	u, err := url.Parse(base)
	if base == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &configError{err: fmt.Errorf("the fake's base URL: %s or --base-url must be the URL `vaultspay fake` printed, not %q",
			vaultspay.EnvBaseURL, base)}
	}
	return &fakeserve.Control{BaseURL: base}, nil
}

// notFake explains a control route the server does not have.
func (a *app) notFake(err error) error {
	if fakeserve.IsNotFake(err) {
		return fmt.Errorf("the server has no such /_fake/ route: is the base URL a `vaultspay fake` (one recent enough)? %w", err)
	}
	return err
}
