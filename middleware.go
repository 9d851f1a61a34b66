package vaultspay

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// Middleware sees every call of a client (WithMiddleware) or of one call (WithCallMiddleware) on the
// plaintext side of the envelope: the operation, each attempt and the outcome. Either field may be nil.
//
// A middleware observes, adds headers (Call.Header, Attempt.Header: the protected ones are refused
// before anything is sent) and may stop a call or an attempt before it is sent by returning an error
// without calling next. It cannot change what the pipeline does: sealing, signing, the token and the
// retry rule are applied inside next; next sends a call again only for a read (RetryRead), and each
// attempt at most once; once next has run, the method returns next's result and error whatever the
// middleware returns, so ErrOutcomeUnknown always reaches the caller.
//
// It is never handed a request or response body, a token, a key or card data, unless the client was
// built WithMiddlewareBodies (then Call.Result and Attempt.Body hold the decoded result and the
// decrypted answer, except for the token calls Auth.Login and Auth.Refresh, which never leave the SDK).
//
// Call wraps a whole call: every attempt, the backoff between them and the one token replay; the ctx
// it passes to next is the ctx of every attempt (a tracing span put there is the parent of the
// attempts). Attempt wraps one attempt, from sealing to the retry decision; the ctx it passes to next
// carries the request. The token calls (Auth.Login, Auth.Refresh) run detached from the call that
// needed a token, with a ctx of their own, and go through the client's middleware as calls too.
type Middleware struct {
	Call    func(next CallFunc) CallFunc
	Attempt func(next AttemptFunc) AttemptFunc
}

// CallFunc runs a call; see Middleware.
type CallFunc func(ctx context.Context, call *Call) error

// AttemptFunc runs one attempt; see Middleware. Its error is what failed in the attempt (also in
// Attempt.Err), nil when an answer was read, an error answer included.
type AttemptFunc func(ctx context.Context, attempt *Attempt) error

// Call is one call as middleware sees it. Operation and Header are set before next; the rest when
// next returns.
type Call struct {
	Operation Operation
	Host      string      // the API's host name, e.g. "api.vaultspay.dev"
	Header    http.Header // extra request headers for every attempt; add before calling next

	Attempts   int       // attempts made, over both sends when a token replay happened
	StatusCode int       // status of the last answer, 0 when none arrived
	Code       ErrorCode // VaultsPay code of the last answer, 0 when none
	RequestID  string    // request id of the last answer, "" when none
	Result     any       // the method's result on success, only WithMiddlewareBodies; nil otherwise

	run interface {
		runCall(context.Context, *Call) error
	} // sends and decodes: the end of every chain
	local CallFunc // the call's own middleware (WithCallMiddleware) around run; nil when none
	ran   bool     // run has been entered
}

// Attempt is one attempt as middleware sees it. Operation, Number and Header are set before next; the
// rest when next returns.
type Attempt struct {
	Operation Operation
	Host      string      // the API's host name
	Number    int         // 1-based, counted over the whole call (a token replay continues the count)
	Header    http.Header // extra request headers for this attempt; add before calling next

	StatusCode int           // 0 when no answer arrived
	Code       ErrorCode     // VaultsPay code of an error answer, 0 when none
	RequestID  string        // "" when the answer carried none
	Duration   time.Duration // from sealing to the retry decision (the backoff that follows is not in it)
	Sent       bool          // the request may have reached the server
	Retry      bool          // another attempt follows
	Reason     string        // why it was or was not retried: a short fixed phrase, e.g. "throttled", "answered"
	Err        error         // what failed: transport error, unreadable answer; nil when an answer was read
	Body       []byte        // the decrypted answer, only WithMiddlewareBodies; nil otherwise

	run interface {
		runAttempt(context.Context, *Attempt) error
	}
	local AttemptFunc
	ran   bool
}

// WithMiddleware adds middleware to every call of the client, the first given outermost. Options
// given more than once add up.
func WithMiddleware(m ...Middleware) Option {
	return func(c *config) error {
		c.middleware = append(c.middleware[:len(c.middleware):len(c.middleware)], m...)
		return nil
	}
}

// WithMiddlewareBodies hands middleware the decoded result of each call (Call.Result) and the decrypted
// answer of each attempt (Attempt.Body). They may hold card data, KYC document numbers and anything
// else the API returns: use it only with middleware that keeps them as safe as the caller would. The
// token calls' results and answers are never handed over.
func WithMiddlewareBodies() Option {
	return func(c *config) error { c.middlewareBodies = true; return nil }
}

// WithCallMiddleware adds middleware to this call only, inside the client's (WithMiddleware).
func WithCallMiddleware(m ...Middleware) RequestOption {
	return func(cfg *callConfig) {
		x := cfg.extra()
		x.mw = append(x.mw[:len(x.mw):len(x.mw)], m...)
	}
}

// callEnd and attemptEnd end every chain: the call's own middleware when it has some, then the work.
func callEnd(ctx context.Context, cl *Call) error {
	if cl.local != nil {
		return cl.local(ctx, cl)
	}
	return cl.run.runCall(ctx, cl)
}

func callRun(ctx context.Context, cl *Call) error { return cl.run.runCall(ctx, cl) }

func attemptEnd(ctx context.Context, a *Attempt) error {
	if a.local != nil {
		return a.local(ctx, a)
	}
	return a.run.runAttempt(ctx, a)
}

func attemptRun(ctx context.Context, a *Attempt) error { return a.run.runAttempt(ctx, a) }

