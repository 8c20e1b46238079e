package ynl

// The tables in internal/tables are generated from the kernel's YNL specs
// by the generator module in internal/ynlgen, which has the YAML parser as
// its own requirement. Set YNL_SPECS to the directory of the specs
// (Documentation/netlink/specs, as Debian's linux-doc package ships it,
// gzipped), then run go generate.
//go:generate go run -C ../internal/ynlgen . -specs $YNL_SPECS -out ../../ynl/internal/tables
