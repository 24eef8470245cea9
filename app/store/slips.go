package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/hailong-kiosk/hailong/sync/slip"
)

// ErrSlipUsed means the rating slip was already taken by another response
// at this kiosk; nothing was written. It wraps ErrConflict.
var ErrSlipUsed = fmt.Errorf("%w: the rating slip was already used at this kiosk", ErrConflict)

// checkSlip refuses a slip that is not a slip code in compact form, the
// only spelling the protocol signs (protocol.SignV3), so that a saved
// response can always be sent.
func checkSlip(code string) error {
	c, err := slip.ParseCode(code)
	if err != nil {
		return fmt.Errorf("slip %q: %w", code, err)
	}
	if c.Compact() != code {
		return fmt.Errorf("slip %q is not in compact form %q", code, c.Compact())
	}
	return nil
}

// useSlip records in tx that the response id took the slip code, or gives
// ErrSlipUsed when another response took it before.
func (s *Store) useSlip(ctx context.Context, tx *sql.Tx, code, id string) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO used_slips (code, response_id, used_at) VALUES (?, ?, ?)
		ON CONFLICT (code) DO NOTHING`, code, id, formatTime(s.now()))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	var by string
	if err := tx.QueryRowContext(ctx, "SELECT response_id FROM used_slips WHERE code = ?", code).Scan(&by); err != nil {
		return err
	}
	if by != id {
		return ErrSlipUsed
	}
	return nil
}

// SlipUsed reports whether a response saved at this kiosk took the slip
// (compact code), even if that response has since been purged. The welcome
// screen asks before a survey starts; SaveResponse checks again in its own
// transaction.
func (s *Store) SlipUsed(ctx context.Context, code string) (bool, error) {
	var one int
	err := s.r.QueryRowContext(ctx, "SELECT 1 FROM used_slips WHERE code = ?", code).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, wrap("slip used", err)
	}
	return true, nil
}
