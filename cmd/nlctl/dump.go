package main

import (
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/internal/nlfacts"
)

// A dumpRequest is what "nlctl dump" or "nlctl get" asks, before the
// kernel resolves a generic netlink family name.
type dumpRequest struct {
	family  int    // netlink family
	genl    string // generic netlink family name, when FAMILY was one
	typ     uint16 // message type, unless genl is set
	cmd     uint8  // genetlink command, when genl is set
	cmdName string // its name, when known
	header  []byte // nil: the default header
	attrs   []byte // from --attrs
	named   []attrArg
	flags   netlink.HeaderFlags
	timeout time.Duration
}

// genlNameMax is the longest generic netlink family name (GENL_NAMSIZ
// less its NUL).
const genlNameMax = 15

// runDump runs "nlctl dump" or, when get is set, "nlctl get": the same
// request without the dump flag.
func runDump(ctx context.Context, opts options, args []string, stdout, stderr io.Writer, get bool) error {
	cmdName, defFlags := "dump", "request,dump"
	if get {
		cmdName, defFlags = "get", "request"
	}
	fs := newFlagSet(cmdName)
	opts.addCommon(fs)
	header := fs.String("header", "", "family header, hex")
	attrs := fs.String("attrs", "", "attributes, hex")
	flags := fs.String("flags", defFlags, "header flags")
	timeout := fs.Duration("timeout", requestTimeout, "how long to wait")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	given := make(map[string]bool)
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })

	req, err := parseDumpRequest(cmdName, pos, *header, given["header"], *attrs, *flags, *timeout)
	if err != nil {
		return err
	}
	f, op := specOf(req)
	if err := checkHeaderLen(req, f, op, pos[1]); err != nil {
		return err
	}
	if op != nil {
		return runSpecDump(ctx, opts, req, f, op, stdout, stderr)
	}
	return runGenericDump(ctx, opts, req, stdout, stderr)
}

