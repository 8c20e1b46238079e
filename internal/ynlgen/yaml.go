package main

// The types below mirror the YAML schemas of the specs
// (Documentation/netlink/genetlink*.yaml and netlink-raw.yaml). Every
// property of the schemas is listed, so that decoding with KnownFields
// refuses a spec that uses something this generator does not know, rather
// than silently dropping it. Properties that only shape the kernel's C
// code (names of C enums and defines, render-max, ...) are read and
// ignored.

type yFamily struct {
	Name          string        `yaml:"name"`
	Doc           string        `yaml:"doc"`
	Protocol      string        `yaml:"protocol"`
	Protonum      *int          `yaml:"protonum"`
	Version       *int          `yaml:"version"`
	UAPIHeader    string        `yaml:"uapi-header"`
	CFamilyName   string        `yaml:"c-family-name"`
	CVersionName  string        `yaml:"c-version-name"`
	MaxByDefine   bool          `yaml:"max-by-define"`
	CmdMaxName    string        `yaml:"cmd-max-name"`
	CmdCntName    string        `yaml:"cmd-cnt-name"`
	KernelPolicy  string        `yaml:"kernel-policy"`
	Definitions   []yDefinition `yaml:"definitions"`
	AttributeSets []yAttrSet    `yaml:"attribute-sets"`
	SubMessages   []ySubMessage `yaml:"sub-messages"`
	Operations    yOperations   `yaml:"operations"`
	MCastGroups   struct {
		List []yMCGroup `yaml:"list"`
	} `yaml:"mcast-groups"`
	Kernel struct {
		Headers  []string `yaml:"headers"`
		SockPriv string   `yaml:"sock-priv"`
	} `yaml:"kernel-family"`
}

type yDefinition struct {
	Name       string    `yaml:"name"`
	Header     string    `yaml:"header"`
	Scope      string    `yaml:"scope"`
	Type       string    `yaml:"type"`
	Doc        string    `yaml:"doc"`
	Value      any       `yaml:"value"`
	ValueStart any       `yaml:"value-start"`
	Entries    []yEntry  `yaml:"entries"`
	RenderMax  bool      `yaml:"render-max"`
	EnumName   *string   `yaml:"enum-name"`
	NamePrefix string    `yaml:"name-prefix"`
	Members    []yMember `yaml:"members"`
}

// yEntry is an enum entry: a bare name or a mapping.
type yEntry struct {
	Name  string `yaml:"name"`
	Value *int64 `yaml:"value"`
	Doc   string `yaml:"doc"`
}

func (e *yEntry) UnmarshalYAML(unmarshal func(any) error) error {
	var s string
	if err := unmarshal(&s); err == nil {
		e.Name = s
		return nil
	}
	type plain yEntry
	return unmarshal((*plain)(e))
}

type yMember struct {
	Name        string `yaml:"name"`
	Type        string `yaml:"type"`
	Len         any    `yaml:"len"`
	ByteOrder   string `yaml:"byte-order"`
	Doc         string `yaml:"doc"`
	Enum        string `yaml:"enum"`
	EnumAsFlags bool   `yaml:"enum-as-flags"`
	DisplayHint string `yaml:"display-hint"`
	Struct      string `yaml:"struct"`
}

type yAttrSet struct {
	Name        string  `yaml:"name"`
	NamePrefix  string  `yaml:"name-prefix"`
	EnumName    *string `yaml:"enum-name"`
	Doc         string  `yaml:"doc"`
	SubsetOf    string  `yaml:"subset-of"`
	AttrCntName string  `yaml:"attr-cnt-name"`
	AttrMaxName string  `yaml:"attr-max-name"`
	Attributes  []yAttr `yaml:"attributes"`
}

type yAttr struct {
	Name             string   `yaml:"name"`
	Type             string   `yaml:"type"`
	Doc              string   `yaml:"doc"`
	Value            *int     `yaml:"value"`
	TypeValue        []string `yaml:"type-value"`
	ByteOrder        string   `yaml:"byte-order"`
	MultiAttr        *bool    `yaml:"multi-attr"`
	NestedAttributes string   `yaml:"nested-attributes"`
	Enum             string   `yaml:"enum"`
	EnumAsFlags      *bool    `yaml:"enum-as-flags"`
	Checks           *yChecks `yaml:"checks"`
	SubType          string   `yaml:"sub-type"`
	DisplayHint      string   `yaml:"display-hint"`
	NamePrefix       string   `yaml:"name-prefix"`
	Struct           string   `yaml:"struct"`
	SubMessage       string   `yaml:"sub-message"`
	Selector         string   `yaml:"selector"`
}

type yChecks struct {
	FlagsMask      string `yaml:"flags-mask"`
	Min            any    `yaml:"min"`
	Max            any    `yaml:"max"`
	MinLen         any    `yaml:"min-len"`
	MaxLen         any    `yaml:"max-len"`
	ExactLen       any    `yaml:"exact-len"`
	UnterminatedOK bool   `yaml:"unterminated-ok"`
}

type ySubMessage struct {
	Name    string `yaml:"name"`
	Formats []struct {
		Value        string `yaml:"value"`
		FixedHeader  string `yaml:"fixed-header"`
		AttributeSet string `yaml:"attribute-set"`
	} `yaml:"formats"`
}

type yOperations struct {
	EnumModel   string  `yaml:"enum-model"`
	NamePrefix  string  `yaml:"name-prefix"`
	EnumName    *string `yaml:"enum-name"`
	AsyncPrefix string  `yaml:"async-prefix"`
	AsyncEnum   *string `yaml:"async-enum"`
	FixedHeader string  `yaml:"fixed-header"`
	List        []yOp   `yaml:"list"`
}

type yOp struct {
	Name         string   `yaml:"name"`
	Doc          string   `yaml:"doc"`
	Value        *int     `yaml:"value"`
	AttributeSet string   `yaml:"attribute-set"`
	Flags        []string `yaml:"flags"`
	DontValidate []string `yaml:"dont-validate"`
	ConfigCond   string   `yaml:"config-cond"`
	FixedHeader  string   `yaml:"fixed-header"`
	Do           *yMode   `yaml:"do"`
	Dump         *yMode   `yaml:"dump"`
	Notify       string   `yaml:"notify"`
	Event        *struct {
		Attributes []string `yaml:"attributes"`
	} `yaml:"event"`
	MCGrp string `yaml:"mcgrp"`
}

type yMode struct {
	Request *yMsg  `yaml:"request"`
	Reply   *yMsg  `yaml:"reply"`
	Pre     string `yaml:"pre"`
	Post    string `yaml:"post"`
}

type yMsg struct {
	Attributes []string `yaml:"attributes"`
	Value      *int     `yaml:"value"`
}

type yMCGroup struct {
	Name        string   `yaml:"name"`
	CDefineName string   `yaml:"c-define-name"`
	Flags       []string `yaml:"flags"`
	Value       *int     `yaml:"value"`
}
