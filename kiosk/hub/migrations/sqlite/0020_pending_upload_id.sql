-- Each upload of a pack waiting for its signature (and each rollback kept
-- waiting) has an id of its own, new when it replaces another of its
-- generation (pending.go, keepPending). Signed, it is published and
-- forgotten by that id in one transaction: an upload that replaced it in
-- the meantime is neither forgotten with it nor lends it its note. '' for a
-- pack kept before.
ALTER TABLE pending_packs ADD COLUMN upload_id TEXT NOT NULL DEFAULT '';
