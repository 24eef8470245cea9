-- 0006_slips: rating slips (issue #15: one rating per visit).
--
-- responses.slip is the compact code of the slip a response was given with
-- ('' for none); it is part of the signed content (protocol version 3).
--
-- used_slips holds every slip this kiosk has taken, with the response that
-- took it, written in the same transaction as that response. It outlives the
-- response (retention may purge responses; a slip is never good again), so a
-- slip reused at this kiosk is refused whatever was purged.
ALTER TABLE responses ADD COLUMN slip TEXT NOT NULL DEFAULT '';

CREATE TABLE used_slips (
	code        TEXT NOT NULL PRIMARY KEY CHECK (length(code) = 10),
	response_id TEXT NOT NULL,
	used_at     TEXT NOT NULL
) STRICT, WITHOUT ROWID;
