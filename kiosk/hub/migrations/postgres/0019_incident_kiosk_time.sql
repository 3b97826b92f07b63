-- As sqlite/0019_incident_kiosk_time.sql, which says why.
ALTER TABLE device_incidents ADD COLUMN counted_at TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE device_incidents SET counted_at = at;
DROP INDEX device_incidents_by_time;
CREATE INDEX device_incidents_by_time ON device_incidents(counted_at);
