package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// The outbox: every saved response starts pending; the uploader sends
// pending ones to the hub and records the hub's answer per item. Sync state
// lives only here, never in survey.Response.

// Sync states of a stored response.
const (
	statePending  = "pending"
	stateSynced   = "synced"
	stateRejected = "rejected"
)

// SyncStats counts responses by sync state.
type SyncStats struct {
	Pending, Synced, Rejected int
}

// Rejected is a response the hub refused, kept for the admin to see.
type Rejected struct {
	// ID is the response's id.
	ID string
	// Reason is the hub's reason.
	Reason string
	// At is when the rejection was recorded.
	At time.Time
}

// Pending returns up to limit pending responses, oldest (by StartedAt, then
// ID) first. Rejected responses are not pending and are never returned.
func (s *Store) Pending(ctx context.Context, limit int) ([]*survey.Response, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("pending responses: %w: limit %d, want 1 or more", ErrInvalid, limit)
	}
	rows, err := s.r.QueryContext(ctx, "SELECT "+responseColumns+
		" FROM responses WHERE sync_state = 'pending' ORDER BY started_at, id LIMIT ?", limit)
	if err != nil {
		return nil, wrap("pending responses", err)
	}
	defer rows.Close()
	var out []*survey.Response
	for rows.Next() {
		r, err := scanResponse(rows)
		if err != nil {
			return nil, wrap("pending responses", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("pending responses", err)
	}
	return out, nil
}

// MarkSynced records that the hub holds the responses with these ids
// (accepted or duplicate). It is idempotent: ids already synced stay synced
// with their first time. A rejected id the hub later accepted becomes synced.
// If any id is not stored, nothing changes and the error wraps ErrNotFound.
func (s *Store) MarkSynced(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	now := formatTime(s.now())
	return s.write(ctx, fmt.Sprintf("mark %d responses synced", len(ids)), func(tx *sql.Tx) error {
		var missing []string
		for _, id := range ids {
			res, err := tx.ExecContext(ctx, `UPDATE responses SET sync_state = 'synced', sync_reason = '', synced_at = ?
				WHERE id = ? AND sync_state <> 'synced'`, now, id)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			if n == 1 {
				continue
			}
			var one int
			err = tx.QueryRowContext(ctx, "SELECT 1 FROM responses WHERE id = ?", id).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				missing = append(missing, id)
			} else if err != nil {
				return err
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("%w: no stored response with id %s", ErrNotFound, strings.Join(missing, ", "))
		}
		return nil
	})
}

// MarkRejected records that the hub refused the response, with its reason
// (NFC-normalised). The response leaves the outbox and is listed by
// RejectedItems. Rejecting it again updates the reason. A synced response
// cannot be rejected (ErrConflict); an unknown id gives ErrNotFound.
func (s *Store) MarkRejected(ctx context.Context, id, reason string) error {
	now := formatTime(s.now())
	reason = norm.NFC.String(reason)
	return s.write(ctx, "mark response "+id+" rejected", func(tx *sql.Tx) error {
		var state string
		err := tx.QueryRowContext(ctx, "SELECT sync_state FROM responses WHERE id = ?", id).Scan(&state)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if state == stateSynced {
			return fmt.Errorf("%w: the response is already synced", ErrConflict)
		}
		_, err = tx.ExecContext(ctx, `UPDATE responses SET sync_state = 'rejected', sync_reason = ?, synced_at = ?
			WHERE id = ?`, reason, now, id)
		return err
	})
}

// SyncStats counts responses by sync state, from one snapshot.
func (s *Store) SyncStats(ctx context.Context) (SyncStats, error) {
	var st SyncStats
	err := s.r.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM responses WHERE sync_state = 'pending'),
		(SELECT count(*) FROM responses WHERE sync_state = 'synced'),
		(SELECT count(*) FROM responses WHERE sync_state = 'rejected')`).Scan(&st.Pending, &st.Synced, &st.Rejected)
	if err != nil {
		return SyncStats{}, wrap("sync stats", err)
	}
	return st, nil
}

// RejectedItems lists the rejected responses, most recently rejected first.
func (s *Store) RejectedItems(ctx context.Context) ([]Rejected, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, sync_reason, synced_at FROM responses
		WHERE sync_state = 'rejected' ORDER BY synced_at DESC, id`)
	if err != nil {
		return nil, wrap("rejected responses", err)
	}
	defer rows.Close()
	var out []Rejected
	for rows.Next() {
		var it Rejected
		var at string
		if err := rows.Scan(&it.ID, &it.Reason, &at); err != nil {
			return nil, wrap("rejected responses", err)
		}
		if it.At, err = parseTime(at); err != nil {
			return nil, wrap("rejected responses", err)
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("rejected responses", err)
	}
	return out, nil
}
