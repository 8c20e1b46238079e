package main

import (
	"fmt"
	"math"

	"github.com/mdlayher/netlink/ynl/spec"
)

// ops numbers the operations as the kernel does. In the unified model
// every operation takes the next number unless it gives its own. In the
// directional model requests and replies count separately: an operation
// with a reply takes the next reply number, a notification or event takes
// a reply number only, and explicit values in the request or reply reset
// their counter.
func (r *resolver) ops() error {
	yo := r.y.Operations
	f := r.f
	f.FixedHeader = yo.FixedHeader
	switch yo.EnumModel {
	case "", "unified":
		f.OpModel = spec.Unified
	case "directional":
		f.OpModel = spec.Directional
	default:
		return fmt.Errorf("unknown enum-model %q", yo.EnumModel)
	}
	val := 1
	req, rsp := 1, 1
	for _, yop := range yo.List {
		op := spec.Op{
			Name:         yop.Name,
			Doc:          clean(yop.Doc),
			AttrSet:      yop.AttributeSet,
			FixedHeader:  yop.FixedHeader,
			DontValidate: yop.DontValidate,
			Notify:       yop.Notify,
			MCGroup:      yop.MCGrp,
		}
		if op.FixedHeader == "" {
			op.FixedHeader = f.FixedHeader
		}
		for _, fl := range yop.Flags {
			switch fl {
			case "admin-perm":
				op.AdminPerm = true
			case "uns-admin-perm":
				op.UnsAdminPerm = true
			default:
				return fmt.Errorf("operation %s: unknown flag %q", yop.Name, fl)
			}
		}
		if yop.Event != nil {
			op.Event = yop.Event.Attributes
			if op.Event == nil {
				op.Event = []string{}
			}
		}
		op.Do, op.Dump = mode(yop.Do), mode(yop.Dump)

		var reqVal, rspVal int
		if f.OpModel == spec.Unified {
			if yop.Value != nil {
				val = *yop.Value
			}
			reqVal, rspVal = val, val
			val++
		} else {
			var reqNext, rspNext int
			switch {
			case yop.Notify != "" || yop.Event != nil:
				if yop.Value != nil {
					rsp = *yop.Value
				}
				reqNext, rspNext = req, rsp+1
				reqVal, rspVal = 0, rsp
			case yop.Do != nil || yop.Dump != nil:
				m := yop.Do
				if m == nil {
					m = yop.Dump
				}
				if m.Request != nil && m.Request.Value != nil && *m.Request.Value != 0 {
					req = *m.Request.Value
				}
				if m.Reply != nil && m.Reply.Value != nil && *m.Reply.Value != 0 {
					rsp = *m.Reply.Value
				}
				reqNext, rspNext = req+1, rsp
				if m.Reply != nil {
					rspNext++
				}
				reqVal, rspVal = req, rsp
				if rsp == rspNext {
					rspVal = 0
				}
			default:
				return fmt.Errorf("operation %s: neither do, dump, notify nor event", yop.Name)
			}
			req, rsp = reqNext, rspNext
		}
		for _, v := range []int{reqVal, rspVal} {
			if v < 0 || v > math.MaxUint16 {
				return fmt.Errorf("operation %s: value %d out of range", yop.Name, v)
			}
		}
		op.Request, op.Reply = uint16(reqVal), uint16(rspVal)
		f.Ops = append(f.Ops, op)
	}
	return nil
}

func mode(ym *yMode) *spec.Mode {
	if ym == nil {
		return nil
	}
	m := &spec.Mode{}
	if ym.Request != nil {
		m.Request = &spec.Message{Attrs: ym.Request.Attributes}
	}
	if ym.Reply != nil {
		m.Reply = &spec.Message{Attrs: ym.Reply.Attributes}
	}
	return m
}

func (r *resolver) groups() error {
	for _, yg := range r.y.MCastGroups.List {
		g := spec.MCGroup{Name: yg.Name}
		if yg.Value != nil {
			if *yg.Value < 0 || int64(*yg.Value) > math.MaxUint32 {
				return fmt.Errorf("mcast group %s: value out of range", yg.Name)
			}
			g.Value = uint32(*yg.Value)
		}
		r.f.MCGroups = append(r.f.MCGroups, g)
	}
	return nil
}
