-- A response is saved by one INSERT statement, so what used to be written
-- beside the row in the same transaction is kept by triggers, for every
-- writer alike.

-- Device sequence numbers: a new row's number is one above the greater of
-- the newest row's number and meta.device_seq_floor. Every deleted numbered
-- row raises the floor to its number, whoever deletes it (the store's
-- retention, or anyone with the file and an SQLite tool), so a number is
-- never handed out again and the hub sees the gap. The old counter was the
-- high-water mark, so it is the floor to start from.
UPDATE meta SET key = 'device_seq_floor' WHERE key = 'device_seq';
CREATE TRIGGER responses_deleted AFTER DELETE ON responses
WHEN OLD.device_seq IS NOT NULL
BEGIN
	UPDATE meta SET value = OLD.device_seq WHERE key = 'device_seq_floor' AND value < OLD.device_seq;
END;

-- The longest duration, now in the row's own unit: no stored response lasted
-- meta.max_duration_ms + 1 milliseconds or longer.
DELETE FROM meta WHERE key = 'max_duration_ns';
INSERT INTO meta (key, value) SELECT 'max_duration_ms', coalesce(max(duration_ms), 0) FROM responses;
CREATE TRIGGER responses_max_duration AFTER INSERT ON responses
BEGIN
	UPDATE meta SET value = NEW.duration_ms WHERE key = 'max_duration_ms' AND value < NEW.duration_ms;
END;

-- Rating slips: a new row with a slip takes it in used_slips; a slip taken
-- before fails the INSERT on used_slips' primary key, and nothing is written.
CREATE TRIGGER responses_slip AFTER INSERT ON responses
WHEN NEW.slip <> ''
BEGIN
	INSERT INTO used_slips (code, response_id, used_at) VALUES (NEW.slip, NEW.id, NEW.saved_at);
END;
