package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/internal/nlfacts"
	"github.com/mdlayher/netlink/ynl"
	"github.com/mdlayher/netlink/ynl/spec"
)

// "nlctl dump" and "nlctl get" speak a family that has a YNL spec through
// package ynl, as the spec mode does: the arguments are named and typed by
// the spec, and the replies decoded by it. The old commands keep what the
// spec mode lacks: raw --header and --attrs bytes, any netlink flags and
// message types the spec has no operation for (those fall back to the
// generic decoding).

// specOf returns the spec and operation that a request of "nlctl dump" or
// "nlctl get" is a message of, or nil when no spec has it.
func specOf(req dumpRequest) (*spec.Family, *spec.Op) {
	if req.genl != "" {
		f, ok := ynl.Lookup(req.genl)
		if !ok {
			return nil, nil
		}
		if op := f.OpByRequest(uint16(req.cmd)); op != nil {
			return f, op
		}
		return nil, nil
	}
	return rawSpecOf(req.family, req.typ, false)
}

// rawSpecOf returns the spec and operation of message type t of a
// netlink-raw family (rtnetlink's rt-link, rt-addr, rt-route, tc), looked
// up as a request or, when reply is set, as a reply or notification first.
func rawSpecOf(family int, t uint16, reply bool) (*spec.Family, *spec.Op) {
	for _, f := range ynl.Families() {
		if f.Protocol.Generic() || f.Protonum != family {
			continue
		}
		var op *spec.Op
		if reply {
			op = f.OpByReply(t)
		}
		if op == nil {
			op = f.OpByRequest(t)
		}
		if op != nil {
			return f, op
		}
	}
	return nil, nil
}

// specCommand parses the TYPE argument of a generic family that has a spec:
// an operation's name, with '_' allowed for '-' (linkinfo_get).
func specCommand(genl, s string) (uint8, string, bool) {
	f, ok := ynl.Lookup(genl)
	if !ok {
		return 0, "", false
	}
	op := f.Op(strings.ReplaceAll(strings.ToLower(s), "_", "-"))
	if op == nil || op.Request == 0 || op.Request > 255 {
		return 0, "", false
	}
	return uint8(op.Request), op.Name, true
}

// fixedHeaderLen is the size of what precedes the attributes of a request
// of req's family and type: the genetlink header and the family's fixed
// header, as the spec or else nlfacts knows them.
func fixedHeaderLen(req dumpRequest, f *spec.Family, op *spec.Op) (int, string) {
	n, what := 0, ""
	if req.family == NETLINK_GENERIC {
		n, what = 4, "the genetlink header"
	}
	if op != nil && op.FixedHeader != "" {
		s := f.Struct(op.FixedHeader)
		return n + s.Size, strings.TrimPrefix(what+" and ", " and ") + "struct " + s.Name
	}
	if req.family == NETLINK_GENERIC {
		return n, what
	}
	if h, ok := nlfacts.RouteHeader(req.typ); ok && req.family == NETLINK_ROUTE {
		return nlfacts.FixedHeaderLen(req.family, req.typ), "struct " + h.Struct
	}
	return nlfacts.FixedHeaderLen(req.family, req.typ), "its fixed header"
}

// checkHeaderLen refuses a --header shorter than the family's fixed
// header: the kernel would read the attributes as the header's end and
// answer another question than the one asked.
func checkHeaderLen(req dumpRequest, f *spec.Family, op *spec.Op, typArg string) error {
	if req.header == nil {
		return nil
	}
	need, what := fixedHeaderLen(req, f, op)
	if len(req.header) < need {
		return usagef("--header is %d bytes, but a %s message starts with %s of %d bytes: give all %d bytes, "+
			"or leave --header out and set the fields by name (such as family=inet6 ifindex=3)",
			len(req.header), typArg, what, need, need)
	}
	return nil
}

