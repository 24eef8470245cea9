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
	at := timeText(now)
	if _, err := s.w.ExecContext(ctx, `INSERT INTO admins (name, password_hash, created_at, updated_at, role)
		VALUES (?1, ?2, ?3, ?3, COALESCE(NULLIF(?4, ''), 'admin'))
		ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at,
			role = COALESCE(NULLIF(?4, ''), role)`,
		name, passwordHash, at, string(role)); err != nil {
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

// AdminRole implements hub.Store.
func (s *Store) AdminRole(ctx context.Context, name string) (hub.Role, error) {
	name = hub.AdminName(name)
	var role string
	err := s.r.QueryRowContext(ctx, `SELECT role FROM admins WHERE name = ?`, name).Scan(&role)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("admin %q: %w", name, hub.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("admin %q: %w", name, err)
	}
	return hub.ParseRole(role)
}

// Admins implements hub.Store.
func (s *Store) Admins(ctx context.Context) ([]hub.Admin, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT name, role, created_at, updated_at FROM admins ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list admins: %w", err)
	}
	defer rows.Close()
	var out []hub.Admin
	for rows.Next() {
		var a hub.Admin
		var created, updated sql.NullString
		if err := rows.Scan(&a.Name, &a.Role, &created, &updated); err != nil {
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
