-- What each translation was made from: as sqlite/0021_studio_stale.sql, which says why.
CREATE TABLE content_translation_basis (
	line    TEXT COLLATE "C" NOT NULL,
	lang    TEXT COLLATE "C" NOT NULL,
	trans   TEXT COLLATE "C" NOT NULL,
	vi      TEXT COLLATE "C" NOT NULL,
	version BIGINT NOT NULL
);
CREATE INDEX content_translation_basis_lang ON content_translation_basis(lang);

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
