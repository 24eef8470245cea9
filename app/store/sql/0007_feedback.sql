-- 0007_feedback: citizens' feedback cases (issue #11, phản ánh, kiến nghị).
--
-- A case is not a response: it is kept apart, out of the kiosk's exports
-- and figures, and synced to the hub on its own path (protocol.PathFeedback).
-- A misconduct case (category 'nhung_nhieu') is sealed to the hub's
-- inspection key before it is written: its text is '' and sealed holds the
-- box, which this kiosk cannot open. Nothing here identifies the citizen.
-- synced_at is set once the hub holds the case; rejected holds the hub's
-- reason for a case it refused for good.
CREATE TABLE feedback (
	id            TEXT NOT NULL PRIMARY KEY,
	code          TEXT NOT NULL UNIQUE CHECK (length(code) = 8),
	category      TEXT NOT NULL,
	text          TEXT NOT NULL,
	sealed        BLOB,
	source        TEXT NOT NULL,
	lang          TEXT NOT NULL,
	service_point TEXT NOT NULL,
	device_id     TEXT NOT NULL,
	created_at    TEXT NOT NULL,
	synced_at     TEXT,
	rejected      TEXT NOT NULL DEFAULT '',
	CHECK ((category = 'nhung_nhieu') = (sealed IS NOT NULL AND text = ''))
) STRICT;
CREATE INDEX feedback_pending ON feedback (created_at) WHERE synced_at IS NULL AND rejected = '';
