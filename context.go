package netlink

import (
	"context"
	"errors"
	"iter"
	"os"
	"time"
)

// ExecuteIter is Execute as a sequence: it sends m when the loop starts and
// yields the messages of the reply one at a time as they arrive, each
// checked as Validate checks replies, so that a dump of any size is read
// with no more memory than one datagram at a time. An error is yielded once
// and ends the sequence.
//
// Like Execute, it holds the Conn's receiving side for the whole loop:
// the body of the loop must not call Receive, ReceiveIter or Execute on the
// same Conn. When the loop stops early, by a break or by a panic or
// runtime.Goexit in its body, the rest of the reply is read and discarded
// before the sequence returns (or the panic goes on), so the next call
// gets its own reply.
func (c *Conn) ExecuteIter(m Message) iter.Seq2[Message, error] {
	return func(yield func(Message, error) bool) {
		c.executeIter(context.Background(), m, yield)
	}
}

// ExecuteIterContext is ExecuteIter, ended by ctx as ExecuteContext is.
func (c *Conn) ExecuteIterContext(ctx context.Context, m Message) iter.Seq2[Message, error] {
	return func(yield func(Message, error) bool) {
		c.executeIter(ctx, m, yield)
	}
}

func (c *Conn) executeIter(ctx context.Context, m Message, yield func(Message, error) bool) {
	rx := c.rx
	rx.mu.Lock()
	defer rx.mu.Unlock()
	w, err := c.startExchange(ctx, &m)
	if err != nil {
		yield(Message{}, err)
		return
	}
	// Deferred, as finish is, for a loop body that panics or calls
	// runtime.Goexit: no watch may stay armed once the call is over.
	defer w.stop()
	var rd replyReader
	r := &rd
	r.init(c, &m)
	r.validate, r.w, r.yield = true, w, yield
	defer r.finish()
	r.read()
}

// ExecuteContext is Execute, ended early when ctx is done: a blocked
// receive returns within milliseconds with an error for which
// errors.Is(err, ctx.Err()) holds. The context's deadline acts as a read
// deadline, and a deadline set with SetReadDeadline or SetDeadline still
// applies (the earlier one wins); such a deadline may be set by another
// goroutine during the call, and the one set last is in force afterwards.
// What is left of the reply of a cancelled request never reaches a later
// call.
//
// A context that can never be done, such as context.Background(), costs
// nothing more than Execute. On a Socket without deadlines (such as the
// fake one of package nltest), a blocked receive cannot be interrupted:
// the context is then only checked before the request is sent.
func (c *Conn) ExecuteContext(ctx context.Context, m Message) ([]Message, error) {
	return c.execute(ctx, m)
}

// ReceiveContext is Receive, ended early when ctx is done as
// ExecuteContext is.
func (c *Conn) ReceiveContext(ctx context.Context) ([]Message, error) {
	rx := c.rx
	rx.mu.Lock()
	defer rx.mu.Unlock()
	w, err := c.watch(ctx)
	if err != nil {
		return nil, err
	}
	msgs, err := c.collectFor(nil, w)
	w.stop()
	return msgs, err
}

// A ctxWatch makes a context's end interrupt a receive, through the
// socket's read deadline (see readDeadlines). A nil *ctxWatch watches
// nothing.
type ctxWatch struct {
	c           *Conn
	ctx         context.Context
	ds          deadlineSetter
	deadline    time.Time // the context's deadline, if hasDeadline
	hasDeadline bool
	stopAfter   func() bool
}

// watch starts watching ctx for a receive; c.rx.mu must be held. It returns
// nil when ctx can never end, and ctx's error when it already has.
func (c *Conn) watch(ctx context.Context) (*ctxWatch, error) {
	if ctx == nil || ctx.Done() == nil {
		return nil, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, &OpError{Op: "receive", Err: err}
	}
	ds, ok := c.sock.(deadlineSetter)
	if !ok {
		return nil, nil
	}
	w := &ctxWatch{c: c, ctx: ctx, ds: ds}
	w.deadline, w.hasDeadline = ctx.Deadline()
	dl := &c.rx.deadlines
	if err := dl.start(w); err != nil {
		return nil, &OpError{Op: "set-read-deadline", Err: err}
	}
	w.stopAfter = context.AfterFunc(ctx, func() { dl.expire(w) })
	return w, nil
}

// stop ends the watch and puts the caller's latest read deadline back.
func (w *ctxWatch) stop() {
	if w == nil {
		return
	}
	w.stopAfter()
	w.c.rx.deadlines.end(w)
}

// err turns a deadline error that the context caused into the context's
// own error, so that errors.Is(err, ctx.Err()) holds.
func (w *ctxWatch) err(err error) error {
	if w == nil || err == nil || !errors.Is(err, os.ErrDeadlineExceeded) {
		return err
	}
	cerr := w.ctx.Err()
	if cerr == nil {
		if !w.hasDeadline || time.Now().Before(w.deadline) {
			return err // the caller's own deadline
		}
		// The context's deadline passed, as the socket's did, a
		// moment before its own timer: wait for that timer, so that
		// ctx.Err() is the error returned by the time the call
		// returns.
		<-w.ctx.Done()
		cerr = w.ctx.Err()
	}
	return &OpError{Op: "receive", Err: cerr}
}
