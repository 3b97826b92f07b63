-- When the kiosk took a generation back at once because it failed the check
-- made right after switching to it (kiosk/update): applied, it never ran,
-- so staff mode does not count it as installed (a refusal of it before is
-- not settled by it). NULL for every other generation.
ALTER TABLE content_generations ADD COLUMN failed_check_at TEXT;
