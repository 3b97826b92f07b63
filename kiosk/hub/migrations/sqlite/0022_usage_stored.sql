-- When the hub last stored a kiosk's usage upload (device_http.go,
-- storeUsage), written in the transaction that stores the totals: the usage
-- page's "Số liệu đến lúc". device_buckets' last take cannot say it, as an
-- upload refused (malformed, too large, too often) takes from the bucket too.
-- RFC 3339 UTC; '': nothing stored yet.
ALTER TABLE devices ADD COLUMN usage_stored_at TEXT NOT NULL DEFAULT '';

-- A hub before this one kept only the bucket's last take: a kiosk that has
-- stored totals starts from it (its next upload, within 6 hours, replaces it).
UPDATE devices SET usage_stored_at = (
	SELECT strftime('%Y-%m-%dT%H:%M:%SZ', b.last_ms / 1000, 'unixepoch') FROM device_buckets b
	WHERE b.device_id = devices.id AND b.kind = 'usage')
WHERE EXISTS (SELECT 1 FROM device_buckets b WHERE b.device_id = devices.id AND b.kind = 'usage')
	AND EXISTS (SELECT 1 FROM usage_totals u WHERE u.device_id = devices.id);
