-- Anonymous usage log (issue 6). Nothing here can name a resident: no free text,
-- no device or network identifiers, times to the minute, and a random session
-- number the kiosk issued and never reuses.
--
-- Raw events are kept for usage.retention_days, then pruned; before that each
-- finished day is rolled up into usage_daily, which is kept.
CREATE TABLE usage_events (
	minute  INTEGER NOT NULL,            -- Unix time / 60 (UTC), so times are kept to the minute
	session INTEGER NOT NULL,            -- random per-session number, issued by the kiosk
	type    TEXT    NOT NULL,            -- event type from the closed list in kiosk/usage
	item    TEXT    NOT NULL DEFAULT '', -- tutorial or procedure id of the current content
	detail  TEXT    NOT NULL DEFAULT '', -- screen name, language code or search outcome
	step    INTEGER NOT NULL DEFAULT 0,  -- step or question number, 0 when none
	value   INTEGER NOT NULL DEFAULT 0   -- session length in seconds for session_ended
);
CREATE INDEX usage_events_minute ON usage_events(minute);

CREATE TABLE usage_daily (
	day     TEXT    NOT NULL,            -- YYYY-MM-DD, kiosk local calendar day
	metric  TEXT    NOT NULL,
	key     TEXT    NOT NULL DEFAULT '',
	step    INTEGER NOT NULL DEFAULT 0,
	count   INTEGER NOT NULL,
	seconds INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (day, metric, key, step)
) WITHOUT ROWID;
