-- 0008_help: citizens' requests for staff help with the online
-- public-service portal (issue #11).
--
-- A request is raised by a "yes" to a survey's help question or by the
-- welcome screen's button, and stays open (outcome '') until staff record
-- how it ended. Nothing here identifies the citizen: where, when, from
-- what, and the outcome, a reason code and a short note (digits masked).
-- The hub gets each request in its current state (protocol.PathHelp):
-- open_synced_at is set once it holds the open state, synced_at once it
-- holds the resolved one; a request resolved before any sync is sent
-- once, resolved. rejected holds the hub's reason for a state it refused
-- for good.
CREATE TABLE help_requests (
	id             TEXT NOT NULL PRIMARY KEY,
	source         TEXT NOT NULL,
	lang           TEXT NOT NULL,
	service_point  TEXT NOT NULL,
	device_id      TEXT NOT NULL,
	created_at     TEXT NOT NULL,
	outcome        TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'helped_online', 'not_possible')),
	reason         TEXT NOT NULL DEFAULT '',
	note           TEXT NOT NULL DEFAULT '',
	resolved_at    TEXT,
	open_synced_at TEXT,
	synced_at      TEXT,
	rejected       TEXT NOT NULL DEFAULT '',
	CHECK ((outcome = '') = (resolved_at IS NULL)),
	CHECK (synced_at IS NULL OR outcome <> '')
) STRICT;
CREATE INDEX help_requests_open ON help_requests (created_at) WHERE outcome = '';
CREATE INDEX help_requests_pending ON help_requests (created_at) WHERE synced_at IS NULL AND rejected = '';
