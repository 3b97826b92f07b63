-- As sqlite/0017_pending_rollback.sql, which says why.
ALTER TABLE pending_packs ADD COLUMN note TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE pending_packs ADD COLUMN rollback_to BIGINT NOT NULL DEFAULT 0;
ALTER TABLE pending_packs ADD COLUMN rollback_from BIGINT NOT NULL DEFAULT 0;
