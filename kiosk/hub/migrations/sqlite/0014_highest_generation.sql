-- The highest content generation a kiosk has reported live. A kiosk whose
-- generation is below what it once had went back at the kiosk (staff's
-- "Quay lại bản trước"): it will not take that generation again, so the
-- console says so instead of "behind" alone (admin_fleet.go). Filled from
-- what the hub knows: the generation now, and the applied reports kept.
ALTER TABLE devices ADD COLUMN highest_generation INTEGER NOT NULL DEFAULT 0;
UPDATE devices SET highest_generation = max(generation,
	coalesce((SELECT max(generation) FROM reports WHERE reports.device_id = devices.id AND outcome = 'applied'), 0));
