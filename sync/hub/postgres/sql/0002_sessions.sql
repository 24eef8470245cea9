-- Hub schema for PostgreSQL, version 2: dashboard sessions and failed
-- logins, shared by every hub process (hub.Store.CreateSession).

CREATE TABLE sessions (
    token_hash    bytea PRIMARY KEY,  -- SHA-256 of the cookie's token
    admin         text NOT NULL,
    password_hash bytea NOT NULL,     -- the admin's hash at login
    csrf          text NOT NULL,
    expires_at    timestamptz NOT NULL
);

CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE login_failures (
    key          text PRIMARY KEY,    -- client address
    count        integer NOT NULL,
    window_start timestamptz NOT NULL
);
