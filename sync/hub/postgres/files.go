package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// PutFileCounts implements hub.Store, in one statement over arrays.
func (s *Store) PutFileCounts(ctx context.Context, counts []hub.FileCount, now time.Time) error {
	n := len(counts)
	days, points, files := make([]string, n), make([]string, n), make([]int32, n)
	last := map[[2]string]int{} // one row per day and point: the last given wins
	for i, c := range counts {
		checked, err := hub.CheckFileCount(c)
		if err != nil {
			return fmt.Errorf("put file counts: %w", err)
		}
		days[i], points[i], files[i] = checked.Day, checked.ServicePoint, int32(checked.Files)
		last[[2]string{checked.Day, checked.ServicePoint}] = i
	}
	var d, p []string
	var f []int32
	for i := range counts {
		if last[[2]string{days[i], points[i]}] == i {
			d, p, f = append(d, days[i]), append(p, points[i]), append(f, files[i])
		}
	}
	if len(d) == 0 {
		return nil
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO file_counts (day, service_point, files, recorded_at)
		SELECT d, p, f, $4 FROM unnest($1::text[], $2::text[], $3::int[]) AS u(d, p, f)
		ON CONFLICT (day, service_point) DO UPDATE SET files = excluded.files, recorded_at = excluded.recorded_at`,
		d, p, f, now.UTC()); err != nil {
		return fmt.Errorf("put file counts: %w", err)
	}
	return nil
}

// FileTotals implements hub.Store.
func (s *Store) FileTotals(ctx context.Context, fromDay, toDay string) ([]hub.FileCount, error) {
	rows, err := s.read.Query(ctx, `SELECT service_point, SUM(files) FROM file_counts
		WHERE ($1 = '' OR day >= $1) AND ($2 = '' OR day < $2) GROUP BY service_point ORDER BY service_point`, fromDay, toDay)
	if err != nil {
		return nil, fmt.Errorf("file totals: %w", err)
	}
	var out []hub.FileCount
	var c hub.FileCount
	if _, err := pgx.ForEachRow(rows, []any{&c.ServicePoint, &c.Files}, func() error {
		out = append(out, c)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("file totals: %w", err)
	}
	return out, nil
}

// FileCounts implements hub.Store.
func (s *Store) FileCounts(ctx context.Context, fromDay, toDay string) ([]hub.FileCount, error) {
	rows, err := s.read.Query(ctx, `SELECT day, service_point, files FROM file_counts
		WHERE ($1 = '' OR day >= $1) AND ($2 = '' OR day < $2) ORDER BY day, service_point`, fromDay, toDay)
	if err != nil {
		return nil, fmt.Errorf("file counts: %w", err)
	}
	var out []hub.FileCount
	var c hub.FileCount
	if _, err := pgx.ForEachRow(rows, []any{&c.Day, &c.ServicePoint, &c.Files}, func() error {
		out = append(out, c)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("file counts: %w", err)
	}
	return out, nil
}
