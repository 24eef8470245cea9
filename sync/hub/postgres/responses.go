package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// pageSize is how many responses Responses reads per query.
const pageSize = 1000

// maxAttempts bounds the attempts of one Ingest or Purge when the server
// aborts it for a serialization failure or a deadlock (hub.Store's retry
// rule).
const maxAttempts = 5

// Ingest implements hub.Store. A batch is a handful of statements over
// arrays, whatever its size: the ids are claimed in response_ids in id
// order (so concurrent batches lock shared ids in one order and cannot
// deadlock each other), the responses whose id was new are inserted, and
// conflicts recorded. A concurrent batch holding one of the ids makes the
// claim wait for its commit or rollback, so exactly one delivery of an id
// is ever accepted.
func (s *Store) Ingest(ctx context.Context, items []hub.Incoming, receivedAt time.Time) ([]protocol.Outcome, error) {
	if len(items) == 0 {
		return []protocol.Outcome{}, nil
	}
	if err := s.ensurePartitions(ctx, items); err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	var out []protocol.Outcome
	err := retrying(ctx, func() (err error) {
		out, err = s.ingestOnce(ctx, items, receivedAt.UTC())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	return out, nil
}

// retrying runs attempt, which must be one whole transaction, again
// (up to maxAttempts in all) while the server aborts it for a reason
// that says nothing about the data, and returns its last error.
func retrying(ctx context.Context, attempt func() error) error {
	for n := 1; ; n++ {
		err := attempt()
		if err == nil || n == maxAttempts || !retryable(err) || ctx.Err() != nil {
			return err
		}
	}
}

// retryable reports an abort that says nothing about the data:
// serialization_failure or deadlock_detected.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

func (s *Store) ingestOnce(ctx context.Context, items []hub.Incoming, at time.Time) ([]protocol.Outcome, error) {
	// The first item of each id decides (hub.Store); later ones compare.
	digests := make([][]byte, len(items))
	first := map[string]int{}
	var claim []int // indexes of first occurrences, in id order
	for i := range items {
		sum := sha256.Sum256(items[i].Content)
		digests[i] = sum[:]
		if _, seen := first[items[i].Response.ID]; !seen {
			first[items[i].Response.ID] = i
			claim = append(claim, i)
		}
	}
	slices.SortFunc(claim, func(a, b int) int { return strings.Compare(items[a].Response.ID, items[b].Response.ID) })
	ids := make([]string, len(claim))
	starts := make([]time.Time, len(claim))
	sums := make([][]byte, len(claim))
	for k, i := range claim {
		ids[k], starts[k], sums[k] = items[i].Response.ID, items[i].Response.StartedAt.UTC(), digests[i]
	}

	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	rows, err := tx.Query(ctx, `INSERT INTO response_ids (id, started_at, digest)
		SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::bytea[]) ORDER BY 1
		ON CONFLICT (id) DO NOTHING RETURNING id`, ids, starts, sums)
	if err != nil {
		return nil, fmt.Errorf("claim ids: %w", err)
	}
	newIDs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("claim ids: %w", err)
	}
	stored := make(map[string][]byte, len(claim)) // id → digest of the content that stays
	inserted := make(map[string]bool, len(newIDs))
	for _, id := range newIDs {
		stored[id], inserted[id] = digests[first[id]], true
	}
	if len(newIDs) < len(ids) {
		var old []string
		for _, id := range ids {
			if _, ok := stored[id]; !ok {
				old = append(old, id)
			}
		}
		rows, err := tx.Query(ctx, `SELECT id, digest FROM response_ids WHERE id = ANY($1::text[])`, old)
		if err != nil {
			return nil, fmt.Errorf("read stored ids: %w", err)
		}
		var id string
		var d []byte
		if _, err := pgx.ForEachRow(rows, []any{&id, &d}, func() error { stored[id] = d; return nil }); err != nil {
			return nil, fmt.Errorf("read stored ids: %w", err)
		}
	}

	out := make([]protocol.Outcome, len(items))
	var ins, conf []int
	recorded := map[string]bool{} // id + digest of conflicts already in this batch
	for i := range items {
		id := items[i].Response.ID
		switch have, ok := stored[id]; {
		case !ok:
			return nil, fmt.Errorf("response %s: neither claimed nor stored", id)
		case first[id] == i && inserted[id]:
			out[i] = protocol.Accepted
			ins = append(ins, i)
		case string(have) == string(digests[i]):
			out[i] = protocol.Duplicate
		default:
			out[i] = protocol.Conflict
			if k := id + string(digests[i]); !recorded[k] {
				recorded[k] = true
				conf = append(conf, i)
			}
		}
	}
	if len(ins) > 0 {
		if err := insertResponses(ctx, tx, items, ins, at); err != nil {
			return nil, err
		}
	}
	var accepted []hub.Incoming
	for _, i := range ins {
		accepted = append(accepted, items[i])
	}
	// The slips first: the rollup counts each rating in its slip channel.
	if err := recordSlips(ctx, tx, accepted, at); err != nil {
		return nil, err
	}
	if err := addFigures(ctx, tx, accepted); err != nil {
		return nil, err
	}
	if err := addSeqRuns(ctx, tx, accepted); err != nil {
		return nil, err
	}
	if err := appendChain(ctx, tx, accepted, at); err != nil {
		return nil, err
	}
	if err := ingestEvents(ctx, tx, accepted, at); err != nil {
		return nil, err
	}
	if len(conf) > 0 {
		n := len(conf)
		rid, dev := make([]string, n), make([]string, n)
		sum, content := make([][]byte, n), make([][]byte, n)
		for k, i := range conf {
			rid[k], dev[k], sum[k], content[k] = items[i].Response.ID, items[i].Response.DeviceID, digests[i], items[i].Content
		}
		if _, err := tx.Exec(ctx, `INSERT INTO conflicts (response_id, content_hash, device_id, content, received_at)
			SELECT r, h, d, c, $5 FROM unnest($1::text[], $2::bytea[], $3::text[], $4::bytea[]) AS u(r, h, d, c)
			ON CONFLICT DO NOTHING`, rid, sum, dev, content, at); err != nil {
			return nil, fmt.Errorf("record conflicts: %w", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	return out, nil
}

// insertResponses inserts items[idx] into responses in one statement.
func insertResponses(ctx context.Context, tx pgx.Tx, items []hub.Incoming, idx []int, at time.Time) error {
	n := len(idx)
	ids, devs, surveys, points, statuses, tags := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	versions := make([]int32, n)
	seqs := make([]*int64, n) // NULL for version 1 items
	starts := make([]time.Time, n)
	contents, sigs := make([][]byte, n), make([][]byte, n)
	for k, i := range idx {
		r := items[i].Response
		ids[k], devs[k], surveys[k], points[k], statuses[k], tags[k] = r.ID, r.DeviceID, r.SurveyID, r.ServicePoint, string(r.Status), r.EventTag
		versions[k], starts[k] = int32(r.SurveyVersion), r.StartedAt.UTC()
		contents[k], sigs[k] = items[i].Content, items[i].Signature
		if items[i].Seq > 0 {
			seqs[k] = &items[i].Seq
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO responses
		(started_at, id, device_id, survey_id, survey_version, service_point, status, event_tag, content, signature, received_at, seq)
		SELECT s, i, d, sv, v, p, st, e, c, sg, $11, q
		FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::bytea[], $10::bytea[], $12::bigint[])
			AS u(s, i, d, sv, v, p, st, e, c, sg, q)`,
		starts, ids, devs, surveys, versions, points, statuses, tags, contents, sigs, at, seqs); err != nil {
		return fmt.Errorf("insert responses: %w", err)
	}
	return nil
}

// monthOf is the first instant of t's month, in UTC.
func monthOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// ensurePartitions creates the month partitions of responses the items
// need and this process has not seen yet, under a transaction advisory
// lock so that concurrent hubs create each once.
func (s *Store) ensurePartitions(ctx context.Context, items []hub.Incoming) error {
	var need []time.Time
	s.mu.Lock()
	for _, it := range items {
		if m := monthOf(it.Response.StartedAt); !s.months[m] && !slices.Contains(need, m) {
			need = append(need, m)
		}
	}
	s.mu.Unlock()
	if len(need) == 0 {
		return nil
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(partitionLock)); err != nil {
			return err
		}
		for _, m := range need {
			name := fmt.Sprintf("responses_y%04dm%02d", m.Year(), int(m.Month()))
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, name).Scan(&exists); err != nil {
				return err
			}
			if exists {
				continue
			}
			q := fmt.Sprintf(`CREATE TABLE %s PARTITION OF responses FOR VALUES FROM ('%s') TO ('%s')`,
				pgx.Identifier{name}.Sanitize(), m.Format(time.RFC3339), m.AddDate(0, 1, 0).Format(time.RFC3339))
			if _, err := tx.Exec(ctx, q); err != nil {
				return fmt.Errorf("create partition %s: %w", name, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("month partitions: %w", err)
	}
	s.mu.Lock()
	for _, m := range need {
		s.months[m] = true
	}
	s.mu.Unlock()
	return nil
}

// Response implements hub.Store.
func (s *Store) Response(ctx context.Context, id string) (*survey.Response, error) {
	var content []byte
	err := s.pool.QueryRow(ctx, `SELECT r.content FROM response_ids i JOIN responses r ON r.started_at = i.started_at AND r.id = i.id
		WHERE i.id = $1`, id).Scan(&content)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("response %s: %w", id, hub.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("response %s: %w", id, err)
	}
	return decodeContent(id, content)
}

// decodeContent reads a stored canonical encoding back into a response,
// as json.Unmarshal does (by hand for the canonical layout: decodeCanonical).
func decodeContent(id string, content []byte) (*survey.Response, error) {
	if r, ok := decodeCanonical(content); ok {
		return r, nil
	}
	var r survey.Response
	if err := json.Unmarshal(content, &r); err != nil {
		return nil, fmt.Errorf("response %s: stored content: %w", id, err)
	}
	return &r, nil
}

// Responses implements hub.Store, reading pageSize rows per query by
// keyset (started_at, id), each page in its own short statement (short
// enough not to hold a replica's replay back), from the read replica when
// there is one (ReadFrom). While the caller takes one page, the next is
// read and decoded on another goroutine (the server, the decoding and the
// caller's work overlap): at most two pages are held, and no goroutine
// outlives the iteration.
func (s *Store) Responses(ctx context.Context, f hub.Filter) iter.Seq2[*survey.Response, error] {
	return func(yield func(*survey.Response, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		where, args := filterSQL(f)
		fetch := func(after *pageRow) <-chan decodedPage {
			cond := where
			pargs := append([]any(nil), args...)
			if after != nil {
				cond = append(cond, fmt.Sprintf("(started_at, id) > ($%d, $%d)", len(pargs)+1, len(pargs)+2))
				pargs = append(pargs, after.start, after.id)
			}
			q := `SELECT id, started_at, content FROM responses`
			if len(cond) > 0 {
				q += " WHERE " + strings.Join(cond, " AND ")
			}
			q += fmt.Sprintf(" ORDER BY started_at, id LIMIT %d", pageSize)
			ch := make(chan decodedPage, 1)
			go func() { ch <- s.page(ctx, q, pargs) }()
			return ch
		}
		next := fetch(nil)
		// A caller that stops early waits for the page being read to end
		// rather than cancelling it: a query cancelled mid-read leaves its
		// connection to be closed in the background, still taken from the
		// pool after Responses returns; one page read to the end is not.
		defer func() {
			if next != nil {
				<-next
			}
			cancel()
		}()
		for {
			page := <-next
			next = nil
			if page.err == nil && len(page.rows) == pageSize {
				next = fetch(&page.rows[len(page.rows)-1])
			}
			for _, row := range page.rows {
				if !yield(row.r, row.err) || row.err != nil {
					return
				}
			}
			if page.err != nil {
				yield(nil, fmt.Errorf("responses: %w", page.err))
				return
			}
			if next == nil {
				return
			}
		}
	}
}

// pageRow is one row of a page: its keyset and its decoded response (or
// the error decoding it).
type pageRow struct {
	id    string
	start time.Time
	r     *survey.Response
	err   error
}

// decodedPage is one page of Responses, its rows decoded. err is a read
// error after the rows (a decoding error stays with its row).
type decodedPage struct {
	rows []pageRow
	err  error
}

// page reads one page fully, decoding each row's content straight from
// the driver's buffer (decodeContent keeps no reference to it), so a slow
// consumer never holds a statement or a connection.
func (s *Store) page(ctx context.Context, q string, args []any) decodedPage {
	rows, err := s.read.Query(ctx, q, args...)
	if err != nil {
		return decodedPage{err: err}
	}
	defer rows.Close()
	out := make([]pageRow, 0, pageSize)
	var pr pageRow
	var content []byte
	dest := []any{&pr.id, &pr.start, &content}
	for rows.Next() {
		// In the binary format (the extended protocol's) a bytea's raw value
		// is its bytes; otherwise (simple protocol) the driver decodes it.
		raw := rows.FieldDescriptions()[2].Format == pgx.BinaryFormatCode
		if raw {
			dest[2] = nil
		}
		if err := rows.Scan(dest...); err != nil {
			return decodedPage{rows: out, err: err}
		}
		if raw {
			content = rows.RawValues()[2]
		}
		pr.r, pr.err = decodeContent(pr.id, content)
		out = append(out, pr)
	}
	return decodedPage{rows: out, err: rows.Err()}
}

// filterSQL spells f's terms as WHERE conditions and their arguments
// ($1...).
func filterSQL(f hub.Filter) ([]string, []any) { return termsSQL(f.Terms()) }

// termsSQL spells filter terms as WHERE conditions and their arguments
// ($1...).
func termsSQL(ts []hub.FilterTerm) ([]string, []any) {
	var cond []string
	var args []any
	for _, t := range ts {
		args = append(args, t.Value)
		cond = append(cond, fmt.Sprintf("%s %s $%d", t.Column, t.Op, len(args)))
	}
	return cond, args
}

// list runs the SELECT q, narrowed by the terms ts and ordered by order,
// and returns every row as scan reads it; what names the list in errors.
func list[T any](ctx context.Context, db *pgxpool.Pool, what, q string, ts []hub.FilterTerm, order string, scan func(pgx.Row) (T, error)) ([]T, error) {
	cond, args := termsSQL(ts)
	if len(cond) > 0 {
		q += " WHERE " + strings.Join(cond, " AND ")
	}
	rows, err := db.Query(ctx, q+" ORDER BY "+order, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (T, error) { return scan(r) })
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// value turns a scan that returns a pointer into one that returns the value.
func value[T any](scan func(pgx.Row) (*T, error)) func(pgx.Row) (T, error) {
	return func(r pgx.Row) (T, error) {
		p, err := scan(r)
		if err != nil {
			var zero T
			return zero, err
		}
		return *p, nil
	}
}

// Conflicts implements hub.Store.
func (s *Store) Conflicts(ctx context.Context) ([]hub.Conflict, error) {
	rows, err := s.pool.Query(ctx, `SELECT response_id, device_id, content, received_at FROM conflicts
		ORDER BY received_at, response_id`)
	if err != nil {
		return nil, fmt.Errorf("conflicts: %w", err)
	}
	var out []hub.Conflict
	var c hub.Conflict
	if _, err := pgx.ForEachRow(rows, []any{&c.ResponseID, &c.DeviceID, &c.Content, &c.ReceivedAt}, func() error {
		c.ReceivedAt = c.ReceivedAt.UTC()
		out = append(out, c)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("conflicts: %w", err)
	}
	return out, nil
}

// addFigures adds the accepted items' cells to the figures rollup and its
// sums (hub.RollupRows, hub.CoarseRows, hub.DeviceRows, hub.MonthRows,
// hub.DayRows), one statement a table, rows in key order (so concurrent
// batches lock shared rows in one order).
func addFigures(ctx context.Context, tx pgx.Tx, accepted []hub.Incoming) error {
	return addFigureRows(ctx, tx, hub.RollupRows(accepted), true)
}

// addFigureRows adds fine rollup rows and their sums; the day sums
// (sql/0019) only when days is true (the backfill of sql/0011 runs before
// their tables exist, and sql/0019 fills them from the rollup).
func addFigureRows(ctx context.Context, tx pgx.Tx, fine []hub.RollupRow, days bool) error {
	if len(fine) == 0 {
		return nil
	}
	byDay, points := hub.CoarseRows(fine)
	monthPoints, monthDevs := hub.MonthRows(fine)
	var dayPoints, dayDevs []hub.RollupRow
	if days {
		dayPoints, dayDevs = hub.DayRows(fine)
	}
	for _, t := range []struct {
		table string
		keys  []string // key columns besides survey_id .. metric
		rows  []hub.RollupRow
	}{
		{hub.TableFine, []string{"day", "service_point", "device_id", "event_tag"}, fine},
		{hub.TableDays, []string{"day"}, byDay},
		{hub.TablePoints, []string{"service_point"}, points},
		{hub.TableDevices, []string{"service_point", "device_id"}, hub.DeviceRows(fine)},
		{hub.TableMonthPoints, []string{"day", "service_point"}, monthPoints},
		{hub.TableMonthDevices, []string{"day", "service_point", "device_id"}, monthDevs},
		{hub.TablePointDays, []string{"service_point", "day"}, dayPoints},
		{hub.TableDeviceDays, []string{"device_id", "day", "service_point"}, dayDevs},
	} {
		if len(t.rows) == 0 {
			continue
		}
		n := len(t.rows)
		col := map[string][]string{"day": make([]string, n), "service_point": make([]string, n), "device_id": make([]string, n),
			"event_tag": make([]string, n), "survey_id": make([]string, n), "status": make([]string, n), "metric": make([]string, n)}
		versions, misuse := make([]int32, n), make([]bool, n)
		ns, sats := make([]int64, n), make([]int64, n)
		for k, r := range t.rows {
			col["day"][k], col["service_point"][k], col["device_id"][k], col["event_tag"][k] = r.Day, r.ServicePoint, r.DeviceID, r.EventTag
			col["survey_id"][k], col["status"][k], col["metric"][k] = r.SurveyID, r.Status, r.Metric
			versions[k], misuse[k], ns[k], sats[k] = int32(r.SurveyVersion), r.Misuse, int64(r.N), int64(r.Sat)
		}
		keys := append(append([]string{}, t.keys...), "survey_id", "status", "metric")
		var sel, unnest []string
		args := []any{}
		for _, k := range keys {
			args = append(args, col[k])
			unnest = append(unnest, fmt.Sprintf("$%d::text[]", len(args)))
			if k == "day" {
				sel = append(sel, "u.day::date")
			} else {
				sel = append(sel, "u."+k)
			}
		}
		args = append(args, versions, misuse, ns, sats)
		unnest = append(unnest, fmt.Sprintf("$%d::int[]", len(args)-3), fmt.Sprintf("$%d::bool[]", len(args)-2),
			fmt.Sprintf("$%d::bigint[]", len(args)-1), fmt.Sprintf("$%d::bigint[]", len(args)))
		all := append(append([]string{}, keys...), "survey_version", "misuse")
		q := `INSERT INTO ` + t.table + ` AS f (` + strings.Join(all, ", ") + `, n, sat)
			SELECT ` + strings.Join(sel, ", ") + `, u.survey_version, u.misuse, u.n, u.sat
			FROM unnest(` + strings.Join(unnest, ", ") + `) WITH ORDINALITY AS u(` + strings.Join(keys, ", ") + `, survey_version, misuse, n, sat, o)
			ORDER BY u.o
			ON CONFLICT (` + strings.Join(all, ", ") + `) DO UPDATE SET n = f.n + excluded.n, sat = f.sat + excluded.sat`
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			return fmt.Errorf("figures %s: %w", t.table, err)
		}
	}
	return nil
}

// pgDialect writes hub.FigureQueries for PostgreSQL (days are dates).
var pgDialect = hub.Dialect{
	Param:     func(n int) string { return fmt.Sprintf("$%d", n) },
	DayParam:  func(n int) string { return fmt.Sprintf("$%d::date", n) },
	DayColumn: "to_char(day, 'YYYY-MM-DD')",
}

// Figures implements hub.Store with hub.FigureQueries, on the read
// replica when there is one.
func (s *Store) Figures(ctx context.Context, f hub.Filter) iter.Seq2[report.Cell, error] {
	return func(yield func(report.Cell, error) bool) {
		qs, err := hub.FigureQueries(f, pgDialect)
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
		rows, err := s.read.Query(ctx, q.SQL, q.Args...)
		if err != nil {
			yield(hub.RollupRow{}, fmt.Errorf("figures: %w", err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var r hub.RollupRow
			var version int32
			var n, sat int64
			if err := rows.Scan(&r.Day, &r.ServicePoint, &r.SurveyID, &version, &r.Status, &r.Misuse, &r.Metric, &n, &sat); err != nil {
				yield(hub.RollupRow{}, fmt.Errorf("figures: %w", err))
				return
			}
			r.SurveyVersion, r.N, r.Sat = int(version), int(n), int(sat)
			if !yield(r, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(hub.RollupRow{}, fmt.Errorf("figures: %w", err))
		}
	}
}

// DeviceCounts implements hub.Store with hub.DeviceCountQuery, on the
// read replica when there is one.
func (s *Store) DeviceCounts(ctx context.Context, f hub.Filter) ([]hub.DeviceCount, error) {
	q, err := hub.DeviceCountQuery(f, pgDialect)
	if err != nil {
		return nil, err
	}
	rows, err := s.read.Query(ctx, q.SQL, q.Args...)
	if err != nil {
		return nil, fmt.Errorf("device counts: %w", err)
	}
	defer rows.Close()
	var out []hub.DeviceCount
	for rows.Next() {
		var c hub.DeviceCount
		var n int64
		if err := rows.Scan(&c.ServicePoint, &c.DeviceID, &n); err != nil {
			return nil, fmt.Errorf("device counts: %w", err)
		}
		c.Responses = int(n)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("device counts: %w", err)
	}
	return out, nil
}
