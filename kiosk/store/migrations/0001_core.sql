-- Small facts the kiosk keeps across restarts (key/value), and the staff audit trail.
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE staff_actions (
	id     INTEGER PRIMARY KEY,
	at     TEXT NOT NULL,   -- RFC 3339, UTC, to the minute
	action TEXT NOT NULL    -- what staff did; never resident data
);
