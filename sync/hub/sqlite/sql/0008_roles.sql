-- Hub schema, version 8: dashboard roles (hub.Role). Admins stored before
-- this step keep every right they had: their role is 'admin'.

ALTER TABLE admins ADD COLUMN role TEXT NOT NULL DEFAULT 'admin' CHECK (role IN ('admin', 'viewer'));