// runGenericDump runs "nlctl dump" or "nlctl get" for a message no spec
// describes, decoding the replies by the kernel's policies (generic
// netlink), nlctl's tables (rtnetlink) or by guessing.
func runGenericDump(ctx context.Context, opts options, req dumpRequest, stdout, stderr io.Writer) error {
	named, hdrArgs, err := splitHeaderArgs(req)
	if err != nil {
		return err
	}
	req.named = named

	c, err := dial(req.family, opts)
	if err != nil {
		return err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()

	dctx := newDecodeContext()
	m := netlink.Message{Header: netlink.Header{Type: netlink.HeaderType(req.typ), Flags: req.flags}}
	hdr := req.header
	var s *schema
	switch {
	case req.genl != "":
		info, err := loadFamily(c, req.genl, dctx, os.Stderr)
		if err != nil {
			return err
		}
		m.Header.Type = netlink.HeaderType(info.family.ID)
		if hdr == nil {
			hdr = []byte{req.cmd, byte(min(info.family.Version, 255)), 0, 0}
		}
		s = info.schemaFor(req.cmd, req.flags&netlink.Dump != 0)
	case req.family == NETLINK_ROUTE:
		s = rtnlSchema(req.typ)
		if hdr == nil {
			hdr = make([]byte, nlfacts.FixedHeaderLen(req.family, req.typ))
		}
	default:
		if hdr == nil {
			hdr = make([]byte, nlfacts.FixedHeaderLen(req.family, req.typ))
		}
	}
	if hdr, err = setHeaderArgs(req, hdr, hdrArgs); err != nil {
		return err
	}
	encoded, err := encodeAttrArgs(req.named, s, 0)
	if err != nil {
		return usagef("%v", err)
	}
	m.Data = append(append(append([]byte{}, hdr...), encoded...), req.attrs...)
	dump := req.flags&netlink.Dump != 0
	if dump {
		// Without strict checking, rtnetlink ignores the filters of a
		// dump and returns everything (kernels before 4.20 lack it).
		_ = c.SetOption(netlink.GetStrictCheck, true)
	}

	if err := c.SetDeadline(time.Now().Add(req.timeout)); err != nil {
		return err
	}
	replies, err := c.Execute(m)
	if err != nil {
		return nameGenericError(describeKernelError(err, req.timeout), s)
	}

	views := make([]messageView, 0, len(replies))
	filtered := false
	for _, r := range replies {
		filtered = filtered || r.Header.Flags&netlink.DumpFiltered != 0
		views = append(views, decodeMessage(req.family, dctx, r))
	}
	genlLen := 0
	if req.family == NETLINK_GENERIC {
		genlLen = min(4, len(hdr))
	}
	if dump && len(views) > 0 && !filtered && (len(encoded) > 0 || len(req.attrs) > 0 || hasNonZero(hdr[genlLen:])) {
		fmt.Fprintf(stderr, "nlctl: warning: the kernel ignored the filter (no NLM_F_DUMP_FILTERED on its %d replies): they are unfiltered\n", len(views))
	}
	if opts.json {
		return writeJSON(stdout, views)
	}
	if len(views) == 0 {
		_, err := io.WriteString(stdout, "no replies\n")
		return err
	}
	for _, v := range views {
		writeMessageText(stdout, "", v)
	}
	return nil
}

// loadFamily looks up a generic netlink family and its policies, and
// records them in dctx. A kernel without policies is noted on warn.
func loadFamily(c *netlink.Conn, name string, dctx *decodeContext, warn io.Writer) (*genlInfo, error) {
	f, err := lookupFamily(c, name)
	if err != nil {
		return nil, err
	}
	pols, err := fetchPolicies(c, f.Name, nil)
	switch {
	case errors.Is(err, errNoPolicies):
		pols = nil
	case err != nil:
		fmt.Fprintf(warn, "nlctl: %v; decoding without them\n", err)
		pols = nil
	}
	dctx.add(f, pols)
	return dctx.genl[f.ID], nil
}

// parseDumpRequest checks the arguments of "nlctl dump" or "nlctl get"
// without touching the kernel.
func parseDumpRequest(cmd string, pos []string, header string, headerGiven bool, attrs, flags string, timeout time.Duration) (dumpRequest, error) {
	if len(pos) < 2 {
		return dumpRequest{}, usagef("%s needs FAMILY and TYPE, such as: nlctl %s route getlink", cmd, cmd)
	}
	req := dumpRequest{timeout: timeout}
	if timeout <= 0 {
		return req, usagef("--timeout must be positive, got %v", timeout)
	}

	famArg, typArg := pos[0], pos[1]
	if f, ok := familyNames()[strings.ToLower(famArg)]; ok {
		req.family = f
	} else if n, err := parseNumber(famArg, 64); err == nil {
		if n >= 32 {
			return req, usagef("netlink family %s is out of range (0 to 31)", famArg)
		}
		req.family = int(n)
	} else {
		// Anything else names a generic netlink family, to be found by
		// asking nlctrl. The kernel limits their names to 15 bytes.
		if famArg == "" || len(famArg) > genlNameMax {
			return req, usagef("%q is neither a netlink family nor a generic netlink family name", famArg)
		}
		req.family, req.genl = NETLINK_GENERIC, famArg
	}

	switch {
	case req.genl != "":
		naming := genlNamings[req.genl]
		c, name, ok := specCommand(req.genl, typArg)
		if !ok {
			c, name, ok = naming.parseCommand(typArg)
		}
		if !ok {
			want := "a number from 0 to 255"
			if naming != nil {
				want += " or one of " + strings.Join(naming.commandNames(), ", ")
			}
			return req, usagef("unknown command %q for generic netlink family %q (want %s)", typArg, req.genl, want)
		}
		req.cmd, req.cmdName = c, name
	case req.family == NETLINK_ROUTE:
		t, ok := parseRouteType(typArg)
		if !ok {
			return req, usagef("unknown rtnetlink message type %q (want a number or an RTM_* name such as getlink)", typArg)
		}
		req.typ = t
	default:
		n, err := parseNumber(typArg, 16)
		if err != nil {
			return req, usagef("message type %q for family %s: want a number from 0 to 65535", typArg, famArg)
		}
		req.typ = uint16(n)
	}

	var err error
	if headerGiven {
		if req.header, err = parseHex("--header", header); err != nil {
			return req, err
		}
		if req.header == nil {
			req.header = []byte{}
		}
	} else if req.family == NETLINK_GENERIC && req.genl == "" && req.typ >= NLMSG_MIN_TYPE {
		return req, usagef("generic netlink messages start with the 4-byte genetlink header (command, version, two reserved bytes), "+
			"which nlctl builds only when FAMILY names the generic family: use nlctl %s FAMILYNAME COMMAND "+
			"(such as nlctl %s nlctrl getfamily), or pass the header, such as --header 03010000", cmd, cmd)
	}
	if req.attrs, err = parseHex("--attrs", attrs); err != nil {
		return req, err
	}
	if req.named, err = parseAttrArgs(pos[2:]); err != nil {
		return req, err
	}
	if req.flags, err = parseHeaderFlags(flags); err != nil {
		return req, usagef("--flags: %v", err)
	}
	req.flags |= netlink.Request
	return req, nil
}

// parseHex decodes hexadecimal bytes, allowing a 0x prefix and spaces or
// colons between bytes.
func parseHex(what, s string) ([]byte, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "0x")
	s = strings.NewReplacer(" ", "", ":", "", "\t", "").Replace(s)
	if s == "" {
		return nil, nil
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, usagef("%s: not hexadecimal bytes: %v", what, err)
	}
	return b, nil
}
