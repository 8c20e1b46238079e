package netlink

import (
	"errors"
	"math"
	"runtime"
	"slices"
	"sync"
	"weak"
)

// The extended acknowledgement of a kernel error is kept beside its
// *OpError rather than in it: OpError has exactly v1.11.2's fields, so
// that programs comparing or printing errors see what they saw with
// v1.11.2. The table is keyed weakly by the *OpError, and an entry goes
// away when its error is collected, so errors nobody holds cost nothing.
// Only an error whose reply carried extended acknowledgement attributes
// gets an entry: a successful exchange never touches the table.
//
// An entry is never modified once stored; annotateOffset replaces it
// before the error leaves the package.
var extAcks struct {
	mu sync.Mutex
	m  map[weak.Pointer[OpError]]*ExtendedAck
}

// setExtAck stores a as the extended acknowledgement of e, replacing the
// one stored before.
func setExtAck(e *OpError, a *ExtendedAck) {
	wp := weak.Make(e)
	extAcks.mu.Lock()
	if extAcks.m == nil {
		extAcks.m = make(map[weak.Pointer[OpError]]*ExtendedAck)
	}
	_, had := extAcks.m[wp]
	extAcks.m[wp] = a
	extAcks.mu.Unlock()
	if !had {
		// The cleanup gets the weak pointer, not e: holding e would
		// keep it alive forever.
		runtime.AddCleanup(e, dropExtAck, wp)
	}
}

// dropExtAck removes the entry of a collected *OpError. A map keeps the
// memory of its largest size, so an emptied one is let go: a burst of
// errors leaves nothing behind once they are all collected.
func dropExtAck(wp weak.Pointer[OpError]) {
	extAcks.mu.Lock()
	delete(extAcks.m, wp)
	if len(extAcks.m) == 0 {
		extAcks.m = nil
	}
	extAcks.mu.Unlock()
}

// storedExtAck returns the stored extended acknowledgement of e, or nil.
// The caller must not modify it.
func storedExtAck(e *OpError) *ExtendedAck {
	wp := weak.Make(e)
	extAcks.mu.Lock()
	defer extAcks.mu.Unlock()
	return extAcks.m[wp]
}

// ExtendedAckOf returns the extended acknowledgement of the kernel error
// in err's chain: the first *OpError that errors.As finds, so it works
// through the fmt.Errorf("%w") wrapping of family packages, whatever
// Conn they used. It holds what OpError has no field for: the broken
// policy, the missing attribute and its nest, the cookie, an offset too
// large for OpError.Offset, and, for errors returned by Conn.Execute in a
// family whose fixed header this package knows, Path and MissingPath.
//
// ok is true when the kernel's reply carried extended acknowledgement
// attributes (the ExtendedAcknowledge option or Config.Strict is on, and
// the kernel explained itself); the ExtendedAck then holds Message and
// Offset too. For an *OpError that did not come from a reply, such as one
// a program built, with a Message or Offset set, the ExtendedAck holds
// those two (Offset only when it is within 0..2^32-1). Otherwise, and for
// an err holding no *OpError, it returns nil and false.
//
// The details belong to the very *OpError the package returned: a copy of
// the struct (oe2 := *oe) has only its Message and Offset. Each call
// returns a new ExtendedAck, which the caller may modify.
//
// Warnings that come with a successful acknowledgement are not errors:
// DecodeExtendedAck reads them from the acknowledgement message.
func ExtendedAckOf(err error) (*ExtendedAck, bool) {
	var e *OpError
	if !errors.As(err, &e) || e == nil {
		return nil, false
	}
	if a := storedExtAck(e); a != nil {
		return a.clone(), true
	}
	if e.Message == "" && e.Offset == 0 {
		return nil, false
	}
	a := &ExtendedAck{Message: e.Message}
	if e.Offset > 0 && uint64(e.Offset) <= math.MaxUint32 {
		a.Offset = uint32(e.Offset)
	}
	return a, true
}

// clone returns a deep copy of a, sharing no memory with it.
func (a *ExtendedAck) clone() *ExtendedAck {
	c := *a
	c.Cookie = slices.Clone(a.Cookie)
	c.Path = slices.Clone(a.Path)
	c.MissingPath = slices.Clone(a.MissingPath)
	if a.Policy != nil {
		c.Policy = a.Policy.clone()
	}
	return &c
}

// clone returns a deep copy of p.
func (p *Policy) clone() *Policy {
	c := *p
	c.MinSigned, c.MaxSigned = clonePtr(p.MinSigned), clonePtr(p.MaxSigned)
	c.MinUnsigned, c.MaxUnsigned = clonePtr(p.MinUnsigned), clonePtr(p.MaxUnsigned)
	c.MinLength, c.MaxLength = clonePtr(p.MinLength), clonePtr(p.MaxLength)
	c.Mask, c.Bitfield32Mask = clonePtr(p.Mask), clonePtr(p.Bitfield32Mask)
	c.PolicyIndex, c.MaxType = clonePtr(p.PolicyIndex), clonePtr(p.MaxType)
	return &c
}

func clonePtr[T any](v *T) *T {
	if v == nil {
		return nil
	}
	c := *v
	return &c
}
