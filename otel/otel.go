package vaultspayotel

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/vaultspay-go/vaultspay"
)

// ScopeName is the instrumentation scope of the tracer and the meter.
const ScopeName = "github.com/vaultspay-go/vaultspay/otel"

// Option configures Middleware.
type Option func(*config)

type config struct {
	tp trace.TracerProvider
	mp metric.MeterProvider
}

// WithTracerProvider sets the tracer provider (default: the global one, otel.GetTracerProvider).
func WithTracerProvider(tp trace.TracerProvider) Option { return func(c *config) { c.tp = tp } }

// WithMeterProvider sets the meter provider (default: the global one, otel.GetMeterProvider).
func WithMeterProvider(mp metric.MeterProvider) Option { return func(c *config) { c.mp = mp } }

// Attribute keys beyond the OpenTelemetry semantic conventions.
const (
	AttrOperation      = attribute.Key("vaultspay.operation")
	AttrCode           = attribute.Key("vaultspay.code")
	AttrRequestID      = attribute.Key("vaultspay.request_id")
	AttrAttempts       = attribute.Key("vaultspay.attempts")
	AttrOutcomeUnknown = attribute.Key("vaultspay.outcome_unknown")
	AttrRetryRule      = attribute.Key("vaultspay.retry_rule")
	AttrRetry          = attribute.Key("vaultspay.retry")
	AttrRetryReason    = attribute.Key("vaultspay.retry_reason")
	AttrSent           = attribute.Key("vaultspay.sent")
)

// The semantic-convention keys used (HTTP client, stable).
const (
	attrMethod      = attribute.Key("http.request.method")
	attrTemplate    = attribute.Key("url.template")
	attrServer      = attribute.Key("server.address")
	attrStatus      = attribute.Key("http.response.status_code")
	attrResendCount = attribute.Key("http.request.resend_count")
	attrErrorType   = attribute.Key("error.type")
)

type instruments struct {
	ops       sync.Map // operation name → *opInfo; Client.Do is not kept (its template is the caller's path)
	tracer    trace.Tracer
	duration  metric.Float64Histogram
	attempts  metric.Int64Counter
	retries   metric.Int64Counter
	unknown   metric.Int64Counter
	logins    metric.Int64Counter
	refreshes metric.Int64Counter
}

// Middleware returns the client middleware that traces and meters every call and attempt. It fails only
// when the meter provider refuses to create an instrument.
func Middleware(opts ...Option) (vaultspay.Middleware, error) {
	cfg := config{}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.tp == nil {
		cfg.tp = otel.GetTracerProvider()
	}
	if cfg.mp == nil {
		cfg.mp = otel.GetMeterProvider()
	}
	in := &instruments{tracer: cfg.tp.Tracer(ScopeName)}
	m := cfg.mp.Meter(ScopeName)
	var err, e error
	in.duration, e = m.Float64Histogram("vaultspay.client.call.duration", metric.WithUnit("s"),
		metric.WithDescription("Duration of VaultsPay calls, all attempts, backoff and token replay included."))
	err = errors.Join(err, e)
	in.attempts, e = m.Int64Counter("vaultspay.client.attempts", metric.WithUnit("{attempt}"),
		metric.WithDescription("Attempts sent (or failed before sending) by VaultsPay calls."))
	err = errors.Join(err, e)
	in.retries, e = m.Int64Counter("vaultspay.client.retries", metric.WithUnit("{retry}"),
		metric.WithDescription("Attempts followed by a retry, by reason."))
	err = errors.Join(err, e)
	in.unknown, e = m.Int64Counter("vaultspay.client.outcome_unknown", metric.WithUnit("{call}"),
		metric.WithDescription("Calls that may have been processed but whose outcome is unknown (reconcile them)."))
	err = errors.Join(err, e)
	in.logins, e = m.Int64Counter("vaultspay.client.token.logins", metric.WithUnit("{login}"),
		metric.WithDescription("Token logins (Auth.Login calls)."))
	err = errors.Join(err, e)
	in.refreshes, e = m.Int64Counter("vaultspay.client.token.refreshes", metric.WithUnit("{refresh}"),
		metric.WithDescription("Token refreshes (Auth.Refresh calls)."))
	err = errors.Join(err, e)
	if err != nil {
		return vaultspay.Middleware{}, err
	}
	return vaultspay.Middleware{Call: in.wrapCall, Attempt: in.wrapAttempt}, nil
}

// opInfo is what every span and measurement of one operation shares, built once.
type opInfo struct {
	callName, attemptName string
	add                   []metric.AddOption    // vaultspay.operation alone
	rec                   []metric.RecordOption // the same, for the histogram
}

var (
	internalKind = []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindInternal)}
	clientKind   = []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindClient)}
)

// info returns the shared values of op, kept for every operation but Client.Do.
func (in *instruments) info(op vaultspay.Operation) *opInfo {
	if v, ok := in.ops.Load(op.Name); ok && op.Name != "Client.Do" {
		return v.(*opInfo)
	}
	set := metric.WithAttributeSet(attribute.NewSet(AttrOperation.String(op.Name)))
	i := &opInfo{callName: "vaultspay." + op.Name, attemptName: op.Method + " " + op.Template,
		add: []metric.AddOption{set}, rec: []metric.RecordOption{set}}
	if op.Name != "Client.Do" {
		in.ops.Store(op.Name, i)
	}
	return i
}

