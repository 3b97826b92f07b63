-- The console's memory: what staff did (and who failed to log in), and what
-- happened to each kiosk over time.
CREATE TABLE admin_audit (
	id       INTEGER PRIMARY KEY,
	at       TEXT NOT NULL,                    -- RFC 3339, UTC
	username TEXT NOT NULL DEFAULT '',         -- the admin, or the name a failed login gave
	remote   TEXT NOT NULL DEFAULT '',         -- the client's address
	action   TEXT NOT NULL,                    -- a fixed key (auditActions in admin_audit.go)
	detail   TEXT NOT NULL DEFAULT ''
);

-- Status changes of a kiosk: online/offline, generation, errors, and what
-- staff changed (name, commune, wave, revoke); kept 180 days. Reports stay
-- in reports.
CREATE TABLE device_events (
	id        INTEGER PRIMARY KEY,
	device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
	at        TEXT NOT NULL,                   -- RFC 3339, UTC
	kind      TEXT NOT NULL,                   -- a fixed key (eventKinds in device_events.go)
	detail    TEXT NOT NULL DEFAULT '',
	by        TEXT NOT NULL DEFAULT ''         -- the admin, when staff made the change
);
CREATE INDEX device_events_by_device ON device_events(device_id, id);
CREATE INDEX device_events_by_time ON device_events(at);   -- pruning old history
