package ynl_test

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/ynl"
)

// seed is a message captured from the kernel by the integration test
// (YNL_WRITE_SEEDS=1), stored in testdata/messages as "FAMILY TYPE" and
// the hexadecimal data.
type seed struct {
	family string
	typ    uint16
	data   []byte
}

func readSeeds(t testing.TB) []seed {
	paths, err := filepath.Glob(filepath.Join("testdata", "messages", "*.hex"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no seed messages: %v", err)
	}
	var out []seed
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Fields(string(b))
		if len(lines) != 3 {
			t.Fatalf("%s: malformed seed", p)
		}
		typ, err := strconv.ParseUint(lines[1], 10, 16)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		data, err := hex.DecodeString(lines[2])
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out = append(out, seed{lines[0], uint16(typ), data})
	}
	return out
}

// familyIndex returns the index of the family called name.
func familyIndex(name string) int {
	for i, f := range ynl.Families() {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// TestSeedsRoundTrip decodes every captured kernel message and checks that
// encoding it gives the same bytes: the round trip of the kernel test,
// without the kernel.
func TestSeedsRoundTrip(t *testing.T) {
	for _, s := range readSeeds(t) {
		f, _ := ynl.Lookup(s.family)
		m, err := ynl.Decode(f, netlink.Message{Header: netlink.Header{Type: netlink.HeaderType(s.typ)}, Data: s.data})
		if err != nil {
			t.Errorf("%s %d: %v", s.family, s.typ, err)
			continue
		}
		back, err := ynl.Encode(f, m)
		if err != nil {
			t.Errorf("%s %s: encode: %v", s.family, m.Op.Name, err)
			continue
		}
		if !bytes.Equal(back.Data, s.data) {
			t.Errorf("%s %s: round trip differs:\n got %x\nwant %x", s.family, m.Op.Name, back.Data, s.data)
		}
	}
}

// FuzzDecode decodes arbitrary messages of every family. Decoding must not
// panic; what decodes must encode, and the encoding must be stable: once
// encoded, a message decodes and encodes to the same bytes again. (The
// input itself may differ from its encoding where it lacked padding.)
func FuzzDecode(f *testing.F) {
	for _, s := range readSeeds(f) {
		f.Add(uint8(familyIndex(s.family)), s.typ, s.data)
	}
	fams := ynl.Families()
	f.Fuzz(func(t *testing.T, fi uint8, typ uint16, data []byte) {
		fam := fams[int(fi)%len(fams)]
		in := netlink.Message{Header: netlink.Header{Type: netlink.HeaderType(typ)}, Data: data}
		m, err := ynl.Decode(fam, in)
		if err != nil {
			return
		}
		once, err := ynl.Encode(fam, m)
		if err != nil {
			t.Fatalf("%s: decoded message does not encode: %v", fam.Name, err)
		}
		m2, err := ynl.Decode(fam, once)
		if err != nil {
			t.Fatalf("%s: encoding does not decode: %v\n%x", fam.Name, err, once.Data)
		}
		twice, err := ynl.Encode(fam, m2)
		if err != nil {
			t.Fatalf("%s: re-encoding: %v", fam.Name, err)
		}
		if !bytes.Equal(once.Data, twice.Data) {
			t.Fatalf("%s: encoding not stable:\n%x\n%x", fam.Name, once.Data, twice.Data)
		}
		if _, err := m.MarshalJSON(); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzRequestJSON builds requests of rt-link and ethtool operations from
// arbitrary JSON. Building must not panic; a request that builds must
// decode with every attribute named and typed.
func FuzzRequestJSON(f *testing.F) {
	f.Add(uint8(0), []byte(`{"ifname":"veth0","mtu":1500}`))
	f.Add(uint8(1), []byte(`{"ifi-index":3,"linkinfo":{"kind":"bridge","data":{"stp-state":1}}}`))
	f.Add(uint8(2), []byte(`{"header":{"dev-index":1,"flags":["compact-bitsets"]}}`))
	f.Add(uint8(1), []byte(`{"linkinfo":{"kind":"vlan","data":{"id":5,"protocol":"8021q"}},"address":"02:00:00:00:00:01"}`))
	rtLink, _ := ynl.Lookup("rt-link")
	ethtool, _ := ynl.Lookup("ethtool")
	type target struct {
		c  *ynl.Client
		op string
	}
	rc, _ := ynl.NewClient(nil, rtLink)
	ec := ynl.NewClientForTest(ethtool, 20)
	targets := []target{{rc, "getlink"}, {rc, "newlink"}, {ec, "linkinfo-get"}}
	f.Fuzz(func(t *testing.T, ti uint8, js []byte) {
		tg := targets[int(ti)%len(targets)]
		req, err := ynl.RequestFromJSON(js)
		if err != nil {
			return
		}
		nm, _, err := tg.c.Request(tg.op, false, req)
		if err != nil {
			return
		}
		m, err := ynl.Decode(tg.c.Family(), nm)
		if err != nil {
			t.Fatalf("built request does not decode: %v\n%x", err, nm.Data)
		}
		var probs []string
		problems(m.Attrs, "", &probs)
		if len(probs) > 0 {
			t.Fatalf("built request decodes with problems: %v\n%s", probs, js)
		}
	})
}

// problems returns the paths of the attributes of attrs that the spec did
// not decode.
func problems(attrs []ynl.Attr, path string, out *[]string) {
	for _, a := range attrs {
		p := path + "/" + a.Name
		switch {
		case a.Name == "" && !a.Entry:
			*out = append(*out, fmt.Sprintf("%s/#%d unknown", path, a.Type&0x3fff))
			continue
		case a.Problem != "":
			*out = append(*out, p+": "+a.Problem)
			continue
		}
		problems(a.Attrs, p, out)
	}
}
