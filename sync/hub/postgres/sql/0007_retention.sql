-- Retention (hub.Store.Purge, docs/retention.md), as the SQLite store's
-- sql/0010. A purged response's id stays in response_ids (with its digest,
-- so a delivery again is answered Duplicate or Conflict); its device's
-- number stays in purged, so that Gaps does not report it missing.

CREATE TABLE purged (
    id         text COLLATE "C" PRIMARY KEY,
    device_id  text COLLATE "C" NOT NULL,
    seq        bigint,                 -- NULL for version 1 items
    started_at timestamptz NOT NULL
);
CREATE INDEX purged_device_seq ON purged (device_id, seq) WHERE seq IS NOT NULL;

-- The audit log's checkpoint: the last entry a purge removed (one row at
-- most). Entries up to it may be deleted, by a purge only; later ones not.
CREATE TABLE audit_checkpoint (
    one  integer PRIMARY KEY CHECK (one = 1),
    seq  bigint NOT NULL,
    hash bytea NOT NULL
);

CREATE FUNCTION audit_delete_to_checkpoint() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.seq > coalesce((SELECT seq FROM audit_checkpoint), 0) THEN
        RAISE EXCEPTION 'the audit log is append-only';
    END IF;
    RETURN OLD;
END $$;
DROP TRIGGER audit_no_delete ON audit;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_delete_to_checkpoint();

-- The days whose scheduled purge ran (hub.PurgeRequest.ClaimDay).
CREATE TABLE purge_runs (
    day text COLLATE "C" PRIMARY KEY,
    at  timestamptz NOT NULL
);
