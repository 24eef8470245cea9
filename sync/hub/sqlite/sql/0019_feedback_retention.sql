-- Retention of feedback texts (issue #12, hub.Retention.Feedback): a purge
-- blanks a case's text and sealed box, keeps its row, replaces content
-- by its SHA-256 (hub.PurgedContent) and sets text_purged_at. The table
-- has no CHECK on text and sealed, so adding the column needs no rebuild.
ALTER TABLE feedback ADD COLUMN text_purged_at TEXT;
