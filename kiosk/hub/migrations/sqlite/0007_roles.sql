-- Roles in the province console (admin_roles.go says what each may do).
-- The column's default is the least a role may do, so an insert that forgets
-- the role gives no power; the accounts that exist already were all full
-- administrators, and stay so.
ALTER TABLE admins ADD COLUMN role TEXT NOT NULL DEFAULT 'viewer'
	CHECK (role IN ('viewer', 'editor', 'reviewer', 'admin'));
UPDATE admins SET role = 'admin';
