package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl"
	"github.com/mdlayher/netlink/ynl/spec"
)

// now gives the timestamps of events; tests replace it.
var now = time.Now

// stampFormat is RFC 3339 in UTC with microseconds, fixed width so that
// event lines align.
const stampFormat = "2006-01-02T15:04:05.000000Z07:00"

// runOp runs one operation and prints its replies.
func (o *ynlOptions) runOp(ctx context.Context, cl *ynl.Client, op *ynlOp, req *ynl.Request, stdout, stderr io.Writer) error {
	c := cl.Conn()
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if err := c.SetDeadline(now().Add(o.timeout)); err != nil {
		return err
	}
	// Build the message first: a request that breaks the spec is the
	// user's mistake (exit code 2), not the kernel's refusal.
	_, built, err := cl.Request(op.name, op.dump, req)
	if err != nil {
		return err
	}
	var msgs []*ynl.Message
	if op.dump {
		filtered := false
		for m, err := range cl.Dump(op.name, req) {
			if err != nil {
				return o.opError(ctx, err)
			}
			filtered = filtered || m.Header.Flags&netlink.DumpFiltered != 0
			msgs = append(msgs, m)
		}
		if hasFilter(built) && !filtered && len(msgs) > 0 {
			fmt.Fprintf(stderr, "nlctl: warning: the kernel ignored the filter of %s %s (no NLM_F_DUMP_FILTERED on its %d replies): they are unfiltered\n",
				cl.Family().Name, op.name, len(msgs))
		}
	} else {
		if msgs, err = cl.Do(op.name, req); err != nil {
			return o.opError(ctx, err)
		}
	}
	if o.outputJSON {
		return writeMessagesJSON(stdout, msgs)
	}
	if len(msgs) == 0 {
		what := "done"
		if op.dump {
			what = "no messages"
		}
		_, err := fmt.Fprintf(stdout, "%s %s: %s\n", cl.Family().Name, op.name, what)
		return err
	}
	for i, m := range msgs {
		if i > 0 {
			io.WriteString(stdout, "\n")
		}
		writeMessageBlock(stdout, cl.Family(), m)
	}
	return nil
}

// opError says when an operation ended because it was interrupted or
// timed out rather than refused.
func (o *ynlOptions) opError(ctx context.Context, err error) error {
	var ne net.Error
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("interrupted: %w", ctx.Err())
	case errors.As(err, &ne) && ne.Timeout(), errors.Is(err, os.ErrDeadlineExceeded):
		return fmt.Errorf("no complete answer within %v (--timeout): %w", o.timeout, err)
	}
	return err
}

// hasFilter reports whether a dump request asks the kernel to filter: it
// has attributes, or a header field that is not zero.
func hasFilter(m *ynl.Message) bool {
	if len(m.Attrs) > 0 {
		return true
	}
	for _, fd := range m.Fields {
		switch {
		case fd.Kind == ynl.KindUint && fd.Uint != 0, fd.Kind == ynl.KindInt && fd.Int != 0,
			fd.Kind == ynl.KindString && fd.Str != "", len(fd.Fields) > 0 && hasFilter(&ynl.Message{Fields: fd.Fields}):
			return true
		case fd.Kind == ynl.KindBinary:
			for _, b := range fd.Bytes {
				if b != 0 {
					return true
				}
			}
		}
	}
	return false
}

