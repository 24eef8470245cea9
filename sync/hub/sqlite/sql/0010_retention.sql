-- Hub schema, version 10: retention (hub.Store.Purge, docs/retention.md).

-- What stays of a purged response: its id, so that a delivery again is
-- answered Duplicate or Conflict against its chain entry's digest (the
-- trigger below skips re-inserting it), and its device's number, so that
-- Gaps does not report it missing. No answers, no comment.
CREATE TABLE purged (
    id         TEXT PRIMARY KEY,
    device_id  TEXT NOT NULL,
    seq        INTEGER,            -- NULL for version 1 items
    started_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX purged_device_seq ON purged (device_id, seq) WHERE seq IS NOT NULL;

CREATE TRIGGER responses_not_purged BEFORE INSERT ON responses
WHEN EXISTS (SELECT 1 FROM purged WHERE id = NEW.id)
BEGIN SELECT RAISE(IGNORE); END;

-- The audit log's checkpoint: the last entry a purge removed (one row at
-- most). Entries up to it may be deleted, by a purge only; later ones not.
CREATE TABLE audit_checkpoint (
    one  INTEGER PRIMARY KEY CHECK (one = 1),
    seq  INTEGER NOT NULL,
    hash BLOB NOT NULL
) STRICT;

DROP TRIGGER audit_no_delete;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
WHEN OLD.seq > coalesce((SELECT seq FROM audit_checkpoint), 0)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- The days whose scheduled purge ran (hub.PurgeRequest.ClaimDay).
CREATE TABLE purge_runs (
    day TEXT PRIMARY KEY,
    at  TEXT NOT NULL
) STRICT;
