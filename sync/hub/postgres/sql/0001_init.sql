-- Hub schema for PostgreSQL, version 1: the same data as the SQLite
-- store's sql/0001 and 0002. Text that is ordered or compared byte for
-- byte (ids, admin names) uses the "C" collation, so every backend sorts
-- alike whatever the database's locale.

CREATE TABLE devices (
    id              text COLLATE "C" PRIMARY KEY,
    name            text NOT NULL,
    service_point   text NOT NULL,
    created_at      timestamptz NOT NULL,
    -- SHA-256 of the one-time enrollment code while pending; NULL once claimed.
    code_hash       bytea UNIQUE,
    code_expires_at timestamptz NOT NULL,
    public_key      bytea,
    token_hash      bytea UNIQUE,  -- SHA-256 of the bearer token
    enrolled_at     timestamptz,
    revoked_at      timestamptz
);

CREATE TABLE surveys (
    id           text COLLATE "C" NOT NULL,
    version      integer NOT NULL,
    definition   bytea NOT NULL,   -- exactly as published
    published_at timestamptz NOT NULL,
    PRIMARY KEY (id, version)
);

CREATE TABLE admins (
    name          text COLLATE "C" PRIMARY KEY,
    password_hash bytea NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);

-- One row per response id, whatever its month: the uniqueness that the
-- month partitions of responses cannot enforce across partitions, and
-- where a stored response's partition (started_at) and content digest
-- are found.
CREATE TABLE response_ids (
    id         text COLLATE "C" PRIMARY KEY,
    started_at timestamptz NOT NULL,
    digest     bytea NOT NULL       -- SHA-256 of content
);

-- The responses, partitioned by month of started_at. Partitions are made
-- on demand by the store (responses_yYYYYmMM) before a batch that needs one.
CREATE TABLE responses (
    started_at     timestamptz NOT NULL,
    id             text COLLATE "C" NOT NULL,
    device_id      text COLLATE "C" NOT NULL,
    survey_id      text COLLATE "C" NOT NULL,
    survey_version integer NOT NULL,
    service_point  text NOT NULL,
    status         text NOT NULL,
    event_tag      text NOT NULL,
    content        bytea NOT NULL,  -- protocol.Canonical encoding: compared and exported
    signature      bytea NOT NULL,
    received_at    timestamptz NOT NULL,
    PRIMARY KEY (started_at, id)    -- also the export's keyset order
) PARTITION BY RANGE (started_at);

-- The dashboard's and the export's filters, each with the keyset order.
CREATE INDEX responses_by_service_point ON responses (service_point, started_at, id);
CREATE INDEX responses_by_survey ON responses (survey_id, survey_version, started_at, id);
CREATE INDEX responses_by_device ON responses (device_id, started_at, id);
CREATE INDEX responses_by_event ON responses (event_tag, started_at, id) WHERE event_tag <> '';

-- Deliveries of a stored id with different content, once per distinct content.
CREATE TABLE conflicts (
    response_id  text COLLATE "C" NOT NULL,
    content_hash bytea NOT NULL,
    device_id    text NOT NULL,
    content      bytea NOT NULL,
    received_at  timestamptz NOT NULL,
    PRIMARY KEY (response_id, content_hash)
);
