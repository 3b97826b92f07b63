-- What each translation was made from: as sqlite/0021_studio_stale.sql, which says why.
CREATE TABLE content_translation_basis (
	line    TEXT COLLATE "C" NOT NULL,
	lang    TEXT COLLATE "C" NOT NULL,
	trans   TEXT COLLATE "C" NOT NULL,
	vi      TEXT COLLATE "C" NOT NULL,
	version BIGINT NOT NULL
);
CREATE INDEX content_translation_basis_lang ON content_translation_basis(lang);
-- SQLite's UNIQUE (line, lang, trans, vi, version), for ON CONFLICT DO
-- NOTHING; the texts by their md5, as a B-tree entry holds at most about
-- 2.7 kB and a translation with its Vietnamese may be longer.
CREATE UNIQUE INDEX content_translation_basis_once
	ON content_translation_basis(line, lang, version, md5(trans), md5(vi));

CREATE TABLE content_translation_scanned (
	version BIGINT PRIMARY KEY
);

CREATE TABLE content_narration_basis (
	path    TEXT COLLATE "C" NOT NULL,
	lang    TEXT COLLATE "C" NOT NULL,
	text    TEXT COLLATE "C" NOT NULL,
	version BIGINT NOT NULL
);
CREATE INDEX content_narration_basis_path ON content_narration_basis(path, lang);
