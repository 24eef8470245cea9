package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
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
//
// A pending response may carry the hub's "not yet" reason in sync_reason
// (MarkWaiting: its survey is not published at the hub yet); it stays in
// the outbox. A rejected one leaves it until RetryRejected.

// Sync states of a stored response.
const (
	statePending  = "pending"
	stateSynced   = "synced"
	stateRejected = "rejected"
)

// SyncStats counts responses by sync state.
type SyncStats struct {
	Pending, Synced, Rejected int
	// Waiting counts the pending responses the hub answered "not yet"
	// (MarkWaiting); they are part of Pending.
	Waiting int
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

// Outgoing is a pending response as the uploader reads it from the outbox.
type Outgoing struct {
	// Seq is the response's place in save order: PendingAfter(Seq) goes on
	// after it.
	Seq int64
	// Response is the stored response.
	Response *survey.Response
	// Signature is its device's signature as stored (SetSignature,
	// SaveSignedResponse), or nil when it has none yet or it was dropped.
	Signature []byte
	// Waiting is the hub's "not yet" reason recorded by MarkWaiting, or ""
	// when the response has not been sent or the hub gave none.
	Waiting string
	// DeviceSeq is the device's sequence number of the response (see
	// DeviceSeq), 0 for one saved before the store numbered them.
	DeviceSeq int64
}

// Pending returns up to limit pending responses, oldest (first saved)
// first. Rejected responses are not pending and are never returned.
func (s *Store) Pending(ctx context.Context, limit int) ([]*survey.Response, error) {
	items, err := s.PendingAfter(ctx, 0, limit)
	if err != nil {
		return nil, err
	}
	out := make([]*survey.Response, len(items))
	for i, it := range items {
		out[i] = it.Response
	}
	return out, nil
}

// outgoingColumns is what scanOutgoing reads: the outbox number, the
// signature, the hub's reason for holding the row back, the device's
// sequence number, then responseColumns.
const outgoingColumns = "seq, signature, sync_reason, coalesce(device_seq, 0), " + responseColumns

// PendingAfter returns up to limit pending responses saved after the one
// numbered after (Outgoing.Seq; 0 for the start), in save order, with their
// signatures. An uploader walks the outbox with it once per sync without
// reading again the rows it has just sent.
func (s *Store) PendingAfter(ctx context.Context, after int64, limit int) ([]Outgoing, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("pending responses: %w: limit %d, want 1 or more", ErrInvalid, limit)
	}
	// One lower bound, the later of the bookmark and the cursor: with two,
	// SQLite may start the rowid range at the bookmark and step over every
	// row up to the cursor.
	rows, err := s.r.QueryContext(ctx, "SELECT "+outgoingColumns+` FROM responses
		WHERE seq >= max((SELECT value FROM meta WHERE key = 'outbox_from'), ? + 1) AND sync_state = 'pending'
		ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, wrap("pending responses", err)
	}
	defer rows.Close()
	var out []Outgoing
	var rr rowReader
	for rows.Next() {
		it, err := scanOutgoing(rows, &rr)
		if err != nil {
			return nil, wrap("pending responses", err)
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("pending responses", err)
	}
	return out, nil
}

// scanOutgoing reads one row of outgoingColumns.
func scanOutgoing(sc scanner, rr *rowReader) (Outgoing, error) {
	var it Outgoing
	if err := sc.Scan(append([]any{&it.Seq, &it.Signature, &it.Waiting, &it.DeviceSeq}, rr.dest()...)...); err != nil {
		return Outgoing{}, err
	}
	if len(it.Signature) == 0 {
		it.Signature = nil
	}
	var err error
	if it.Response, err = rr.take(); err != nil {
		return Outgoing{}, err
	}
	return it, nil
}

// DropSignatures forgets the stored signatures of the responses with these
// ids, so the uploader signs them again. The uploader calls it when the hub
// refuses a signature made at save time (by a key since replaced, say).
// Ids not stored are ignored.
func (s *Store) DropSignatures(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return fmt.Errorf("drop signatures: %w", err)
	}
	return s.write(ctx, fmt.Sprintf("drop %d signatures", len(ids)), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE responses SET signature = NULL
			WHERE id IN (SELECT value FROM json_each(?)) AND signature IS NOT NULL`, string(list))
		return err
	})
}

// MarkSynced records that the hub holds the responses with these ids
// (accepted or duplicate). It is idempotent: ids already synced stay synced
// with their first time. A rejected id the hub later accepted becomes synced.
// If any id is not stored, nothing changes and the error wraps ErrNotFound.
// The ids go to SQLite as one JSON array, so a batch of 500 is one
// statement.
func (s *Store) MarkSynced(ctx context.Context, ids []string) error {
	return markSynced(ctx, s, s.write, "id", ids)
}

// MarkSyncedSeq is MarkSynced for outbox rows named by their numbers
// (Outgoing.Seq), as the uploader knows them: the rows are found by their
// primary key rather than through the id index, a third less work for a
// batch of 500. If any number is not a stored response, nothing changes and
// the error wraps ErrNotFound. The marks are committed without waiting for
// the disk (writeRecoverable): a mark lost in a power cut only means the
// response is sent again and the hub answers "duplicate".
func (s *Store) MarkSyncedSeq(ctx context.Context, seqs []int64) error {
	return markSynced(ctx, s, s.writeRecoverable, "seq", seqs)
}

