-- Staff mode's PIN lockout: how many wrong PINs in a row and until when entry
-- is locked. One row, so a restart of the kiosk does not reset the count.
CREATE TABLE staff_lockout (
	id           INTEGER PRIMARY KEY CHECK (id = 1),
	failures     INTEGER NOT NULL DEFAULT 0,
	locked_until TEXT NOT NULL DEFAULT ''   -- RFC 3339 UTC; '' when not locked
);
INSERT INTO staff_lockout(id) VALUES (1);
