package hub

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"fmt"
	"slices"

	"tramso/kiosk/pack"
)

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
	// Set by judge on a kiosk's own page: the generation its wave is given,
	// the hub keys that signed it, and whether the kiosk pins none of them.
	Target  int64
	Signers []string
	Refuses bool
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

// judge says, from the keys that signed the generation the kiosk is
// given (gen, its wave's), whether the kiosk will refuse it: it pins none
// of them. A hub key it lacks that signed nothing it is given may be the
// old key it rightly dropped as well as a new one it still needs: the page
// says both (outside QA: a kiosk that had dropped the old key read as a
// problem).
func (k *kioskKeys) judge(gen int64, signers []string) {
	k.Target, k.Signers = gen, signers
	k.Refuses = k.Said && !k.NoneOfHub && len(signers) > 0 && !slices.ContainsFunc(signers, k.pins)
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
	// Signs: the key signed the generation the hub gives every kiosk now,
	// so a kiosk pinning it takes that content. During a rotation this
	// tells the new key from the old once packs are signed by the new one
	// alone (outside QA R14).
	Signs bool
}

// Total is the kiosks in use counted.
func (c keyCount) Total() int { return c.Pin + c.Without + c.Unsaid }

// keyCounts counts, for each key the hub pins, the kiosks in use that pin it.
type keyCounts []keyCount

func newKeyCounts(hubKeys, signers []string) keyCounts {
	out := make(keyCounts, len(hubKeys))
	for i, id := range hubKeys {
		out[i].ID = id
		out[i].Signs = slices.Contains(signers, id)
	}
	return out
}

// currentSigners are the generation the hub gives every kiosk now (0 when
// none) and the ids of the keys it pins whose signature on it verifies.
func (h *Hub) currentSigners(ctx context.Context) (int64, []string, error) {
	return h.signersFor(ctx, sql.NullInt64{})
}

// signersFor is currentSigners for the kiosks of a wave (none: everyone).
// The signatures are checked, not read off manifest.sig: a key id there is
// only a claim.
func (h *Hub) signersFor(ctx context.Context, wave sql.NullInt64) (int64, []string, error) {
	gen := h.targetFor(wave)
	if gen == 0 {
		return 0, nil, nil
	}
	raw, sig, err := h.manifest(ctx, gen)
	if err != nil {
		return 0, nil, fmt.Errorf("signers of generation %d: %w", gen, err)
	}
	return gen, h.verifiedBy(raw, sig), nil
}

// verifiedBy are the ids of the keys the hub pins whose signature on raw
// verifies.
func (h *Hub) verifiedBy(raw, sig []byte) []string {
	var ids []string
	for _, k := range h.opts.ProvinceKeys {
		if _, err := pack.Verify(raw, sig, []ed25519.PublicKey{k}); err == nil {
			ids = append(ids, pack.KeyID(k))
		}
	}
	return ids
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