// chains builds the call and attempt chains of mw around the given ends, the first middleware
// outermost; nil when no middleware wraps that level.
func chains(mw []Middleware, callLast CallFunc, attemptLast AttemptFunc) (CallFunc, AttemptFunc) {
	var calls CallFunc
	var attempts AttemptFunc
	for i := len(mw) - 1; i >= 0; i-- {
		if mw[i].Call != nil {
			if calls == nil {
				calls = callLast
			}
			calls = mw[i].Call(calls)
		}
		if mw[i].Attempt != nil {
			if attempts == nil {
				attempts = attemptLast
			}
			attempts = mw[i].Attempt(attempts)
		}
	}
	return calls, attempts
}

// errNotSent is the error of a call or attempt whose middleware returned without calling next or an
// error of its own.
var errNotSent = errors.New("vaultspay: middleware returned without sending and without an error")

// decoder turns a success answer into a method's result. The decoders are values, not func values: a
// generic function used as a value is a closure, allocated on every call once the middleware path can
// keep it.
type decoder[R any] interface {
	decode(*Response) (R, error)
}

// run is every operation's path: the call middleware when there is any, then send and decode.
func run[R any, D decoder[R]](ctx context.Context, c *Client, ep endpoint, in any, opts []RequestOption, decode D) (R, error) {
	cfg := c.configure(opts)
	if c.calls == nil && (cfg.x == nil || len(cfg.x.mw) == 0) {
		return sendDecode[R](ctx, c, ep, in, cfg, decode)
	}
	return runMiddleware[R](ctx, c, ep, in, cfg, decode)
}

// sendDecode sends and decodes; a success answer that cannot be decoded is an unknown outcome for a
// call that is not a read.
func sendDecode[R any, D decoder[R]](ctx context.Context, c *Client, ep endpoint, in any, cfg callConfig, decode D) (R, error) {
	var zero R
	res, err := c.send(ctx, ep, in, cfg)
	if err != nil {
		return zero, err
	}
	out, err := decode.decode(res)
	if err != nil {
		return zero, undecodable(ep, err)
	}
	return out, nil
}

// runMiddleware is run through the call chain. The checks that need no I/O come first, so middleware is
// never handed a nil ctx.
func runMiddleware[R any, D decoder[R]](ctx context.Context, c *Client, ep endpoint, in any, cfg callConfig, decode D) (R, error) {
	var zero R
	if err := usable(ctx); err != nil {
		return zero, err
	}
	if err := cfg.refused(); err != nil {
		return zero, err
	}
	st := &callState[R, D]{Call: Call{Operation: *ep.op, Host: c.host}, c: c, ep: ep, in: in, cfg: cfg, decode: decode}
	st.Call.run = st
	if cfg.x != nil {
		st.extra = *cfg.x
	}
	st.header = st.extra.header
	st.extra.call = &st.Call
	st.cfg.x = &st.extra
	if len(st.extra.mw) > 0 {
		st.Call.local, st.extra.attempts = chains(st.extra.mw, callRun, attemptRun)
	}
	chain := c.calls
	if chain == nil {
		chain = callEnd
	}
	err := chain(ctx, &st.Call)
	if !st.Call.ran {
		if err == nil {
			err = errNotSent
		}
		return zero, err
	}
	return st.out, st.err
}

// callState is one call through middleware, in one allocation: the Call middleware sees, and what
// running it needs and returns.
type callState[R any, D decoder[R]] struct {
	Call
	c      *Client
	ep     endpoint
	in     any
	cfg    callConfig
	decode D
	extra  callExtra   // the call's own copy of cfg.x, which cfg points to
	header http.Header // the headers of the call's options, before middleware added any
	out    R
	err    error
}

// runCall sends and decodes the call: the end of every call chain.
func (st *callState[R, D]) runCall(ctx context.Context, cl *Call) error {
	ep := st.ep
	if cl.ran && ep.op.Retry != RetryRead {
		return errors.New("vaultspay: " + ep.op.Name + ": middleware may send only a read again")
	}
	cl.ran = true
	st.extra.header = st.header
	if len(cl.Header) > 0 {
		if err := checkExtraHeaders(cl.Header); err != nil {
			st.err = err
			return st.err
		}
		st.extra.header = mergeHeaders(st.header, cl.Header)
	}
	st.out, st.err = sendDecode[R](ctx, st.c, ep, st.in, st.cfg, st.decode)
	if st.err == nil && st.c.mwBodies && !ep.op.public {
		cl.Result = st.out
	}
	return st.err
}

// mergeHeaders returns a new header with the values of a, then b.
func mergeHeaders(a, b http.Header) http.Header {
	h := make(http.Header, len(a)+len(b))
	for k, v := range a {
		h[k] = v
	}
	for k, v := range b {
		h[k] = append(h[k][:len(h[k]):len(h[k])], v...)
	}
	return h
}

// record fills what the call learnt from its last send.
func (cl *Call) record(x *exchange, res *Response, last *attempt) {
	cl.Attempts = x.base + x.n
	if res != nil {
		cl.StatusCode, cl.RequestID = res.StatusCode, res.RequestID
	}
	if last != nil {
		cl.Code = last.code
	}
}

// record fills what the attempt learnt.
func (at *Attempt) record(a *attempt, bodies bool) {
	at.Duration = time.Since(a.start)
	at.Sent, at.Retry, at.Reason, at.Err = a.wrote, a.retry, a.reason, a.failed
	at.Code = a.code
	if a.res != nil {
		at.StatusCode, at.RequestID = a.res.StatusCode, a.res.RequestID
		if bodies && !a.x.ep.op.public {
			at.Body = a.res.Body
		}
	}
}
