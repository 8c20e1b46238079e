//go:build linux

package netlink_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// Extended acknowledgements from the running kernel, one test per
// attribute it can send, checked field by field. The kernel sends
// NLMSGERR_ATTR_COOKIE only for a few hardware drivers' operations, so
// the cookie is covered by the fake-socket tests alone.

// Attributes x/sys v0.43.0 does not name.
const (
	ethtoolTsinfoHwtstampProvider = 7 // ETHTOOL_A_TSINFO_HWTSTAMP_PROVIDER
	ethtoolTsProviderIndex        = 1 // ETHTOOL_A_TS_HWTSTAMP_PROVIDER_INDEX
	ethtoolTsProviderQualifier    = 2 // ETHTOOL_A_TS_HWTSTAMP_PROVIDER_QUALIFIER
	netdevCmdQueueGet             = 10
	netdevAQueueID                = 1

	tcaHTBParms     = 1 // TCA_HTB_PARMS
	sizeofTcHtbOpt  = 44
	tcLinklayerEth  = 1 // TC_LINKLAYER_ETHERNET
	htbRootHandle   = 0x10000
	htbClassHandle  = 0x10010
	sizeofTcmsg     = 20
	genlHeaderBytes = 4
)

// extAckEnv is a namespace with an ifb link, and strict sockets in it.
type extAckEnv struct {
	ns        string
	route     *netlink.Conn
	generic   *netlink.Conn
	linkIndex int32
}

func newExtAckEnv(t *testing.T) *extAckEnv {
	t.Helper()
	fd, ns := newNetNS(t)
	e := &extAckEnv{
		ns:      ns,
		route:   dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd, Strict: true}),
		generic: dialT(t, unix.NETLINK_GENERIC, &netlink.Config{NetNS: fd, Strict: true}),
	}
	if err := addLink(e.route, "nlea0", "ifb", t); err != nil {
		t.Fatalf("creating an ifb link: %v", err)
	}
	for _, l := range dumpLinks(t, e.route) {
		if l.Name == "nlea0" {
			e.linkIndex = l.Index
		}
	}
	if e.linkIndex == 0 {
		t.Fatal("the new ifb link is not in the link dump")
	}
	return e
}

// genlFamilyID resolves a generic netlink family name.
func genlFamilyID(t *testing.T, c *netlink.Conn, name string) uint16 {
	t.Helper()
	msgs, err := c.Execute(getFamilyRequest(t, name))
	if err != nil {
		t.Skipf("generic netlink family %q: %v", name, err)
	}
	f, err := parseFamily(msgs[0])
	if err != nil {
		t.Fatal(err)
	}
	return f.ID
}

func genlRequest(id uint16, cmd uint8, attrs []byte) netlink.Message {
	return netlink.Message{
		Header: netlink.Header{Type: netlink.HeaderType(id), Flags: netlink.Request | netlink.Acknowledge},
		Data:   append([]byte{cmd, 1, 0, 0}, attrs...),
	}
}

func encodeAttrs(t *testing.T, fn func(ae *netlink.AttributeEncoder)) []byte {
	t.Helper()
	ae := netlink.NewAttributeEncoder()
	fn(ae)
	b, err := ae.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// executeErr runs req, which must fail, and returns the request as sent
// and the *OpError.
func executeErr(t *testing.T, c *netlink.Conn, req netlink.Message) (netlink.Message, *netlink.OpError) {
	t.Helper()
	sent, err := c.Send(req)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Receive()
	var oe *netlink.OpError
	if !errors.As(err, &oe) {
		t.Fatalf("got %v (%T), want an *OpError", err, err)
	}
	if oe.Sequence != sent.Header.Sequence {
		t.Errorf("Sequence %d, want the request's %d", oe.Sequence, sent.Header.Sequence)
	}
	t.Logf("%v", oe)
	return sent, oe
}

// wantAck compares the extended acknowledgement that ExtendedAckOf finds
// for oe with want, checks that oe's Message and Offset repeat it and
// that Error() is v1.11.2's text, and returns it. Path and MissingPath are
// compared only when set, since only Execute fills them.
func wantAck(t *testing.T, oe *netlink.OpError, want netlink.ExtendedAck) *netlink.ExtendedAck {
	t.Helper()
	a, ok := netlink.ExtendedAckOf(oe)
	if !ok {
		t.Fatalf("OpError %#v has no extended acknowledgement", oe)
	}
	got := *a
	got.Path, got.MissingPath = nil, nil
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ExtendedAck (-want +got):\n%s", diff)
	}
	if oe.Message != a.Message || oe.Offset != int(a.Offset) {
		t.Errorf("OpError Message %q, Offset %d; ExtendedAck has %q, %d", oe.Message, oe.Offset, a.Message, a.Offset)
	}
	wantV1112Text(t, oe)
	return a
}

