-- A console account can be locked (admin_users.go): it keeps its name, so
-- the audit log and the studio's versions stay tied to that person and the
-- name cannot be given to someone else, but it cannot log in. NULL: open.
ALTER TABLE admins ADD COLUMN disabled_at TEXT;
