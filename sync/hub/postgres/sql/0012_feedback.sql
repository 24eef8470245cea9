-- Citizens' feedback cases (issue #11, hub.FeedbackStore), as the SQLite
-- store's sql/0015: a misconduct case keeps its text sealed to the
-- inspection key (kept in hub_keys as 'inspection'); inspectors get a
-- role of their own.
CREATE TABLE feedback (
    id            text PRIMARY KEY,
    code          text NOT NULL UNIQUE,
    category      text NOT NULL,
    text          text NOT NULL,
    sealed        bytea,
    source        text NOT NULL,
    lang          text NOT NULL,
    service_point text NOT NULL,
    device_id     text NOT NULL,
    created_at    timestamptz NOT NULL,
    received_at   timestamptz NOT NULL,
    content       bytea NOT NULL,
    signature     bytea NOT NULL,
    state         text NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'in_progress', 'answered', 'closed')),
    assignee      text NOT NULL DEFAULT '',
    reply         text NOT NULL DEFAULT '',
    public        boolean NOT NULL DEFAULT false,
    ack_at        timestamptz,
    answered_at   timestamptz,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX feedback_received ON feedback (received_at);

ALTER TABLE admins DROP CONSTRAINT admins_role_check;
ALTER TABLE admins ADD CONSTRAINT admins_role_check CHECK (role IN ('admin', 'viewer', 'inspector'));
