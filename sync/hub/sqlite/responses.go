package sqlite

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// pageSize is how many responses Responses reads per query.
const pageSize = 1000

// Ingest implements hub.Store: one IMMEDIATE transaction for the batch.
// SQLite has a single writer, so concurrent batches queue on the write
// connection and never deadlock; there is nothing to retry.
//
// ctx ends the transaction (database/sql rolls it back) and is checked
// between items and before the commit. The statements themselves run with
// a context that is never cancelled: go-sqlite3 starts a goroutine per
// statement to watch a cancellable one, a quarter of the store's CPU time
// for a batch of 500.
func (s *Store) Ingest(ctx context.Context, items []hub.Incoming, receivedAt time.Time) ([]protocol.Outcome, error) {
	defer s.metrics.observe("writer", "ingest", time.Now())
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("ingest: begin: %w", err)
	}
	defer tx.Rollback()
	sctx := context.WithoutCancel(ctx)
	ins, err := tx.PrepareContext(sctx, `INSERT INTO responses
		(id, device_id, survey_id, survey_version, started_at, service_point, status, content, signature, received_at, seq)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`)
	if err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	defer ins.Close()
	get, err := tx.PrepareContext(sctx, `SELECT content FROM responses WHERE id = ?`)
	if err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	defer get.Close()
	chain, err := newChainWriter(sctx, tx)
	if err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	defer chain.close()
	at := timeText(receivedAt)
	out := make([]protocol.Outcome, 0, len(items))
	statuses := make([]hub.SlipStatus, len(items))
	for i, it := range items {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("ingest: %w", err)
		}
		o, err := ingestOne(sctx, tx, ins, get, it, at)
		if err != nil {
			return nil, err
		}
		if o == protocol.Accepted {
			chain.append(it.Response.ID, it.Content, receivedAt)
			if it.Slip != "" {
				if statuses[i], err = recordSlip(sctx, tx, it, at); err != nil {
					return nil, err
				}
			}
		}
		out = append(out, o)
	}
	if err := chain.flush(sctx); err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	var accepted []hub.Incoming
	for i, o := range out {
		if o == protocol.Accepted {
			it := items[i]
			it.SlipStatus = statuses[i]
			accepted = append(accepted, it)
		}
	}
	if err := addFigures(sctx, tx, accepted); err != nil {
		return nil, err
	}
	if err := addSeqRuns(sctx, tx, accepted); err != nil {
		return nil, err
	}
	if err := ingestEvents(sctx, tx, accepted, receivedAt); err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("ingest: commit: %w", err)
	}
	s.ck.committed()
	return out, nil
}

