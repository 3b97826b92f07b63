-- The studio follows what is published (studio_follow.go): the generation
-- whose files it last took in (0: the starter), and the newest version id
-- then, which tells the studio's own later approvals from others'. A studio
-- seeded before this is taken to be in step with what is published now.
ALTER TABLE content_studio ADD COLUMN followed_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE content_studio ADD COLUMN followed_version INTEGER NOT NULL DEFAULT 0;
UPDATE content_studio SET
	followed_gen = (SELECT coalesce(max(generation), 0) FROM packs WHERE generation BETWEEN 1 AND 9007199254740991),
	followed_version = (SELECT coalesce(max(id), 0) FROM content_versions);
