-- Hub schema, version 3: the acceptance chain (hub.ChainEntry,
-- docs/receipts.md). One row per accepted response, written in the
-- transaction that accepts it; rows are never changed or removed. Responses
-- accepted before this step get their entries when it runs, in order of
-- received_at then id (backfillChain in chain.go).

CREATE TABLE chain (
    seq         INTEGER PRIMARY KEY,    -- 1, 2, 3, ... without gaps
    response_id TEXT NOT NULL UNIQUE,
    digest      BLOB NOT NULL,          -- SHA-256 of the content accepted
    receipt     TEXT NOT NULL,          -- protocol.ReceiptFor of it, bare characters
    accepted_at TEXT NOT NULL,          -- never earlier than the previous row's
    day         TEXT NOT NULL,          -- hub.ChainDay(accepted_at), Asia/Ho_Chi_Minh
    hash        BLOB NOT NULL           -- hub.ChainHash(previous hash, digest, accepted_at)
) STRICT;

CREATE INDEX chain_by_receipt ON chain (receipt);
CREATE INDEX chain_by_day ON chain (day, seq);

CREATE TRIGGER chain_append_only_update BEFORE UPDATE ON chain
BEGIN SELECT RAISE(ABORT, 'the acceptance chain is append-only'); END;
CREATE TRIGGER chain_append_only_delete BEFORE DELETE ON chain
BEGIN SELECT RAISE(ABORT, 'the acceptance chain is append-only'); END;
