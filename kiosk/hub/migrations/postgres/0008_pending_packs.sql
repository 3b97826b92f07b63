-- Packs uploaded unsigned, waiting for their offline signature: the same
-- table as sqlite/0008_pending_packs.sql (which says what it is for).
CREATE TABLE pending_packs (
	generation  BIGINT PRIMARY KEY,
	digest      TEXT COLLATE "C" NOT NULL,
	title       TEXT COLLATE "C" NOT NULL DEFAULT '',
	manifest    BYTEA NOT NULL,
	file_count  BIGINT NOT NULL,
	total_size  BIGINT NOT NULL,
	uploaded_at TEXT COLLATE "C" NOT NULL,
	uploaded_by TEXT COLLATE "C" NOT NULL
);
