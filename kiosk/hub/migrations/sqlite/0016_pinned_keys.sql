-- The ids (pack.KeyID) of the province keys a kiosk pins, space-separated
-- and sorted, as its latest status said (hubproto.Status.PinnedKeys); ''
-- until it says (a kiosk from before them). A province rotating its key
-- sees which kiosks pin the new one before it drops the old (admin_keys.go).
ALTER TABLE devices ADD COLUMN pinned_keys TEXT NOT NULL DEFAULT '';
