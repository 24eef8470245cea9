package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// auditPage is how many audit entries AuditLog reads per query.
const auditPage = 500

// AppendAudit implements hub.Store.
func (s *Store) AppendAudit(ctx context.Context, e hub.AuditEntry) (hub.AuditEntry, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return hub.AuditEntry{}, fmt.Errorf("append audit entry: %w", err)
	}
	defer tx.Rollback()
	if e, err = appendAudit(ctx, tx, e); err != nil {
		return hub.AuditEntry{}, err
	}
	if err := tx.Commit(); err != nil {
		return hub.AuditEntry{}, fmt.Errorf("append audit entry %d: %w", e.Seq, err)
	}
	return e, nil
}

// appendAudit appends e after the head in tx: the newest entry, or the
// checkpoint when a purge removed every entry.
func appendAudit(ctx context.Context, tx *sql.Tx, e hub.AuditEntry) (hub.AuditEntry, error) {
	var head *hub.AuditEntry
	rows, err := tx.QueryContext(ctx, `SELECT seq, at, actor, action, addr, details, hash FROM audit ORDER BY seq DESC LIMIT 1`)
	if err != nil {
		return hub.AuditEntry{}, fmt.Errorf("append audit entry: read head: %w", err)
	}
	for e, err := range scanAudit(rows) {
		if err != nil {
			return hub.AuditEntry{}, fmt.Errorf("append audit entry: read head: %w", err)
		}
		head = &e
	}
	if head == nil {
		cp, err := auditCheckpoint(ctx, tx)
		if err != nil {
			return hub.AuditEntry{}, fmt.Errorf("append audit entry: %w", err)
		}
		if cp != nil {
			head = &hub.AuditEntry{Seq: cp.Seq, Hash: cp.Hash}
		}
	}
	e = hub.NextAuditEntry(head, e)
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit (seq, at, actor, action, addr, details, hash) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, timeText(e.At), e.Actor, e.Action, e.Addr, e.Details, e.Hash[:]); err != nil {
		return hub.AuditEntry{}, fmt.Errorf("append audit entry %d: %w", e.Seq, err)
	}
	return e, nil
}

// auditCheckpoint reads the checkpoint, nil when none.
func auditCheckpoint(ctx context.Context, q querier) (*hub.AuditCheckpoint, error) {
	var cp hub.AuditCheckpoint
	var hash []byte
	err := q.QueryRowContext(ctx, `SELECT seq, hash FROM audit_checkpoint`).Scan(&cp.Seq, &hash)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("read the audit checkpoint: %w", err)
	case len(hash) != len(cp.Hash):
		return nil, fmt.Errorf("audit checkpoint: hash of %d bytes", len(hash))
	}
	copy(cp.Hash[:], hash)
	return &cp, nil
}

// AuditCheckpoint implements hub.Store.
func (s *Store) AuditCheckpoint(ctx context.Context) (*hub.AuditCheckpoint, error) {
	return auditCheckpoint(ctx, s.r)
}

// AuditLog implements hub.Store.
func (s *Store) AuditLog(ctx context.Context) iter.Seq2[hub.AuditEntry, error] {
	return func(yield func(hub.AuditEntry, error) bool) {
		after := int64(0)
		for {
			rows, err := s.r.QueryContext(ctx, `SELECT seq, at, actor, action, addr, details, hash FROM audit WHERE seq > ? ORDER BY seq LIMIT ?`, after, auditPage)
			if err != nil {
				yield(hub.AuditEntry{}, fmt.Errorf("read audit log: %w", err))
				return
			}
			n := 0
			for e, err := range scanAudit(rows) {
				if err != nil {
					yield(hub.AuditEntry{}, fmt.Errorf("read audit log: %w", err))
					return
				}
				n++
				after = e.Seq
				if !yield(e, nil) {
					return
				}
			}
			if n < auditPage {
				return
			}
		}
	}
}

// scanAudit reads audit rows to their end and closes them.
func scanAudit(rows *sql.Rows) iter.Seq2[hub.AuditEntry, error] {
	return func(yield func(hub.AuditEntry, error) bool) {
		defer rows.Close()
		for rows.Next() {
			var e hub.AuditEntry
			var at sql.NullString
			var hash []byte
			err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Addr, &e.Details, &hash)
			if err == nil {
				e.At, err = parseTime(at)
			}
			if err == nil && len(hash) != len(e.Hash) {
				err = fmt.Errorf("audit entry %d: hash of %d bytes", e.Seq, len(hash))
			}
			if err != nil {
				yield(hub.AuditEntry{}, err)
				return
			}
			copy(e.Hash[:], hash)
			if !yield(e, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(hub.AuditEntry{}, err)
		}
	}
}
