-- A kiosk's sound (PUT /api/device/sound, device_sound.go): why it runs
-- silent ('' while it plays: froze, staff) and since when (RFC 3339 UTC, ''
-- while it plays). A kiosk that went silent by itself needs someone to look
-- at its speaker.
ALTER TABLE devices ADD COLUMN sound_off TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN sound_since TEXT NOT NULL DEFAULT '';