// listen prints the notifications cl receives, one line each, until ctx
// ends, o.count have come or o.duration has passed.
func (o *ynlOptions) listen(ctx context.Context, cl *ynl.Client, stdout io.Writer) error {
	c := cl.Conn()
	stop := context.AfterFunc(ctx, func() { c.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	if o.duration > 0 {
		if err := c.SetReadDeadline(now().Add(o.duration)); err != nil {
			return err
		}
	}
	seen := 0
	for {
		msgs, err := cl.Receive()
		if err != nil && msgs == nil {
			if ctx.Err() != nil {
				return nil // interrupted: the normal end of a monitor
			}
			if errors.Is(err, os.ErrDeadlineExceeded) && o.duration > 0 {
				return nil
			}
			return err
		}
		stamp := now().UTC().Format(stampFormat)
		for _, m := range msgs {
			if m == nil {
				continue // reported below
			}
			if o.outputJSON {
				if err := writeEventJSON(stdout, stamp, cl.Family(), m); err != nil {
					return err
				}
			} else {
				writeEventLine(stdout, stamp, cl.Family(), m)
			}
			seen++
			if o.count > 0 && seen >= o.count {
				return nil
			}
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "nlctl: %v\n", err)
		}
	}
}

// listSpecFamilies prints the families nlctl has specs for.
func listSpecFamilies(w io.Writer) error {
	for _, f := range ynl.Families() {
		fmt.Fprintf(w, "%-13s %s\n", f.Name, f.Protocol)
	}
	return nil
}

// listSpecOps prints the operations of f: their forms, or the group a
// notification goes to.
func listSpecOps(w io.Writer, f *spec.Family) error {
	for i := range f.Ops {
		op := &f.Ops[i]
		var forms []string
		if op.Do != nil {
			forms = append(forms, "do")
		}
		if op.Dump != nil {
			forms = append(forms, "dump")
		}
		switch {
		case op.Notify != "":
			forms = append(forms, "notification like "+op.Notify)
		case op.Event != nil:
			forms = append(forms, "event")
		}
		if op.MCGroup != "" {
			forms = append(forms, "group "+op.MCGroup)
		}
		fmt.Fprintf(w, "%-28s %s\n", op.Name, joinComma(forms))
	}
	return nil
}

// listSpecGroups prints the multicast groups of f.
func listSpecGroups(w io.Writer, f *spec.Family) error {
	for _, g := range f.MCGroups {
		fmt.Fprintln(w, g.Name)
	}
	return nil
}

// listSpecAttrs prints the attributes of each message of an operation,
// with their types, as the spec lists them.
func listSpecAttrs(w io.Writer, f *spec.Family, name string) error {
	op := f.Op(name)
	if op == nil {
		return usagef("%s has no operation %q (nlctl --family %s --list-ops lists them)", f.Name, name, f.Name)
	}
	fmt.Fprintf(w, "%s %s", f.Name, op.Name)
	if op.AttrSet != "" {
		fmt.Fprintf(w, " (attribute set %s)", op.AttrSet)
	}
	io.WriteString(w, "\n")
	if op.FixedHeader != "" {
		fmt.Fprintf(w, "  fixed header %s:\n", op.FixedHeader)
		for _, m := range f.Struct(op.FixedHeader).Members {
			fmt.Fprintf(w, "    %-26s %s\n", m.Name, memberType(&m))
		}
	}
	for _, part := range []struct {
		what string
		msg  *spec.Message
	}{
		{"do request", modeMsg(op.Do, true)}, {"do reply", modeMsg(op.Do, false)},
		{"dump request", modeMsg(op.Dump, true)}, {"dump reply", modeMsg(op.Dump, false)},
	} {
		if part.msg == nil {
			continue
		}
		fmt.Fprintf(w, "  %s:\n", part.what)
		for _, a := range part.msg.Attrs {
			fmt.Fprintf(w, "    %-26s %s\n", a, attrType(f, op, a))
		}
	}
	if op.Event != nil {
		io.WriteString(w, "  event:\n")
		for _, a := range op.Event {
			fmt.Fprintf(w, "    %-26s %s\n", a, attrType(f, op, a))
		}
	}
	return nil
}

func modeMsg(m *spec.Mode, request bool) *spec.Message {
	switch {
	case m == nil:
		return nil
	case request:
		return m.Request
	}
	return m.Reply
}

// attrType describes the attribute (or header field) name of op's set.
func attrType(f *spec.Family, op *spec.Op, name string) string {
	a := f.Attr(op.AttrSet, name)
	if a == nil {
		if op.FixedHeader != "" {
			if m := headerMember(f.Struct(op.FixedHeader), name); m != nil {
				return memberType(m) + " (header)"
			}
		}
		return "?"
	}
	t := a.Type.String()
	switch {
	case a.Nested != "" && a.Type == spec.TypeIndexedArray:
		t += " of " + a.SubType.String() + " " + a.Nested
	case a.Type == spec.TypeIndexedArray:
		t += " of " + a.SubType.String()
	case a.Nested != "":
		t += " " + a.Nested
	case a.Struct != "":
		t += " struct " + a.Struct
	case a.SubMessage != "":
		t += " " + a.SubMessage + " by " + a.Selector
	}
	if a.Enum != "" {
		t += " enum " + a.Enum
	}
	if a.Display != spec.NoHint {
		t += " (" + a.Display.String() + ")"
	}
	if a.MultiAttr {
		t += ", multi-attr"
	}
	return t
}

func memberType(m *spec.Member) string {
	t := m.Type.String()
	if m.Type.Size() == 0 && m.Len > 0 {
		t += fmt.Sprintf("[%d]", m.Len)
	}
	if m.Enum != "" {
		t += " enum " + m.Enum
	}
	return t
}

func joinComma(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}
