package main

//go:generate go run ../../internal/gentables -nlctl . -nlfacts ../../internal/nlfacts

// A unixConst is one constant of golang.org/x/sys/unix: see constSets.
type unixConst struct {
	name  string
	value uint64
}
