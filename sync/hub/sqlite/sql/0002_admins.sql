-- Hub schema, version 2: dashboard administrators (`hailong-hub admin add`).
-- Names are NFC and trimmed (hub.AdminName), compared byte for byte, so
-- case matters. Only the bcrypt hash of a password is ever stored.

CREATE TABLE admins (
    name          TEXT PRIMARY KEY,
    password_hash BLOB NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;
