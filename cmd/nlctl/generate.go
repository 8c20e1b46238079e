package main

//go:generate go run ../../internal/gentables -nlctl . -rtnlhdr ../../internal/rtnlhdr

// A constName is one constant of golang.org/x/sys/unix: see constSets.
type constName struct {
	name  string
	value uint64
}