// markSynced marks the rows whose column col (id or seq) is in keys, in
// one transaction run by write.
func markSynced[K string | int64](ctx context.Context, s *Store, write func(context.Context, string, func(*sql.Tx) error) error, col string, keys []K) error {
	if len(keys) == 0 {
		return nil
	}
	list, err := json.Marshal(keys)
	if err != nil {
		return fmt.Errorf("mark synced: %w", err)
	}
	now := formatTime(s.now())
	return write(ctx, fmt.Sprintf("mark %d responses synced", len(keys)), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE responses SET sync_state = 'synced', sync_reason = '', synced_at = ?
			WHERE `+col+` IN (SELECT value FROM json_each(?)) AND sync_state <> 'synced'`, now, string(list))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if int(n) < len(keys) { // some were synced already, repeated, or are not stored
			var missing sql.NullString
			if err := tx.QueryRowContext(ctx, `SELECT group_concat(j.value, ', ') FROM json_each(?) AS j
				WHERE NOT EXISTS (SELECT 1 FROM responses WHERE `+col+` = j.value)`, string(list)).Scan(&missing); err != nil {
				return err
			}
			if missing.Valid {
				return fmt.Errorf("%w: no stored response with %s %s", ErrNotFound, col, missing.String)
			}
		}
		return advanceOutbox(ctx, tx)
	})
}

// SetSignature stores sig as the device's signature of the pending
// response with this id, if it has none yet. The signature is made after
// the response is saved (sync/client.Signer), so it is committed without
// waiting for the disk (writeRecoverable): a signature lost in a power cut
// is made again by the uploader when it sends the response. Unknown,
// already signed or no longer pending responses are left as they are.
func (s *Store) SetSignature(ctx context.Context, id string, sig []byte) error {
	if len(sig) == 0 {
		return fmt.Errorf("set signature of %s: %w: empty signature", id, ErrInvalid)
	}
	return s.writeRecoverable(ctx, "set signature of "+id, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE responses SET signature = ?
			WHERE id = ? AND signature IS NULL AND sync_state = 'pending'`, sig, id)
		return err
	})
}

// Waiting is a pending response the hub answered "not yet", with its reason.
type Waiting struct {
	ID, Reason string
}

// MarkWaiting records the hub's "not yet" answers (its survey version is not
// published there yet): the responses stay pending, so a bundle still
// carries them and the uploader sends them again after a survey pull, and
// the reason (NFC-normalised) is kept for Outgoing.Waiting and
// SyncStats.Waiting. Responses no longer pending, or not stored, are left
// as they are. The marks are committed without waiting for the disk
// (writeRecoverable): a lost mark only means the response is sent again.
func (s *Store) MarkWaiting(ctx context.Context, items []Waiting) error {
	if len(items) == 0 {
		return nil
	}
	return s.writeRecoverable(ctx, fmt.Sprintf("mark %d responses waiting", len(items)), func(tx *sql.Tx) error {
		for _, it := range items {
			reason := norm.NFC.String(it.Reason)
			if reason == "" {
				return fmt.Errorf("%w: response %s: empty reason", ErrInvalid, it.ID)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE responses SET sync_reason = ?
				WHERE id = ? AND sync_state = 'pending'`, reason, it.ID); err != nil {
				return err
			}
		}
		return nil
	})
}

// RetryRejected puts rejected responses back in the outbox as pending, for
// the admin's "Gửi lại" once the cause is fixed at the hub: those with the
// given ids, or every rejected one when ids is nil. It returns how many
// went back. Ids that are not rejected (or not stored) are left as they
// are.
func (s *Store) RetryRejected(ctx context.Context, ids []string) (int, error) {
	var n int64
	err := s.write(ctx, "retry rejected responses", func(tx *sql.Tx) error {
		q := `UPDATE responses SET sync_state = 'pending', sync_reason = '', synced_at = NULL
			WHERE sync_state = 'rejected'`
		var args []any
		if ids != nil {
			list, err := json.Marshal(ids)
			if err != nil {
				return err
			}
			q += ` AND id IN (SELECT value FROM json_each(?))`
			args = append(args, string(list))
		}
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		// The bookmark moves back to the oldest pending response.
		_, err = tx.ExecContext(ctx, `UPDATE meta SET value = min(value, coalesce(
				(SELECT min(seq) FROM responses WHERE sync_state = 'pending'), value))
			WHERE key = 'outbox_from'`)
		return err
	})
	if err != nil {
		return 0, err
	}
	return int(n), nil
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
		(SELECT count(*) FROM responses WHERE `+pendingFrom+` AND sync_reason <> ''),
		(SELECT count(*) FROM responses WHERE sync_state = 'rejected'),
		(SELECT count(*) FROM responses)`).Scan(&st.Pending, &st.Waiting, &st.Rejected, &total)
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
