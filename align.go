package netlink

// Netlink aligns every message and every attribute to four bytes.
const nlAlignTo = 4

// nlmsgAlign rounds n up to the next multiple of the message alignment.
func nlmsgAlign(n int) int { return (n + nlAlignTo - 1) &^ (nlAlignTo - 1) }

// nlaAlign rounds n up to the next multiple of the attribute alignment.
func nlaAlign(n int) int { return (n + nlAlignTo - 1) &^ (nlAlignTo - 1) }

const (
	// headerLen is the size of a netlink message header on the wire.
	headerLen = 16

	// attrHeaderLen is the size of an attribute header on the wire.
	attrHeaderLen = 4
)
