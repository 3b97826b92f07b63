-- Pack blobs in the database (PGBlobs), so that every hub on this PostgreSQL
-- serves every blob. PostgreSQL only: a hub on SQLite keeps files (DirBlobs).
--
-- A blob is a row of blobs plus its bytes cut in chunks of chunk_size bytes
-- (every chunk full but the last; a blob of 0 bytes has none). Both appear in
-- one transaction, once the hash has been checked, so no reader ever sees a
-- half or wrong blob. chunk_size is stored per blob so a later hub may cut
-- new blobs differently and still read the old ones.
CREATE TABLE blobs (
	sha        TEXT COLLATE "C" PRIMARY KEY,  -- sha256 hex of the whole blob
	size       BIGINT NOT NULL CHECK (size >= 0),
	chunk_size BIGINT NOT NULL CHECK (chunk_size > 0),
	created_at TEXT COLLATE "C" NOT NULL      -- RFC 3339 UTC; the blob's Last-Modified
);

CREATE TABLE blob_chunks (
	sha  TEXT COLLATE "C" NOT NULL REFERENCES blobs(sha) ON DELETE CASCADE,
	n    BIGINT NOT NULL CHECK (n >= 0),      -- bytes n*chunk_size onwards
	data BYTEA NOT NULL,
	PRIMARY KEY (sha, n)
);

-- Packs' big files are images and audio, compressed already: PostgreSQL's
-- own compression would cost CPU on every write and read for nothing.
ALTER TABLE blob_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
