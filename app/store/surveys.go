package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// SaveSurvey stores a survey definition pulled from the hub, as raw JSON.
// It is checked again with survey.Parse, which also gives its id and
// version; a definition that fails gives ErrInvalid wrapping survey.Problems.
// The raw bytes are stored as given. A published version never changes:
// saving the same bytes again is a no-op, different bytes under a stored id
// and version give ErrConflict.
func (s *Store) SaveSurvey(ctx context.Context, raw []byte) error {
	k, err := survey.Parse(raw)
	if err != nil {
		return fmt.Errorf("save survey: %w: %w", ErrInvalid, err)
	}
	op := fmt.Sprintf("save survey %s version %d", k.ID, k.Version)
	return s.write(ctx, op, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO surveys (id, version, raw, saved_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (id, version) DO NOTHING`, k.ID, k.Version, raw, formatTime(s.now()))
		if err != nil {
			return err
		}
		if added, err := res.RowsAffected(); err != nil || added == 1 {
			return err
		}
		var stored []byte
		if err := tx.QueryRowContext(ctx, "SELECT raw FROM surveys WHERE id = ? AND version = ?", k.ID, k.Version).Scan(&stored); err != nil {
			return err
		}
		if !bytes.Equal(stored, raw) {
			return fmt.Errorf("%w: a different definition of this version is already stored", ErrConflict)
		}
		return nil
	})
}

// SurveyDefs returns the raw JSON of the latest stored version of each
// survey, ordered by survey id.
func (s *Store) SurveyDefs(ctx context.Context) ([][]byte, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT raw FROM surveys AS s
		WHERE version = (SELECT max(version) FROM surveys WHERE id = s.id) ORDER BY id`)
	if err != nil {
		return nil, wrap("list surveys", err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			return nil, wrap("list surveys", err)
		}
		out = append(out, raw)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("list surveys", err)
	}
	return out, nil
}

// SurveyDef returns the raw JSON of one survey version, or ErrNotFound.
func (s *Store) SurveyDef(ctx context.Context, id string, version int) ([]byte, error) {
	var raw []byte
	err := s.r.QueryRowContext(ctx, "SELECT raw FROM surveys WHERE id = ? AND version = ?", id, version).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("get survey %s version %d: %w", id, version, ErrNotFound)
	}
	if err != nil {
		return nil, wrap(fmt.Sprintf("get survey %s version %d", id, version), err)
	}
	return raw, nil
}
