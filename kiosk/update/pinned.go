package update

import (
	"crypto/ed25519"
	"log/slog"
	"slices"

	"tramso/kiosk/hubproto"
	"tramso/kiosk/pack"
)

// pinnedKeyIDs are the ids of the province keys the kiosk pins as a hub
// that takes them is told (hubproto.FeaturePinnedKeys): during a key
// rotation the province reads there which kiosks pin the new key, since it
// cannot read their configs. Sorted, each once, at most
// hubproto.MaxPinnedKeys (nil: none pinned, nothing to say).
func pinnedKeyIDs(keys []ed25519.PublicKey, log *slog.Logger) []string {
	ids := pack.KeyIDs(keys)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) > hubproto.MaxPinnedKeys {
		// The hub refuses a longer list with the whole status: tell it part.
		log.Warn("the kiosk pins more province keys than the hub is told of", "pinned", len(ids), "told", hubproto.MaxPinnedKeys)
		ids = ids[:hubproto.MaxPinnedKeys]
	}
	return ids
}

// hubTakes says what the hub of this connection takes in statuses beyond
// the first protocol: the shown generation and error kind, the pinned keys.
func (c *Client) hubTakes() (shown, pinned bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hubTakesShown, c.hubTakesPinned
}

// learnFeatures reads what a newly connected hub takes from its upgrade
// answer (hubproto.FeaturesHeader).
func (c *Client) learnFeatures(header string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hubTakesShown = hubproto.HasFeature(header, hubproto.FeatureStatusShown)
	c.hubTakesPinned = hubproto.HasFeature(header, hubproto.FeaturePinnedKeys)
}
