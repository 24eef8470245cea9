package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"

	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/settings"
)

// Store keeps the kiosk's settings.
var _ settings.KV = (*Store)(nil)

// Setting returns the value stored under key and whether it exists.
func (s *Store) Setting(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := s.r.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", norm.NFC.String(key)).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, wrap("get setting "+key, err)
	}
	return v, true, nil
}

// SetSettings stores every pair (keys and values NFC-normalised) in one
// transaction, replacing earlier values. An empty key gives ErrInvalid.
func (s *Store) SetSettings(ctx context.Context, pairs map[string]string) error {
	keys := make([]string, 0, len(pairs))
	for k := range pairs {
		if k == "" {
			return fmt.Errorf("save settings: %w: empty setting key", ErrInvalid)
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return s.write(ctx, "save settings", func(tx *sql.Tx) error {
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
				norm.NFC.String(k), norm.NFC.String(pairs[k])); err != nil {
				return fmt.Errorf("setting %s: %w", k, err)
			}
		}
		return nil
	})
}
