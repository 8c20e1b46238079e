// Package family holds nothing but the go generate commands of the typed
// family packages below it: Go types and a Client per netlink family,
// generated from the kernel's YNL specs by internal/ynlgen (its -typed
// mode). Set YNL_SPECS to the directory of the specs
// (Documentation/netlink/specs, as Debian's linux-doc-6.12 ships them),
// then run go generate ./ynl/family; TestFamiliesUpToDate regenerates them
// and compares.
package family

//go:generate go run -C ../../internal/ynlgen . -typed -specs $YNL_SPECS -family nlctrl -out ../../ynl/family/nlctrl
//go:generate go run -C ../../internal/ynlgen . -typed -specs $YNL_SPECS -family netdev -out ../../ynl/family/netdev
//go:generate go run -C ../../internal/ynlgen . -typed -specs $YNL_SPECS -family rt-addr -out ../../ynl/family/rtaddr
//go:generate go run -C ../../internal/ynlgen . -typed -specs $YNL_SPECS -family rt-route -out ../../ynl/family/rtroute
//go:generate go run -C ../../internal/ynlgen . -typed -specs $YNL_SPECS -family rt-link -out ../../ynl/family/rtlink
