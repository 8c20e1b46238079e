package netlink

import (
	"sync"
	"time"
)

// Read deadlines and contexts share the socket's one read deadline.
//
// A context-aware call (ExecuteContext, ReceiveContext, ExecuteIterContext)
// interrupts a blocked read by moving the socket's read deadline: to the
// context's deadline when it comes before the caller's, and into the past
// when the context ends. Meanwhile any goroutine may call SetReadDeadline or
// SetDeadline. Were both to write the socket's deadline on their own, the
// last write would win: a deadline the caller set just after the context
// ended would wipe the past one that wakes the read, which would then block
// for ever (holding the receiving side, so every Execute would wait too);
// and a deadline the caller set while the call puts the old one back would
// be lost.
//
// So every write of the socket's read deadline is made under one mutex,
// which also guards what it is made of:
//
//   - the deadline the caller set last, which is recorded there and never
//     changed by a context;
//   - the watch of the context-aware call in progress, if any (there is at
//     most one: such a call holds the receiving side), and whether its
//     context has ended.
//
// The socket's read deadline is always the effective one: the caller's,
// or, while a watch is in force, the past when its context has ended and
// else the earlier of the caller's deadline and the context's. The
// context's end and the caller's setter both apply it, so that neither can
// undo the other; when the call is over, the caller's latest deadline is
// applied.
type readDeadlines struct {
	mu      sync.Mutex
	user    time.Time // the read deadline the caller set last; zero for none
	w       *ctxWatch // the watch in force, or nil
	expired bool      // w's context has ended
	applied time.Time // the socket's read deadline, as last set through here
}

// aLongTimeAgo is a read deadline in the past, which wakes a blocked read.
var aLongTimeAgo = time.Unix(1, 0)

// effective returns the read deadline the socket must have when the
// caller's is user. d.mu must be held.
func (d *readDeadlines) effective(user time.Time) time.Time {
	switch {
	case d.w == nil:
		return user
	case d.expired:
		return aLongTimeAgo
	case d.w.hasDeadline && (user.IsZero() || d.w.deadline.Before(user)):
		return d.w.deadline
	}
	return user
}

// apply sets the socket's read deadline to t, unless it has it already.
// d.mu must be held.
func (d *readDeadlines) apply(ds deadlineSetter, t time.Time) error {
	if t.Equal(d.applied) {
		return nil
	}
	if err := ds.SetReadDeadline(t); err != nil {
		return err
	}
	d.applied = t
	return nil
}

// setRead is Conn.SetReadDeadline: it records t as the caller's read
// deadline and applies the effective one.
func (d *readDeadlines) setRead(ds deadlineSetter, t time.Time) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	// Always written, even when unchanged here: the caller may have
	// moved the deadline by other means (SyscallConn).
	eff := d.effective(t)
	if err := ds.SetReadDeadline(eff); err != nil {
		return err
	}
	d.user, d.applied = t, eff
	return nil
}

// setBoth is Conn.SetDeadline: setRead, and the write deadline.
func (d *readDeadlines) setBoth(ds deadlineSetter, t time.Time) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	eff := d.effective(t)
	if eff.Equal(t) {
		if err := ds.SetDeadline(t); err != nil {
			return err
		}
	} else {
		if err := ds.SetWriteDeadline(t); err != nil {
			return err
		}
		if err := ds.SetReadDeadline(eff); err != nil {
			return err
		}
	}
	d.user, d.applied = t, eff
	return nil
}

// start puts w in force and applies the effective deadline.
func (d *readDeadlines) start(w *ctxWatch) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.w, d.expired = w, false
	if err := d.apply(w.ds, d.effective(d.user)); err != nil {
		d.w = nil
		return err
	}
	return nil
}

// expire records that w's context ended and wakes a blocked read, unless w
// is no longer in force.
func (d *readDeadlines) expire(w *ctxWatch) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.w != w {
		return
	}
	d.expired = true
	// Written even if applied says so: nothing else may have moved it,
	// but a read must wake whatever happened.
	if w.ds.SetReadDeadline(aLongTimeAgo) == nil {
		d.applied = aLongTimeAgo
	}
}

// end takes w out of force and applies the caller's latest deadline.
func (d *readDeadlines) end(w *ctxWatch) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.w != w {
		return
	}
	d.w, d.expired = nil, false
	// Only a closed socket fails, and then no deadline matters.
	_ = d.apply(w.ds, d.user)
}
