-- As sqlite/0015_shown_generation.sql, which says why.
ALTER TABLE devices ADD COLUMN shown_generation BIGINT NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN error_kind TEXT COLLATE "C" NOT NULL DEFAULT '';
