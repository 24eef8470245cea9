-- Hub schema, version 1. Times are TEXT in protocol.TimeFormat
-- (UTC, milliseconds, "2026-11-25T03:04:05.123Z"), so they sort as text.

CREATE TABLE devices (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    service_point   TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    -- SHA-256 of the one-time enrollment code while the device is pending;
    -- NULL once claimed.
    code_hash       BLOB UNIQUE,
    code_expires_at TEXT NOT NULL,
    -- Set when the kiosk claims the device.
    public_key      BLOB,
    token_hash      BLOB UNIQUE,   -- SHA-256 of the bearer token; the token itself is never stored
    enrolled_at     TEXT,
    revoked_at      TEXT
) STRICT;

CREATE TABLE surveys (
    id           TEXT NOT NULL,
    version      INTEGER NOT NULL,
    definition   BLOB NOT NULL,     -- exactly as published
    published_at TEXT NOT NULL,
    PRIMARY KEY (id, version)
) STRICT;

-- One row per response id: the first content received stays.
CREATE TABLE responses (
    id             TEXT PRIMARY KEY,
    device_id      TEXT NOT NULL,
    survey_id      TEXT NOT NULL,
    survey_version INTEGER NOT NULL,
    started_at     TEXT NOT NULL,
    service_point  TEXT NOT NULL,
    status         TEXT NOT NULL,
    content        BLOB NOT NULL,   -- protocol.Canonical encoding: compared and exported
    signature      BLOB NOT NULL,   -- the device's Ed25519 signature over it
    received_at    TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX responses_by_start ON responses (started_at, id);

-- Deliveries of a stored id with different content, once per distinct content.
CREATE TABLE conflicts (
    response_id  TEXT NOT NULL,
    content_hash BLOB NOT NULL,     -- SHA-256 of content
    device_id    TEXT NOT NULL,
    content      BLOB NOT NULL,
    received_at  TEXT NOT NULL,
    PRIMARY KEY (response_id, content_hash)
) STRICT;
