module github.com/mdlayher/netlink/internal/crosscheck

go 1.26.0

replace github.com/mdlayher/netlink => ../..

require (
	github.com/google/go-cmp v0.7.0
	github.com/jsimonetti/rtnetlink/v2 v2.3.0
	github.com/mdlayher/netlink v1.9.0
	github.com/vishvananda/netlink v1.3.1
	github.com/vishvananda/netns v0.0.5
	golang.org/x/sys v0.50.0
)

require golang.org/x/net v0.55.0 // indirect
