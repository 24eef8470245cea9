-- Retention of feedback texts (issue #12, hub.Retention.Feedback), as the
-- SQLite store's sql/0019: a purge blanks a case's text and sealed box,
-- keeps its row, replaces content by its SHA-256 (hub.PurgedContent) and
-- sets text_purged_at. A purged case holds no text.
ALTER TABLE feedback ADD COLUMN text_purged_at timestamptz;
ALTER TABLE feedback ADD CONSTRAINT feedback_purged_check
    CHECK (text_purged_at IS NULL OR (text = '' AND sealed IS NULL));
