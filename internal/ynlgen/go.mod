module github.com/mdlayher/netlink/internal/ynlgen

go 1.25.0

require (
	github.com/google/go-cmp v0.7.0
	github.com/mdlayher/netlink v0.0.0
	gopkg.in/yaml.v3 v3.0.1
)

replace github.com/mdlayher/netlink => ../..
