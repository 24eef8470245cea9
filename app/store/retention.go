package store

import (
	"context"
	"database/sql"
	"time"
)

// DeleteSynced deletes the responses the hub holds (sync state synced)
// that started before before, and returns how many went: the kiosk's
// retention (docs/retention.md). A pending or rejected response is never
// deleted, whatever its age. The newest row (by save order) always stays,
// whatever its state: SQLite numbers a new row after the highest stored
// one, so keeping it means a save order number is never handed out again
// and the outbox bookmark (meta.outbox_from) stays true. Device sequence
// numbers are not handed out again either: each deleted row raises
// meta.device_seq_floor (migration 0009).
func (s *Store) DeleteSynced(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.write(ctx, "delete synced responses", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM responses
			WHERE sync_state = 'synced' AND started_at < ? AND seq < (SELECT max(seq) FROM responses)`, formatTime(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// DeleteSyncedFeedback deletes the feedback cases the hub holds
// (synced_at set) that were written before before, and returns how many
// went: the kiosk's retention applies to them as to responses
// (docs/retention.md). A case not yet sent, or rejected, is never deleted.
// The hub keeps the case, so its code and public page stay.
func (s *Store) DeleteSyncedFeedback(ctx context.Context, before time.Time) (int64, error) {
	return s.deleteBefore(ctx, "delete synced feedback", `DELETE FROM feedback WHERE synced_at IS NOT NULL AND created_at < ?`, before)
}

// DeleteSyncedHelp deletes the help requests whose resolution the hub
// holds (synced_at set) that were raised before before, staff notes with
// them, and returns how many went: the kiosk's retention applies to them
// as to responses (docs/retention.md). An open request, or one whose
// resolution the hub does not hold yet, is never deleted.
func (s *Store) DeleteSyncedHelp(ctx context.Context, before time.Time) (int64, error) {
	return s.deleteBefore(ctx, "delete synced help requests", `DELETE FROM help_requests WHERE synced_at IS NOT NULL AND created_at < ?`, before)
}

// deleteBefore runs the DELETE q with before as its one argument, in the
// stored time layout, and returns how many rows went.
func (s *Store) deleteBefore(ctx context.Context, what, q string, before time.Time) (int64, error) {
	var n int64
	err := s.write(ctx, what, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, q, formatTime(clampTime(before)))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
