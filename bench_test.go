package netlink

import (
	"strconv"
	"testing"
)

// The attribute workload of the codec benchmarks: one group is seven
// attributes of mixed kinds plus one nested two levels deep, as a typical
// rtnetlink or genetlink reply carries. "small" is one group, "large" 64.
var codecBenchSizes = []struct {
	name   string
	groups int
}{
	{"small", 1},
	{"large", 64},
}

var codecBenchBlob = []byte{0x02, 0x42, 0xac, 0x11, 0x00, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

func codecBenchEncode(groups int) ([]byte, error) {
	ae := NewAttributeEncoder()
	for i := range groups {
		ae.Uint8(1, uint8(i))
		ae.Uint16(2, uint16(i))
		ae.Uint32(3, uint32(i))
		ae.Uint64(4, uint64(i))
		ae.String(5, "enp0s31f6")
		ae.Flag(6, true)
		ae.Bytes(7, codecBenchBlob)
		ae.Nested(8, func(nae *AttributeEncoder) error {
			nae.Uint32(1, uint32(i))
			nae.String(2, "nested")
			nae.Nested(3, func(nnae *AttributeEncoder) error {
				nnae.Uint16(1, uint16(i))
				nnae.Uint64(2, uint64(i))
				return nil
			})
			return nil
		})
	}
	return ae.Encode()
}

var codecBenchSum uint64

func codecBenchDecodeNested2(ad *AttributeDecoder) error {
	for ad.Next() {
		switch ad.Type() {
		case 1:
			codecBenchSum += uint64(ad.Uint16())
		case 2:
			codecBenchSum += ad.Uint64()
		}
	}
	return nil
}

func codecBenchDecodeNested1(ad *AttributeDecoder) error {
	for ad.Next() {
		switch ad.Type() {
		case 1:
			codecBenchSum += uint64(ad.Uint32())
		case 2:
			codecBenchSum += uint64(len(ad.String()))
		case 3:
			ad.Nested(codecBenchDecodeNested2)
		}
	}
	return nil
}

func codecBenchDecode(b []byte) error {
	ad, err := NewAttributeDecoder(b)
	if err != nil {
		return err
	}
	for ad.Next() {
		switch ad.Type() {
		case 1:
			codecBenchSum += uint64(ad.Uint8())
		case 2:
			codecBenchSum += uint64(ad.Uint16())
		case 3:
			codecBenchSum += uint64(ad.Uint32())
		case 4:
			codecBenchSum += ad.Uint64()
		case 5:
			codecBenchSum += uint64(len(ad.String()))
		case 6:
			if ad.Flag() {
				codecBenchSum++
			}
		case 7:
			codecBenchSum += uint64(len(ad.Bytes()))
		case 8:
			ad.Nested(codecBenchDecodeNested1)
		}
	}
	return ad.Err()
}

func codecBenchInput(b *testing.B, groups int) []byte {
	in, err := codecBenchEncode(groups)
	if err != nil {
		b.Fatal(err)
	}
	return in
}

func BenchmarkAttributeEncoder(b *testing.B) {
	for _, sz := range codecBenchSizes {
		b.Run(sz.name, func(b *testing.B) {
			b.SetBytes(int64(len(codecBenchInput(b, sz.groups))))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := codecBenchEncode(sz.groups); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAttributeDecoder(b *testing.B) {
	for _, sz := range codecBenchSizes {
		b.Run(sz.name, func(b *testing.B) {
			in := codecBenchInput(b, sz.groups)
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for b.Loop() {
				if err := codecBenchDecode(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAttributeDecoderIntegers reads fixed-size values only, which
// must not allocate beyond the decoder itself.
func BenchmarkAttributeDecoderIntegers(b *testing.B) {
	ae := NewAttributeEncoder()
	for i := range 32 {
		ae.Uint32(1, uint32(i))
		ae.Uint64(2, uint64(i))
	}
	in, err := ae.Encode()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		ad, err := NewAttributeDecoder(in)
		if err != nil {
			b.Fatal(err)
		}
		for ad.Next() {
			if ad.Type() == 1 {
				codecBenchSum += uint64(ad.Uint32())
			} else {
				codecBenchSum += ad.Uint64()
			}
		}
	}
}

func BenchmarkMarshalAttributes(b *testing.B) {
	for _, sz := range codecBenchSizes {
		b.Run(sz.name, func(b *testing.B) {
			attrs, err := UnmarshalAttributes(codecBenchInput(b, sz.groups))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := MarshalAttributes(attrs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkUnmarshalAttributes(b *testing.B) {
	for _, sz := range codecBenchSizes {
		b.Run(sz.name, func(b *testing.B) {
			in := codecBenchInput(b, sz.groups)
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := UnmarshalAttributes(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

var codecBenchPayloads = []int{64, 4096}

func codecBenchMessage(size int) Message {
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(i)
	}
	return Message{
		Header: Header{Length: uint32(headerLen + size), Type: 0x10, Flags: Request | Acknowledge, Sequence: 1, PID: 2},
		Data:   data,
	}
}

func BenchmarkMessageMarshalBinary(b *testing.B) {
	for _, size := range codecBenchPayloads {
		b.Run(strconv.Itoa(size), func(b *testing.B) {
			m := codecBenchMessage(size)
			b.SetBytes(int64(m.Header.Length))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.MarshalBinary(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkMessageUnmarshalBinary(b *testing.B) {
	for _, size := range codecBenchPayloads {
		b.Run(strconv.Itoa(size), func(b *testing.B) {
			m := codecBenchMessage(size)
			in, err := m.MarshalBinary()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := m.UnmarshalBinary(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParseMessages splits a datagram of 1, 16 and 128 messages, the
// shape of a dump reply.
func BenchmarkParseMessages(b *testing.B) {
	for _, n := range []int{1, 16, 128} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			var in []byte
			for i := range n {
				m := codecBenchMessage(44 + i%4) // some unaligned lengths
				in = appendMessage(in, &m)
				in = append(in, make([]byte, nlmsgAlign(len(in))-len(in))...)
			}
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for b.Loop() {
				msgs, err := parseMessages(in)
				if err != nil || len(msgs) != n {
					b.Fatalf("%d messages, error %v; want %d", len(msgs), err, n)
				}
			}
		})
	}
}

func BenchmarkHeaderFlagsString(b *testing.B) {
	flags := []HeaderFlags{Request | Acknowledge, Request | Dump, Multi, 0, Request | 0x8000}
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range flags {
			_ = f.String()
		}
	}
}
