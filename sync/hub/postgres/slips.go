package postgres

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/slip"
)

// SlipKey implements hub.Store: INSERT ... ON CONFLICT DO NOTHING, then
// read back; a concurrent first insert waits for the other's commit and
// then reads its key.
func (s *Store) SlipKey(ctx context.Context, candidate ed25519.PrivateKey, now time.Time) (ed25519.PrivateKey, error) {
	var k []byte
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if len(candidate) == ed25519.PrivateKeySize {
			if _, err := tx.Exec(ctx, `INSERT INTO hub_keys (name, private_key, created_at) VALUES ('slip', $1, $2)
				ON CONFLICT (name) DO NOTHING`, []byte(candidate), now.UTC()); err != nil {
				return err
			}
		}
		return tx.QueryRow(ctx, `SELECT private_key FROM hub_keys WHERE name = 'slip'`).Scan(&k)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("slip key: none stored and no valid candidate: %w", hub.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("slip key: %w", err)
	}
	return ed25519.PrivateKey(k), nil
}

// IssueSlips implements hub.Store, in one statement over arrays.
func (s *Store) IssueSlips(ctx context.Context, slips []hub.Slip) error {
	if len(slips) == 0 {
		return nil
	}
	n := len(slips)
	codes, points, batches := make([]string, n), make([]string, n), make([]string, n)
	printed := make([]time.Time, n)
	for i, sl := range slips {
		if sl.Code.IsZero() {
			return errors.New("issue slips: a slip has no code")
		}
		codes[i], points[i], batches[i], printed[i] = sl.Code.Compact(), sl.ServicePoint, sl.BatchID, sl.PrintedAt.UTC()
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO slips (code, service_point, batch_id, printed_at)
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
			ON CONFLICT (code) DO NOTHING`, codes, points, batches, printed)
		if err != nil {
			return err
		}
		if tag.RowsAffected() != int64(n) {
			return fmt.Errorf("%d of %d codes are already stored: %w", int64(n)-tag.RowsAffected(), n, hub.ErrConflict)
		}
		for _, p := range hub.SlipPrintRows(slips) {
			if _, err := tx.Exec(ctx, `INSERT INTO slip_prints (day, service_point, printed) VALUES ($1::date, $2, $3)
				ON CONFLICT (day, service_point) DO UPDATE SET printed = slip_prints.printed + excluded.printed`,
				p.Day, p.ServicePoint, p.Printed); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("issue slips: %w", err)
	}
	return nil
}

// Slip implements hub.Store.
func (s *Store) Slip(ctx context.Context, c slip.Code) (*hub.Slip, error) {
	var code string
	var usedBy, usedDevice *string
	var usedAt *time.Time
	sl := hub.Slip{}
	err := s.pool.QueryRow(ctx, `SELECT code, service_point, batch_id, printed_at, used_by, used_at, used_device
		FROM slips WHERE code = $1`, c.Compact()).Scan(&code, &sl.ServicePoint, &sl.BatchID, &sl.PrintedAt, &usedBy, &usedAt, &usedDevice)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("slip %s: %w", c, hub.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("slip %s: %w", c, err)
	}
	if sl.Code, err = slip.ParseCode(code); err != nil {
		return nil, fmt.Errorf("slip %s: stored code: %w", c, err)
	}
	sl.PrintedAt = sl.PrintedAt.UTC()
	if usedBy != nil {
		sl.UsedBy = *usedBy
	}
	if usedDevice != nil {
		sl.UsedDevice = *usedDevice
	}
	if usedAt != nil {
		sl.UsedAt = usedAt.UTC()
	}
	return &sl, nil
}

// UseSlip implements hub.Store.
func (s *Store) UseSlip(ctx context.Context, code, responseID, deviceID string, at time.Time) (hub.SlipStatus, error) {
	var st hub.SlipStatus
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		st, err = useSlip(ctx, tx, code, responseID, deviceID, at.UTC())
		return err
	})
	if err != nil {
		return "", fmt.Errorf("use slip %s: %w", code, err)
	}
	return st, nil
}

// useSlip is UseSlip inside tx. At READ COMMITTED the conditional UPDATE
// of a slip another transaction is using waits for that one to end, then
// re-reads the row: if it committed, used_by is set and nothing matches.
func useSlip(ctx context.Context, tx pgx.Tx, code, responseID, deviceID string, at time.Time) (hub.SlipStatus, error) {
	tag, err := tx.Exec(ctx, `UPDATE slips SET used_by = $2, used_at = $3, used_device = $4
		WHERE code = $1 AND used_by IS NULL`, code, responseID, at, deviceID)
	if err != nil {
		return "", err
	}
	if tag.RowsAffected() == 1 {
		return hub.SlipFirst, nil
	}
	var usedBy *string
	switch err := tx.QueryRow(ctx, `SELECT used_by FROM slips WHERE code = $1`, code).Scan(&usedBy); {
	case errors.Is(err, pgx.ErrNoRows):
		return hub.SlipUnknown, nil
	case err != nil:
		return "", err
	case usedBy != nil && *usedBy == responseID:
		return hub.SlipFirst, nil
	}
	return hub.SlipReused, nil
}

// recordSlips uses the slips of accepted items and stores their statuses,
// in code order so that concurrent batches lock slips in one order, and
// sets each item's SlipStatus (hub.SlipAt: a first use from another
// service point than the response's and its device's is SlipElsewhere)
// for the rollup.
func recordSlips(ctx context.Context, tx pgx.Tx, accepted []hub.Incoming, at time.Time) error {
	var with []int
	for i, it := range accepted {
		if it.Slip != "" {
			with = append(with, i)
		}
	}
	if len(with) == 0 {
		return nil
	}
	slices.SortStableFunc(with, func(a, b int) int { return strings.Compare(accepted[a].Slip, accepted[b].Slip) })
	ids, codes, statuses := make([]string, len(with)), make([]string, len(with)), make([]string, len(with))
	for k, i := range with {
		it := &accepted[i]
		st, err := useSlip(ctx, tx, it.Slip, it.Response.ID, it.Response.DeviceID, at)
		if err != nil {
			return fmt.Errorf("use slip %s: %w", it.Slip, err)
		}
		if st == hub.SlipFirst {
			var point, devPoint string
			if err := tx.QueryRow(ctx, `SELECT s.service_point, coalesce((SELECT d.service_point FROM devices d WHERE d.id = $2), '')
				FROM slips s WHERE s.code = $1`, it.Slip, it.Response.DeviceID).Scan(&point, &devPoint); err != nil {
				return fmt.Errorf("slip %s: service point: %w", it.Slip, err)
			}
			st = hub.SlipAt(st, point, it.Response.ServicePoint, devPoint)
		}
		it.SlipStatus = st
		ids[k], codes[k], statuses[k] = it.Response.ID, it.Slip, string(st)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO response_slips (response_id, slip, slip_status)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`, ids, codes, statuses); err != nil {
		return fmt.Errorf("slip statuses: %w", err)
	}
	return nil
}

