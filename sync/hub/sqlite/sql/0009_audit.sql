-- Hub schema, version 9: the audit log of administrative actions
-- (hub.AuditEntry, a hash chain: hub/audit.go). Rows are only ever
-- inserted; the triggers refuse changes made through SQL by mistake, and
-- the chain shows changes made any other way (`hailong-hub audit verify`).

CREATE TABLE audit (
    seq     INTEGER PRIMARY KEY,  -- from 1, without gaps
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    addr    TEXT NOT NULL,
    details TEXT NOT NULL,        -- url.Values.Encode of the action's parameters
    hash    BLOB NOT NULL         -- hub.AuditHash over the previous hash and this row
) STRICT;

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
