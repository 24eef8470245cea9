-- Hub schema, version 11: rating slips (hub.Slip, docs/slips.md).

-- The hub's own keys, by name; one row, 'slip': the Ed25519 key that signs
-- rating slips (hub.Store.SlipKey). The first hub to need it stores it.
CREATE TABLE hub_keys (
    name        TEXT PRIMARY KEY,
    private_key BLOB NOT NULL,    -- ed25519.PrivateKey (seed and public half)
    created_at  TEXT NOT NULL
) STRICT;

-- Every slip printed. A code is used at most once: used_by is set by the
-- first accepted response that carried it, never changed after.
CREATE TABLE slips (
    code          TEXT PRIMARY KEY,   -- compact, 10 symbols (slip.Code.Compact)
    service_point TEXT NOT NULL,
    batch_id      TEXT NOT NULL,
    printed_at    TEXT NOT NULL,
    used_by       TEXT,               -- response id, NULL while unused
    used_at       TEXT,
    used_device   TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX slips_batch ON slips (batch_id);

-- The slip each stored response carried, and what the hub found of it
-- (hub.SlipStatus: first, unknown, reused). Responses without a slip have
-- no row. A purge leaves these rows (a code and a status, no answers).
CREATE TABLE response_slips (
    response_id TEXT PRIMARY KEY,
    slip        TEXT NOT NULL,
    slip_status TEXT NOT NULL CHECK (slip_status IN ('first', 'unknown', 'reused'))
) STRICT, WITHOUT ROWID;
