package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// PublishSurvey implements hub.Store.
func (s *Store) PublishSurvey(ctx context.Context, ps hub.PublishedSurvey) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("publish survey %s v%d: %w", ps.ID, ps.Version, err)
	}
	defer tx.Rollback()
	var have []byte
	err = tx.QueryRowContext(ctx, `SELECT definition FROM surveys WHERE id = ? AND version = ?`, ps.ID, ps.Version).Scan(&have)
	switch {
	case err == nil && bytes.Equal(have, ps.Definition):
		return nil
	case err == nil:
		return fmt.Errorf("publish survey %s v%d: a different definition is published with this version: %w", ps.ID, ps.Version, hub.ErrConflict)
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("publish survey %s v%d: %w", ps.ID, ps.Version, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO surveys (id, version, definition, published_at) VALUES (?, ?, ?, ?)`,
		ps.ID, ps.Version, ps.Definition, timeText(ps.PublishedAt)); err != nil {
		return fmt.Errorf("publish survey %s v%d: %w", ps.ID, ps.Version, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("publish survey %s v%d: %w", ps.ID, ps.Version, err)
	}
	return nil
}

// Survey implements hub.Store.
func (s *Store) Survey(ctx context.Context, id string, version int) (*hub.PublishedSurvey, error) {
	ps, err := scanSurvey(s.r.QueryRowContext(ctx, `SELECT id, version, definition, published_at FROM surveys
		WHERE id = ? AND version = ?`, id, version))
	if err != nil {
		return nil, fmt.Errorf("survey %s v%d: %w", id, version, err)
	}
	return ps, nil
}

// LatestSurveys implements hub.Store.
func (s *Store) LatestSurveys(ctx context.Context) ([]*hub.PublishedSurvey, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, version, definition, published_at FROM surveys AS s
		WHERE version = (SELECT MAX(version) FROM surveys WHERE id = s.id) ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("latest surveys: %w", err)
	}
	defer rows.Close()
	var out []*hub.PublishedSurvey
	for rows.Next() {
		ps, err := scanSurvey(rows)
		if err != nil {
			return nil, fmt.Errorf("latest surveys: %w", err)
		}
		out = append(out, ps)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("latest surveys: %w", err)
	}
	return out, nil
}

// Surveys implements hub.Store.
func (s *Store) Surveys(ctx context.Context) ([]*hub.PublishedSurvey, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, version, definition, published_at FROM surveys ORDER BY id, version`)
	if err != nil {
		return nil, fmt.Errorf("list surveys: %w", err)
	}
	defer rows.Close()
	var out []*hub.PublishedSurvey
	for rows.Next() {
		ps, err := scanSurvey(rows)
		if err != nil {
			return nil, fmt.Errorf("list surveys: %w", err)
		}
		out = append(out, ps)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list surveys: %w", err)
	}
	return out, nil
}

func scanSurvey(sc scanner) (*hub.PublishedSurvey, error) {
	var ps hub.PublishedSurvey
	var at sql.NullString
	err := sc.Scan(&ps.ID, &ps.Version, &ps.Definition, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hub.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if ps.PublishedAt, err = parseTime(at); err != nil {
		return nil, err
	}
	return &ps, nil
}
