package nlfacts

// Extended acknowledgement attributes (enum nlmsgerr_attrs in
// linux/netlink.h), which the kernel appends to an Error or Done message
// when the NETLINK_EXT_ACK option is on.
const (
	ExtAckMsg      = 1 // NLMSGERR_ATTR_MSG: NUL-terminated explanation
	ExtAckOffs     = 2 // NLMSGERR_ATTR_OFFS: u32 offset of the bad attribute
	ExtAckCookie   = 3 // NLMSGERR_ATTR_COOKIE: opaque bytes
	ExtAckPolicy   = 4 // NLMSGERR_ATTR_POLICY: nested NL_POLICY_TYPE_ATTR_*
	ExtAckMissType = 5 // NLMSGERR_ATTR_MISS_TYPE: u32 missing attribute type
	ExtAckMissNest = 6 // NLMSGERR_ATTR_MISS_NEST: u32 offset of the nest
)

// Policy description attributes (enum netlink_policy_type_attr), found in
// NLMSGERR_ATTR_POLICY and in nlctrl's policy dumps.
const (
	PolicyAttrType       = 1  // NL_POLICY_TYPE_ATTR_TYPE: u32 NL_ATTR_TYPE_*
	PolicyAttrMinValueS  = 2  // NL_POLICY_TYPE_ATTR_MIN_VALUE_S: s64
	PolicyAttrMaxValueS  = 3  // NL_POLICY_TYPE_ATTR_MAX_VALUE_S: s64
	PolicyAttrMinValueU  = 4  // NL_POLICY_TYPE_ATTR_MIN_VALUE_U: u64
	PolicyAttrMaxValueU  = 5  // NL_POLICY_TYPE_ATTR_MAX_VALUE_U: u64
	PolicyAttrMinLength  = 6  // NL_POLICY_TYPE_ATTR_MIN_LENGTH: u32
	PolicyAttrMaxLength  = 7  // NL_POLICY_TYPE_ATTR_MAX_LENGTH: u32
	PolicyAttrPolicyIdx  = 8  // NL_POLICY_TYPE_ATTR_POLICY_IDX: u32
	PolicyAttrMaxType    = 9  // NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE: u32
	PolicyAttrBitfield32 = 10 // NL_POLICY_TYPE_ATTR_BITFIELD32_MASK: u32
	PolicyAttrPad        = 11 // NL_POLICY_TYPE_ATTR_PAD
	PolicyAttrMask       = 12 // NL_POLICY_TYPE_ATTR_MASK: u64
)
