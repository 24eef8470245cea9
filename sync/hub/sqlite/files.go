package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// PutFileCounts implements hub.Store.
func (s *Store) PutFileCounts(ctx context.Context, counts []hub.FileCount, now time.Time) error {
	checked := make([]hub.FileCount, len(counts))
	for i, c := range counts {
		var err error
		if checked[i], err = hub.CheckFileCount(c); err != nil {
			return fmt.Errorf("put file counts: %w", err)
		}
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("put file counts: %w", err)
	}
	defer tx.Rollback()
	at := timeText(now)
	for _, c := range checked {
		if _, err := tx.ExecContext(ctx, `INSERT INTO file_counts (day, service_point, files, recorded_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (day, service_point) DO UPDATE SET files = excluded.files, recorded_at = excluded.recorded_at`,
			c.Day, c.ServicePoint, c.Files, at); err != nil {
			return fmt.Errorf("put file counts %s %q: %w", c.Day, c.ServicePoint, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("put file counts: %w", err)
	}
	return nil
}

// FileTotals implements hub.Store.
func (s *Store) FileTotals(ctx context.Context, fromDay, toDay string) ([]hub.FileCount, error) {
	where, args := dayRange(fromDay, toDay)
	rows, err := s.r.QueryContext(ctx, `SELECT service_point, SUM(files) FROM file_counts`+where+` GROUP BY service_point ORDER BY service_point`, args...)
	if err != nil {
		return nil, fmt.Errorf("file totals: %w", err)
	}
	defer rows.Close()
	var out []hub.FileCount
	for rows.Next() {
		var c hub.FileCount
		if err := rows.Scan(&c.ServicePoint, &c.Files); err != nil {
			return nil, fmt.Errorf("file totals: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("file totals: %w", err)
	}
	return out, nil
}

// FileCounts implements hub.Store.
func (s *Store) FileCounts(ctx context.Context, fromDay, toDay string) ([]hub.FileCount, error) {
	where, args := dayRange(fromDay, toDay)
	rows, err := s.r.QueryContext(ctx, `SELECT day, service_point, files FROM file_counts`+where+` ORDER BY day, service_point`, args...)
	if err != nil {
		return nil, fmt.Errorf("file counts: %w", err)
	}
	defer rows.Close()
	var out []hub.FileCount
	for rows.Next() {
		var c hub.FileCount
		if err := rows.Scan(&c.Day, &c.ServicePoint, &c.Files); err != nil {
			return nil, fmt.Errorf("file counts: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("file counts: %w", err)
	}
	return out, nil
}

// dayRange is the WHERE clause and arguments choosing the rows of a table
// by day (file_counts, slip_prints) from fromDay up to toDay (excluded),
// "" for no bound.
func dayRange(fromDay, toDay string) (string, []any) {
	where, args := ` WHERE 1 = 1`, []any(nil)
	if fromDay != "" {
		where, args = where+` AND day >= ?`, append(args, fromDay)
	}
	if toDay != "" {
		where, args = where+` AND day < ?`, append(args, toDay)
	}
	return where, args
}
