-- As sqlite/0020_pending_upload_id.sql, which says why.
ALTER TABLE pending_packs ADD COLUMN upload_id TEXT COLLATE "C" NOT NULL DEFAULT '';