// wantV1112Text checks that oe's Error() is exactly what v1.11.2 says:
// the errno, then the offset and message when either is set.
func wantV1112Text(t *testing.T, oe *netlink.OpError) {
	t.Helper()
	want := "netlink " + oe.Op + ": " + oe.Err.Error()
	if oe.Message != "" || oe.Offset != 0 {
		want += fmt.Sprintf(", offset: %d, message: %q", oe.Offset, oe.Message)
	}
	if got := oe.Error(); got != want {
		t.Errorf("Error() = %q, want v1.11.2's %q", got, want)
	}
}

func checkPath(t *testing.T, what string, got, want []uint16, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", what, diff)
	}
}

func TestIntegrationExtendedAckPolicy(t *testing.T) {
	e := newExtAckEnv(t)

	t.Run("string too long", func(t *testing.T) {
		// IFLA_IFNAME's policy: a string of at most IFNAMSIZ-1 bytes.
		// The OpError is v1.11.2's, to the last field; the policy and
		// the path are reached through ExtendedAckOf.
		req := linkRequest(t, strings.Repeat("n", 40), "ifb")
		req.Header.Sequence = 0x4e4c
		_, err := e.route.Execute(req)
		oe, ok := err.(*netlink.OpError)
		if !ok {
			t.Fatalf("got %v (%T), want an *OpError", err, err)
		}
		if oe.Err != unix.ERANGE && oe.Err != unix.EINVAL {
			t.Errorf("errno %v, want ERANGE (EINVAL before 6.x)", oe.Err)
		}
		off := 16 + unix.SizeofIfInfomsg // the first attribute
		want := &netlink.OpError{Op: "receive", Err: oe.Err, Message: "Attribute failed policy validation", Offset: off, Sequence: 0x4e4c}
		if !reflect.DeepEqual(want, oe) {
			t.Errorf("OpError %#v, want %#v", oe, want)
		}
		wantText := "netlink receive: " + oe.Err.Error() + `, offset: 32, message: "Attribute failed policy validation"`
		if got := oe.Error(); got != wantText {
			t.Errorf("Error() = %q, want %q", got, wantText)
		}

		a, ok := netlink.ExtendedAckOf(fmt.Errorf("rtnetlink: %w", err))
		if !ok {
			t.Fatalf("ExtendedAckOf(%v) found nothing", err)
		}
		wantAck := &netlink.ExtendedAck{
			Message: "Attribute failed policy validation",
			Offset:  uint32(off),
			Policy:  &netlink.Policy{Type: netlink.PolicyTypeString, MaxLength: ptr(uint32(unix.IFNAMSIZ - 1))},
			Path:    []uint16{unix.IFLA_IFNAME},
		}
		if diff := cmp.Diff(wantAck, a); diff != "" {
			t.Errorf("ExtendedAck (-want +got):\n%s", diff)
		}
		if got := a.Policy.String(); got != "string max length 15" {
			t.Errorf("Policy.String() = %q", got)
		}
		path, err := netlink.AttributePath(req, unix.SizeofIfInfomsg, a.Offset)
		checkPath(t, "AttributePath", path, []uint16{unix.IFLA_IFNAME}, err)
	})

	t.Run("signed integer out of range", func(t *testing.T) {
		// IFLA_NEW_IFINDEX's policy: an s32 of at least 1.
		attrs := encodeAttrs(t, func(ae *netlink.AttributeEncoder) {
			ae.String(unix.IFLA_IFNAME, "nlea1")
			ae.Nested(unix.IFLA_LINKINFO, func(nae *netlink.AttributeEncoder) error {
				nae.String(unix.IFLA_INFO_KIND, "ifb")
				return nil
			})
			ae.Int32(unix.IFLA_NEW_IFINDEX, -5)
		})
		req := netlink.Message{
			Header: netlink.Header{Type: unix.RTM_NEWLINK, Flags: netlink.Request | netlink.Acknowledge | netlink.Create | netlink.Excl},
			Data:   append(make([]byte, unix.SizeofIfInfomsg), attrs...),
		}
		req, oe := executeErr(t, e.route, req)
		if !errors.Is(oe, unix.ERANGE) {
			t.Errorf("errno %v, want ERANGE", oe.Err)
		}
		// IFLA_IFNAME "nlea1" (12 bytes) and IFLA_LINKINFO (4+8) come first.
		off := uint32(16 + unix.SizeofIfInfomsg + 12 + 12)
		a := wantAck(t, oe, netlink.ExtendedAck{
			Message: oe.Message,
			Offset:  off,
			Policy:  &netlink.Policy{Type: netlink.PolicyTypeS32, MinSigned: ptr(int64(1)), MaxSigned: ptr(int64(math.MaxInt32))},
		})
		if a.Message == "" {
			t.Error("no message")
		}
		path, err := netlink.AttributePath(req, unix.SizeofIfInfomsg, a.Offset)
		checkPath(t, "AttributePath", path, []uint16{unix.IFLA_NEW_IFINDEX}, err)
	})

	t.Run("without the option", func(t *testing.T) {
		// The same error on a socket without ExtendedAcknowledge
		// carries nothing more than v1.11.2's fields, all zero.
		fd, _ := newNetNS(t)
		lax := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{NetNS: fd})
		req, oe := executeErr(t, lax, linkRequest(t, strings.Repeat("n", 40), "ifb"))
		want := &netlink.OpError{Op: "receive", Err: oe.Err, Sequence: req.Header.Sequence}
		if diff := cmp.Diff(want, oe); diff != "" {
			t.Errorf("OpError (-want +got):\n%s", diff)
		}
		if a, ok := netlink.ExtendedAckOf(oe); ok {
			t.Errorf("ExtendedAckOf = %v, want nothing without the option", a)
		}
	})
}

