-- Citizens' feedback cases (issue #11, hub.FeedbackStore). A misconduct
-- case keeps its text sealed to the inspection key (sealed); text is ''
-- for it. content and signature are what the device signed. The
-- inspection key itself lives in hub_keys under the name 'inspection'.
-- Inspectors get a role of their own, so admins' CHECK is widened: SQLite
-- cannot alter a constraint, so the table is rebuilt (its rows kept).
CREATE TABLE feedback (
    id           TEXT PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    category     TEXT NOT NULL,
    text         TEXT NOT NULL,
    sealed       BLOB,
    source       TEXT NOT NULL,
    lang         TEXT NOT NULL,
    service_point TEXT NOT NULL,
    device_id    TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    content      BLOB NOT NULL,
    signature    BLOB NOT NULL,
    state        TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'in_progress', 'answered', 'closed')),
    assignee     TEXT NOT NULL DEFAULT '',
    reply        TEXT NOT NULL DEFAULT '',
    public       INTEGER NOT NULL DEFAULT 0,
    ack_at       TEXT,
    answered_at  TEXT,
    updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX feedback_received ON feedback (received_at);

CREATE TABLE admins_new (
    name          TEXT PRIMARY KEY,
    password_hash BLOB NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'admin' CHECK (role IN ('admin', 'viewer', 'inspector'))
) STRICT;
INSERT INTO admins_new (name, password_hash, created_at, updated_at, role)
    SELECT name, password_hash, created_at, updated_at, role FROM admins;
DROP TABLE admins;
ALTER TABLE admins_new RENAME TO admins;
