package postgres

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/jackc/pgx/v5"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// auditLock is the pg_advisory_xact_lock key an audit append holds from
// reading the head to its commit, so that the appends of every hub process
// follow one another without gaps in Seq.
const auditLock = migrationLock + 3

// auditPage is how many audit entries AuditLog reads per query.
const auditPage = 500

// AppendAudit implements hub.Store.
func (s *Store) AppendAudit(ctx context.Context, e hub.AuditEntry) (hub.AuditEntry, error) {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		e, err = appendAudit(ctx, tx, e)
		return err
	})
	if err != nil {
		return hub.AuditEntry{}, fmt.Errorf("append audit entry: %w", err)
	}
	return e, nil
}

// appendAudit appends e in tx under auditLock, after the newest entry or,
// when a purge removed every entry, after the checkpoint.
func appendAudit(ctx context.Context, tx pgx.Tx, e hub.AuditEntry) (hub.AuditEntry, error) {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(auditLock)); err != nil {
		return e, fmt.Errorf("take the lock: %w", err)
	}
	var head *hub.AuditEntry
	h, err := scanAuditRow(tx.QueryRow(ctx, `SELECT seq, at, actor, action, addr, details, hash FROM audit ORDER BY seq DESC LIMIT 1`).Scan)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		cp, err := auditCheckpoint(ctx, tx)
		if err != nil {
			return e, err
		}
		if cp != nil {
			head = &hub.AuditEntry{Seq: cp.Seq, Hash: cp.Hash}
		}
	case err != nil:
		return e, fmt.Errorf("read head: %w", err)
	default:
		head = &h
	}
	e = hub.NextAuditEntry(head, e)
	if _, err := tx.Exec(ctx, `INSERT INTO audit (seq, at, actor, action, addr, details, hash) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		e.Seq, e.At.UTC(), e.Actor, e.Action, e.Addr, e.Details, e.Hash[:]); err != nil {
		return e, fmt.Errorf("entry %d: %w", e.Seq, err)
	}
	return e, nil
}

// rowQuerier is a pool or a transaction.
type rowQuerier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// auditCheckpoint reads the checkpoint, nil when none.
func auditCheckpoint(ctx context.Context, q rowQuerier) (*hub.AuditCheckpoint, error) {
	var cp hub.AuditCheckpoint
	var hash []byte
	err := q.QueryRow(ctx, `SELECT seq, hash FROM audit_checkpoint`).Scan(&cp.Seq, &hash)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("read the audit checkpoint: %w", err)
	case len(hash) != len(cp.Hash):
		return nil, fmt.Errorf("audit checkpoint: hash of %d bytes", len(hash))
	}
	copy(cp.Hash[:], hash)
	return &cp, nil
}

// AuditCheckpoint implements hub.Store, from the primary.
func (s *Store) AuditCheckpoint(ctx context.Context) (*hub.AuditCheckpoint, error) {
	return auditCheckpoint(ctx, s.pool)
}

// AuditLog implements hub.Store, from the primary.
func (s *Store) AuditLog(ctx context.Context) iter.Seq2[hub.AuditEntry, error] {
	return func(yield func(hub.AuditEntry, error) bool) {
		after := int64(0)
		for {
			rows, err := s.pool.Query(ctx, `SELECT seq, at, actor, action, addr, details, hash FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2`, after, auditPage)
			if err != nil {
				yield(hub.AuditEntry{}, fmt.Errorf("read audit log: %w", err))
				return
			}
			var page []hub.AuditEntry
			for rows.Next() {
				e, err := scanAuditRow(rows.Scan)
				if err != nil {
					rows.Close()
					yield(hub.AuditEntry{}, fmt.Errorf("read audit log: %w", err))
					return
				}
				page = append(page, e)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				yield(hub.AuditEntry{}, fmt.Errorf("read audit log: %w", err))
				return
			}
			for _, e := range page {
				after = e.Seq
				if !yield(e, nil) {
					return
				}
			}
			if len(page) < auditPage {
				return
			}
		}
	}
}

// scanAuditRow scans seq, at, actor, action, addr, details, hash.
func scanAuditRow(scan func(...any) error) (hub.AuditEntry, error) {
	var e hub.AuditEntry
	var hash []byte
	if err := scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.Addr, &e.Details, &hash); err != nil {
		return hub.AuditEntry{}, err
	}
	if len(hash) != len(e.Hash) {
		return hub.AuditEntry{}, fmt.Errorf("audit entry %d: hash of %d bytes", e.Seq, len(hash))
	}
	copy(e.Hash[:], hash)
	e.At = e.At.UTC()
	return e, nil
}
