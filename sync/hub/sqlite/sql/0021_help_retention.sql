-- Retention of staff notes on help requests (hub.PurgeRequest.HelpNotesBefore,
-- with the feedback texts' period): a purge blanks the note of a request
-- resolved before the cut, keeps its row, replaces content by its SHA-256
-- (hub.PurgedContent) and sets note_purged_at.
ALTER TABLE help_requests ADD COLUMN note_purged_at TEXT;
