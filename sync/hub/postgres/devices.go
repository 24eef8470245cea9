package postgres

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

const deviceColumns = `id, name, service_point, created_at, code_expires_at, public_key, enrolled_at, revoked_at`

// CreateDevice implements hub.Store.
func (s *Store) CreateDevice(ctx context.Context, d *hub.Device, codeHash []byte) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO devices (id, name, service_point, created_at, code_hash, code_expires_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, d.ID, d.Name, d.ServicePoint, utc(d.CreatedAt), codeHash, utc(d.CodeExpiresAt))
	if isUnique(err) {
		return fmt.Errorf("create device %s: %w", d.ID, hub.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create device %s: %w", d.ID, err)
	}
	return nil
}

// ClaimDevice implements hub.Store in one UPDATE: of concurrent claims
// with one code, the row lock lets exactly one match. When the connection
// breaks with the UPDATE sent, the server may still commit it, even after
// the error reached us; resolveClaim finds out which before answering.
func (s *Store) ClaimDevice(ctx context.Context, codeHash []byte, pub ed25519.PublicKey, tokenHash []byte, now time.Time) (*hub.Device, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("claim device: %w", err)
	}
	pid := conn.Conn().PgConn().PID()
	d, err := scanDevice(conn.QueryRow(ctx, `UPDATE devices SET code_hash = NULL, public_key = $2, token_hash = $3, enrolled_at = $4
		WHERE code_hash = $1 AND enrolled_at IS NULL AND revoked_at IS NULL AND code_expires_at > $4
		RETURNING `+deviceColumns, codeHash, []byte(pub), tokenHash, now.UTC()))
	broken := conn.Conn().IsClosed()
	conn.Release()
	switch {
	case err == nil:
		return d, nil
	case errors.Is(err, hub.ErrNotFound):
		return nil, fmt.Errorf("claim device: %w", err)
	case isUnique(err):
		return nil, fmt.Errorf("claim device: token already in use: %w", hub.ErrConflict)
	case broken:
		return s.resolveClaim(ctx, pid, tokenHash, err)
	}
	return nil, fmt.Errorf("claim device: %w", err)
}

// resolveClaim settles a claim whose connection broke (backend pid): it
// ends that backend, so the claim's transaction can no longer commit
// later, waits until the backend is gone (committed or rolled back for
// good), and then looks the token up: found means the claim committed.
func (s *Store) resolveClaim(ctx context.Context, pid uint32, tokenHash []byte, cause error) (*hub.Device, error) {
	unknown := func(err error) error {
		return fmt.Errorf("claim device: %w: %w", hub.ErrOutcomeUnknown, errors.Join(cause, err))
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for wait := 10 * time.Millisecond; ; wait = min(2*wait, time.Second) {
		var alive bool
		err := s.pool.QueryRow(ctx, `SELECT pg_terminate_backend(pid) OR true FROM pg_stat_activity WHERE pid = $1`, int32(pid)).Scan(&alive)
		if errors.Is(err, pgx.ErrNoRows) {
			break // gone: its transaction is settled
		}
		if err != nil {
			return nil, unknown(err)
		}
		select {
		case <-ctx.Done():
			return nil, unknown(ctx.Err())
		case <-time.After(wait):
		}
	}
	d, err := s.DeviceByToken(ctx, tokenHash)
	switch {
	case err == nil:
		return d, nil // committed; the lost reply is forgotten
	case errors.Is(err, hub.ErrNotFound):
		return nil, fmt.Errorf("claim device: not committed: %w", cause)
	}
	return nil, unknown(err)
}

// DeviceByToken implements hub.Store.
func (s *Store) DeviceByToken(ctx context.Context, tokenHash []byte) (*hub.Device, error) {
	d, err := scanDevice(s.pool.QueryRow(ctx, `SELECT `+deviceColumns+` FROM devices WHERE token_hash = $1`, tokenHash))
	if err != nil {
		return nil, fmt.Errorf("device by token: %w", err)
	}
	return d, nil
}

// Device implements hub.Store.
func (s *Store) Device(ctx context.Context, id string) (*hub.Device, error) {
	d, err := scanDevice(s.pool.QueryRow(ctx, `SELECT `+deviceColumns+` FROM devices WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("device %s: %w", id, err)
	}
	return d, nil
}

// Devices implements hub.Store.
func (s *Store) Devices(ctx context.Context) ([]*hub.Device, error) {
	return list(ctx, s.pool, "list devices", `SELECT `+deviceColumns+` FROM devices`, nil, "created_at, id", scanDevice)
}

// RevokeDevice implements hub.Store; revoking again keeps the first time.
func (s *Store) RevokeDevice(ctx context.Context, id string, at time.Time) error {
	var found bool
	err := s.pool.QueryRow(ctx, `WITH upd AS (
			UPDATE devices SET revoked_at = $2, code_hash = NULL WHERE id = $1 AND revoked_at IS NULL RETURNING 1)
		SELECT EXISTS (SELECT 1 FROM devices WHERE id = $1)`, id, at.UTC()).Scan(&found)
	if err != nil {
		return fmt.Errorf("revoke device %s: %w", id, err)
	}
	if !found {
		return fmt.Errorf("revoke device %s: %w", id, hub.ErrNotFound)
	}
	return nil
}

func scanDevice(row pgx.Row) (*hub.Device, error) {
	var d hub.Device
	var created, expires time.Time
	var enrolled, revoked *time.Time
	var pub []byte
	err := row.Scan(&d.ID, &d.Name, &d.ServicePoint, &created, &expires, &pub, &enrolled, &revoked)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, hub.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	d.CreatedAt, d.CodeExpiresAt = created.UTC(), expires.UTC()
	d.EnrolledAt, d.RevokedAt = fromNull(enrolled), fromNull(revoked)
	if len(pub) > 0 {
		d.PublicKey = ed25519.PublicKey(pub)
	}
	return &d, nil
}

// isUnique reports a unique-constraint violation.
func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}
