-- The acceptance chain (hub.ChainEntry, docs/receipts.md) and protocol
-- version 2's sequence numbers and device marks, as the SQLite store's
-- sql/0003 and 0004. A database reaching this step has no responses yet
-- that need chain entries only if it is new; otherwise the store's Open
-- gives the responses stored before it their entries (backfillChain).

CREATE TABLE chain (
    seq         bigint PRIMARY KEY,     -- 1, 2, 3, ... without gaps
    response_id text COLLATE "C" NOT NULL UNIQUE,
    digest      bytea NOT NULL,         -- SHA-256 of the content accepted
    receipt     text COLLATE "C" NOT NULL, -- protocol.ReceiptFor of it, bare characters
    accepted_at timestamptz NOT NULL,   -- never earlier than the previous row's
    day         text COLLATE "C" NOT NULL, -- hub.ChainDay(accepted_at), Asia/Ho_Chi_Minh
    hash        bytea NOT NULL          -- hub.ChainHash(previous hash, digest, accepted_at)
);
CREATE INDEX chain_by_receipt ON chain (receipt);
CREATE INDEX chain_by_day ON chain (day, seq);

CREATE FUNCTION chain_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the acceptance chain is append-only'; END $$;
CREATE TRIGGER chain_append_only_update BEFORE UPDATE ON chain
    FOR EACH ROW EXECUTE FUNCTION chain_append_only();
CREATE TRIGGER chain_append_only_delete BEFORE DELETE ON chain
    FOR EACH ROW EXECUTE FUNCTION chain_append_only();

ALTER TABLE responses ADD COLUMN seq bigint; -- NULL for version 1 items
CREATE INDEX responses_device_seq ON responses (device_id, seq) WHERE seq IS NOT NULL;

CREATE TABLE device_marks (
    device_id   text COLLATE "C" PRIMARY KEY,
    from_seq    bigint NOT NULL CHECK (from_seq >= 1 AND from_seq <= seq),
    seq         bigint NOT NULL CHECK (seq >= 1),
    signed_at   timestamptz NOT NULL,  -- the device's time in the mark
    signature   bytea NOT NULL,
    received_at timestamptz NOT NULL
);
