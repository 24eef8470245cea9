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
//
// Pending responses are found without an index of their own (it would cost a
// page write per save): responses are numbered in save order (seq), and the
// bookmark meta.outbox_from says below which number none is pending. Every
// change of sync state moves the bookmark up in the same transaction, so the
// outbox scan starts at the oldest pending response.

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

// pendingFrom is the condition that selects pending responses from the
// bookmark on.
const pendingFrom = `seq >= (SELECT value FROM meta WHERE key = 'outbox_from') AND sync_state = 'pending'`

// Pending returns up to limit pending responses, oldest (first saved)
// first. Rejected responses are not pending and are never returned.
func (s *Store) Pending(ctx context.Context, limit int) ([]*survey.Response, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("pending responses: %w: limit %d, want 1 or more", ErrInvalid, limit)
	}
	rows, err := s.r.QueryContext(ctx, "SELECT "+responseColumns+
		" FROM responses WHERE "+pendingFrom+" ORDER BY seq LIMIT ?", limit)
	if err != nil {
		return nil, wrap("pending responses", err)
	}
	defer rows.Close()
	var out []*survey.Response
	var rr rowReader
	for rows.Next() {
		r, err := scanResponse(rows, &rr)
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
		return advanceOutbox(ctx, tx)
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
		if _, err := tx.ExecContext(ctx, `UPDATE responses SET sync_state = 'rejected', sync_reason = ?, synced_at = ?
			WHERE id = ?`, reason, now, id); err != nil {
			return err
		}
		return advanceOutbox(ctx, tx)
	})
}

// advanceOutbox moves the outbox bookmark to the oldest pending response,
// or past the newest response when none is pending. The scan starts at the
// old bookmark, so over time each row is passed once.
func advanceOutbox(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE meta SET value = coalesce(
			(SELECT seq FROM responses WHERE `+pendingFrom+` ORDER BY seq LIMIT 1),
			(SELECT coalesce(max(seq), 0) + 1 FROM responses))
		WHERE key = 'outbox_from'`)
	if err != nil {
		return fmt.Errorf("advance outbox: %w", err)
	}
	return nil
}

// SyncStats counts responses by sync state, from one snapshot.
func (s *Store) SyncStats(ctx context.Context) (SyncStats, error) {
	var st SyncStats
	var total int
	err := s.r.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM responses WHERE `+pendingFrom+`),
		(SELECT count(*) FROM responses WHERE sync_state = 'rejected'),
		(SELECT count(*) FROM responses)`).Scan(&st.Pending, &st.Rejected, &total)
	if err != nil {
		return SyncStats{}, wrap("sync stats", err)
	}
	st.Synced = total - st.Pending - st.Rejected
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
