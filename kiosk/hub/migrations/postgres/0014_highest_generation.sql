-- The highest generation a kiosk has reported live: as
-- sqlite/0014_highest_generation.sql, which says why.
ALTER TABLE devices ADD COLUMN highest_generation BIGINT NOT NULL DEFAULT 0;
UPDATE devices SET highest_generation = GREATEST(generation,
	coalesce((SELECT max(generation) FROM reports WHERE reports.device_id = devices.id AND outcome = 'applied'), 0));
