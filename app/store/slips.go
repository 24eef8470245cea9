package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/mattn/go-sqlite3"

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

// slipTaken reports whether err is the save's INSERT failing because its
// slip trigger (migration 0009) met a slip another response took: the only
// primary-key conflict that statement can meet (the row's own id conflict
// is DO NOTHING, and seq is chosen by SQLite).
func slipTaken(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey
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
