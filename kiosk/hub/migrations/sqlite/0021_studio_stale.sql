-- What each translation was made from (studio_translate_diff.go): a line's
-- translation whose Vietnamese changed since is "cần dịch lại" until it is
-- translated again or confirmed. Rows are read from the studio's versions
-- (a version that rewords the Vietnamese and keeps a translation says the
-- translation was made from the old words), and written by hand when a
-- translator confirms the translation still fits ("vẫn đúng", version 0).
-- A pair of texts, not a flag on a change, so it holds in every change, in
-- the approved content and after a publish alike. A row is kept once: two
-- requests scanning one version at once, or two translators confirming one
-- line, insert it ON CONFLICT DO NOTHING against the UNIQUE below.
CREATE TABLE content_translation_basis (
	line    TEXT NOT NULL,                    -- translate.Unit.Ctxt: "procedure:2.000815:fees[1].note"
	lang    TEXT NOT NULL,
	trans   TEXT NOT NULL,                    -- the translation
	vi      TEXT NOT NULL,                    -- the Vietnamese it was made from
	version INTEGER NOT NULL,                 -- the content version that said so; 0: confirmed by hand
	UNIQUE (line, lang, trans, vi, version)
);
CREATE INDEX content_translation_basis_lang ON content_translation_basis(lang);

-- The content versions already read into content_translation_basis and
-- content_narration_basis.
CREATE TABLE content_translation_scanned (
	version INTEGER PRIMARY KEY
);

-- What a lesson step's narration file reads (studio_record.go): a version
-- that rewords a step's text and keeps its narration says the recording at
-- that path, as it was before this version, reads the old text. The
-- narration is "lời đọc cũ" in a tree whose text differs from it and whose
-- file at path is older than the version, unless a row says the file reads
-- the text as it is now (an edit undone); a new recording or upload at the
-- path (a newer version of the file) or another path clears it. A row read
-- twice is a duplicate that says the same thing: no UNIQUE needed.
CREATE TABLE content_narration_basis (
	path    TEXT NOT NULL,                    -- as the lesson names it, under media/
	lang    TEXT NOT NULL,
	text    TEXT NOT NULL,                    -- the text the recording reads
	version INTEGER NOT NULL                  -- the content version that reworded it
);
CREATE INDEX content_narration_basis_path ON content_narration_basis(path, lang);
