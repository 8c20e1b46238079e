package ynl

import "github.com/mdlayher/netlink/ynl/spec"

// layoutOf returns the operation whose attribute set and fixed header the
// messages of op use. A notification declared with "notify: OP" (netdev's
// dev-add-ntf, ethtool's *-ntf) has no set of its own in the specs: its
// messages are laid out as OP's replies.
func layoutOf(f *spec.Family, op *spec.Op) *spec.Op {
	for range 4 { // a notification of a notification, at most a few deep
		if op == nil || op.Notify == "" || op.AttrSet != "" || op.FixedHeader != "" {
			return op
		}
		next := f.Op(op.Notify)
		if next == nil {
			return op
		}
		op = next
	}
	return op
}
