package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// PublishSurvey implements hub.Store: the insert and the comparison are
// one statement, so two hubs publishing at once cannot both insert.
func (s *Store) PublishSurvey(ctx context.Context, ps hub.PublishedSurvey) error {
	if _, err := s.pool.Exec(ctx, `INSERT INTO surveys (id, version, definition, published_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (id, version) DO NOTHING`, ps.ID, ps.Version, ps.Definition, ps.PublishedAt.UTC()); err != nil {
		return fmt.Errorf("publish survey %s v%d: %w", ps.ID, ps.Version, err)
	}
	var have []byte
	if err := s.pool.QueryRow(ctx, `SELECT definition FROM surveys WHERE id = $1 AND version = $2`, ps.ID, ps.Version).Scan(&have); err != nil {
		return fmt.Errorf("publish survey %s v%d: %w", ps.ID, ps.Version, err)
	}
	if !bytes.Equal(have, ps.Definition) {
		return fmt.Errorf("publish survey %s v%d: a different definition is published with this version: %w", ps.ID, ps.Version, hub.ErrConflict)
	}
	return nil
}

// Survey implements hub.Store.
func (s *Store) Survey(ctx context.Context, id string, version int) (*hub.PublishedSurvey, error) {
	ps, err := scanSurvey(s.pool.QueryRow(ctx, `SELECT id, version, definition, published_at FROM surveys
		WHERE id = $1 AND version = $2`, id, version))
	if err != nil {
		return nil, fmt.Errorf("survey %s v%d: %w", id, version, err)
	}
	return ps, nil
}

// LatestSurveys implements hub.Store.
func (s *Store) LatestSurveys(ctx context.Context) ([]*hub.PublishedSurvey, error) {
	out, err := s.surveys(ctx, `SELECT DISTINCT ON (id) id, version, definition, published_at FROM surveys ORDER BY id, version DESC`)
	if err != nil {
		return nil, fmt.Errorf("latest surveys: %w", err)
	}
	return out, nil
}

// Surveys implements hub.Store.
func (s *Store) Surveys(ctx context.Context) ([]*hub.PublishedSurvey, error) {
	out, err := s.surveys(ctx, `SELECT id, version, definition, published_at FROM surveys ORDER BY id, version`)
	if err != nil {
		return nil, fmt.Errorf("list surveys: %w", err)
	}
	return out, nil
}

func (s *Store) surveys(ctx context.Context, q string) ([]*hub.PublishedSurvey, error) {
	rows, err := s.pool.Query(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*hub.PublishedSurvey
	for rows.Next() {
		ps, err := scanSurvey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, ps)
	}
	return out, rows.Err()
}

func scanSurvey(row pgx.Row) (*hub.PublishedSurvey, error) {
	var ps hub.PublishedSurvey
	var at time.Time
	err := row.Scan(&ps.ID, &ps.Version, &ps.Definition, &at)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, hub.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	ps.PublishedAt = at.UTC()
	return &ps, nil
}
