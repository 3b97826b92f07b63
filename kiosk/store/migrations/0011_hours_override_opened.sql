-- A closing by staff keeps the opening by staff it cut short (kiosk/hours
-- Override.OpenedFrom..OpenedUntil): that opening still counts in the past,
-- so a kiosk opened until 21:00 and closed at 19:00 says it has been closed
-- since 19:00, not since the week's 17:00. Empty when there was none.
ALTER TABLE hours_override ADD COLUMN opened_from TEXT NOT NULL DEFAULT ''; -- RFC 3339 UTC, or ''
ALTER TABLE hours_override ADD COLUMN opened_until TEXT NOT NULL DEFAULT ''; -- RFC 3339 UTC, or ''
