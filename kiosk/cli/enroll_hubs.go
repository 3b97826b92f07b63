package cli

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"tramso/kiosk/config"
	"tramso/kiosk/hubproto"
	"tramso/kiosk/update"
)

// A province runs one hub (perhaps behind a load balancer: one address) or
// several hubs on one database (several addresses, hub.urls). Enrollment
// asks them in turn, and treats the set as what the kiosk trusts: naming a
// hub the kiosk does not use yet is a move and needs --replace; naming some
// of the hubs it uses already is not, and leaves its list as it is.

// enrollHubFlags reads --hub, given once per hub or as a comma list, checking each
// address as the config would.
func enrollHubFlags(given []string) ([]string, error) {
	var hubs []string
	for _, g := range given {
		for _, h := range strings.Split(g, ",") {
			h = strings.TrimSpace(h)
			if err := config.CheckHubURL(h); err != nil {
				return nil, usagef("--hub: %v", err)
			}
			if slices.ContainsFunc(hubs, func(o string) bool { return update.SameHub(o, h) }) {
				return nil, usagef("--hub: %s is given twice", h)
			}
			hubs = append(hubs, h)
		}
	}
	if len(hubs) == 0 {
		return nil, usagef("enroll needs --hub URL and --code CODE (the code is shown on the province hub)")
	}
	return hubs, nil
}

// movesHub reports whether enrolling with to names a hub outside from, the
// hubs the kiosk uses now (none: a first enrollment moves nothing).
func movesHub(from, to []string) bool {
	if len(from) == 0 {
		return false
	}
	for _, t := range to {
		if !slices.ContainsFunc(from, func(f string) bool { return update.SameHub(f, t) }) {
			return true
		}
	}
	return false
}

// addresses is what the config should name after enrolling: for one hub the
// address it answered with, as before (its own public websocket URL); for
// several the addresses given, as websocket URLs — a hub names only itself,
// and the person got the list from the province.
func (r enrollRequest) addresses(answered string) []string {
	if len(r.hubs) == 1 {
		return []string{answered}
	}
	out := make([]string, len(r.hubs))
	for i, h := range r.hubs {
		ws, err := hubproto.WebSocketURL(h)
		if err != nil { // hubFlags has checked every address
			ws = h
		}
		out[i] = ws
	}
	return out
}

// setAddresses writes one hub as hub.url and several as hub.urls, removing
// the other key.
func setAddresses(hub *yaml.Node, hubs []string) {
	if len(hubs) == 1 {
		deleteField(hub, "urls")
		setScalar(hub, "url", hubs[0])
		return
	}
	deleteField(hub, "url")
	list := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	for _, h := range hubs {
		list.Content = append(list.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: h, Style: yaml.DoubleQuotedStyle})
	}
	*mappingField(hub, "urls") = *list
}

func deleteField(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = slices.Delete(m.Content, i, i+2)
			return
		}
	}
}
