package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

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
	if _, err := s.pool.Exec(ctx, `INSERT INTO admins (name, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $3)
		ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at`,
		name, passwordHash, now.UTC()); err != nil {
		return fmt.Errorf("put admin %q: %w", name, err)
	}
	return nil
}

// AdminPasswordHash implements hub.Store.
func (s *Store) AdminPasswordHash(ctx context.Context, name string) ([]byte, error) {
	name = hub.AdminName(name)
	var h []byte
	err := s.pool.QueryRow(ctx, `SELECT password_hash FROM admins WHERE name = $1`, name).Scan(&h)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("admin %q: %w", name, hub.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("admin %q: %w", name, err)
	}
	return h, nil
}

// Admins implements hub.Store.
func (s *Store) Admins(ctx context.Context) ([]hub.Admin, error) {
	rows, err := s.pool.Query(ctx, `SELECT name, created_at, updated_at FROM admins ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list admins: %w", err)
	}
	defer rows.Close()
	var out []hub.Admin
	for rows.Next() {
		var a hub.Admin
		if err := rows.Scan(&a.Name, &a.CreatedAt, &a.UpdatedAt); err != nil {
			return nil, fmt.Errorf("list admins: %w", err)
		}
		a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
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
	tag, err := s.pool.Exec(ctx, `DELETE FROM admins WHERE name = $1`, name)
	if err != nil {
		return fmt.Errorf("delete admin %q: %w", name, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("delete admin %q: %w", name, hub.ErrNotFound)
	}
	return nil
}
