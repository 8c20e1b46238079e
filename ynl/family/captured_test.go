package family_test

import (
	"encoding"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl"
	"github.com/mdlayher/netlink/ynl/family/netdev"
	"github.com/mdlayher/netlink/ynl/family/nlctrl"
	"github.com/mdlayher/netlink/ynl/family/rtaddr"
	"github.com/mdlayher/netlink/ynl/family/rtlink"
	"github.com/mdlayher/netlink/ynl/family/rtroute"
)

// typedFamily is one committed package, seen through its Decode.
type typedFamily struct {
	name   string
	decode func(netlink.Message) (string, encoding.BinaryMarshaler, error)
}

func decoder[N any](dec func(netlink.Message) (N, error), op func(N) (string, any)) func(netlink.Message) (string, encoding.BinaryMarshaler, error) {
	return func(m netlink.Message) (string, encoding.BinaryMarshaler, error) {
		n, err := dec(m)
		if err != nil {
			return "", nil, err
		}
		name, v := op(n)
		return name, v.(encoding.BinaryMarshaler), nil
	}
}

var typedFamilies = []typedFamily{
	{"nlctrl", decoder(nlctrl.Decode, func(n nlctrl.Notification) (string, any) { return n.Op, n.Msg })},
	{"netdev", decoder(netdev.Decode, func(n netdev.Notification) (string, any) { return n.Op, n.Msg })},
	{"rt-addr", decoder(rtaddr.Decode, func(n rtaddr.Notification) (string, any) { return n.Op, n.Msg })},
	{"rt-route", decoder(rtroute.Decode, func(n rtroute.Notification) (string, any) { return n.Op, n.Msg })},
	{"rt-link", decoder(rtlink.Decode, func(n rtlink.Notification) (string, any) { return n.Op, n.Msg })},
}

func lookupTyped(name string) (typedFamily, bool) {
	for _, tf := range typedFamilies {
		if tf.name == name {
			return tf, true
		}
	}
	return typedFamily{}, false
}

// checkMessage decodes one message with the typed package, encodes it back
// and compares the bytes, and compares the typed values with ynl's
// decoding of the same bytes. It returns the typed value.
func checkMessage(t *testing.T, tf typedFamily, raw netlink.Message) encoding.BinaryMarshaler {
	t.Helper()
	f, _ := ynl.Lookup(tf.name)
	m, err := ynl.Decode(f, raw)
	if err != nil {
		t.Errorf("%s: ynl decode: %v", tf.name, err)
		return nil
	}
	_, typed, err := tf.decode(raw)
	if err != nil {
		t.Errorf("%s %s: typed decode: %v", tf.name, m.Op.Name, err)
		return nil
	}
	back, err := typed.MarshalBinary()
	if err != nil {
		t.Errorf("%s %s: typed encode: %v", tf.name, m.Op.Name, err)
		return nil
	}
	body := raw.Data
	if f.Protocol.Generic() {
		body = body[4:]
	}
	if string(back) != string(body) {
		t.Errorf("%s %s: typed encoding differs:\n got %x\nwant %x", tf.name, m.Op.Name, back, body)
	}
	diffs, n := compareMessage(typed, m)
	for _, d := range diffs {
		t.Errorf("%s %s: typed and ynl differ: %s", tf.name, m.Op.Name, d)
	}
	if n == 0 {
		t.Errorf("%s %s: no value compared", tf.name, m.Op.Name)
	}
	return typed
}

// capturedMessage is a message of ynl/testdata/messages.
type capturedMessage struct {
	file   string
	family string
	msg    netlink.Message
}

// capturedMessages reads the captures of the committed families, which
// the kernel test of package ynl wrote (YNL_WRITE_SEEDS).
func capturedMessages(t testing.TB) []capturedMessage {
	paths, err := filepath.Glob("../testdata/messages/*.hex")
	if err != nil {
		t.Fatal(err)
	}
	var out []capturedMessage
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Fields(string(b))
		if len(lines) != 3 {
			t.Fatalf("%s: not family, type and hex", p)
		}
		if _, ok := lookupTyped(lines[0]); !ok {
			continue
		}
		typ, err := strconv.ParseUint(lines[1], 10, 16)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		data, err := hex.DecodeString(lines[2])
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out = append(out, capturedMessage{filepath.Base(p), lines[0], netlink.Message{Header: netlink.Header{Type: netlink.HeaderType(typ)}, Data: data}})
	}
	if len(out) == 0 {
		t.Fatal("no captured messages of the committed families")
	}
	return out
}

// TestCapturedMessages checks every captured message of the committed
// families as the kernel test checks live ones.
func TestCapturedMessages(t *testing.T) {
	for _, cm := range capturedMessages(t) {
		t.Run(cm.file, func(t *testing.T) {
			tf, _ := lookupTyped(cm.family)
			checkMessage(t, tf, cm.msg)
		})
	}
}

// TestCompareDetectsDifferences makes sure that the comparison with ynl
// is not vacuous: a changed value, a dropped nest and a dropped
// sub-message each show.
func TestCompareDetectsDifferences(t *testing.T) {
	var link capturedMessage
	for _, cm := range capturedMessages(t) {
		if cm.family == "rt-link" {
			link = cm
			break
		}
	}
	f, _ := ynl.Lookup("rt-link")
	m, err := ynl.Decode(f, link.msg)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(*rtlink.LinkMsg)
		want   string
	}{
		{"mtu", func(l *rtlink.LinkMsg) { l.Mtu.Value++ }, "/mtu"},
		{"ifname", func(l *rtlink.LinkMsg) { l.Ifname = rtlink.Opt[string]{} }, "/ifname"},
		{"header", func(l *rtlink.LinkMsg) { l.Header.IfiIndex++ }, "header.ifi-index"},
		{"nest", func(l *rtlink.LinkMsg) { l.AfSpec = nil }, "/af-spec"},
		{"flags", func(l *rtlink.LinkMsg) { l.Header.IfiFlags ^= rtlink.IfinfoFlagsUp }, "header.ifi-flags"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l rtlink.LinkMsg
			if err := l.UnmarshalBinary(link.msg.Data); err != nil {
				t.Fatal(err)
			}
			if diffs, _ := compareMessage(&l, m); len(diffs) != 0 {
				t.Fatalf("unchanged message differs: %v", diffs)
			}
			tt.change(&l)
			diffs, _ := compareMessage(&l, m)
			if len(diffs) == 0 || !strings.Contains(fmt.Sprint(diffs), tt.want) {
				t.Fatalf("change of %s not reported: %v", tt.want, diffs)
			}
		})
	}
}
