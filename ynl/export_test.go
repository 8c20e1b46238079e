package ynl

import "github.com/mdlayher/netlink/ynl/spec"

// NewClientForTest returns a Client for the generic family f with the
// family ID id, without asking nlctrl, for tests that only build
// requests.
func NewClientForTest(f *spec.Family, id uint16) *Client {
	return &Client{f: f, id: id}
}
