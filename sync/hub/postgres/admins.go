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
	return s.putAdmin(ctx, name, passwordHash, "", now)
}

// PutAdminAs implements hub.Store.
func (s *Store) PutAdminAs(ctx context.Context, name string, passwordHash []byte, role hub.Role, now time.Time) error {
	if _, err := hub.ParseRole(string(role)); err != nil {
		return fmt.Errorf("put admin %q: %w", name, err)
	}
	return s.putAdmin(ctx, name, passwordHash, role, now)
}

// putAdmin creates or updates an admin; an empty role creates with
// RoleAdmin and keeps an existing admin's role.
func (s *Store) putAdmin(ctx context.Context, name string, passwordHash []byte, role hub.Role, now time.Time) error {
	name, err := hub.CheckAdmin(name, passwordHash)
	if err != nil {
		return fmt.Errorf("put admin: %w", err)
	}
	if passwordHash == nil {
		return fmt.Errorf("put admin %q: %w: no password hash", name, hub.ErrInvalidAdmin)
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO admins (name, password_hash, created_at, updated_at, role)
		VALUES ($1, $2, $3, $3, COALESCE(NULLIF($4, ''), 'admin'))
		ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at,
			role = COALESCE(NULLIF($4, ''), admins.role)`,
		name, passwordHash, now.UTC(), string(role)); err != nil {
		return fmt.Errorf("put admin %q: %w", name, err)
	}
	return nil
}

// AdminRole implements hub.Store.
func (s *Store) AdminRole(ctx context.Context, name string) (hub.Role, error) {
	name = hub.AdminName(name)
	var role string
	err := s.pool.QueryRow(ctx, `SELECT role FROM admins WHERE name = $1`, name).Scan(&role)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("admin %q: %w", name, hub.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("admin %q: %w", name, err)
	}
	return hub.ParseRole(role)
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
	rows, err := s.pool.Query(ctx, `SELECT name, role, created_at, updated_at FROM admins ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list admins: %w", err)
	}
	defer rows.Close()
	var out []hub.Admin
	for rows.Next() {
		var a hub.Admin
		if err := rows.Scan(&a.Name, &a.Role, &a.CreatedAt, &a.UpdatedAt); err != nil {
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
