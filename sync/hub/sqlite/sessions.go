package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// CreateSession implements hub.Store.
func (s *Store) CreateSession(ctx context.Context, ss hub.Session) error {
	if _, err := s.w.ExecContext(ctx, `INSERT INTO sessions (token_hash, admin, password_hash, csrf, expires_at)
		VALUES (?, ?, ?, ?, ?)`, ss.TokenHash, ss.Admin, ss.PasswordHash, ss.CSRF, timeText(ss.Expires)); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// Session implements hub.Store.
func (s *Store) Session(ctx context.Context, tokenHash []byte, now time.Time) (*hub.Session, error) {
	ss := hub.Session{TokenHash: tokenHash}
	var exp sql.NullString
	err := s.r.QueryRowContext(ctx, `SELECT admin, password_hash, csrf, expires_at FROM sessions
		WHERE token_hash = ? AND expires_at > ?`, tokenHash, timeText(now)).Scan(&ss.Admin, &ss.PasswordHash, &ss.CSRF, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("session: %w", hub.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	if ss.Expires, err = parseTime(exp); err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	return &ss, nil
}

// DeleteSession implements hub.Store.
func (s *Store) DeleteSession(ctx context.Context, tokenHash []byte, now time.Time) error {
	if _, err := s.w.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ? OR expires_at <= ?`, tokenHash, timeText(now)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// LoginFailed implements hub.Store in one IMMEDIATE transaction.
func (s *Store) LoginFailed(ctx context.Context, key string, now time.Time, window time.Duration) (hub.LoginFailures, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return hub.LoginFailures{}, fmt.Errorf("login failed: %w", err)
	}
	defer tx.Rollback()
	f, err := loginFailures(ctx, tx, key, now, window)
	if err != nil {
		return hub.LoginFailures{}, fmt.Errorf("login failed: %w", err)
	}
	if f.Count == 0 {
		f.Since = now
	}
	f.Count++
	if _, err := tx.ExecContext(ctx, `INSERT INTO login_failures (key, count, window_start) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET count = excluded.count, window_start = excluded.window_start`,
		key, f.Count, timeText(f.Since)); err != nil {
		return hub.LoginFailures{}, fmt.Errorf("login failed: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return hub.LoginFailures{}, fmt.Errorf("login failed: %w", err)
	}
	return f, nil
}

// LoginFailures implements hub.Store.
func (s *Store) LoginFailures(ctx context.Context, key string, now time.Time, window time.Duration) (hub.LoginFailures, error) {
	f, err := loginFailures(ctx, s.r, key, now, window)
	if err != nil {
		return f, fmt.Errorf("login failures: %w", err)
	}
	return f, nil
}

type querier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// loginFailures reads key's failures in its window at now.
func loginFailures(ctx context.Context, q querier, key string, now time.Time, window time.Duration) (hub.LoginFailures, error) {
	var f hub.LoginFailures
	var since sql.NullString
	err := q.QueryRowContext(ctx, `SELECT count, window_start FROM login_failures WHERE key = ?`, key).Scan(&f.Count, &since)
	if errors.Is(err, sql.ErrNoRows) {
		return hub.LoginFailures{}, nil
	}
	if err != nil {
		return f, err
	}
	if f.Since, err = parseTime(since); err != nil {
		return f, err
	}
	if !now.Before(f.Since.Add(window)) {
		return hub.LoginFailures{}, nil
	}
	return f, nil
}

// ResetLogins implements hub.Store.
func (s *Store) ResetLogins(ctx context.Context, key string) error {
	if _, err := s.w.ExecContext(ctx, `DELETE FROM login_failures WHERE key = ?`, key); err != nil {
		return fmt.Errorf("reset logins: %w", err)
	}
	return nil
}