func TestIntegrationExtendedAckMissing(t *testing.T) {
	e := newExtAckEnv(t)

	t.Run("generic netlink, top level", func(t *testing.T) {
		// netdev's queue-get requires NETDEV_A_QUEUE_ID.
		id := genlFamilyID(t, e.generic, "netdev")
		req, oe := executeErr(t, e.generic, genlRequest(id, netdevCmdQueueGet, nil))
		if !errors.Is(oe, unix.EINVAL) {
			t.Errorf("errno %v, want EINVAL", oe.Err)
		}
		a := wantAck(t, oe, netlink.ExtendedAck{Message: oe.Message, MissingType: netdevAQueueID})
		path, err := netlink.MissingAttributePath(req, genlHeaderBytes, a.MissingNest, a.MissingType)
		checkPath(t, "MissingAttributePath", path, []uint16{netdevAQueueID}, err)
		if want := "missing attribute: 1"; !strings.Contains(a.String(), want) {
			t.Errorf("ExtendedAck.String() = %q, want it to hold %q", a.String(), want)
		}
	})

	t.Run("rtnetlink, top level", func(t *testing.T) {
		// A neighbour get (not a dump) requires NDA_DST.
		ndm := make([]byte, unix.SizeofNdMsg)
		ndm[0] = unix.AF_INET
		binary.NativeEndian.PutUint32(ndm[4:8], uint32(e.linkIndex))
		req := netlink.Message{Header: netlink.Header{Type: unix.RTM_GETNEIGH, Flags: netlink.Request}, Data: ndm}
		_, oe := executeErr(t, e.route, req)
		if !errors.Is(oe, unix.EINVAL) {
			t.Errorf("errno %v, want EINVAL", oe.Err)
		}
		wantAck(t, oe, netlink.ExtendedAck{Message: oe.Message, MissingType: unix.NDA_DST})
	})

	t.Run("in a nest", func(t *testing.T) {
		// ethtool's tsinfo-get: a hardware timestamp provider nest
		// requires its index.
		id := genlFamilyID(t, e.generic, unix.ETHTOOL_GENL_NAME)
		attrs := encodeAttrs(t, func(ae *netlink.AttributeEncoder) {
			ae.Nested(unix.ETHTOOL_A_TSINFO_HEADER, func(nae *netlink.AttributeEncoder) error {
				nae.Uint32(unix.ETHTOOL_A_HEADER_DEV_INDEX, uint32(e.linkIndex))
				return nil
			})
			ae.Nested(ethtoolTsinfoHwtstampProvider, func(nae *netlink.AttributeEncoder) error {
				nae.Uint32(ethtoolTsProviderQualifier, 0)
				return nil
			})
		})
		req, oe := executeErr(t, e.generic, genlRequest(id, unix.ETHTOOL_MSG_TSINFO_GET, attrs))
		if !errors.Is(oe, unix.EINVAL) {
			t.Errorf("errno %v, want EINVAL", oe.Err)
		}
		nest := uint32(16 + genlHeaderBytes + 12) // after the 12-byte header nest
		a := wantAck(t, oe, netlink.ExtendedAck{Message: oe.Message, MissingType: ethtoolTsProviderIndex, MissingNest: nest})
		path, err := netlink.MissingAttributePath(req, genlHeaderBytes, a.MissingNest, a.MissingType)
		checkPath(t, "MissingAttributePath", path, []uint16{ethtoolTsinfoHwtstampProvider, ethtoolTsProviderIndex}, err)
		if want := "missing attribute: 1 in the nest at offset 32"; !strings.Contains(a.String(), want) {
			t.Errorf("ExtendedAck.String() = %q, want it to hold %q", a.String(), want)
		}
	})
}

