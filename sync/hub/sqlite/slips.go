package sqlite

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/slip"
)

// SlipKey implements hub.Store: INSERT OR IGNORE, then read back, in one
// write transaction, so the first candidate stays.
func (s *Store) SlipKey(ctx context.Context, candidate ed25519.PrivateKey, now time.Time) (ed25519.PrivateKey, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("slip key: %w", err)
	}
	defer tx.Rollback()
	if len(candidate) == ed25519.PrivateKeySize {
		if _, err := tx.ExecContext(ctx, `INSERT INTO hub_keys (name, private_key, created_at) VALUES ('slip', ?, ?)
			ON CONFLICT (name) DO NOTHING`, []byte(candidate), timeText(now)); err != nil {
			return nil, fmt.Errorf("slip key: %w", err)
		}
	}
	var k []byte
	if err := tx.QueryRowContext(ctx, `SELECT private_key FROM hub_keys WHERE name = 'slip'`).Scan(&k); errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("slip key: none stored and no valid candidate: %w", hub.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("slip key: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("slip key: %w", err)
	}
	return ed25519.PrivateKey(k), nil
}

// IssueSlips implements hub.Store.
func (s *Store) IssueSlips(ctx context.Context, slips []hub.Slip) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("issue slips: %w", err)
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO slips (code, service_point, batch_id, printed_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (code) DO NOTHING`)
	if err != nil {
		return fmt.Errorf("issue slips: %w", err)
	}
	defer ins.Close()
	for _, sl := range slips {
		if sl.Code.IsZero() {
			return errors.New("issue slips: a slip has no code")
		}
		res, err := ins.ExecContext(ctx, sl.Code.Compact(), sl.ServicePoint, sl.BatchID, timeText(sl.PrintedAt))
		if err != nil {
			return fmt.Errorf("issue slips %s: %w", sl.Code, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("issue slips %s: %w", sl.Code, err)
		} else if n == 0 {
			return fmt.Errorf("issue slips: code %s is already stored: %w", sl.Code, hub.ErrConflict)
		}
	}
	for _, p := range hub.SlipPrintRows(slips) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO slip_prints (day, service_point, printed) VALUES (?, ?, ?)
			ON CONFLICT (day, service_point) DO UPDATE SET printed = printed + excluded.printed`, p.Day, p.ServicePoint, p.Printed); err != nil {
			return fmt.Errorf("issue slips: printed counts: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("issue slips: %w", err)
	}
	return nil
}

// Slip implements hub.Store.
func (s *Store) Slip(ctx context.Context, c slip.Code) (*hub.Slip, error) {
	var code string
	var usedBy, usedDevice, printed, used sql.NullString
	sl := hub.Slip{}
	err := s.r.QueryRowContext(ctx, `SELECT code, service_point, batch_id, printed_at, used_by, used_at, used_device
		FROM slips WHERE code = ?`, c.Compact()).Scan(&code, &sl.ServicePoint, &sl.BatchID, &printed, &usedBy, &used, &usedDevice)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("slip %s: %w", c, hub.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("slip %s: %w", c, err)
	}
	if sl.Code, err = slip.ParseCode(code); err != nil {
		return nil, fmt.Errorf("slip %s: stored code: %w", c, err)
	}
	if sl.PrintedAt, err = parseTime(printed); err != nil {
		return nil, fmt.Errorf("slip %s: %w", c, err)
	}
	if sl.UsedAt, err = parseTime(used); err != nil {
		return nil, fmt.Errorf("slip %s: %w", c, err)
	}
	sl.UsedBy, sl.UsedDevice = usedBy.String, usedDevice.String
	return &sl, nil
}

// UseSlip implements hub.Store. SQLite has one writer: the conditional
// UPDATE of one transaction cannot interleave with another's.
func (s *Store) UseSlip(ctx context.Context, code, responseID, deviceID string, at time.Time) (hub.SlipStatus, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return "", fmt.Errorf("use slip: %w", err)
	}
	defer tx.Rollback()
	st, err := useSlip(ctx, tx, code, responseID, deviceID, timeText(at))
	if err != nil {
		return "", err
	}
	if err := tx.Commit(); err != nil {
		return "", fmt.Errorf("use slip: %w", err)
	}
	return st, nil
}

