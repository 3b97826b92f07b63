-- A kiosk's window incidents: as sqlite/0012_incidents.sql, which says why.
CREATE TABLE device_incidents (
	device_id TEXT COLLATE "C" NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
	at        TEXT COLLATE "C" NOT NULL,
	kind      TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (device_id, at, kind)
);
CREATE INDEX device_incidents_by_time ON device_incidents(at);
