// Package nlenc encodes and decodes the fixed-size integers and strings found
// in netlink messages and attributes.
//
// Netlink uses the byte order of the host, so every function here works in
// native byte order (binary.NativeEndian). The fixed-size functions expect a
// slice of exactly the size of their type and panic otherwise: a wrong length
// is a bug in the caller, not bad input. Code that decodes untrusted data
// should check the length first, as netlink.AttributeDecoder does.
package nlenc
