package ynl_test

import (
	"encoding/json"
	"fmt"
	"log"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
	"github.com/mdlayher/netlink/ynl"
)

// A request built from names, and the reply decoded into names, with a
// fake kernel (package nltest) standing in for rtnetlink: it answers a
// getlink for "veth0" with a link of kind veth. Against the real kernel,
// ynl.Dial(f, nil) opens the socket instead.
func Example() {
	f, _ := ynl.Lookup("rt-link")
	conn := nltest.Dial(func(reqs []netlink.Message) ([]netlink.Message, error) {
		req, err := ynl.Decode(f, reqs[0])
		if err != nil {
			return nil, err
		}
		name := ynl.Find(req.Attrs, "ifname").Str
		// The kernel's answer, built with the same tables.
		c, _ := ynl.NewClient(nltest.Dial(nil), f)
		reply, _, err := c.Request("newlink", false, &ynl.Request{
			Header: map[string]any{"ifi-index": 7, "ifi-flags": []string{"up", "broadcast", "running", "multicast"}},
			Attrs: map[string]any{
				"ifname":    name,
				"mtu":       1500,
				"address":   "02:00:00:00:00:07",
				"operstate": 6,
				"linkinfo":  map[string]any{"kind": "veth"},
			},
		})
		reply.Header.Sequence = reqs[0].Header.Sequence
		reply.Header.PID = reqs[0].Header.PID
		return []netlink.Message{reply}, err
	})
	c, err := ynl.NewClient(conn, f)
	if err != nil {
		log.Fatal(err)
	}
	links, err := c.Do("getlink", &ynl.Request{Attrs: map[string]any{"ifname": "veth0"}})
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range links {
		fmt.Println(ynl.FindField(l.Fields, "ifi-index").String(), ynl.Find(l.Attrs, "ifname").Str)
		out, _ := json.Marshal(l)
		fmt.Println(string(out))
	}
	// Output:
	// 7 veth0
	// {"ifi-family":0,"pad":"00","ifi-type":0,"ifi-index":7,"ifi-flags":["up","broadcast","running","multicast"],"ifi-change":0,"address":"02:00:00:00:00:07","ifname":"veth0","mtu":1500,"operstate":6,"linkinfo":{"kind":"veth"}}
}
