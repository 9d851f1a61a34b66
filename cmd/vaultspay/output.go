package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/pflag"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/internal/redact"
)

// field is one line of a record: a label and its value.
type field struct{ name, value string }

// printList prints a list: v as JSON with --json, else a table of header and rows.
func (a *app) printList(v any, header []string, rows [][]string) error {
	if a.json {
		return a.printJSON(v)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	writeRow(tw, header)
	for _, r := range rows {
		writeRow(tw, r)
	}
	return tw.Flush()
}

// printRecord prints one object: v as JSON with --json, else one "FIELD  value" line per field.
func (a *app) printRecord(v any, fields []field) error {
	if a.json {
		return a.printJSON(v)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	for _, f := range fields {
		writeRow(tw, []string{f.name, f.value})
	}
	return tw.Flush()
}

func (a *app) printJSON(v any) error {
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func writeRow(w io.Writer, cells []string) {
	clean := make([]string, len(cells))
	for i, s := range cells {
		clean[i] = cell(s)
	}
	fmt.Fprintln(w, strings.Join(clean, "\t"))
}

// cell makes API text safe for a table: control characters (tabs, newlines, terminal escapes) and
// the bidirectional and zero-width formatting characters are written as Go escapes (redact.Control,
// shared with the SDK's errors), and an empty value shows as "-".
func cell(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return redact.Control(s)
}

// fetchAll returns the page lo.Page of a list when it is set (through list), else every page through
// the SDK's walker (walk), which bounds the walk (pages, items, repeated pages) like every SDK list.
// list and walk read the options that embed lo. While more than one page is fetched and stderr is a
// terminal, a progress line counts the items on stderr.
func fetchAll[T any](ctx context.Context, a *app, noun string, lo *vaultspay.ListOptions,
	list func(context.Context) (*vaultspay.Page[T], error),
	walk func(context.Context, ...vaultspay.RequestOption) iter.Seq2[T, error]) ([]T, error) {
	if lo.Page > 0 {
		page, err := list(ctx)
		if err != nil {
			return nil, err
		}
		return page.Items, nil
	}
	var pag vaultspay.Pagination
	var p *progress
	var items []T
	for it, err := range walk(ctx, vaultspay.WithPaginationInto(&pag)) {
		if err != nil {
			p.done()
			return nil, err
		}
		if p == nil && pag.TotalPages > 1 {
			p = a.progress(noun, pag.TotalCount)
		}
		items = append(items, it)
		p.update(len(items))
	}
	p.done()
	if items == nil {
		items = []T{}
	}
	return items, nil
}

// progress is a one-line counter redrawn in place on stderr; nil when stderr is not a terminal.
type progress struct {
	w     io.Writer
	noun  string
	total int // 0 when the server sent no total
	last  time.Time
}

// progress starts a counter for noun, or returns nil (a no-op) when stderr is not a terminal.
func (a *app) progress(noun string, total int) *progress {
	if !a.tty {
		return nil
	}
	return &progress{w: a.stderr, noun: noun, total: total}
}

// progressEvery bounds how often the line is redrawn.
const progressEvery = 100 * time.Millisecond

func (p *progress) update(n int) {
	if p == nil {
		return
	}
	now := time.Now()
	if !p.last.IsZero() && now.Sub(p.last) < progressEvery && n != p.total {
		return
	}
	p.last = now
	if p.total > 0 {
		fmt.Fprintf(p.w, "\rfetching %s: %d of %d", p.noun, n, p.total)
	} else {
		fmt.Fprintf(p.w, "\rfetching %s: %d", p.noun, n)
	}
}

// done erases the line.
func (p *progress) done() {
	if p != nil {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// idValue is a flag holding a positive id; unset stays 0.
type idValue vaultspay.ID

func (v *idValue) String() string {
	if v == nil || *v == 0 {
		return ""
	}
	return vaultspay.ID(*v).String()
}

func (v *idValue) Type() string { return "id" }

func (v *idValue) Set(s string) error {
	id, err := parseID(s)
	if err != nil {
		return err
	}
	*v = idValue(id)
	return nil
}

// parseID parses a positive decimal id.
func parseID(s string) (vaultspay.ID, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%q is not a positive integer id", s)
	}
	return vaultspay.ID(id), nil
}

// dateValue is a --start-date or --end-date flag: YYYY-MM-DD (UTC; an end date covers its whole day)
// or an RFC 3339 time.
type dateValue struct {
	t   *time.Time
	end bool
}

func (v dateValue) String() string {
	if v.t == nil || v.t.IsZero() {
		return ""
	}
	return v.t.Format(time.RFC3339)
}

func (v dateValue) Type() string { return "date" }

func (v dateValue) Set(s string) error {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		*v.t = t
		return nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return fmt.Errorf("%q is neither YYYY-MM-DD nor an RFC 3339 time", s)
	}
	if v.end {
		d = d.Add(24*time.Hour - time.Second)
	}
	*v.t = d
	return nil
}

// dateFlags registers --start-date and --end-date on fs for r.
func dateFlags(fs *pflag.FlagSet, r *vaultspay.DateRange) {
	fs.Var(dateValue{t: &r.StartDate}, "start-date", "first day included: YYYY-MM-DD (UTC) or an RFC 3339 `time`")
	fs.Var(dateValue{t: &r.EndDate, end: true}, "end-date", "last day included: YYYY-MM-DD (the whole day, UTC) or an RFC 3339 `time`")
}

// pageFlags registers --page and --per-page on fs for lo.
func pageFlags(fs *pflag.FlagSet, lo *vaultspay.ListOptions) {
	fs.Var(countValue{&lo.Page}, "page", "fetch only page `n` (1-based); default: every page")
	fs.Var(countValue{&lo.PerPage}, "per-page", "`n` items per page (default: the server's)")
}

// countValue is a flag holding a positive int.
type countValue struct{ n *int }

func (v countValue) String() string {
	if v.n == nil || *v.n == 0 {
		return ""
	}
	return fmt.Sprint(*v.n)
}

func (v countValue) Type() string { return "n" }

func (v countValue) Set(s string) error {
	id, err := parseID(s)
	if err != nil {
		return fmt.Errorf("%q is not a positive integer", s)
	}
	*v.n = int(id)
	return nil
}

// formatTime prints t in UTC, RFC 3339, or "" for none.
func formatTime(t *vaultspay.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// masked shows the last four digits of a card number, or "" when they are unknown.
func masked(last4 string) string {
	if last4 == "" {
		return ""
	}
	return "**** " + last4
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
