-- A source given or taken back in a change is a line of its conversation
-- (studio_sources.go, outside QA s29, finding 3): content_comments.action
-- also takes 'source-added' and 'source-removed'. SQLite cannot change a
-- CHECK in place, so the table is built again with the same rows and ids.
CREATE TABLE content_comments_new (
	id        INTEGER PRIMARY KEY,
	change_id INTEGER NOT NULL REFERENCES content_changes(id),
	action    TEXT NOT NULL DEFAULT 'comment' CHECK (action IN ('comment', 'proposed', 'approved', 'returned', 'source-added', 'source-removed')),
	author    TEXT NOT NULL,
	created   TEXT NOT NULL,
	body      TEXT NOT NULL DEFAULT ''
);
INSERT INTO content_comments_new(id, change_id, action, author, created, body)
	SELECT id, change_id, action, author, created, body FROM content_comments;
DROP TABLE content_comments;
ALTER TABLE content_comments_new RENAME TO content_comments;
CREATE INDEX content_comments_change ON content_comments(change_id, id);
