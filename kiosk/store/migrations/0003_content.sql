-- Content packs: the kiosk's trusted state and the log of refused packs.
-- The generation switch and the highest generation applied change together, in
-- one transaction, so a replayed or older pack can never become current again.
CREATE TABLE content_state (
	id                  INTEGER PRIMARY KEY CHECK (id = 1),
	current_generation  INTEGER NOT NULL DEFAULT 0, -- 0: the embedded starter
	previous_generation INTEGER NOT NULL DEFAULT 0, -- 0: none (or the embedded starter)
	highest_generation  INTEGER NOT NULL DEFAULT 0, -- never goes down
	switched_at         TEXT                        -- RFC 3339, UTC
);
INSERT INTO content_state(id) VALUES (1);

-- Every authentic manifest the kiosk has seen, by generation: a second, different
-- manifest for the same generation is refused (the province never signs two).
CREATE TABLE content_generations (
	generation      INTEGER PRIMARY KEY,
	manifest_sha256 TEXT NOT NULL,
	key_id          TEXT NOT NULL,
	created         TEXT NOT NULL, -- the manifest's creation time
	title           TEXT NOT NULL,
	seen_at         TEXT NOT NULL,
	applied_at      TEXT
);

-- Packs the kiosk refused, for staff mode and the hub. Bounded (newest kept).
CREATE TABLE content_rejections (
	id          INTEGER PRIMARY KEY,
	at          TEXT NOT NULL,
	source      TEXT NOT NULL,            -- "hub", "usb", …
	generation  INTEGER NOT NULL DEFAULT 0, -- 0 when not known (e.g. the signature failed)
	kind        TEXT NOT NULL,            -- stable code: bad_signature, not_newer, …
	detail      TEXT NOT NULL,
	reported_at TEXT                      -- when the hub was told
);
