-- What a kiosk shows residents when it is not the generation it applied
-- (0: the same), and what its last error is about (update.ErrorKind*): a
-- kiosk whose current content does not verify under its pinned keys, or is
-- damaged, shows older content, and the console says so (admin_fleet.go).
ALTER TABLE devices ADD COLUMN shown_generation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN error_kind TEXT NOT NULL DEFAULT '';
