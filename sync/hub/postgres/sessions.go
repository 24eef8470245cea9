package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// CreateSession implements hub.Store.
func (s *Store) CreateSession(ctx context.Context, ss hub.Session) error {
	if _, err := s.pool.Exec(ctx, `INSERT INTO sessions (token_hash, admin, password_hash, csrf, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, ss.TokenHash, ss.Admin, ss.PasswordHash, ss.CSRF, ss.Expires.UTC()); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// Session implements hub.Store.
func (s *Store) Session(ctx context.Context, tokenHash []byte, now time.Time) (*hub.Session, error) {
	ss := hub.Session{TokenHash: tokenHash}
	err := s.pool.QueryRow(ctx, `SELECT admin, password_hash, csrf, expires_at FROM sessions
		WHERE token_hash = $1 AND expires_at > $2`, tokenHash, now.UTC()).Scan(&ss.Admin, &ss.PasswordHash, &ss.CSRF, &ss.Expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("session: %w", hub.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	ss.Expires = ss.Expires.UTC()
	return &ss, nil
}

// DeleteSession implements hub.Store.
func (s *Store) DeleteSession(ctx context.Context, tokenHash []byte, now time.Time) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1 OR expires_at <= $2`, tokenHash, now.UTC()); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// LoginFailed implements hub.Store in one upsert: the row lock serialises
// the failures of one address counted by several hubs at once.
func (s *Store) LoginFailed(ctx context.Context, key string, now time.Time, window time.Duration) (hub.LoginFailures, error) {
	var f hub.LoginFailures
	err := s.pool.QueryRow(ctx, `INSERT INTO login_failures AS l (key, count, window_start) VALUES ($1, 1, $2)
		ON CONFLICT (key) DO UPDATE SET
			count = CASE WHEN l.window_start + $3 > $2 THEN l.count + 1 ELSE 1 END,
			window_start = CASE WHEN l.window_start + $3 > $2 THEN l.window_start ELSE $2 END
		RETURNING count, window_start`, key, now.UTC(), window).Scan(&f.Count, &f.Since)
	if err != nil {
		return hub.LoginFailures{}, fmt.Errorf("login failed: %w", err)
	}
	f.Since = f.Since.UTC()
	return f, nil
}

// LoginFailures implements hub.Store.
func (s *Store) LoginFailures(ctx context.Context, key string, now time.Time, window time.Duration) (hub.LoginFailures, error) {
	var f hub.LoginFailures
	err := s.pool.QueryRow(ctx, `SELECT count, window_start FROM login_failures WHERE key = $1 AND window_start + $3 > $2`,
		key, now.UTC(), window).Scan(&f.Count, &f.Since)
	if errors.Is(err, pgx.ErrNoRows) {
		return hub.LoginFailures{}, nil
	}
	if err != nil {
		return hub.LoginFailures{}, fmt.Errorf("login failures: %w", err)
	}
	f.Since = f.Since.UTC()
	return f, nil
}

// ResetLogins implements hub.Store.
func (s *Store) ResetLogins(ctx context.Context, key string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM login_failures WHERE key = $1`, key); err != nil {
		return fmt.Errorf("reset logins: %w", err)
	}
	return nil
}
