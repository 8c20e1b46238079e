module github.com/mdlayher/netlink

go 1.25.0

require (
	github.com/google/go-cmp v0.7.0
	golang.org/x/net v0.53.0
	golang.org/x/sys v0.43.0
)
