-- As sqlite/0016_pinned_keys.sql, which says why.
ALTER TABLE devices ADD COLUMN pinned_keys TEXT COLLATE "C" NOT NULL DEFAULT '';
