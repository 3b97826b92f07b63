package hub

import "slices"

// The province keys kiosks pin, as the console shows them for a key
// rotation (README, "Rotating the province key"): the old key may go from
// the hub and the kiosks only when every kiosk in use pins the new one, and
// the hub cannot read a kiosk's config, so each kiosk says which keys it
// pins (hubproto.Status.PinnedKeys).

// hubKeyIDs are the ids of the province keys this hub pins (its --pub).
func (h *Hub) hubKeyIDs() []string { return h.keyIDs }

// pinnedKey is a key a kiosk pins, and whether this hub pins it too.
type pinnedKey struct {
	ID  string
	Hub bool
}

// kioskKeys is what the console says of the keys one kiosk pins.
type kioskKeys struct {
	Said bool // the kiosk has said (a kiosk from before PinnedKeys has not)
	Keys []pinnedKey
	// NoneOfHub: it pins none of the keys this hub pins, so it refuses
	// every pack the hub takes (false when the hub pins none).
	NoneOfHub bool
	// Missing are the hub's keys it does not pin: during a rotation, the
	// new key a kiosk forgotten in step 2 lacks (outside QA R14).
	Missing []string
}

func kioskKeysOf(d Device, hubKeys []string) kioskKeys {
	k := kioskKeys{Said: len(d.PinnedKeys) > 0}
	shared := 0
	for _, id := range d.PinnedKeys {
		ours := slices.Contains(hubKeys, id)
		shared += count(ours)
		k.Keys = append(k.Keys, pinnedKey{ID: id, Hub: ours})
	}
	k.NoneOfHub = k.Said && len(hubKeys) > 0 && shared == 0
	for _, id := range hubKeys {
		if k.Said && !k.pins(id) {
			k.Missing = append(k.Missing, id)
		}
	}
	return k
}

// pins says whether the kiosk said it pins key id.
func (k kioskKeys) pins(id string) bool {
	return slices.ContainsFunc(k.Keys, func(p pinnedKey) bool { return p.ID == id })
}

// keyCount is how the kiosks in use stand to one key the hub pins: they
// pin it, they said they do not (Without), or they have not said (Unsaid).
type keyCount struct {
	ID                   string
	Pin, Without, Unsaid int
}

// Total is the kiosks in use counted.
func (c keyCount) Total() int { return c.Pin + c.Without + c.Unsaid }

// keyCounts counts, for each key the hub pins, the kiosks in use that pin it.
type keyCounts []keyCount

func newKeyCounts(hubKeys []string) keyCounts {
	out := make(keyCounts, len(hubKeys))
	for i, id := range hubKeys {
		out[i].ID = id
	}
	return out
}

func (cs keyCounts) add(row fleetRow) {
	if row.Revoked {
		return
	}
	for i := range cs {
		c := &cs[i]
		switch {
		case !row.Keys.Said:
			c.Unsaid++
		case row.Keys.pins(c.ID):
			c.Pin++
		default:
			c.Without++
		}
	}
}
