-- As sqlite/0018_enroll_blocks.sql, which says why.
ALTER TABLE guess_tallies ADD COLUMN address TEXT COLLATE "C" NOT NULL DEFAULT '';
