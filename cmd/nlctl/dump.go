package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mdlayher/netlink"
)

// A dumpRequest is what "nlctl dump" asks, before the kernel resolves a
// generic netlink family name.
type dumpRequest struct {
	family  int    // netlink family
	genl    string // generic netlink family name, when FAMILY was one
	typ     uint16 // message type, unless genl is set
	cmd     uint8  // genetlink command, when genl is set
	header  []byte // nil: the default header
	attrs   []byte
	flags   netlink.HeaderFlags
	timeout time.Duration
}

// genlNameMax is the longest generic netlink family name (GENL_NAMSIZ
// less its NUL).
const genlNameMax = 15

// runDump runs "nlctl dump".
func runDump(ctx context.Context, opts options, args []string, stdout io.Writer) error {
	fs := newFlagSet("dump")
	opts.addCommon(fs)
	header := fs.String("header", "", "family header, hex")
	attrs := fs.String("attrs", "", "attributes, hex")
	flags := fs.String("flags", "request,dump", "header flags")
	timeout := fs.Duration("timeout", requestTimeout, "how long to wait")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	given := make(map[string]bool)
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })

	req, err := parseDumpRequest(pos, *header, given["header"], *attrs, *flags, *timeout)
	if err != nil {
		return err
	}

	c, err := dial(req.family, opts)
	if err != nil {
		return err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()

	genlNames := make(map[uint16]string)
	m := netlink.Message{Header: netlink.Header{Type: netlink.HeaderType(req.typ), Flags: req.flags}}
	hdr := req.header
	if req.genl != "" {
		f, err := lookupFamily(c, req.genl)
		if err != nil {
			return err
		}
		genlNames[f.ID] = f.Name
		m.Header.Type = netlink.HeaderType(f.ID)
		if hdr == nil {
			hdr = []byte{req.cmd, byte(min(f.Version, 255)), 0, 0}
		}
	} else if hdr == nil {
		hdr = make([]byte, familyHeaderLen(req.family, req.typ))
	}
	m.Data = append(append([]byte{}, hdr...), req.attrs...)

	if err := c.SetDeadline(time.Now().Add(req.timeout)); err != nil {
		return err
	}
	replies, err := c.Execute(m)
	if err != nil {
		return describeKernelError(err, req.timeout)
	}

	views := make([]messageView, 0, len(replies))
	for _, r := range replies {
		views = append(views, decodeMessage(req.family, genlNames, r))
	}
	if opts.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(views)
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

// parseDumpRequest checks the arguments of "nlctl dump" without touching the
// kernel.
func parseDumpRequest(pos []string, header string, headerGiven bool, attrs, flags string, timeout time.Duration) (dumpRequest, error) {
	if len(pos) != 2 {
		return dumpRequest{}, usagef("dump needs FAMILY and TYPE, such as: nlctl dump route getlink")
	}
	req := dumpRequest{timeout: timeout}
	if timeout <= 0 {
		return req, usagef("--timeout must be positive, got %v", timeout)
	}

	famArg, typArg := pos[0], pos[1]
	if f, ok := familyNames[strings.ToLower(famArg)]; ok {
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
		req.family, req.genl = familyGeneric, famArg
	}

	switch {
	case req.genl != "":
		cmd, ok := parseGenlCommand(req.genl, typArg)
		if !ok {
			return req, usagef("unknown command %q for generic netlink family %q (want a number from 0 to 255)", typArg, req.genl)
		}
		req.cmd = cmd
	case req.family == familyRoute:
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
	}
	if req.attrs, err = parseHex("--attrs", attrs); err != nil {
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

// describeKernelError explains a failed request, with the kernel's extended
// acknowledgement when it sent one.
func describeKernelError(err error, timeout time.Duration) error {
	var oe *netlink.OpError
	if !errors.As(err, &oe) {
		return err
	}
	if oe.Timeout() {
		return fmt.Errorf("no complete reply within %v", timeout)
	}
	if oe.Op != "receive" || oe.Message == "" && oe.Offset == 0 {
		return fmt.Errorf("request failed: %w", err)
	}
	s := fmt.Sprintf("request failed: %v", oe.Err)
	if oe.Message != "" {
		s += fmt.Sprintf("; the kernel says: %q", oe.Message)
	}
	if oe.Offset != 0 {
		s += fmt.Sprintf(" (at byte %d of the request)", oe.Offset)
	}
	return errors.New(s)
}
