-- The content studio (issue 16; studio_*.go). A change is like a pull
-- request: an editor opens one, saves whole files of a pack source folder
-- into it (each save a version, its bytes in the blob store by sha256),
-- proposes it; another account approves it or sends it back. The approved
-- tree is, for each path, the newest version among approved changes. The
-- PostgreSQL file of the same name makes the same tables.

-- One row, made when the studio first seeds the approved tree (from the
-- newest published pack, or the starter). Approvals lock it, so two
-- reviewers on two hubs cannot both approve changes to the same file.
CREATE TABLE content_studio (
	id        INTEGER PRIMARY KEY CHECK (id = 1),
	seeded_at TEXT NOT NULL,                  -- RFC 3339 UTC
	source    TEXT NOT NULL                   -- what the seed came from, in words
);

CREATE TABLE content_changes (
	id       INTEGER PRIMARY KEY,
	title    TEXT NOT NULL,
	author   TEXT NOT NULL,
	created  TEXT NOT NULL,                   -- RFC 3339 UTC
	state    TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'proposed', 'approved', 'returned')),
	reviewer TEXT NOT NULL DEFAULT '',        -- who approved or sent it back last
	decided  TEXT NOT NULL DEFAULT '',        -- when
	comment  TEXT NOT NULL DEFAULT ''         -- why it was sent back
);
CREATE INDEX content_changes_state ON content_changes(state, id);

CREATE TABLE content_versions (
	id        INTEGER PRIMARY KEY,
	change_id INTEGER NOT NULL REFERENCES content_changes(id),
	path      TEXT NOT NULL,                  -- slash-separated, pack.CheckPath
	sha256    TEXT,                           -- NULL: the change removes the file
	size      INTEGER NOT NULL DEFAULT 0,
	base      INTEGER NOT NULL DEFAULT 0,     -- the approved version of path when the change first touched it (0: none)
	author    TEXT NOT NULL,
	created   TEXT NOT NULL,
	summary   TEXT NOT NULL DEFAULT ''        -- what changed, in words (kiosk/studio)
);
CREATE INDEX content_versions_change ON content_versions(change_id, id);
CREATE INDEX content_versions_path ON content_versions(path, id);

-- Where a reviewer can check a fact change (studio.Source), per file.
CREATE TABLE content_sources (
	id        INTEGER PRIMARY KEY,
	change_id INTEGER NOT NULL REFERENCES content_changes(id),
	path      TEXT NOT NULL,
	key       TEXT NOT NULL,                  -- studio.Change.Key, or a prefix of keys
	ref       TEXT NOT NULL,                  -- https://… or a document number
	read_on   TEXT NOT NULL DEFAULT '',       -- 2006-01-02
	author    TEXT NOT NULL,
	created   TEXT NOT NULL
);
CREATE INDEX content_sources_change ON content_sources(change_id, id);

-- A change's conversation and decisions, in order.
CREATE TABLE content_comments (
	id        INTEGER PRIMARY KEY,
	change_id INTEGER NOT NULL REFERENCES content_changes(id),
	action    TEXT NOT NULL DEFAULT 'comment' CHECK (action IN ('comment', 'proposed', 'approved', 'returned')),
	author    TEXT NOT NULL,
	created   TEXT NOT NULL,
	body      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX content_comments_change ON content_comments(change_id, id);
