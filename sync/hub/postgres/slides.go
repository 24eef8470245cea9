package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// PublishSlides implements hub.Store: the next version is computed in the
// insert; of two hubs publishing at once, the second's insert fails on
// the primary key and is tried again with the next number.
func (s *Store) PublishSlides(ctx context.Context, ps hub.PublishedSlides) (int, error) {
	for attempt := 0; ; attempt++ {
		var version int
		err := s.pool.QueryRow(ctx, `INSERT INTO slide_sets (version, definition, published_at, published_by)
			SELECT COALESCE(MAX(version), 0) + 1, $1, $2, $3 FROM slide_sets
			ON CONFLICT (version) DO NOTHING RETURNING version`, ps.Definition, ps.PublishedAt.UTC(), ps.PublishedBy).Scan(&version)
		if errors.Is(err, pgx.ErrNoRows) && attempt < 5 {
			continue // another hub took the number
		}
		if err != nil {
			return 0, fmt.Errorf("publish slides: %w", err)
		}
		return version, nil
	}
}

// LatestSlides implements hub.Store.
func (s *Store) LatestSlides(ctx context.Context) (*hub.PublishedSlides, error) {
	var ps hub.PublishedSlides
	err := s.pool.QueryRow(ctx, `SELECT version, definition, published_at, published_by FROM slide_sets
		ORDER BY version DESC LIMIT 1`).Scan(&ps.Version, &ps.Definition, &ps.PublishedAt, &ps.PublishedBy)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("latest slides: %w", hub.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("latest slides: %w", err)
	}
	return &ps, nil
}
