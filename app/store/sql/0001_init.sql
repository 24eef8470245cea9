-- 0001_init: responses with their outbox state, settings, survey definitions.
--
-- Times are UTC text in one fixed-width form, 2006-01-02T15:04:05.000000000Z
-- (nanoseconds always present), so that text order is time order, ranges use
-- the indexes, and SQLite's date functions read them.
--
-- Every index on responses costs a page write on every save, so there are
-- few: the outbox and LastResponse use the bookmarks in meta instead of
-- indexes of their own (see outbox.go and response.go).

CREATE TABLE responses (
	seq            INTEGER PRIMARY KEY,            -- save order; rows are never deleted, so seq is never reused
	id             TEXT    NOT NULL UNIQUE,        -- UUID (version 7), canonical lower-case form
	survey_id      TEXT    NOT NULL CHECK (survey_id <> ''),
	survey_version INTEGER NOT NULL CHECK (survey_version >= 1),
	answers        TEXT    NOT NULL CHECK (json_valid(answers)), -- {"question code": ["answer code", ...]}
	started_at     TEXT    NOT NULL,
	finished_at    TEXT    NOT NULL CHECK (finished_at >= started_at),
	duration_ms    INTEGER NOT NULL CHECK (duration_ms >= 0),
	service_point  TEXT    NOT NULL,
	device_id      TEXT    NOT NULL,
	lang           TEXT    NOT NULL,
	status         TEXT    NOT NULL CHECK (status IN ('complete', 'abandoned')),
	misuse         INTEGER NOT NULL CHECK (misuse IN (0, 1)),
	misuse_reason  TEXT    NOT NULL,
	event_tag      TEXT    NOT NULL,
	assisted       INTEGER NOT NULL CHECK (assisted IN (0, 1)),
	content_hash   TEXT    NOT NULL,               -- SHA-256 of the canonical content; decides idempotent re-saves
	saved_at       TEXT    NOT NULL,
	sync_state     TEXT    NOT NULL DEFAULT 'pending' CHECK (sync_state IN ('pending', 'synced', 'rejected')),
	sync_reason    TEXT    NOT NULL DEFAULT '',    -- the hub's reason for a rejection
	synced_at      TEXT                            -- when the hub's answer (accepted or rejected) was recorded
) STRICT;

-- Export and listing: date ranges on started_at, ordered by (started_at, id).
CREATE INDEX responses_started ON responses (started_at, id);
-- Small partial indexes for the admin's counters and the rejected list;
-- a save writes to them only when the row matches.
CREATE INDEX responses_rejected ON responses (synced_at) WHERE sync_state = 'rejected';
CREATE INDEX responses_abandoned ON responses (started_at) WHERE status = 'abandoned';
CREATE INDEX responses_misuse ON responses (started_at) WHERE misuse = 1;

-- Bookmarks the store maintains in the same transactions as the rows:
--   outbox_from      no response with seq < outbox_from is pending (the
--                    outbox scan starts here and skips at most the rows
--                    synced out of order);
--   max_duration_ns  no stored response has finished_at - started_at larger
--                    (bounds LastResponse's search to recent starts).
CREATE TABLE meta (
	key   TEXT    NOT NULL PRIMARY KEY,
	value INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('outbox_from', 1), ('max_duration_ns', 0);

CREATE TABLE settings (
	key   TEXT NOT NULL PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

-- Survey definitions pulled from the hub, raw JSON as published.
-- A published (id, version) never changes.
CREATE TABLE surveys (
	id       TEXT    NOT NULL CHECK (id <> ''),
	version  INTEGER NOT NULL CHECK (version >= 1),
	raw      BLOB    NOT NULL,
	saved_at TEXT    NOT NULL,
	PRIMARY KEY (id, version)
) STRICT;
