-- A kiosk's sound: as sqlite/0011_sound.sql, which says why.
ALTER TABLE devices ADD COLUMN sound_off TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN sound_since TEXT COLLATE "C" NOT NULL DEFAULT '';