// The span attributes are set after Start, and only on a recording span: with a no-op provider (or an
// unsampled call) no attribute is built at all.
func (in *instruments) wrapCall(next vaultspay.CallFunc) vaultspay.CallFunc {
	return func(ctx context.Context, c *vaultspay.Call) error {
		op := c.Operation
		info := in.info(op)
		start := time.Now()
		ctx, span := in.tracer.Start(ctx, info.callName, internalKind...)
		err := next(ctx, c)
		unknown := errors.Is(err, vaultspay.ErrOutcomeUnknown)
		if span.IsRecording() {
			attrs := make([]attribute.KeyValue, 0, 10)
			attrs = append(attrs, attrMethod.String(op.Method), attrTemplate.String(op.Template), attrServer.String(c.Host),
				AttrRetryRule.String(op.Retry.String()), AttrAttempts.Int(c.Attempts), AttrOutcomeUnknown.Bool(unknown))
			attrs = responseAttrs(attrs, c.StatusCode, c.Code, c.RequestID)
			span.SetAttributes(attrs...)
		}
		add, rec := info.add, info.rec
		if err != nil {
			et := ErrorType(err)
			span.SetAttributes(attrErrorType.String(et))
			span.SetStatus(codes.Error, et)
			set := metric.WithAttributeSet(attribute.NewSet(AttrOperation.String(op.Name), attrErrorType.String(et)))
			add, rec = []metric.AddOption{set}, []metric.RecordOption{set}
		}
		span.End()
		in.duration.Record(ctx, time.Since(start).Seconds(), rec...)
		if unknown {
			in.unknown.Add(ctx, 1, info.add...)
		}
		switch op.Name {
		case "Auth.Login":
			in.logins.Add(ctx, 1, add...)
		case "Auth.Refresh":
			in.refreshes.Add(ctx, 1, add...)
		}
		return err
	}
}

func (in *instruments) wrapAttempt(next vaultspay.AttemptFunc) vaultspay.AttemptFunc {
	return func(ctx context.Context, a *vaultspay.Attempt) error {
		op := a.Operation
		info := in.info(op)
		ctx, span := in.tracer.Start(ctx, info.attemptName, clientKind...)
		err := next(ctx, a)
		if span.IsRecording() {
			end := make([]attribute.KeyValue, 0, 10)
			end = append(end, attrMethod.String(op.Method), attrTemplate.String(op.Template), attrServer.String(a.Host),
				AttrRetry.Bool(a.Retry), AttrRetryReason.String(a.Reason), AttrSent.Bool(a.Sent))
			if a.Number > 1 {
				end = append(end, attrResendCount.Int(a.Number-1))
			}
			end = responseAttrs(end, a.StatusCode, a.Code, a.RequestID)
			span.SetAttributes(end...)
		}
		switch {
		case err != nil:
			et := ErrorType(err)
			span.SetAttributes(attrErrorType.String(et))
			span.SetStatus(codes.Error, et)
		case a.StatusCode >= 400:
			et := strconv.Itoa(a.StatusCode)
			span.SetAttributes(attrErrorType.String(et))
			span.SetStatus(codes.Error, et)
		}
		span.End()
		in.attempts.Add(ctx, 1, info.add...)
		if a.Retry {
			in.retries.Add(ctx, 1, metric.WithAttributeSet(attribute.NewSet(AttrOperation.String(op.Name), AttrRetryReason.String(a.Reason))))
		}
		return err
	}
}

// responseAttrs appends the status, code and request id that are present.
func responseAttrs(attrs []attribute.KeyValue, status int, code vaultspay.ErrorCode, requestID string) []attribute.KeyValue {
	if status != 0 {
		attrs = append(attrs, attrStatus.Int(status))
	}
	if code != 0 {
		attrs = append(attrs, AttrCode.Int(int(code)))
	}
	if requestID != "" {
		attrs = append(attrs, AttrRequestID.String(requestID))
	}
	return attrs
}

// ErrorType is the low-cardinality error.type of err (see the package doc); "" for nil.
func ErrorType(err error) string {
	var apiErr *vaultspay.APIError
	var respErr *vaultspay.ResponseError
	switch {
	case err == nil:
		return ""
	case errors.Is(err, vaultspay.ErrOutcomeUnknown):
		return "outcome_unknown"
	case errors.As(err, &apiErr) && apiErr.Type != "" && printableWord(apiErr.Type):
		return apiErr.Type
	case errors.As(err, &apiErr):
		return strconv.Itoa(apiErr.StatusCode)
	case errors.Is(err, vaultspay.ErrUndecryptable):
		return "undecryptable"
	case errors.As(err, &respErr) || errors.Is(err, vaultspay.ErrMalformedResponse):
		return "malformed_response"
	case errors.Is(err, vaultspay.ErrValidation):
		return "validation"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	return "_OTHER"
}

// printableWord reports whether s looks like a VaultsPay error type (upper-case letters and
// underscores, at most 64): anything else a server sent is not trusted into an attribute.
func printableWord(s string) bool {
	if len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c == '_') {
			return false
		}
	}
	return true
}