// SlipPrints implements hub.Store.
func (s *Store) SlipPrints(ctx context.Context, fromDay, toDay string) ([]hub.SlipPrint, error) {
	q := `SELECT to_char(day, 'YYYY-MM-DD'), service_point, printed FROM slip_prints WHERE true`
	var args []any
	if fromDay != "" {
		args = append(args, fromDay)
		q += fmt.Sprintf(` AND day >= $%d::date`, len(args))
	}
	if toDay != "" {
		args = append(args, toDay)
		q += fmt.Sprintf(` AND day < $%d::date`, len(args))
	}
	rows, err := s.read.Query(ctx, q+` ORDER BY day, service_point`, args...)
	if err != nil {
		return nil, fmt.Errorf("slip prints: %w", err)
	}
	defer rows.Close()
	var out []hub.SlipPrint
	for rows.Next() {
		var p hub.SlipPrint
		var n int64
		if err := rows.Scan(&p.Day, &p.ServicePoint, &n); err != nil {
			return nil, fmt.Errorf("slip prints: %w", err)
		}
		p.Printed = int(n)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("slip prints: %w", err)
	}
	return out, nil
}

// ResponseSlip implements hub.Store.
func (s *Store) ResponseSlip(ctx context.Context, responseID string) (string, hub.SlipStatus, error) {
	var code, st string
	err := s.read.QueryRow(ctx, `SELECT slip, slip_status FROM response_slips WHERE response_id = $1`, responseID).Scan(&code, &st)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", hub.SlipNone, nil
	}
	if err != nil {
		return "", "", fmt.Errorf("response slip %s: %w", responseID, err)
	}
	return code, hub.SlipStatus(st), nil
}

