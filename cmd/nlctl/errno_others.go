//go:build !linux

package main

import "errors"

// errNoData stands for ENODATA, which only Linux sends here; see
// errno_linux.go.
var errNoData = errors.New("no data")
