package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// PutAdmin implements hub.Store.
func (s *Store) PutAdmin(ctx context.Context, name string, passwordHash []byte, now time.Time) error {
	name, err := hub.CheckAdmin(name, passwordHash)
	if err != nil {
		return fmt.Errorf("put admin: %w", err)
	}
	if passwordHash == nil {
		return fmt.Errorf("put admin %q: %w: no password hash", name, hub.ErrInvalidAdmin)
	}
	at := timeText(now)
	if _, err := s.w.ExecContext(ctx, `INSERT INTO admins (name, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at`,
		name, passwordHash, at, at); err != nil {
		return fmt.Errorf("put admin %q: %w", name, err)
	}
	return nil
}

// AdminPasswordHash implements hub.Store.
func (s *Store) AdminPasswordHash(ctx context.Context, name string) ([]byte, error) {
	name = hub.AdminName(name)
	var h []byte
	err := s.r.QueryRowContext(ctx, `SELECT password_hash FROM admins WHERE name = ?`, name).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("admin %q: %w", name, hub.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("admin %q: %w", name, err)
	}
	return h, nil
}

// Admins implements hub.Store.
func (s *Store) Admins(ctx context.Context) ([]hub.Admin, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT name, created_at, updated_at FROM admins ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list admins: %w", err)
	}
	defer rows.Close()
	var out []hub.Admin
	for rows.Next() {
		var a hub.Admin
		var created, updated sql.NullString
		if err := rows.Scan(&a.Name, &created, &updated); err != nil {
			return nil, fmt.Errorf("list admins: %w", err)
		}
		if a.CreatedAt, err = parseTime(created); err != nil {
			return nil, fmt.Errorf("list admins: %w", err)
		}
		if a.UpdatedAt, err = parseTime(updated); err != nil {
			return nil, fmt.Errorf("list admins: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list admins: %w", err)
	}
	return out, nil
}

// DeleteAdmin implements hub.Store.
func (s *Store) DeleteAdmin(ctx context.Context, name string) error {
	name = hub.AdminName(name)
	res, err := s.w.ExecContext(ctx, `DELETE FROM admins WHERE name = ?`, name)
	if err != nil {
		return fmt.Errorf("delete admin %q: %w", name, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("delete admin %q: %w", name, err)
	}
	if n == 0 {
		return fmt.Errorf("delete admin %q: %w", name, hub.ErrNotFound)
	}
	return nil
}
