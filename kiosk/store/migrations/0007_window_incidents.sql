-- Times the desktop window lost its page (froze, crashed, ended for memory):
-- the window loads it again by itself, so these rows are how staff and the
-- province hear of a kiosk that keeps failing (kiosk/store/incidents.go).
-- sent: the hub has them (POST /api/device/incidents).
CREATE TABLE window_incidents (
	id   INTEGER PRIMARY KEY,
	at   INTEGER NOT NULL,          -- unix seconds
	kind TEXT NOT NULL,             -- hubproto.Incident* kinds
	sent INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX window_incidents_unsent ON window_incidents(sent, id);
