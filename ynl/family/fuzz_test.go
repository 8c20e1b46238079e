package family_test

import (
	"bytes"
	"testing"

	"github.com/mdlayher/netlink"
)

// fuzzDecode is the body of each package's fuzz target: Decode must not
// panic; what it decodes must encode, and the encoding must decode and
// encode again into the same bytes (the first encoding may differ from the
// input, which may pad its last attribute differently).
func fuzzDecode(f *testing.F, family string) {
	tf, ok := lookupTyped(family)
	if !ok {
		f.Fatalf("no package for %s", family)
	}
	for _, cm := range capturedMessages(f) {
		if cm.family == family {
			f.Add(uint16(cm.msg.Header.Type), cm.msg.Data)
		}
	}
	f.Fuzz(func(t *testing.T, typ uint16, data []byte) {
		m := netlink.Message{Header: netlink.Header{Type: netlink.HeaderType(typ)}, Data: data}
		_, v, err := tf.decode(m)
		if err != nil {
			return
		}
		b1, err := v.MarshalBinary()
		if err != nil {
			t.Fatalf("decoded message does not encode: %v", err)
		}
		if len(data) >= 4 && !isRoute(family) {
			b1 = append(append([]byte(nil), data[:4]...), b1...)
		}
		_, v2, err := tf.decode(netlink.Message{Header: m.Header, Data: b1})
		if err != nil {
			t.Fatalf("encoding %x does not decode: %v", b1, err)
		}
		b2, err := v2.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if !isRoute(family) {
			b2 = append(append([]byte(nil), data[:4]...), b2...)
		}
		if !bytes.Equal(b1, b2) {
			t.Fatalf("encoding is not stable:\n%x\n%x", b1, b2)
		}
	})
}

// isRoute reports whether a family is one of rtnetlink's, which have no
// generic netlink header.
func isRoute(family string) bool { return len(family) > 3 && family[:3] == "rt-" }

func FuzzNlctrl(f *testing.F)  { fuzzDecode(f, "nlctrl") }
func FuzzNetdev(f *testing.F)  { fuzzDecode(f, "netdev") }
func FuzzRtaddr(f *testing.F)  { fuzzDecode(f, "rt-addr") }
func FuzzRtroute(f *testing.F) { fuzzDecode(f, "rt-route") }
func FuzzRtlink(f *testing.F)  { fuzzDecode(f, "rt-link") }
