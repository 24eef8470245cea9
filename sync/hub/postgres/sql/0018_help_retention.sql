-- Retention of staff notes on help requests, as the SQLite store's
-- sql/0021: a purge blanks the note of a request resolved before the cut,
-- keeps its row, replaces content by its SHA-256 and sets note_purged_at.
ALTER TABLE help_requests ADD COLUMN note_purged_at timestamptz;