// ResponseSlips implements hub.Store.
func (s *Store) ResponseSlips(ctx context.Context, responseIDs []string) (map[string]hub.SlipStatus, error) {
	out := map[string]hub.SlipStatus{}
	if len(responseIDs) == 0 {
		return out, nil
	}
	rows, err := s.read.Query(ctx, `SELECT response_id, slip_status FROM response_slips WHERE response_id = ANY($1)`, responseIDs)
	if err != nil {
		return nil, fmt.Errorf("response slips: %w", err)
	}
	var id, st string
	if _, err := pgx.ForEachRow(rows, []any{&id, &st}, func() error { out[id] = hub.SlipStatus(st); return nil }); err != nil {
		return nil, fmt.Errorf("response slips: %w", err)
	}
	return out, nil
}

// backfillSlipFigures adds the slip channel rows (hub.SlipChannelRows) of
// every stored response that carried a slip to the rollup: the Go part of
// sql/0011_slip_figures.sql, for the responses accepted before the rollup
// counted channels. (Purged responses are gone and stay counted without a
// slip.)
func backfillSlipFigures(ctx context.Context, tx pgx.Tx) error {
	return backfillSlipRows(ctx, tx, "", hub.SlipChannelRows)
}

// backfillSlipFlags adds the reason rows (hub.SlipFlagRows) of every stored
// response whose slip was flagged to the rollup: the Go part of
// sql/0017_slip_line.sql, for the responses accepted before the rollup
// kept why a slip was flagged. (Purged responses are gone: their flagged
// ratings stay counted as flagged, without a reason.)
func backfillSlipFlags(ctx context.Context, tx pgx.Tx) error {
	return backfillSlipRows(ctx, tx, `rs.slip_status IN ('unknown', 'reused', 'elsewhere') AND `, hub.SlipFlagRows)
}

// backfillSlipRows adds rowsOf the stored responses that carried a slip
// (and meet cond, "" or conditions ending in AND) to the rollup, a page at
// a time.
func backfillSlipRows(ctx context.Context, tx pgx.Tx, cond string, rowsOf func([]hub.Incoming) []hub.RollupRow) error {
	defs := map[[2]any]*survey.Survey{}
	rows, err := tx.Query(ctx, `SELECT id, version, definition FROM surveys`)
	if err != nil {
		return fmt.Errorf("backfill slip figures: %w", err)
	}
	var id string
	var version int
	var def []byte
	if _, err := pgx.ForEachRow(rows, []any{&id, &version, &def}, func() error {
		s, err := survey.Parse(def)
		if err != nil {
			return fmt.Errorf("published survey %s v%d no longer parses: %w", id, version, err)
		}
		defs[[2]any{id, version}] = s
		return nil
	}); err != nil {
		return fmt.Errorf("backfill slip figures: %w", err)
	}
	last := ""
	for {
		rows, err := tx.Query(ctx, `SELECT r.id, r.content, rs.slip_status FROM responses r
			JOIN response_slips rs ON rs.response_id = r.id WHERE `+cond+`r.id > $1 ORDER BY r.id LIMIT $2`, last, pageSize)
		if err != nil {
			return fmt.Errorf("backfill slip figures: %w", err)
		}
		var batch []hub.Incoming
		var rid, status string
		var content []byte
		read := 0
		if _, err := pgx.ForEachRow(rows, []any{&rid, &content, &status}, func() error {
			read++
			last = rid
			r, err := decodeContent(rid, content)
			if err != nil {
				return err
			}
			if s := defs[[2]any{r.SurveyID, r.SurveyVersion}]; s != nil {
				batch = append(batch, hub.Incoming{Response: r, Figures: report.CellOf(s, r), SlipStatus: hub.SlipStatus(status)})
			}
			return nil
		}); err != nil {
			return fmt.Errorf("backfill slip figures: %w", err)
		}
		if err := addFigureRows(ctx, tx, rowsOf(batch), false); err != nil {
			return fmt.Errorf("backfill slip figures: %w", err)
		}
		if read < pageSize {
			return nil
		}
	}
}
