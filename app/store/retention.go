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
// numbers come from their own counter and are untouched.
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
	var n int64
	err := s.write(ctx, "delete synced feedback", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM feedback WHERE synced_at IS NOT NULL AND created_at < ?`, formatTime(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
