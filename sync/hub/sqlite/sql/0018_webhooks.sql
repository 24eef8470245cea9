-- Webhooks and their outbox, and the alerts (issue #11, hub.WebhookStore,
-- docs/webhooks.md). kinds is ',responses,alert,' (commas around each
-- kind, so that a LIKE '%,kind,%' finds it). An event is stored only when a
-- webhook wants it, with one delivery per such webhook; a delivery is
-- claimed by setting lease_until and lease (a token) and finished by the
-- holder of that token.
CREATE TABLE webhooks (
    id         TEXT PRIMARY KEY,
    url        TEXT NOT NULL,
    kinds      TEXT NOT NULL,
    secret     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    removed_at TEXT
) STRICT;

CREATE TABLE webhook_events (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    body       BLOB NOT NULL
) STRICT;

CREATE TABLE webhook_deliveries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id    TEXT NOT NULL REFERENCES webhook_events (id),
    webhook_id  TEXT NOT NULL REFERENCES webhooks (id),
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     TEXT NOT NULL,
    lease_until TEXT,
    lease       TEXT NOT NULL DEFAULT '',
    last_status INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);

-- Each accepted rated response, for the alert rules' windows of last
-- answers per service point; no answer itself, only whether it was
-- dissatisfied.
CREATE TABLE alert_answers (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    service_point TEXT NOT NULL,
    dissatisfied  INTEGER NOT NULL,
    received_at   TEXT NOT NULL
) STRICT;
CREATE INDEX alert_answers_point ON alert_answers (service_point, id);

-- Every alert rule's last finding per subject (hub.Alert); figures is JSON.
CREATE TABLE alerts (
    rule          TEXT NOT NULL,
    subject       TEXT NOT NULL,
    service_point TEXT NOT NULL,
    active        INTEGER NOT NULL,
    since         TEXT NOT NULL,
    checked_at    TEXT NOT NULL,
    figures       TEXT NOT NULL,
    PRIMARY KEY (rule, subject)
) STRICT;
