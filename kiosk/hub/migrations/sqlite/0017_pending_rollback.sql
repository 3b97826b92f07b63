-- A rollback made on a hub whose signing key is kept offline waits in
-- pending_packs like any unsigned pack; these say it is one, so the console
-- names it ("quay lại nội dung thế hệ N") and, once signed, it is published
-- as the signed rollback is: with its note, past the studio guard
-- (pending.go, RollbackPending). 0 and '' for a pack uploaded unsigned.
ALTER TABLE pending_packs ADD COLUMN note TEXT NOT NULL DEFAULT '';          -- the rollout's note once published (rollbackNote)
ALTER TABLE pending_packs ADD COLUMN rollback_to INTEGER NOT NULL DEFAULT 0;   -- the generation whose content it brings back
ALTER TABLE pending_packs ADD COLUMN rollback_from INTEGER NOT NULL DEFAULT 0; -- the newest generation published when it was made
