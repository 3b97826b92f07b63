-- Staff's exception to the opening hours (kiosk/hours Override): the kiosk
-- opened outside its hours until a time, or closed until its next opening.
-- One row, replaced by each staff action and removed by "back to the usual
-- hours"; it ends by itself at until_at and stays after that, since the
-- screen's rest counts from when an opening ended.
CREATE TABLE hours_override (
	id       INTEGER PRIMARY KEY CHECK (id = 1),
	open     INTEGER NOT NULL CHECK (open IN (0, 1)), -- 1: opened by staff; 0: closed by staff
	from_at  TEXT NOT NULL,                           -- RFC 3339 UTC
	until_at TEXT NOT NULL                            -- RFC 3339 UTC, after from_at
);
