-- Staff help requests (issue #11, hub.HelpStore), as the SQLite store's
-- sql/0017: one row per request id, open first (outcome ''), replaced once
-- by its resolved state.
CREATE TABLE help_requests (
    id            text PRIMARY KEY,
    source        text NOT NULL,
    lang          text NOT NULL,
    service_point text NOT NULL,
    device_id     text NOT NULL,
    created_at    timestamptz NOT NULL,
    outcome       text NOT NULL DEFAULT '' CHECK (outcome IN ('', 'helped_online', 'not_possible')),
    reason        text NOT NULL DEFAULT '',
    note          text NOT NULL DEFAULT '',
    resolved_at   timestamptz,
    received_at   timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    content       bytea NOT NULL,
    signature     bytea NOT NULL,
    CHECK ((outcome = '') = (resolved_at IS NULL))
);
CREATE INDEX help_requests_open ON help_requests (created_at) WHERE outcome = '';
CREATE INDEX help_requests_point ON help_requests (service_point, created_at);
