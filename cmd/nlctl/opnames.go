package main

import (
	"strings"

	"github.com/mdlayher/netlink/ynl"
)

// nameOps names the operations nlctrl lists by number: by the family's
// YNL spec when there is one, else by the names unix has.
func nameOps(fams []genlFamily) {
	for i := range fams {
		f := &fams[i]
		s, _ := ynl.Lookup(f.Name)
		for j := range f.Ops {
			op := &f.Ops[j]
			if s != nil {
				if o := s.OpByRequest(uint16(op.ID)); o != nil {
					op.Name = o.Name
					continue
				}
			}
			if n := genlNamings[f.Name]; n != nil && op.ID <= 255 {
				op.Name = strings.ToLower(strings.TrimPrefix(n.commandName(uint8(op.ID), false), n.cmd))
			}
		}
	}
}
