package nltrace

import (
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/mdlayher/netlink/internal/nlfacts"
)

// The mnl format reproduces the layout of libmnl's mnl_nlmsg_fprintf, which
// nft --debug=all and other libmnl tools print: a box with the header, then
// the payload four bytes a row. Each row shows the bytes in hexadecimal and a
// label: the family's extra header, an attribute header (length, N/B flags,
// type, in decimal), or attribute data with its printable bytes echoed on the
// right. Control messages (types below 0x10) show raw rows.
//
// It differs from libmnl in three ways, all about input libmnl would misread:
// output is never coloured; a message whose payload ends inside a row shows
// the missing bytes as blanks instead of reading past the message; and a row
// libmnl would skip silently (a zero attribute type where an attribute header
// is expected, or a stray row after a malformed attribute) is shown as a raw
// row, so that no byte is hidden.

// mnlRule is the line that opens and closes the header box and ends each
// message.
const mnlRule = "----------------\t------------------\n"

// mnlDataLabel labels a row of attribute data.
const mnlDataLabel = "      data      "

// appendMNL appends m, sent or received on a socket of the given family, in
// the mnl layout.
func appendMNL(b []byte, family int, m *Message) []byte {
	h := m.Header
	b = append(b, mnlRule...)
	b = fmt.Appendf(b, "|  %010d  |\t| message length |\n", h.Length)
	b = fmt.Appendf(b, "| %05d | %c%c%c%c |\t|  type | flags  |\n", uint16(h.Type),
		flagLetter(h.Flags, Request, 'R'), flagLetter(h.Flags, Multi, 'M'),
		flagLetter(h.Flags, Acknowledge, 'A'), flagLetter(h.Flags, Echo, 'E'))
	b = fmt.Appendf(b, "|  %010d  |\t| sequence number|\n", h.Sequence)
	b = fmt.Appendf(b, "|  %010d  |\t|     port ID    |\n", h.PID)
	b = append(b, mnlRule...)

	var (
		n     = debugPayloadLen(m)
		extra = nlfacts.FixedHeaderLen(family, uint16(h.Type))
		rem   = 0 // data bytes left in the current attribute, aligned
	)
	for i := 0; i < n; i += 4 {
		var row [4]byte
		k := min(4, n-i)
		for j := range k {
			row[j] = debugPayloadByte(m, i+j)
		}

		switch {
		case h.Type < nlfacts.MinType:
			b = appendMNLRow(b, row, k, "                ")
		case extra > 0:
			extra -= 4
			b = appendMNLRow(b, row, k, "  extra header  ")
		case rem == 0 && k == 4 && native.Uint16(row[2:4])&^attrFlags != 0:
			l, t := native.Uint16(row[0:2]), native.Uint16(row[2:4])
			b = fmt.Appendf(b, "|%05d|%c%c|%05d|\t|len |flags| type|\n", l,
				attrFlagLetter(t, Nested, 'N'), attrFlagLetter(t, NetByteOrder, 'B'),
				t&^attrFlags)
			// The attributes inside a nested one get rows of their own.
			if t&Nested == 0 && l >= attrHeaderLen {
				rem = nlaAlign(int(l)) - attrHeaderLen
			}
		case rem > 0:
			rem -= 4
			b = appendMNLRow(b, row, k, mnlDataLabel)
			b = append(b, '\t')
			for j := range 4 {
				c := byte(' ')
				if j < k && row[j] >= 0x20 && row[j] < 0x7f {
					c = row[j]
				}
				b = append(b, ' ', c)
			}
			b = append(b, '\n')
		default:
			b = appendMNLRow(b, row, k, "                ")
		}
	}
	return append(b, mnlRule...)
}

// appendMNLRow appends the hexadecimal column of a payload row holding k
// bytes and its label, ending the line unless the row holds data, whose
// printable bytes follow on the same line.
func appendMNLRow(b []byte, row [4]byte, k int, label string) []byte {
	b = append(b, '|')
	for j := range 4 {
		b = append(b, ' ')
		if j < k {
			b = hex.AppendEncode(b, row[j:j+1])
		} else {
			b = append(b, "  "...)
		}
	}
	b = append(b, "  |\t|"...)
	b = append(b, label...)
	b = append(b, '|')
	if label != mnlDataLabel {
		b = append(b, '\n')
	}
	return b
}

// flagLetter returns c when f has flag set, else '-'.
func flagLetter(f, flag HeaderFlags, c byte) byte {
	if f&flag != 0 {
		return c
	}
	return '-'
}

// attrFlagLetter returns c when the attribute type t has flag set, else '-'.
func attrFlagLetter(t, flag uint16, c byte) byte {
	if t&flag != 0 {
		return c
	}
	return '-'
}

// appendDebugLine appends the one-line form of m: its direction, family and
// header (its type and flags named by names), then the size of its payload,
// and from level 2 on the payload in hexadecimal.
func appendDebugLine(b []byte, family int, dir Dir, m *Message, level int, names Names) []byte {
	h := m.Header
	b = append(b, "nl: "...)
	b = append(b, dir.String()...)
	b = append(b, ": family="...)
	if family < 0 {
		b = append(b, "unknown"...)
	} else {
		b = strconv.AppendInt(b, int64(family), 10)
	}
	b = fmt.Appendf(b, " len=%d type=", h.Length)
	if h.Type < nlfacts.MinType {
		b = append(b, names.typeName(h.Type)...)
	} else {
		b = strconv.AppendUint(b, uint64(h.Type), 10)
	}
	b = fmt.Appendf(b, " flags=%s seq=%d pid=%d", names.flagsName(h.Flags), h.Sequence, h.PID)
	if h.Type == Error && len(m.Data) >= 4 {
		b = fmt.Appendf(b, " error=%d", int32(native.Uint32(m.Data[:4])))
	}
	b = fmt.Appendf(b, " payload=%d", len(m.Data))
	if level >= 2 && len(m.Data) > 0 {
		b = append(b, ' ')
		b = hex.AppendEncode(b, m.Data)
	}
	return append(b, '\n')
}
