package sqlite

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/mattn/go-sqlite3"
)

const deviceColumns = `id, name, service_point, created_at, code_expires_at, public_key, enrolled_at, revoked_at`

// CreateDevice implements hub.Store.
func (s *Store) CreateDevice(ctx context.Context, d *hub.Device, codeHash []byte) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO devices (id, name, service_point, created_at, code_hash, code_expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`,
		d.ID, d.Name, d.ServicePoint, timeText(d.CreatedAt), codeHash, timeText(d.CodeExpiresAt))
	if isConstraint(err) {
		return fmt.Errorf("create device %s: %w", d.ID, hub.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create device %s: %w", d.ID, err)
	}
	return nil
}

// ClaimDevice implements hub.Store.
func (s *Store) ClaimDevice(ctx context.Context, codeHash []byte, pub ed25519.PublicKey, tokenHash []byte, now time.Time) (*hub.Device, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("claim device: %w", err)
	}
	defer tx.Rollback()
	var id string
	err = tx.QueryRowContext(ctx, `SELECT id FROM devices
		WHERE code_hash = ? AND enrolled_at IS NULL AND revoked_at IS NULL AND code_expires_at > ?`,
		codeHash, timeText(now)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("claim device: %w", hub.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("claim device: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE devices SET code_hash = NULL, public_key = ?, token_hash = ?, enrolled_at = ?
		WHERE id = ?`, []byte(pub), tokenHash, timeText(now), id); err != nil {
		if isConstraint(err) {
			return nil, fmt.Errorf("claim device %s: token already in use: %w", id, hub.ErrConflict)
		}
		return nil, fmt.Errorf("claim device %s: %w", id, err)
	}
	d, err := scanDevice(tx.QueryRowContext(ctx, `SELECT `+deviceColumns+` FROM devices WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("claim device %s: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("claim device %s: %w", id, err)
	}
	return d, nil
}

// DeviceByToken implements hub.Store.
func (s *Store) DeviceByToken(ctx context.Context, tokenHash []byte) (*hub.Device, error) {
	d, err := scanDevice(s.r.QueryRowContext(ctx, `SELECT `+deviceColumns+` FROM devices WHERE token_hash = ?`, tokenHash))
	if err != nil {
		return nil, fmt.Errorf("device by token: %w", err)
	}
	return d, nil
}

// Device implements hub.Store.
func (s *Store) Device(ctx context.Context, id string) (*hub.Device, error) {
	d, err := scanDevice(s.r.QueryRowContext(ctx, `SELECT `+deviceColumns+` FROM devices WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("device %s: %w", id, err)
	}
	return d, nil
}

// Devices implements hub.Store.
func (s *Store) Devices(ctx context.Context) ([]*hub.Device, error) {
	return list(ctx, s.r, "list devices", `SELECT `+deviceColumns+` FROM devices`, nil, "created_at, id", scanDevice)
}

// RevokeDevice implements hub.Store.
func (s *Store) RevokeDevice(ctx context.Context, id string, at time.Time) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("revoke device %s: %w", id, err)
	}
	defer tx.Rollback()
	var exists int
	if err := tx.QueryRowContext(ctx, `SELECT 1 FROM devices WHERE id = ?`, id).Scan(&exists); errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("revoke device %s: %w", id, hub.ErrNotFound)
	} else if err != nil {
		return fmt.Errorf("revoke device %s: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE devices SET revoked_at = ?, code_hash = NULL
		WHERE id = ? AND revoked_at IS NULL`, timeText(at), id); err != nil {
		return fmt.Errorf("revoke device %s: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("revoke device %s: %w", id, err)
	}
	return nil
}

// scanner is *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

func scanDevice(sc scanner) (*hub.Device, error) {
	var d hub.Device
	var created, expires, enrolled, revoked sql.NullString
	var pub []byte
	err := sc.Scan(&d.ID, &d.Name, &d.ServicePoint, &created, &expires, &pub, &enrolled, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hub.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	for _, f := range []struct {
		dst *time.Time
		src sql.NullString
	}{{&d.CreatedAt, created}, {&d.CodeExpiresAt, expires}, {&d.EnrolledAt, enrolled}, {&d.RevokedAt, revoked}} {
		if *f.dst, err = parseTime(f.src); err != nil {
			return nil, err
		}
	}
	if len(pub) > 0 {
		d.PublicKey = ed25519.PublicKey(pub)
	}
	return &d, nil
}

// isConstraint reports a UNIQUE or PRIMARY KEY violation.
func isConstraint(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrConstraint
}
