-- Hub schema, version 3: dashboard sessions and failed logins, kept in the
-- database (hub.Store.CreateSession) rather than in the hub's memory.

CREATE TABLE sessions (
    token_hash    BLOB PRIMARY KEY,  -- SHA-256 of the cookie's token
    admin         TEXT NOT NULL,
    password_hash BLOB NOT NULL,     -- the admin's hash at login
    csrf          TEXT NOT NULL,
    expires_at    TEXT NOT NULL
) STRICT;

CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE login_failures (
    key          TEXT PRIMARY KEY,   -- client address
    count        INTEGER NOT NULL,
    window_start TEXT NOT NULL
) STRICT;
