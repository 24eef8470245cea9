-- Rating slips (hub.Slip, docs/slips.md), as the SQLite store's sql/0011.

-- The hub's own keys, by name; one row, 'slip': the Ed25519 key that signs
-- rating slips (hub.Store.SlipKey). The first hub to need it stores it.
CREATE TABLE hub_keys (
    name        text COLLATE "C" PRIMARY KEY,
    private_key bytea NOT NULL,      -- ed25519.PrivateKey (seed and public half)
    created_at  timestamptz NOT NULL
);

-- Every slip printed. A code is used at most once: used_by is set by the
-- first accepted response that carried it, never changed after.
CREATE TABLE slips (
    code          text COLLATE "C" PRIMARY KEY,  -- compact, 10 symbols
    service_point text NOT NULL,
    batch_id      text COLLATE "C" NOT NULL,
    printed_at    timestamptz NOT NULL,
    used_by       text COLLATE "C",               -- response id, NULL while unused
    used_at       timestamptz,
    used_device   text COLLATE "C"
);
CREATE INDEX slips_batch ON slips (batch_id);

-- The slip each stored response carried, and what the hub found of it
-- (hub.SlipStatus). Responses without a slip have no row; a purge leaves
-- these rows (a code and a status, no answers).
CREATE TABLE response_slips (
    response_id text COLLATE "C" PRIMARY KEY,
    slip        text COLLATE "C" NOT NULL,
    slip_status text NOT NULL CHECK (slip_status IN ('first', 'unknown', 'reused'))
);
