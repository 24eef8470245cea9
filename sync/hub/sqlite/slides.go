package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// PublishSlides implements hub.Store: the next version is read and
// inserted in one write transaction, so two publications get two numbers.
func (s *Store) PublishSlides(ctx context.Context, ps hub.PublishedSlides) (int, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("publish slides: %w", err)
	}
	defer tx.Rollback()
	var version int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM slide_sets`).Scan(&version); err != nil {
		return 0, fmt.Errorf("publish slides: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO slide_sets (version, definition, published_at, published_by) VALUES (?, ?, ?, ?)`,
		version, ps.Definition, timeText(ps.PublishedAt), ps.PublishedBy); err != nil {
		return 0, fmt.Errorf("publish slides: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("publish slides: %w", err)
	}
	return version, nil
}

// LatestSlides implements hub.Store.
func (s *Store) LatestSlides(ctx context.Context) (*hub.PublishedSlides, error) {
	var ps hub.PublishedSlides
	var at sql.NullString
	err := s.r.QueryRowContext(ctx, `SELECT version, definition, published_at, published_by FROM slide_sets
		ORDER BY version DESC LIMIT 1`).Scan(&ps.Version, &ps.Definition, &at, &ps.PublishedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("latest slides: %w", hub.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("latest slides: %w", err)
	}
	if ps.PublishedAt, err = parseTime(at); err != nil {
		return nil, fmt.Errorf("latest slides: %w", err)
	}
	return &ps, nil
}
