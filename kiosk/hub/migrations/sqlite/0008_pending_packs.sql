-- Packs uploaded unsigned (`tramso pack build` without --key), waiting for
-- the signature made on the offline machine (`tramso pack sign`). The row
-- keeps the manifest exactly as it is to be signed; the files are already
-- in the blob store, so a restart or another hub on the same database can
-- attach the signature and publish. The PostgreSQL file of the same name
-- makes the same table.
CREATE TABLE pending_packs (
	generation  INTEGER PRIMARY KEY,
	digest      TEXT NOT NULL,                 -- sha256 hex of manifest.json
	title       TEXT NOT NULL DEFAULT '',
	manifest    BLOB NOT NULL,                 -- manifest.json exactly as built, to be signed
	file_count  INTEGER NOT NULL,
	total_size  INTEGER NOT NULL,
	uploaded_at TEXT NOT NULL,                 -- RFC 3339 UTC
	uploaded_by TEXT NOT NULL
);
