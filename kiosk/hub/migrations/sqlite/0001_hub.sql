-- The province hub's database: staff logins, enrolment codes, devices, packs,
-- rollouts, what kiosks reported, and their anonymous daily usage totals.
CREATE TABLE admins (
	id            INTEGER PRIMARY KEY,
	username      TEXT NOT NULL UNIQUE,
	password_hash TEXT NOT NULL,               -- bcrypt
	created_at    TEXT NOT NULL
);

CREATE TABLE admin_sessions (
	token_hash TEXT PRIMARY KEY,                -- sha256 hex of the cookie value
	admin_id   INTEGER NOT NULL REFERENCES admins(id) ON DELETE CASCADE,
	csrf       TEXT NOT NULL,                   -- per-session CSRF token, echoed in every form
	expires_at TEXT NOT NULL
);

CREATE TABLE enrol_codes (
	code_hash  TEXT PRIMARY KEY,                -- sha256 hex of the normalised code
	commune    TEXT NOT NULL DEFAULT '',        -- the device joins this commune group
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	used_at    TEXT,
	device_id  TEXT
);

CREATE TABLE devices (
	id            TEXT PRIMARY KEY,            -- public device id, random
	token_hash    TEXT NOT NULL,               -- sha256 hex of the device token's secret
	name          TEXT NOT NULL,
	commune       TEXT NOT NULL DEFAULT '',
	wave          INTEGER,                     -- NULL: everyone only; 0: test group; 1..9: wave
	revoked_at    TEXT,
	enrolled_at   TEXT NOT NULL,
	last_seen     TEXT,
	generation    INTEGER NOT NULL DEFAULT 0,
	target        INTEGER NOT NULL DEFAULT 0,
	app_version   TEXT NOT NULL DEFAULT '',
	state         TEXT NOT NULL DEFAULT '',
	free_disk     INTEGER NOT NULL DEFAULT 0,
	last_error    TEXT NOT NULL DEFAULT ''
);

CREATE TABLE packs (
	generation   INTEGER PRIMARY KEY,
	digest       TEXT NOT NULL,                -- sha256 hex of manifest.json
	title        TEXT NOT NULL DEFAULT '',
	manifest     BLOB NOT NULL,                -- manifest.json exactly as signed
	signatures   BLOB NOT NULL,                -- manifest.sig
	total_size   INTEGER NOT NULL,
	published_at TEXT NOT NULL,
	published_by TEXT NOT NULL,
	note         TEXT NOT NULL DEFAULT ''      -- e.g. "rollback to 1764250000"
);

-- A rollout says who should have a generation: stage 0 the test group, stage
-- N waves 0..N, stage 100 everyone. A halted rollout reaches no one new.
CREATE TABLE rollouts (
	generation INTEGER PRIMARY KEY REFERENCES packs(generation),
	stage      INTEGER NOT NULL,
	halted     INTEGER NOT NULL DEFAULT 0,
	updated_at TEXT NOT NULL
);

-- Bumped by every change that may change a device's target, so that a hub
-- (or several) notices changes made by the CLI or by another hub.
CREATE TABLE fleet_version (
	id      INTEGER PRIMARY KEY CHECK (id = 1),
	version INTEGER NOT NULL
);
INSERT INTO fleet_version(id, version) VALUES (1, 0);

CREATE TABLE reports (
	id         INTEGER PRIMARY KEY,
	device_id  TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
	generation INTEGER NOT NULL,
	outcome    TEXT NOT NULL,
	error      TEXT NOT NULL DEFAULT '',
	at         TEXT NOT NULL
);
CREATE INDEX reports_by_device ON reports(device_id, id);

CREATE TABLE usage_totals (
	device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
	day       TEXT NOT NULL,
	metric    TEXT NOT NULL,
	key       TEXT NOT NULL DEFAULT '',
	step      INTEGER NOT NULL DEFAULT 0,
	count     INTEGER NOT NULL,
	seconds   INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (device_id, day, metric, key, step)
);