// ingestOne stores or compares one item inside the batch's transaction.
func ingestOne(ctx context.Context, tx *sql.Tx, ins, get *sql.Stmt, it hub.Incoming, at sql.NullString) (protocol.Outcome, error) {
	r := it.Response
	res, err := ins.ExecContext(ctx, r.ID, r.DeviceID, r.SurveyID, r.SurveyVersion, timeText(r.StartedAt),
		r.ServicePoint, string(r.Status), it.Content, it.Signature, at, sql.NullInt64{Int64: it.Seq, Valid: it.Seq > 0})
	if err != nil {
		return "", fmt.Errorf("ingest %s: %w", r.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return "", fmt.Errorf("ingest %s: %w", r.ID, err)
	} else if n == 1 {
		return protocol.Accepted, nil
	}
	var have []byte
	switch err := get.QueryRowContext(ctx, r.ID).Scan(&have); {
	case errors.Is(err, sql.ErrNoRows):
		// Purged (the trigger responses_not_purged skipped the insert): its
		// chain entry's digest is what was accepted.
		var digest []byte
		if err := tx.QueryRowContext(ctx, `SELECT digest FROM chain WHERE response_id = ?`, r.ID).Scan(&digest); err != nil {
			return "", fmt.Errorf("ingest %s: neither stored nor purged: %w", r.ID, err)
		}
		if d := protocol.ContentDigest(it.Content); bytes.Equal(digest, d[:]) {
			return protocol.Duplicate, nil
		}
	case err != nil:
		return "", fmt.Errorf("ingest %s: read stored: %w", r.ID, err)
	case bytes.Equal(have, it.Content):
		return protocol.Duplicate, nil
	}
	sum := sha256.Sum256(it.Content)
	if _, err := tx.ExecContext(ctx, `INSERT INTO conflicts (response_id, content_hash, device_id, content, received_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, r.ID, sum[:], r.DeviceID, it.Content, at); err != nil {
		return "", fmt.Errorf("ingest %s: record conflict: %w", r.ID, err)
	}
	return protocol.Conflict, nil
}

// Response implements hub.Store.
func (s *Store) Response(ctx context.Context, id string) (*survey.Response, error) {
	var content []byte
	err := s.r.QueryRowContext(ctx, `SELECT content FROM responses WHERE id = ?`, id).Scan(&content)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("response %s: %w", id, hub.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("response %s: %w", id, err)
	}
	return decodeContent(id, content)
}

// decodeContent reads a stored canonical encoding back into a response.
func decodeContent(id string, content []byte) (*survey.Response, error) {
	var r survey.Response
	if err := json.Unmarshal(content, &r); err != nil {
		return nil, fmt.Errorf("response %s: stored content: %w", id, err)
	}
	return &r, nil
}

// Responses implements hub.Store, reading pageSize rows per query by
// keyset (started_at, id), so memory stays flat at any size.
func (s *Store) Responses(ctx context.Context, f hub.Filter) iter.Seq2[*survey.Response, error] {
	return func(yield func(*survey.Response, error) bool) {
		where, args := filterSQL(f)
		lastStart, lastID := "", ""
		for {
			cond := where
			pargs := append([]any(nil), args...)
			if lastID != "" {
				cond = append(cond, "(started_at, id) > (?, ?)")
				pargs = append(pargs, lastStart, lastID)
			}
			q := `SELECT id, started_at, content FROM responses`
			if len(cond) > 0 {
				q += " WHERE " + strings.Join(cond, " AND ")
			}
			q += fmt.Sprintf(" ORDER BY started_at, id LIMIT %d", pageSize)
			page, err := s.page(ctx, q, pargs)
			if err != nil {
				yield(nil, fmt.Errorf("responses: %w", err))
				return
			}
			for _, row := range page {
				r, err := decodeContent(row.id, row.content)
				if !yield(r, err) || err != nil {
					return
				}
				lastStart, lastID = row.start, row.id
			}
			if len(page) < pageSize {
				return
			}
		}
	}
}

type pageRow struct {
	id, start string
	content   []byte
}

// page reads one page fully and closes its rows before the caller yields,
// so a slow consumer never holds a read transaction open.
func (s *Store) page(ctx context.Context, q string, args []any) ([]pageRow, error) {
	defer s.metrics.observe("readers", "responses", time.Now())
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []pageRow
	for rows.Next() {
		var pr pageRow
		if err := rows.Scan(&pr.id, &pr.start, &pr.content); err != nil {
			return nil, err
		}
		out = append(out, pr)
	}
	return out, rows.Err()
}

// filterSQL spells f's terms as WHERE conditions and their arguments.
func filterSQL(f hub.Filter) ([]string, []any) { return termsSQL(f.Terms()) }

// termsSQL spells filter terms as WHERE conditions and their arguments.
// Times are compared as the stored text; a response's event tag is kept
// inside its content only.
func termsSQL(ts []hub.FilterTerm) ([]string, []any) {
	var cond []string
	var args []any
	for _, t := range ts {
		col, v := t.Column, t.Value
		if col == "event_tag" {
			col = "json_extract(content, '$.event_tag')"
		}
		if at, ok := v.(time.Time); ok {
			v = timeText(at).String
		}
		cond, args = append(cond, col+" "+t.Op+" ?"), append(args, v)
	}
	return cond, args
}

// list runs the SELECT q, narrowed by the terms ts and ordered by order,
// and returns every row as scan reads it; what names the list in errors.
func list[T any](ctx context.Context, db *sql.DB, what, q string, ts []hub.FilterTerm, order string, scan func(scanner) (T, error)) ([]T, error) {
	cond, args := termsSQL(ts)
	if len(cond) > 0 {
		q += " WHERE " + strings.Join(cond, " AND ")
	}
	rows, err := db.QueryContext(ctx, q+" ORDER BY "+order, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// value turns a scan that returns a pointer into one that returns the value.
func value[T any](scan func(scanner) (*T, error)) func(scanner) (T, error) {
	return func(sc scanner) (T, error) {
		p, err := scan(sc)
		if err != nil {
			var zero T
			return zero, err
		}
		return *p, nil
	}
}

// Conflicts implements hub.Store.
func (s *Store) Conflicts(ctx context.Context) ([]hub.Conflict, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT response_id, device_id, content, received_at FROM conflicts
		ORDER BY received_at, response_id`)
	if err != nil {
		return nil, fmt.Errorf("conflicts: %w", err)
	}
	defer rows.Close()
	var out []hub.Conflict
	for rows.Next() {
		var c hub.Conflict
		var at sql.NullString
		if err := rows.Scan(&c.ResponseID, &c.DeviceID, &c.Content, &at); err != nil {
			return nil, fmt.Errorf("conflicts: %w", err)
		}
		if c.ReceivedAt, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("conflicts: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("conflicts: %w", err)
	}
	return out, nil
}

// addFigures adds the accepted items' cells to the figures rollup and its
// sums (hub.RollupRows, hub.CoarseRows, hub.DeviceRows, hub.MonthRows,
// hub.DayRows).
func addFigures(ctx context.Context, tx *sql.Tx, accepted []hub.Incoming) error {
	return addRollupRows(ctx, tx, hub.RollupRows(accepted), allSums)
}

// rollupSums is which of the rollup's sums a migration step's backfill
// keeps: those whose tables exist at that step.
type rollupSums int

const (
	// coarseSums: the fine rows, figures_days and figures_points (the
	// backfill of sql/0006; sql/0012 and later fill their own tables
	// from the rollup).
	coarseSums rollupSums = iota
	// monthSums adds the device and month sums (sql/0012, sql/0013: the
	// backfill of sql/0014).
	monthSums
	// allSums adds the point and device day sums (sql/0022): Ingest.
	allSums
)

// addRollupRows adds fine rollup rows and their sums up to upTo.
func addRollupRows(ctx context.Context, tx *sql.Tx, fine []hub.RollupRow, upTo rollupSums) error {
	if len(fine) == 0 {
		return nil
	}
	days, points := hub.CoarseRows(fine)
	var devs, monthPoints, monthDevs, dayPoints, dayDevs []hub.RollupRow
	if upTo >= monthSums {
		devs = hub.DeviceRows(fine)
		monthPoints, monthDevs = hub.MonthRows(fine)
	}
	if upTo >= allSums {
		dayPoints, dayDevs = hub.DayRows(fine)
	}
	for _, t := range []struct {
		table, cols string
		rows        []hub.RollupRow
		args        func(r hub.RollupRow) []any
	}{
		{hub.TableDevices, "service_point, device_id, survey_id, survey_version, status, misuse, metric", devs,
			func(r hub.RollupRow) []any {
				return []any{r.ServicePoint, r.DeviceID, r.SurveyID, r.SurveyVersion, r.Status, r.Misuse, r.Metric, r.N, r.Sat}
			}},
		{hub.TableMonthPoints, "day, service_point, survey_id, survey_version, status, misuse, metric", monthPoints,
			func(r hub.RollupRow) []any {
				return []any{r.Day, r.ServicePoint, r.SurveyID, r.SurveyVersion, r.Status, r.Misuse, r.Metric, r.N, r.Sat}
			}},
		{hub.TableMonthDevices, "day, service_point, device_id, survey_id, survey_version, status, misuse, metric", monthDevs,
			func(r hub.RollupRow) []any {
				return []any{r.Day, r.ServicePoint, r.DeviceID, r.SurveyID, r.SurveyVersion, r.Status, r.Misuse, r.Metric, r.N, r.Sat}
			}},
		{hub.TablePointDays, "service_point, day, survey_id, survey_version, status, misuse, metric", dayPoints,
			func(r hub.RollupRow) []any {
				return []any{r.ServicePoint, r.Day, r.SurveyID, r.SurveyVersion, r.Status, r.Misuse, r.Metric, r.N, r.Sat}
			}},
		{hub.TableDeviceDays, "device_id, day, service_point, survey_id, survey_version, status, misuse, metric", dayDevs,
			func(r hub.RollupRow) []any {
				return []any{r.DeviceID, r.Day, r.ServicePoint, r.SurveyID, r.SurveyVersion, r.Status, r.Misuse, r.Metric, r.N, r.Sat}
			}},
		{hub.TableFine, "day, survey_id, survey_version, service_point, device_id, status, misuse, event_tag, metric", fine,
			func(r hub.RollupRow) []any {
				return []any{r.Day, r.SurveyID, r.SurveyVersion, r.ServicePoint, r.DeviceID, r.Status, r.Misuse, r.EventTag, r.Metric, r.N, r.Sat}
			}},
		{hub.TableDays, "day, survey_id, survey_version, status, misuse, metric", days,
			func(r hub.RollupRow) []any {
				return []any{r.Day, r.SurveyID, r.SurveyVersion, r.Status, r.Misuse, r.Metric, r.N, r.Sat}
			}},
		{hub.TablePoints, "service_point, survey_id, survey_version, status, misuse, metric", points,
			func(r hub.RollupRow) []any {
				return []any{r.ServicePoint, r.SurveyID, r.SurveyVersion, r.Status, r.Misuse, r.Metric, r.N, r.Sat}
			}},
	} {
		if len(t.rows) == 0 {
			continue
		}
		marks := strings.Repeat("?, ", strings.Count(t.cols, ",")+1) + "?, ?"
		st, err := tx.PrepareContext(ctx, `INSERT INTO `+t.table+` (`+t.cols+`, n, sat) VALUES (`+marks+`)
			ON CONFLICT DO UPDATE SET n = n + excluded.n, sat = sat + excluded.sat`)
		if err != nil {
			return fmt.Errorf("ingest: figures: %w", err)
		}
		for _, r := range t.rows {
			if _, err := st.ExecContext(ctx, t.args(r)...); err != nil {
				st.Close()
				return fmt.Errorf("ingest: figures: %w", err)
			}
		}
		st.Close()
	}
	return nil
}

// sqliteDialect writes hub.FigureQueries for SQLite (days are text).
var sqliteDialect = hub.Dialect{
	Param:     func(int) string { return "?" },
	DayParam:  func(int) string { return "?" },
	DayColumn: "day",
}

// Figures implements hub.Store with hub.FigureQueries.
func (s *Store) Figures(ctx context.Context, f hub.Filter) iter.Seq2[report.Cell, error] {
	return func(yield func(report.Cell, error) bool) {
		qs, err := hub.FigureQueries(f, sqliteDialect)
		if err != nil {
			yield(report.Cell{}, err)
			return
		}
		for _, q := range qs {
			for c, err := range hub.Cells(s.figureRows(ctx, q), q.Part) {
				if !yield(c, err) || err != nil {
					return
				}
			}
		}
	}
}

func (s *Store) figureRows(ctx context.Context, q hub.FigureQuery) iter.Seq2[hub.RollupRow, error] {
	return func(yield func(hub.RollupRow, error) bool) {
		defer s.metrics.observe("readers", "figures", time.Now())
		rows, err := s.r.QueryContext(ctx, q.SQL, q.Args...)
		if err != nil {
			yield(hub.RollupRow{}, fmt.Errorf("figures: %w", err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var r hub.RollupRow
			if err := rows.Scan(&r.Day, &r.ServicePoint, &r.SurveyID, &r.SurveyVersion, &r.Status, &r.Misuse, &r.Metric, &r.N, &r.Sat); err != nil {
				yield(hub.RollupRow{}, fmt.Errorf("figures: %w", err))
				return
			}
			if !yield(r, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(hub.RollupRow{}, fmt.Errorf("figures: %w", err))
		}
	}
}

// DeviceCounts implements hub.Store with hub.DeviceCountQuery.
func (s *Store) DeviceCounts(ctx context.Context, f hub.Filter) ([]hub.DeviceCount, error) {
	defer s.metrics.observe("readers", "device_counts", time.Now())
	q, err := hub.DeviceCountQuery(f, sqliteDialect)
	if err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, q.SQL, q.Args...)
	if err != nil {
		return nil, fmt.Errorf("device counts: %w", err)
	}
	defer rows.Close()
	var out []hub.DeviceCount
	for rows.Next() {
		var c hub.DeviceCount
		if err := rows.Scan(&c.ServicePoint, &c.DeviceID, &c.Responses); err != nil {
			return nil, fmt.Errorf("device counts: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("device counts: %w", err)
	}
	return out, nil
}
