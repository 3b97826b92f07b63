-- The studio follows what is published: as sqlite/0013_studio_follow.sql, which says why.
ALTER TABLE content_studio ADD COLUMN followed_gen BIGINT NOT NULL DEFAULT 0;
ALTER TABLE content_studio ADD COLUMN followed_version BIGINT NOT NULL DEFAULT 0;
UPDATE content_studio SET
	followed_gen = (SELECT coalesce(max(generation), 0) FROM packs WHERE generation BETWEEN 1 AND 9007199254740991),
	followed_version = (SELECT coalesce(max(id), 0) FROM content_versions);
