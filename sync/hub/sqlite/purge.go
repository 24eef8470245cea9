package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// Purge implements hub.Store in one IMMEDIATE transaction: SQLite's single
// writer already orders purges of every process sharing the file.
func (s *Store) Purge(ctx context.Context, req hub.PurgeRequest) (hub.PurgeResult, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return hub.PurgeResult{}, fmt.Errorf("purge: %w", err)
	}
	defer tx.Rollback()
	res, err := purge(ctx, tx, req)
	if err != nil {
		return hub.PurgeResult{}, fmt.Errorf("purge: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return hub.PurgeResult{}, fmt.Errorf("purge: commit: %w", err)
	}
	s.ck.committed()
	return res, nil
}

func purge(ctx context.Context, tx *sql.Tx, req hub.PurgeRequest) (hub.PurgeResult, error) {
	var res hub.PurgeResult
	if req.ClaimDay != "" {
		r, err := tx.ExecContext(ctx, `INSERT INTO purge_runs (day, at) VALUES (?, ?) ON CONFLICT DO NOTHING`, req.ClaimDay, timeText(req.Entry.At))
		if err != nil {
			return res, fmt.Errorf("claim %s: %w", req.ClaimDay, err)
		}
		if n, err := r.RowsAffected(); err != nil {
			return res, err
		} else if n == 0 {
			return res, fmt.Errorf("%s: %w", req.ClaimDay, hub.ErrPurgeClaimed)
		}
	}
	count := func(what, q string, args ...any) (int64, error) {
		r, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", what, err)
		}
		return r.RowsAffected()
	}
	var err error
	if !req.ResponsesBefore.IsZero() {
		cut := timeText(req.ResponsesBefore)
		if _, err = count("keep purged ids", `INSERT INTO purged (id, device_id, seq, started_at)
			SELECT id, device_id, seq, started_at FROM responses WHERE started_at < ?`, cut); err != nil {
			return res, err
		}
		if res.Responses, err = count("responses", `DELETE FROM responses WHERE started_at < ?`, cut); err != nil {
			return res, err
		}
	}
	if !req.ConflictsBefore.IsZero() {
		if res.Conflicts, err = count("conflicts", `DELETE FROM conflicts WHERE received_at < ?`, timeText(req.ConflictsBefore)); err != nil {
			return res, err
		}
	}
	if !req.FeedbackBefore.IsZero() {
		if res.Feedback, err = purgeFeedback(ctx, tx, req.FeedbackBefore, req.Entry.At); err != nil {
			return res, err
		}
	}
	if !req.HelpNotesBefore.IsZero() {
		if res.HelpNotes, err = purgeHelpNotes(ctx, tx, req.HelpNotesBefore, req.Entry.At); err != nil {
			return res, err
		}
	}
	if res.Checkpoint, err = auditCheckpoint(ctx, tx); err != nil {
		return res, err
	}
	moved := false
	if !req.AuditBefore.IsZero() {
		// Only a prefix of the chain can go: the entries before the first
		// one at or after the cut.
		var last sql.NullInt64
		var hash []byte
		err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit
			WHERE seq < coalesce((SELECT min(seq) FROM audit WHERE at >= ?), (SELECT max(seq) + 1 FROM audit))
			ORDER BY seq DESC LIMIT 1`, timeText(req.AuditBefore)).Scan(&last, &hash)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return res, fmt.Errorf("audit cut: %w", err)
		default:
			cp := &hub.AuditCheckpoint{Seq: last.Int64}
			copy(cp.Hash[:], hash)
			if _, err := tx.ExecContext(ctx, `INSERT INTO audit_checkpoint (one, seq, hash) VALUES (1, ?, ?)
				ON CONFLICT (one) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`, cp.Seq, cp.Hash[:]); err != nil {
				return res, fmt.Errorf("audit checkpoint: %w", err)
			}
			if res.Audit, err = count("audit entries", `DELETE FROM audit WHERE seq <= ?`, cp.Seq); err != nil {
				return res, err
			}
			res.Checkpoint, moved = cp, true
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

// purgeFeedback blanks the text and sealed box of the cases received
// before cut whose text is still kept, keeps what the device signed as its
// SHA-256, and returns how many changed.
func purgeFeedback(ctx context.Context, tx *sql.Tx, cut, at time.Time) (int64, error) {
	if at.IsZero() {
		at = time.Now()
	}
	todo, err := idContents(ctx, tx, `SELECT id, content FROM feedback WHERE received_at < ? AND text_purged_at IS NULL`, timeText(cut))
	if err != nil {
		return 0, fmt.Errorf("feedback: %w", err)
	}
	for _, r := range todo {
		if _, err := tx.ExecContext(ctx, `UPDATE feedback SET text = '', sealed = NULL, content = ?, text_purged_at = ? WHERE id = ?`,
			hub.PurgedContent(r.content), timeText(at), r.id); err != nil {
			return 0, fmt.Errorf("feedback %s: %w", r.id, err)
		}
	}
	return int64(len(todo)), nil
}

// purgeHelpNotes blanks the staff note of the help requests resolved
// before cut whose note is still kept, keeps what the device signed as its
// SHA-256, and returns how many changed.
func purgeHelpNotes(ctx context.Context, tx *sql.Tx, cut, at time.Time) (int64, error) {
	if at.IsZero() {
		at = time.Now()
	}
	todo, err := idContents(ctx, tx, `SELECT id, content FROM help_requests
		WHERE resolved_at < ? AND note <> '' AND note_purged_at IS NULL`, timeText(cut))
	if err != nil {
		return 0, fmt.Errorf("help notes: %w", err)
	}
	for _, r := range todo {
		if _, err := tx.ExecContext(ctx, `UPDATE help_requests SET note = '', content = ?, note_purged_at = ? WHERE id = ?`,
			hub.PurgedContent(r.content), timeText(at), r.id); err != nil {
			return 0, fmt.Errorf("help request %s: %w", r.id, err)
		}
	}
	return int64(len(todo)), nil
}

// idContent is a row's id and signed content, read before a purge
// rewrites the content.
type idContent struct {
	id      string
	content []byte
}

// idContents reads the (id, content) rows of query, all of them before
// any is rewritten (one statement at a time on the transaction).
func idContents(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]idContent, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []idContent
	for rows.Next() {
		var r idContent
		if err := rows.Scan(&r.id, &r.content); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
