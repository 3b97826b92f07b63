-- Roles in the province console: as sqlite/0007_roles.sql, which says why.
ALTER TABLE admins ADD COLUMN role TEXT COLLATE "C" NOT NULL DEFAULT 'viewer'
	CHECK (role IN ('viewer', 'editor', 'reviewer', 'admin'));
UPDATE admins SET role = 'admin';
