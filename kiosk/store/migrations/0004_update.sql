-- The update client: this kiosk's device credentials from enrollment (one row)
-- and what staff mode shows about syncing with the province hub.
CREATE TABLE device_credentials (
	id            INTEGER PRIMARY KEY CHECK (id = 1),
	device_id     TEXT NOT NULL,
	token         TEXT NOT NULL,      -- secret; the data directory is readable only by the kiosk user
	hub_url       TEXT NOT NULL,
	name          TEXT NOT NULL DEFAULT '',
	province_keys TEXT NOT NULL,      -- JSON array of base64 ed25519 public keys
	enrolled_at   TEXT NOT NULL
);

CREATE TABLE update_state (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	last_sync  TEXT NOT NULL DEFAULT '',  -- RFC 3339: last time the kiosk heard from the hub with nothing left to do
	last_error TEXT NOT NULL DEFAULT ''
);
INSERT INTO update_state(id) VALUES (1);
