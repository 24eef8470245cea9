-- Dashboard roles (hub.Role) and the audit log of administrative actions
-- (hub.AuditEntry, a hash chain: hub/audit.go), as the SQLite store's
-- sql/0008 and 0009. Admins stored before this step keep every right they
-- had. Audit rows are only ever inserted; the triggers refuse changes made
-- through SQL by mistake, and the chain shows changes made any other way.

ALTER TABLE admins ADD COLUMN role text NOT NULL DEFAULT 'admin' CHECK (role IN ('admin', 'viewer'));

CREATE TABLE audit (
    seq     bigint PRIMARY KEY,   -- from 1, without gaps
    at      timestamptz NOT NULL,
    actor   text NOT NULL,
    action  text NOT NULL,
    addr    text NOT NULL,
    details text NOT NULL,        -- url.Values.Encode of the action's parameters
    hash    bytea NOT NULL        -- hub.AuditHash over the previous hash and this row
);

CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
