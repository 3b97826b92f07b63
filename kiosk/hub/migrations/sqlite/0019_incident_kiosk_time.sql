-- A window incident is known by the kiosk's own time again (at, as 0012
-- meant): a hub that kept one dated ahead of its clock at the time it came
-- (kioskTime) made two of one kind in one batch a single row, and the same
-- batch sent again a second one. counted_at is the time the console counts
-- and shows it by (device_incidents.go): at, or the time the hub received
-- it when at stood ahead of the hub's clock. A row kept before holds in at
-- the time it was counted by, and keeps it.
ALTER TABLE device_incidents ADD COLUMN counted_at TEXT NOT NULL DEFAULT '';
UPDATE device_incidents SET counted_at = at;
DROP INDEX device_incidents_by_time;
CREATE INDEX device_incidents_by_time ON device_incidents(counted_at);