func TestIntegrationExtendedAckFailedDump(t *testing.T) {
	// A strict link dump with an attribute it does not filter on fails in
	// the Done message, which carries the message alone: the OpError is
	// then exactly v1.11.2's.
	c := dialT(t, unix.NETLINK_ROUTE, &netlink.Config{Strict: true})
	req := linkRequest(t, "", "")
	req.Data = append(req.Data, encodeAttrs(t, func(ae *netlink.AttributeEncoder) { ae.Uint32(unix.IFLA_MTU, 1) })...)
	sent, oe := executeErr(t, c, req)
	want := &netlink.OpError{Op: "receive", Err: unix.EINVAL, Sequence: sent.Header.Sequence, Message: oe.Message}
	if diff := cmp.Diff(want, oe, cmp.Comparer(func(a, b unix.Errno) bool { return a == b })); diff != "" {
		t.Errorf("OpError (-want +got):\n%s", diff)
	}
	if a, ok := netlink.ExtendedAckOf(oe); !ok || a.Message != oe.Message {
		t.Errorf("ExtendedAckOf = %v, %v; want the message", a, ok)
	}
	if !strings.Contains(oe.Message, "link dump") {
		t.Errorf("Message %q, want the kernel's complaint about the link dump request", oe.Message)
	}
}

func TestIntegrationExtendedAckWarning(t *testing.T) {
	e := newExtAckEnv(t)
	if out, err := exec.Command("tc", "-n", e.ns, "qdisc", "add", "dev", "nlea0", "root", "handle", "1:", "htb").CombinedOutput(); err != nil {
		t.Skipf("no htb qdisc: %v: %s", err, out)
	}

	// An HTB class whose rate makes a quantum above 200000 bytes is
	// created, with a warning.
	tcm := make([]byte, sizeofTcmsg)
	binary.NativeEndian.PutUint32(tcm[4:8], uint32(e.linkIndex))
	binary.NativeEndian.PutUint32(tcm[8:12], htbClassHandle)
	binary.NativeEndian.PutUint32(tcm[12:16], htbRootHandle)
	opt := make([]byte, sizeofTcHtbOpt)
	for _, rate := range [][]byte{opt[0:12], opt[12:24]} { // rate, ceil
		rate[1] = tcLinklayerEth
		binary.NativeEndian.PutUint32(rate[8:12], 1250000000) // 10 Gbit/s
	}
	attrs := encodeAttrs(t, func(ae *netlink.AttributeEncoder) {
		ae.String(unix.TCA_KIND, "htb")
		ae.Nested(unix.TCA_OPTIONS, func(nae *netlink.AttributeEncoder) error {
			nae.Bytes(tcaHTBParms, opt)
			return nil
		})
	})
	msgs, err := e.route.Execute(netlink.Message{
		Header: netlink.Header{Type: unix.RTM_NEWTCLASS, Flags: netlink.Request | netlink.Acknowledge | netlink.Create | netlink.Excl},
		Data:   append(tcm, attrs...),
	})
	if err != nil {
		t.Fatalf("creating the HTB class: %v", err)
	}
	if len(msgs) != 1 || msgs[0].Header.Type != netlink.Error || msgs[0].Header.Flags&netlink.AcknowledgeTLVs == 0 {
		t.Fatalf("reply %+v, want one acknowledgement with attributes", msgs)
	}
	a, err := netlink.DecodeExtendedAck(msgs[0])
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("warning: %q", a.Message)
	want := netlink.ExtendedAck{Message: "sch_htb: quantum of class 10010 is big. Consider r2q change."}
	if diff := cmp.Diff(want, a); diff != "" {
		t.Errorf("ExtendedAck (-want +got):\n%s", diff)
	}
}
