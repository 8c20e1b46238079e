package nlfacts

// A Header is the fixed header of one rtnetlink object (struct ifinfomsg,
// rtmsg, ...), as the generated table lists it.
type Header struct {
	First  uint16 // the object's RTM_NEW* type; DEL, GET and SET follow
	Object string // the object, as in RTM_NEW<Object>: "LINK", "ADDR", ...
	Struct string // the kernel's struct: "ifinfomsg", ...
	Size   int    // the struct's size, before alignment
}

// RouteHeader returns the fixed header of rtnetlink message type t, and
// false when t is a control message or a type the table does not know.
func RouteHeader(t uint16) (Header, bool) {
	if t < MinType {
		return Header{}, false
	}
	// rtnetlink types come in groups of four that share a header.
	first := MinType + (t-MinType)/4*4
	for _, h := range headers {
		if h.First == first {
			return h, true
		}
	}
	return Header{}, false
}