// useSlip is UseSlip inside tx.
func useSlip(ctx context.Context, tx *sql.Tx, code, responseID, deviceID string, at sql.NullString) (hub.SlipStatus, error) {
	res, err := tx.ExecContext(ctx, `UPDATE slips SET used_by = ?, used_at = ?, used_device = ?
		WHERE code = ? AND used_by IS NULL`, responseID, at, deviceID, code)
	if err != nil {
		return "", fmt.Errorf("use slip %s: %w", code, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return "", fmt.Errorf("use slip %s: %w", code, err)
	} else if n == 1 {
		return hub.SlipFirst, nil
	}
	var usedBy sql.NullString
	switch err := tx.QueryRowContext(ctx, `SELECT used_by FROM slips WHERE code = ?`, code).Scan(&usedBy); {
	case errors.Is(err, sql.ErrNoRows):
		return hub.SlipUnknown, nil
	case err != nil:
		return "", fmt.Errorf("use slip %s: %w", code, err)
	case usedBy.String == responseID:
		return hub.SlipFirst, nil
	}
	return hub.SlipReused, nil
}

// recordSlip uses the slip of an accepted item and stores and returns its
// status (hub.SlipAt: a first use from another service point than the
// response's and its device's is SlipElsewhere).
func recordSlip(ctx context.Context, tx *sql.Tx, it hub.Incoming, at sql.NullString) (hub.SlipStatus, error) {
	st, err := useSlip(ctx, tx, it.Slip, it.Response.ID, it.Response.DeviceID, at)
	if err != nil {
		return "", err
	}
	if st == hub.SlipFirst {
		var point, devPoint string
		if err := tx.QueryRowContext(ctx, `SELECT s.service_point, coalesce((SELECT d.service_point FROM devices d WHERE d.id = ?), '')
			FROM slips s WHERE s.code = ?`, it.Response.DeviceID, it.Slip).Scan(&point, &devPoint); err != nil {
			return "", fmt.Errorf("ingest %s: slip's service point: %w", it.Response.ID, err)
		}
		st = hub.SlipAt(st, point, it.Response.ServicePoint, devPoint)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO response_slips (response_id, slip, slip_status) VALUES (?, ?, ?)`,
		it.Response.ID, it.Slip, string(st)); err != nil {
		return "", fmt.Errorf("ingest %s: slip status: %w", it.Response.ID, err)
	}
	return st, nil
}

// SlipPrints implements hub.Store.
func (s *Store) SlipPrints(ctx context.Context, fromDay, toDay string) ([]hub.SlipPrint, error) {
	where, args := dayRange(fromDay, toDay)
	rows, err := s.r.QueryContext(ctx, `SELECT day, service_point, printed FROM slip_prints`+where+` ORDER BY day, service_point`, args...)
	if err != nil {
		return nil, fmt.Errorf("slip prints: %w", err)
	}
	defer rows.Close()
	var out []hub.SlipPrint
	for rows.Next() {
		var p hub.SlipPrint
		if err := rows.Scan(&p.Day, &p.ServicePoint, &p.Printed); err != nil {
			return nil, fmt.Errorf("slip prints: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("slip prints: %w", err)
	}
	return out, nil
}

// ResponseSlip implements hub.Store.
func (s *Store) ResponseSlip(ctx context.Context, responseID string) (string, hub.SlipStatus, error) {
	var code, st string
	err := s.r.QueryRowContext(ctx, `SELECT slip, slip_status FROM response_slips WHERE response_id = ?`, responseID).Scan(&code, &st)
	if errors.Is(err, sql.ErrNoRows) {
		return "", hub.SlipNone, nil
	}
	if err != nil {
		return "", "", fmt.Errorf("response slip %s: %w", responseID, err)
	}
	return code, hub.SlipStatus(st), nil
}

// ResponseSlips implements hub.Store, in queries of at most 500 ids.
func (s *Store) ResponseSlips(ctx context.Context, responseIDs []string) (map[string]hub.SlipStatus, error) {
	out := map[string]hub.SlipStatus{}
	for len(responseIDs) > 0 {
		ids := responseIDs[:min(len(responseIDs), 500)]
		responseIDs = responseIDs[len(ids):]
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		rows, err := s.r.QueryContext(ctx, `SELECT response_id, slip_status FROM response_slips WHERE response_id IN (?`+
			strings.Repeat(", ?", len(ids)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("response slips: %w", err)
		}
		for rows.Next() {
			var id, st string
			if err := rows.Scan(&id, &st); err != nil {
				rows.Close()
				return nil, fmt.Errorf("response slips: %w", err)
			}
			out[id] = hub.SlipStatus(st)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("response slips: %w", err)
		}
	}
	return out, nil
}
