package netlink

import "github.com/mdlayher/netlink/internal/nlfacts"

// nlmsgMinType is the first message type that belongs to a family; the
// types below it are control messages.
const nlmsgMinType = nlfacts.MinType
