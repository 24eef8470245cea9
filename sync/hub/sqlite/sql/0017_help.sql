-- Staff help requests (issue #11, hub.HelpStore): one row per request id,
-- open first (outcome ''), replaced once by its resolved state. content and
-- signature are what the device signed for the state held.
CREATE TABLE help_requests (
    id            TEXT PRIMARY KEY,
    source        TEXT NOT NULL,
    lang          TEXT NOT NULL,
    service_point TEXT NOT NULL,
    device_id     TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    outcome       TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'helped_online', 'not_possible')),
    reason        TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    resolved_at   TEXT,
    received_at   TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    content       BLOB NOT NULL,
    signature     BLOB NOT NULL,
    CHECK ((outcome = '') = (resolved_at IS NULL))
) STRICT;
CREATE INDEX help_requests_open ON help_requests (created_at) WHERE outcome = '';
CREATE INDEX help_requests_point ON help_requests (service_point, created_at);
