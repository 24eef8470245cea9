package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// RecordMark implements hub.Store: the higher mark wins.
func (s *Store) RecordMark(ctx context.Context, m hub.DeviceMark) error {
	if m.DeviceID == "" || m.Seq < 1 || m.From < 1 || m.From > m.Seq || len(m.Signature) == 0 {
		return fmt.Errorf("record mark of %q: device id, 1 <= from (%d) <= mark (%d) and a signature are needed", m.DeviceID, m.From, m.Seq)
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO device_marks (device_id, from_seq, seq, signed_at, signature, received_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (device_id) DO UPDATE SET from_seq = excluded.from_seq, seq = excluded.seq,
			signed_at = excluded.signed_at, signature = excluded.signature, received_at = excluded.received_at
		WHERE excluded.seq > device_marks.seq`,
		m.DeviceID, m.From, m.Seq, timeText(m.SignedAt), m.Signature, timeText(m.ReceivedAt))
	if err != nil {
		return fmt.Errorf("record mark of %s: %w", m.DeviceID, err)
	}
	s.ck.committed()
	return nil
}

// addSeqRuns adds the accepted items' numbers to the received runs
// (hub.BatchRuns, hub.MergeRuns): each run of the batch replaces the stored
// runs it overlaps or touches by their union. (One writer at a time: the
// store's write connection.)
func addSeqRuns(ctx context.Context, tx *sql.Tx, accepted []hub.Incoming) error {
	for _, r := range hub.BatchRuns(accepted) {
		rows, err := tx.QueryContext(ctx, `DELETE FROM seq_runs WHERE device_id = ? AND first <= ? AND last >= ? RETURNING first, last`,
			r.DeviceID, r.Last+1, r.First-1)
		if err != nil {
			return fmt.Errorf("ingest: received runs: %w", err)
		}
		var touching []hub.SeqRange
		for rows.Next() {
			var t hub.SeqRange
			if err := rows.Scan(&t.First, &t.Last); err != nil {
				rows.Close()
				return fmt.Errorf("ingest: received runs: %w", err)
			}
			touching = append(touching, t)
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("ingest: received runs: %w", err)
		}
		m := hub.MergeRuns(r.SeqRange, touching)
		if _, err := tx.ExecContext(ctx, `INSERT INTO seq_runs (device_id, first, last) VALUES (?, ?, ?)`, r.DeviceID, m.First, m.Last); err != nil {
			return fmt.Errorf("ingest: received runs: %w", err)
		}
	}
	return nil
}

// Gaps implements hub.Store from the marks and the received runs, in one
// read transaction.
func (s *Store) Gaps(ctx context.Context) ([]hub.DeviceGaps, error) {
	defer s.metrics.observe("readers", "gaps", time.Now())
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("gaps: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, hub.MarksRunsSQL)
	if err != nil {
		return nil, fmt.Errorf("gaps: %w", err)
	}
	var out []hub.DeviceGaps
	for rows.Next() {
		var g hub.DeviceGaps
		var signed sql.NullString
		if err := rows.Scan(&g.DeviceID, &g.From, &g.Mark, &signed); err != nil {
			rows.Close()
			return nil, fmt.Errorf("gaps: %w", err)
		}
		if g.MarkAt, err = parseTime(signed); err != nil {
			rows.Close()
			return nil, fmt.Errorf("gaps: %w", err)
		}
		out = append(out, g)
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("gaps: %w", err)
	}
	rows, err = tx.QueryContext(ctx, hub.RunsSQL)
	if err != nil {
		return nil, fmt.Errorf("gaps: %w", err)
	}
	defer rows.Close()
	runs := map[string][]hub.SeqRange{}
	for rows.Next() {
		var dev string
		var r hub.SeqRange
		if err := rows.Scan(&dev, &r.First, &r.Last); err != nil {
			return nil, fmt.Errorf("gaps: %w", err)
		}
		runs[dev] = append(runs[dev], r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("gaps: %w", err)
	}
	for i := range out {
		hub.GapsFromRuns(&out[i], runs[out[i].DeviceID])
	}
	return out, nil
}
