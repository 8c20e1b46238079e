package spec

// index holds maps from names and numbers to the parts of a Family, built
// on first use: the tables are slices, which read well and cost nothing to
// load, and most programs look at a few families only.
type index struct {
	sets    map[string]*setIndex
	structs map[string]*Struct
	enums   map[string]*Enum
	subs    map[string]*SubMessage
	ops     map[string]*Op
	groups  map[string]*MCGroup
	consts  map[string]*Const
	// replies and requests map message numbers to operations; several
	// operations may share a reply number (rtnetlink's RTM_NEWLINK
	// answers getlink and announces newlink), the first one wins.
	replies  map[uint16]*Op
	requests map[uint16]*Op
}

type setIndex struct {
	set     *AttrSet
	byName  map[string]*Attr
	byValue map[uint16]*Attr
}

func (f *Family) index() *index {
	f.once.Do(func() {
		x := &index{
			sets:     make(map[string]*setIndex, len(f.AttrSets)),
			structs:  make(map[string]*Struct, len(f.Structs)),
			enums:    make(map[string]*Enum, len(f.Enums)),
			subs:     make(map[string]*SubMessage, len(f.SubMessages)),
			ops:      make(map[string]*Op, len(f.Ops)),
			groups:   make(map[string]*MCGroup, len(f.MCGroups)),
			consts:   make(map[string]*Const, len(f.Consts)),
			replies:  make(map[uint16]*Op),
			requests: make(map[uint16]*Op),
		}
		for i := range f.AttrSets {
			s := &f.AttrSets[i]
			si := &setIndex{set: s, byName: make(map[string]*Attr, len(s.Attrs)), byValue: make(map[uint16]*Attr, len(s.Attrs))}
			for j := range s.Attrs {
				a := &s.Attrs[j]
				si.byName[a.Name] = a
				if _, dup := si.byValue[a.Value]; !dup {
					si.byValue[a.Value] = a
				}
			}
			x.sets[s.Name] = si
		}
		for i := range f.Structs {
			x.structs[f.Structs[i].Name] = &f.Structs[i]
		}
		for i := range f.Enums {
			x.enums[f.Enums[i].Name] = &f.Enums[i]
		}
		for i := range f.SubMessages {
			x.subs[f.SubMessages[i].Name] = &f.SubMessages[i]
		}
		for i := range f.MCGroups {
			x.groups[f.MCGroups[i].Name] = &f.MCGroups[i]
		}
		for i := range f.Consts {
			x.consts[f.Consts[i].Name] = &f.Consts[i]
		}
		for i := range f.Ops {
			op := &f.Ops[i]
			x.ops[op.Name] = op
			if _, ok := x.replies[op.Reply]; op.Reply != 0 && !ok {
				x.replies[op.Reply] = op
			}
			if _, ok := x.requests[op.Request]; op.Request != 0 && !ok {
				x.requests[op.Request] = op
			}
		}
		f.idx = x
	})
	return f.idx
}

// AttrSet returns the attribute set called name, or nil.
func (f *Family) AttrSet(name string) *AttrSet {
	if si := f.index().sets[name]; si != nil {
		return si.set
	}
	return nil
}

// Attr returns the attribute called name in the set called set, or nil.
func (f *Family) Attr(set, name string) *Attr {
	if si := f.index().sets[set]; si != nil {
		return si.byName[name]
	}
	return nil
}

// AttrByValue returns the attribute of type value in the set called set,
// or nil when the spec does not know it.
func (f *Family) AttrByValue(set string, value uint16) *Attr {
	if si := f.index().sets[set]; si != nil {
		return si.byValue[value]
	}
	return nil
}

// Struct returns the struct called name, or nil.
func (f *Family) Struct(name string) *Struct { return f.index().structs[name] }

// Enum returns the enum or set of flags called name, or nil.
func (f *Family) Enum(name string) *Enum { return f.index().enums[name] }

// SubMessage returns the sub-message called name, or nil.
func (f *Family) SubMessage(name string) *SubMessage { return f.index().subs[name] }

// Op returns the operation called name, or nil.
func (f *Family) Op(name string) *Op { return f.index().ops[name] }

// MCGroup returns the multicast group called name, or nil.
func (f *Family) MCGroup(name string) *MCGroup { return f.index().groups[name] }

// Const returns the constant called name, or nil.
func (f *Family) Const(name string) *Const { return f.index().consts[name] }

// OpByReply returns the first operation whose messages from the kernel
// have number n, or nil.
func (f *Family) OpByReply(n uint16) *Op { return f.index().replies[n] }

// OpByRequest returns the first operation whose requests have number n, or
// nil.
func (f *Family) OpByRequest(n uint16) *Op { return f.index().requests[n] }

// Format returns the format of s for the selector value v, or nil.
func (s *SubMessage) Format(v string) *Format {
	for i := range s.Formats {
		if s.Formats[i].Value == v {
			return &s.Formats[i]
		}
	}
	return nil
}

// EntryName returns the name of the entry of e with value v, or "".
func (e *Enum) EntryName(v uint64) string {
	for i := range e.Entries {
		if e.Entries[i].Value == v {
			return e.Entries[i].Name
		}
	}
	return ""
}

// EntryValue returns the value of the entry of e called name.
func (e *Enum) EntryValue(name string) (uint64, bool) {
	for i := range e.Entries {
		if e.Entries[i].Name == name {
			return e.Entries[i].Value, true
		}
	}
	return 0, false
}
