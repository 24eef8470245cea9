package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// purgeLock is the pg_advisory_xact_lock key a purge holds to its commit,
// so that the purges of every hub process follow one another.
const purgeLock = migrationLock + 4

// Purge implements hub.Store in one transaction. Months of responses
// wholly before the cut are emptied with TRUNCATE of their partition (the
// partition stays, so every process's cache of existing months stays
// true); the month the cut falls in loses its rows before the cut by
// DELETE, so the cut is exact to the instant.
func (s *Store) Purge(ctx context.Context, req hub.PurgeRequest) (hub.PurgeResult, error) {
	var res hub.PurgeResult
	// A purge locks each month it empties while ingests insert into
	// months in their batches' order: the server may abort one of them
	// as a deadlock, and the aborted one runs again.
	err := retrying(ctx, func() error {
		return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			var err error
			res, err = purge(ctx, tx, req)
			return err
		})
	})
	if err != nil {
		return hub.PurgeResult{}, fmt.Errorf("purge: %w", err)
	}
	return res, nil
}

func purge(ctx context.Context, tx pgx.Tx, req hub.PurgeRequest) (hub.PurgeResult, error) {
	var res hub.PurgeResult
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(purgeLock)); err != nil {
		return res, fmt.Errorf("take the lock: %w", err)
	}
	if req.ClaimDay != "" {
		tag, err := tx.Exec(ctx, `INSERT INTO purge_runs (day, at) VALUES ($1, $2) ON CONFLICT DO NOTHING`, req.ClaimDay, req.Entry.At.UTC())
		if err != nil {
			return res, fmt.Errorf("claim %s: %w", req.ClaimDay, err)
		}
		if tag.RowsAffected() == 0 {
			return res, fmt.Errorf("%s: %w", req.ClaimDay, hub.ErrPurgeClaimed)
		}
	}
	if !req.ResponsesBefore.IsZero() {
		n, err := purgeResponses(ctx, tx, req.ResponsesBefore.UTC())
		if err != nil {
			return res, err
		}
		res.Responses = n
	}
	if !req.ConflictsBefore.IsZero() {
		tag, err := tx.Exec(ctx, `DELETE FROM conflicts WHERE received_at < $1`, req.ConflictsBefore.UTC())
		if err != nil {
			return res, fmt.Errorf("conflicts: %w", err)
		}
		res.Conflicts = tag.RowsAffected()
	}
	if !req.FeedbackBefore.IsZero() {
		tag, err := tx.Exec(ctx, `UPDATE feedback SET text = '', sealed = NULL, content = sha256(content), text_purged_at = $2
			WHERE received_at < $1 AND text_purged_at IS NULL`, req.FeedbackBefore.UTC(), req.Entry.At.UTC())
		if err != nil {
			return res, fmt.Errorf("feedback: %w", err)
		}
		res.Feedback = tag.RowsAffected()
	}
	if !req.HelpNotesBefore.IsZero() {
		tag, err := tx.Exec(ctx, `UPDATE help_requests SET note = '', content = sha256(content), note_purged_at = $2
			WHERE resolved_at < $1 AND note <> '' AND note_purged_at IS NULL`, req.HelpNotesBefore.UTC(), req.Entry.At.UTC())
		if err != nil {
			return res, fmt.Errorf("help notes: %w", err)
		}
		res.HelpNotes = tag.RowsAffected()
	}
	// The audit lock now, before reading the checkpoint and the head: an
	// append of another process waits for the purge's commit.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(auditLock)); err != nil {
		return res, fmt.Errorf("take the audit lock: %w", err)
	}
	var err error
	if res.Checkpoint, err = auditCheckpoint(ctx, tx); err != nil {
		return res, err
	}
	moved := false
	if !req.AuditBefore.IsZero() {
		// Only a prefix of the chain can go: the entries before the first
		// one at or after the cut.
		var cp hub.AuditCheckpoint
		var hash []byte
		err := tx.QueryRow(ctx, `SELECT seq, hash FROM audit
			WHERE seq < coalesce((SELECT min(seq) FROM audit WHERE at >= $1), (SELECT max(seq) + 1 FROM audit))
			ORDER BY seq DESC LIMIT 1`, req.AuditBefore.UTC()).Scan(&cp.Seq, &hash)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return res, fmt.Errorf("audit cut: %w", err)
		default:
			copy(cp.Hash[:], hash)
			if _, err := tx.Exec(ctx, `INSERT INTO audit_checkpoint (one, seq, hash) VALUES (1, $1, $2)
				ON CONFLICT (one) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`, cp.Seq, cp.Hash[:]); err != nil {
				return res, fmt.Errorf("audit checkpoint: %w", err)
			}
			tag, err := tx.Exec(ctx, `DELETE FROM audit WHERE seq <= $1`, cp.Seq)
			if err != nil {
				return res, fmt.Errorf("audit entries: %w", err)
			}
			res.Audit, res.Checkpoint, moved = tag.RowsAffected(), &cp, true
		}
	}
	e := req.Entry
	e.Action = hub.AuditPurge
	e.Details = hub.PurgeDetails(req, res, moved).Encode()
	if res.Entry, err = appendAudit(ctx, tx, e); err != nil {
		return res, err
	}
	return res, nil
}

// purgeResponses removes the responses started before cut, keeping their
// ids and numbers in purged, and returns how many went.
func purgeResponses(ctx context.Context, tx pgx.Tx, cut time.Time) (int64, error) {
	rows, err := tx.Query(ctx, `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = 'responses'::regclass ORDER BY c.relname`)
	if err != nil {
		return 0, fmt.Errorf("list partitions: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return 0, fmt.Errorf("list partitions: %w", err)
	}
	var n int64
	for _, name := range names {
		var y, m int
		if _, err := fmt.Sscanf(name, "responses_y%04dm%02d", &y, &m); err != nil {
			continue
		}
		if time.Date(y, time.Month(m)+1, 1, 0, 0, 0, 0, time.UTC).After(cut) {
			continue // the month the cut falls in, or a later one
		}
		id := pgx.Identifier{name}.Sanitize()
		// Locked first, so that no row committed between the copy of the
		// ids and the TRUNCATE goes unrecorded.
		if _, err := tx.Exec(ctx, `LOCK TABLE `+id+` IN ACCESS EXCLUSIVE MODE`); err != nil {
			return 0, fmt.Errorf("lock %s: %w", name, err)
		}
		tag, err := tx.Exec(ctx, `INSERT INTO purged (id, device_id, seq, started_at) SELECT id, device_id, seq, started_at FROM `+id+` ON CONFLICT DO NOTHING`)
		if err != nil {
			return 0, fmt.Errorf("keep the purged ids of %s: %w", name, err)
		}
		if _, err := tx.Exec(ctx, `TRUNCATE `+id); err != nil {
			return 0, fmt.Errorf("truncate %s: %w", name, err)
		}
		n += tag.RowsAffected()
	}
	// One statement, one snapshot: every row deleted is recorded.
	tag, err := tx.Exec(ctx, `WITH gone AS (DELETE FROM responses WHERE started_at < $1 RETURNING id, device_id, seq, started_at)
		INSERT INTO purged (id, device_id, seq, started_at) SELECT id, device_id, seq, started_at FROM gone ON CONFLICT DO NOTHING`, cut)
	if err != nil {
		return 0, fmt.Errorf("responses: %w", err)
	}
	return n + tag.RowsAffected(), nil
}
