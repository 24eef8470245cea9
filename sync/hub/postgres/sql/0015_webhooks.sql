-- Webhooks and their outbox, and the alerts (issue #11, hub.WebhookStore,
-- docs/webhooks.md), as the SQLite store's sql/0018. Hub processes claim
-- due deliveries with FOR UPDATE SKIP LOCKED and a lease (lease_until,
-- lease token): two claims never take one row, and a claim whose hub died
-- is taken again once its lease has passed.
CREATE TABLE webhooks (
    id         text PRIMARY KEY,
    url        text NOT NULL,
    kinds      text NOT NULL,
    secret     text NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    removed_at timestamptz
);

CREATE TABLE webhook_events (
    id         text PRIMARY KEY,
    kind       text NOT NULL,
    created_at timestamptz NOT NULL,
    body       bytea NOT NULL
);

CREATE TABLE webhook_deliveries (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    text NOT NULL REFERENCES webhook_events (id),
    webhook_id  text NOT NULL REFERENCES webhooks (id),
    state       text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts    integer NOT NULL DEFAULT 0,
    next_at     timestamptz NOT NULL,
    lease_until timestamptz,
    lease       text NOT NULL DEFAULT '',
    last_status integer NOT NULL DEFAULT 0,
    last_error  text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);

CREATE TABLE alert_answers (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_point text NOT NULL,
    dissatisfied  boolean NOT NULL,
    received_at   timestamptz NOT NULL
);
CREATE INDEX alert_answers_point ON alert_answers (service_point, id);

CREATE TABLE alerts (
    rule          text NOT NULL,
    subject       text NOT NULL,
    service_point text NOT NULL,
    active        boolean NOT NULL,
    since         timestamptz NOT NULL,
    checked_at    timestamptz NOT NULL,
    figures       jsonb NOT NULL,
    PRIMARY KEY (rule, subject)
);
