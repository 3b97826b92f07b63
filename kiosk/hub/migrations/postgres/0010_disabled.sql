-- Locked console accounts: as sqlite/0010_disabled.sql, which says why.
ALTER TABLE admins ADD COLUMN disabled_at TEXT COLLATE "C";
