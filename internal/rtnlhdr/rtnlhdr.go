// Package rtnlhdr describes the fixed headers that precede the attributes of
// rtnetlink messages (struct ifinfomsg, rtmsg, ...). The table is generated
// from golang.org/x/sys/unix by internal/gentables and shared by the debug
// output of package netlink and by nlctl. It builds on every OS: the values
// are kernel ABI, and a Linux-only test checks them against unix.
package rtnlhdr

//go:generate go run ../gentables -nlctl ../../cmd/nlctl -rtnlhdr .

// A Header is the fixed header of one rtnetlink object.
type Header struct {
	First  uint16 // the object's RTM_NEW* type; DEL, GET and SET follow
	Object string // the object, as in RTM_NEW<Object>: "LINK", "ADDR", ...
	Struct string // the kernel's struct: "ifinfomsg", ...
	Size   int    // the struct's size, before alignment
}

// minType is the first message type that belongs to a family (NLMSG_MIN_TYPE);
// the types below are control messages, which have no family header.
const minType = 0x10

// Lookup returns the header of rtnetlink message type t, and false when t is
// a control message or a type nlctl does not know.
func Lookup(t uint16) (Header, bool) {
	if t < minType {
		return Header{}, false
	}
	// rtnetlink types come in groups of four that share a header.
	first := minType + (t-minType)/4*4
	for _, h := range headers {
		if h.First == first {
			return h, true
		}
	}
	return Header{}, false
}

// Len returns the space the header of type t takes before the attributes:
// its size rounded up to 4 bytes, as NLMSG_ALIGN does. It is 0 when Lookup
// finds no header.
func Len(t uint16) int {
	h, ok := Lookup(t)
	if !ok {
		return 0
	}
	return (h.Size + 3) &^ 3
}
