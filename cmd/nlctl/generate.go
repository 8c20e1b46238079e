package main

//go:generate go run ../../internal/gentables -nlctl . -rtnlhdr ../../internal/rtnlhdr

// A unixConst is one constant of golang.org/x/sys/unix: see constSets.
type unixConst struct {
	name  string
	value uint64
}
