package nltrace

import "github.com/mdlayher/netlink/internal/nlfacts"

// The families the tests trace, under short names.
const (
	familyRoute     = nlfacts.FamilyRoute
	familyNetfilter = nlfacts.FamilyNetfilter
	familyGeneric   = nlfacts.FamilyGeneric
)