// runSpecDump runs "nlctl dump" or "nlctl get" for an operation of a
// spec'd family.
func runSpecDump(ctx context.Context, opts options, req dumpRequest, f *spec.Family, op *spec.Op, stdout, stderr io.Writer) error {
	dump := req.flags&netlink.Dump != 0
	form := dump
	if (dump && op.Dump == nil) || (!dump && op.Do == nil) {
		// The spec lacks this form (tc's getqdisc has no dump): build
		// the other one, which has the same layout.
		form = !dump
	}
	args := make([]string, len(req.named))
	for i, a := range req.named {
		args[i] = strings.Join(specArgPath(f, op, a.path), ".") + "=" + a.value
	}
	r, err := buildRequest(f, &ynlOp{name: op.Name, dump: form, args: args}, &ynlOp{}, 0)
	if err != nil {
		return err
	}
	if req.header != nil {
		if names := headerNames(f, op, r); len(names) > 0 {
			return usagef("--header gives the whole fixed header: set %s there, or leave --header out", strings.Join(names, ", "))
		}
	}

	c, err := dial(req.family, opts)
	if err != nil {
		return err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if dump {
		// Without strict checking, rtnetlink ignores the filters of a
		// dump and returns everything (kernels before 4.20 lack it).
		_ = c.SetOption(netlink.GetStrictCheck, true)
	}
	cl, err := ynl.NewClient(c, f)
	if err != nil {
		return err
	}
	nm, built, err := cl.Request(op.Name, form, r)
	if err != nil {
		var ce *ynl.CheckError
		if errors.As(err, &ce) {
			return usagef("%v", err)
		}
		return err
	}
	nm.Header.Flags = req.flags
	filter := hasFilter(built) || len(req.attrs) > 0
	if req.header != nil {
		start, _ := fixedHeaderLen(req, f, op)
		start = align4(start)
		hdr := req.header
		if req.family == NETLINK_GENERIC && len(hdr) >= 4 {
			filter = filter || hasNonZero(hdr[4:])
		} else {
			filter = filter || hasNonZero(hdr)
		}
		hdr = append(hdr, make([]byte, align4(len(hdr))-len(hdr))...)
		nm.Data = append(hdr, nm.Data[min(start, len(nm.Data)):]...)
	}
	nm.Data = append(nm.Data, req.attrs...)

	if err := c.SetDeadline(time.Now().Add(req.timeout)); err != nil {
		return err
	}
	replies, err := c.Execute(nm)
	if err != nil {
		var oe *netlink.OpError
		if errors.As(err, &oe) && oe.Timeout() {
			return fmt.Errorf("no complete reply within %v", req.timeout)
		}
		if errors.As(err, &oe) && oe.Err != nil {
			// Said as for any family, with the attributes named.
			return &specRefusal{errno: oe.Err, err: cl.ExplainError(op.Name, nm, err)}
		}
		return cl.ExplainError(op.Name, nm, err)
	}

	filtered := false
	out := make([]any, 0, len(replies))
	for _, rep := range replies {
		if rep.Header.Type == netlink.Error {
			continue // an acknowledgement
		}
		filtered = filtered || rep.Header.Flags&netlink.DumpFiltered != 0
		m, err := ynl.Decode(f, rep)
		if err != nil {
			// Not a message of the spec: show it as nlctl decodes any.
			out = append(out, decodeMessage(req.family, nil, rep))
			continue
		}
		out = append(out, m)
	}
	if dump && filter && !filtered && len(out) > 0 {
		fmt.Fprintf(stderr, "nlctl: warning: the kernel ignored the filter of %s %s (no NLM_F_DUMP_FILTERED on its %d replies): they are unfiltered\n",
			f.Name, op.Name, len(out))
	}
	if opts.json {
		return writeJSONArray(stdout, out)
	}
	if len(out) == 0 {
		_, err := io.WriteString(stdout, "no replies\n")
		return err
	}
	for i, m := range out {
		if i > 0 {
			io.WriteString(stdout, "\n")
		}
		switch m := m.(type) {
		case *ynl.Message:
			writeMessageBlock(stdout, f, m)
		case messageView:
			writeMessageText(stdout, "", m)
		}
	}
	return nil
}

// specArgPath turns the names of a NAME.CHILD=VALUE argument into the
// spec's: an attribute's spec name, its number, or its C name
// (IFLA_MTU, RTA_OIF, CTRL_ATTR_FAMILY_NAME), and a header field by its C
// name (rtm_family). Names it cannot place are kept, to be refused with
// the spec's own message.
func specArgPath(f *spec.Family, op *spec.Op, path []string) []string {
	out := make([]string, len(path))
	set := op.AttrSet
	for i, p := range path {
		out[i] = p
		if set == "" {
			continue
		}
		a := specAttr(f, set, p)
		if a == nil {
			if i == 0 && op.FixedHeader != "" {
				if m := headerMember(f.Struct(op.FixedHeader), dashed(p)); m != nil {
					out[i] = m.Name
				}
			}
			set = ""
			continue
		}
		out[i] = a.Name
		set = ""
		if a.Type == spec.TypeNest {
			set = a.Nested
		}
	}
	return out
}

// specAttr finds the attribute of set called name by any of the names
// specArgPath takes.
func specAttr(f *spec.Family, set, name string) *spec.Attr {
	if a := f.Attr(set, name); a != nil {
		return a
	}
	if n, err := parseNumber(name, 14); err == nil {
		return f.AttrByValue(set, uint16(n))
	}
	// A C name: IFLA_INFO_KIND is kind in the spec, RTA_OIF rta-oif.
	for s := dashed(name); ; {
		if a := f.Attr(set, s); a != nil {
			return a
		}
		_, rest, ok := strings.Cut(s, "-")
		if !ok {
			return nil
		}
		s = rest
	}
}

// dashed writes a C name as the specs write names: lower case, words
// joined by '-'.
func dashed(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), "_", "-")
}

// headerNames lists the fixed-header fields a request sets by name.
func headerNames(f *spec.Family, op *spec.Op, r *ynl.Request) []string {
	if op.FixedHeader == "" {
		return nil
	}
	var out []string
	for name := range r.Attrs {
		if f.Attr(op.AttrSet, name) == nil && headerMember(f.Struct(op.FixedHeader), name) != nil {
			out = append(out, name)
		}
	}
	return out
}

func hasNonZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return true
		}
	}
	return false
}

func align4(n int) int { return (n + 3) &^ 3 }

// writeJSONArray writes msgs, decoded by a spec or not, as one indented
// JSON array.
func writeJSONArray(w io.Writer, msgs []any) error {
	b, err := json.MarshalIndent(msgs, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// A specRefusal is a request of a spec'd family that the kernel refused:
// it reads as any refusal, and unwraps to the *ynl.Error that names the
// attributes of the extended acknowledgement.
type specRefusal struct {
	errno error
	err   error
}

func (e *specRefusal) Error() string { return "request failed: " + e.errno.Error() }
func (e *specRefusal) Unwrap() error { return e.err }
