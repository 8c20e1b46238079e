package netlink

// Rewind positions ad before the first attribute of b again, so that
// TestNoAllocs can measure a pass over the attributes without counting
// the decoder's own allocation.
func (ad *AttributeDecoder) Rewind(b []byte) {
	ad.rest, ad.data, ad.err = b, nil, nil
}

// LogToNilSink traces msgs to the sink of a Conn without NLDEBUG, for
// TestNoAllocs.
func LogToNilSink(msgs []Message) {
	var d *debugSink
	d.log(0, debugSend, msgs)
	d.flush()
}
