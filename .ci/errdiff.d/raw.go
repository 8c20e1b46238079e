package main

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// kernelReply is what the kernel answered a request with, read without
// either library.
type kernelReply struct {
	errno unix.Errno
	// done is set when the errno came in the Done message of a dump,
	// rather than in an Error message.
	done bool
	// flags are the reply's header flags (Capped, AcknowledgeTLVs).
	flags netlink.HeaderFlags
	// tlvs are the types of the extended acknowledgement's attributes.
	tlvs []uint16
}

// String describes r in one line, e.g. "EINVAL in error, capped, TLVs: msg offs policy".
func (r kernelReply) String() string {
	s := errnoName(r.errno)
	if r.done {
		s += " in done"
	} else {
		s += " in error"
	}
	if r.flags&netlink.Capped != 0 {
		s += ", capped"
	}
	if r.flags&netlink.AcknowledgeTLVs != 0 {
		s += ", TLVs:"
		for _, t := range r.tlvs {
			s += " " + tlvName(t)
		}
	}
	return s
}

// tlvName names an NLMSGERR_ATTR_* type, numbered as in
// include/uapi/linux/netlink.h.
func tlvName(t uint16) string {
	names := []string{1: "msg", 2: "offs", 3: "cookie", 4: "policy", 5: "miss_type", 6: "miss_nest"}
	if int(t) < len(names) && names[t] != "" {
		return names[t]
	}
	return fmt.Sprintf("type-%d", t)
}

// kernelErrno sends req on a plain socket of family, with the socket
// options opts, and returns the kernel's answer to it: the Error message,
// or the Done message of a failed dump. It checks the harness
// independently of either library's decoding: the kernel must refuse each
// request for the reason its case names.
func kernelErrno(family int, opts []netlink.ConnOption, req netlink.Message) (kernelReply, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, family)
	if err != nil {
		return kernelReply{}, fmt.Errorf("socket: %w", err)
	}
	defer unix.Close(fd)
	for _, o := range opts {
		if err := unix.SetsockoptInt(fd, unix.SOL_NETLINK, sockopt[o], 1); err != nil {
			return kernelReply{}, fmt.Errorf("setsockopt %d: %w", sockopt[o], err)
		}
	}
	tv := unix.NsecToTimeval(int64(5 * time.Second))
	if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
		return kernelReply{}, fmt.Errorf("setsockopt SO_RCVTIMEO: %w", err)
	}

	// The request's bytes, encoded here rather than by the library.
	b := make([]byte, unix.NLMSG_HDRLEN, unix.NLMSG_HDRLEN+len(req.Data))
	binary.NativeEndian.PutUint32(b[0:4], uint32(unix.NLMSG_HDRLEN+len(req.Data)))
	binary.NativeEndian.PutUint16(b[4:6], uint16(req.Header.Type))
	binary.NativeEndian.PutUint16(b[6:8], uint16(req.Header.Flags))
	binary.NativeEndian.PutUint32(b[8:12], req.Header.Sequence)
	b = append(b, req.Data...)
	if err := unix.Sendto(fd, b, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return kernelReply{}, fmt.Errorf("sendto: %w", err)
	}

	buf := make([]byte, 1<<16)
	for {
		n, _, err := unix.Recvfrom(fd, buf, 0)
		if err != nil {
			return kernelReply{}, fmt.Errorf("recvfrom: %w", err)
		}
		// Walk the datagram's messages; a dump's data messages and
		// anything for another sequence number are skipped.
		for b := buf[:n]; len(b) >= unix.NLMSG_HDRLEN; {
			l := int(binary.NativeEndian.Uint32(b[0:4]))
			if l < unix.NLMSG_HDRLEN || l > len(b) {
				return kernelReply{}, fmt.Errorf("malformed reply: message length %d of %d bytes left", l, len(b))
			}
			typ := binary.NativeEndian.Uint16(b[4:6])
			seq := binary.NativeEndian.Uint32(b[8:12])
			data := b[unix.NLMSG_HDRLEN:l]
			if seq == req.Header.Sequence && (typ == unix.NLMSG_ERROR || typ == unix.NLMSG_DONE) {
				flags := netlink.HeaderFlags(binary.NativeEndian.Uint16(b[6:8]))
				return decodeReply(typ == unix.NLMSG_DONE, flags, data)
			}
			b = b[min((l+unix.NLMSG_ALIGNTO-1)&^(unix.NLMSG_ALIGNTO-1), len(b)):]
		}
	}
}

// sockopt maps the ConnOptions the cases use to their socket options.
var sockopt = map[netlink.ConnOption]int{
	netlink.ExtendedAcknowledge: unix.NETLINK_EXT_ACK,
	netlink.CapAcknowledge:      unix.NETLINK_CAP_ACK,
	netlink.GetStrictCheck:      unix.NETLINK_GET_STRICT_CHK,
}

// decodeReply decodes the payload of an Error or Done message: the code,
// then, in an Error message, the echoed request (its header alone when
// capped), then the extended acknowledgement's attributes when flagged.
func decodeReply(done bool, flags netlink.HeaderFlags, data []byte) (kernelReply, error) {
	if len(data) < 4 {
		return kernelReply{}, fmt.Errorf("%d-byte reply", len(data))
	}
	r := kernelReply{
		errno: unix.Errno(-int32(binary.NativeEndian.Uint32(data))),
		done:  done,
		flags: flags,
	}
	if flags&netlink.AcknowledgeTLVs == 0 {
		return r, nil
	}
	rest := data[4:]
	if !done {
		if len(rest) < unix.NLMSG_HDRLEN {
			return kernelReply{}, fmt.Errorf("no echoed request in a %d-byte reply", len(data))
		}
		echoed := unix.NLMSG_HDRLEN
		if flags&netlink.Capped == 0 {
			echoed = int(binary.NativeEndian.Uint32(rest[0:4]))
		}
		echoed = (echoed + unix.NLMSG_ALIGNTO - 1) &^ (unix.NLMSG_ALIGNTO - 1)
		if echoed > len(rest) {
			return kernelReply{}, fmt.Errorf("echoed request of %d bytes in a %d-byte reply", echoed, len(data))
		}
		rest = rest[echoed:]
	}
	for len(rest) >= unix.SizeofNlAttr {
		l := int(binary.NativeEndian.Uint16(rest[0:2]))
		if l < unix.SizeofNlAttr || l > len(rest) {
			return kernelReply{}, fmt.Errorf("malformed attribute of length %d", l)
		}
		r.tlvs = append(r.tlvs, binary.NativeEndian.Uint16(rest[2:4])&^netlink.Nested)
		rest = rest[min((l+unix.NLA_ALIGNTO-1)&^(unix.NLA_ALIGNTO-1), len(rest)):]
	}
	return r, nil
}
