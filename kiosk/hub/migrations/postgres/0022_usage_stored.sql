-- When the hub last stored a kiosk's usage upload: as sqlite/0022_usage_stored.sql, which says why.
ALTER TABLE devices ADD COLUMN usage_stored_at TEXT COLLATE "C" NOT NULL DEFAULT '';

UPDATE devices d SET usage_stored_at = to_char(to_timestamp(b.last_ms / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
FROM device_buckets b
WHERE b.device_id = d.id AND b.kind = 'usage'
	AND EXISTS (SELECT 1 FROM usage_totals u WHERE u.device_id = d.id);
