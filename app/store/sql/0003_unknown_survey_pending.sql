-- 0003_unknown_survey_pending: a hub that does not know a response's survey
-- version ("unknown_survey") answers "not yet", not "never": the survey may
-- be published there later. Such responses stay pending, with the hub's
-- reason kept in sync_reason (outbox.go, MarkWaiting), and are sent again
-- after a survey pull. Rows that earlier versions marked rejected for that
-- reason become pending again, to be sent at the next sync; the outbox
-- bookmark moves back to the oldest of them.
UPDATE responses SET sync_state = 'pending', sync_reason = '', synced_at = NULL
	WHERE sync_state = 'rejected' AND (sync_reason = 'unknown_survey' OR sync_reason LIKE 'unknown\_survey:%' ESCAPE '\');
UPDATE meta SET value = min(value, coalesce(
		(SELECT min(seq) FROM responses WHERE sync_state = 'pending'), value))
	WHERE key = 'outbox_from';
