-- What several hubs on one database must share beyond the fleet's tables
-- (the PostgreSQL file of the same name makes the same tables; a single hub
-- on SQLite uses them the same way).

-- Wrong passwords and enrollment codes, counted per ceiling (throttle.go):
-- an attacker spreading guesses over several hubs gets no more tries.
CREATE TABLE guess_tallies (
	tally_key  TEXT PRIMARY KEY,               -- sha256 hex of the throttle's kind and ceiling key
	window_end TEXT NOT NULL,                  -- RFC 3339 UTC; the count starts again after it
	failures   INTEGER NOT NULL,               -- guesses reserved or kept in this window
	refused    INTEGER NOT NULL DEFAULT 0      -- attempts refused in this window
);
CREATE INDEX guess_tallies_by_end ON guess_tallies(window_end);  -- sweeping finished windows

-- Per-device token buckets (limits.go): a stolen device token gets one rate
-- whichever hubs it talks to.
CREATE TABLE device_buckets (
	device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
	kind      TEXT NOT NULL,                   -- 'report' or 'usage'
	tokens    DOUBLE PRECISION NOT NULL,       -- left after the last take
	last_ms   INTEGER NOT NULL,                -- the last take, unix milliseconds
	PRIMARY KEY (device_id, kind)
);

-- Presence (presence.go): every hub process running, refreshed every
-- heartbeat; a row gone stale is a hub that died, and its kiosks' claims end.
CREATE TABLE hubs (
	id      TEXT PRIMARY KEY,                  -- host name and a random suffix, new at each start
	seen_at TEXT NOT NULL                      -- RFC 3339 UTC
);
ALTER TABLE devices ADD COLUMN connected_hub TEXT;                -- the hub holding its websocket; NULL: none
ALTER TABLE devices ADD COLUMN left_at TEXT;                      -- when its hub saw it go (RFC 3339 UTC)
ALTER TABLE devices ADD COLUMN presence TEXT NOT NULL DEFAULT ''; -- the last online/offline event written
CREATE INDEX devices_by_presence ON devices(presence, connected_hub);
