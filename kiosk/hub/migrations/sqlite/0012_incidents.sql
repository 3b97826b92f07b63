-- Times a kiosk's window lost its page (POST /api/device/incidents,
-- device_incidents.go): it froze, crashed, or WebKit ended it for memory.
-- The window brings the page back by itself, so these are how the province
-- sees a kiosk that keeps failing. at is the kiosk's clock, RFC 3339 UTC;
-- the key makes a batch sent again harmless. Kept as long as the history.
CREATE TABLE device_incidents (
	device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
	at        TEXT NOT NULL,
	kind      TEXT NOT NULL,               -- hubproto.Incident*
	PRIMARY KEY (device_id, at, kind)
);
CREATE INDEX device_incidents_by_time ON device_incidents(at);
