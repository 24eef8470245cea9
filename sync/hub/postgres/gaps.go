package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// RecordMark implements hub.Store: the higher mark wins, whichever hub
// process records it.
func (s *Store) RecordMark(ctx context.Context, m hub.DeviceMark) error {
	if m.DeviceID == "" || m.Seq < 1 || m.From < 1 || m.From > m.Seq || len(m.Signature) == 0 {
		return fmt.Errorf("record mark of %q: device id, 1 <= from (%d) <= mark (%d) and a signature are needed", m.DeviceID, m.From, m.Seq)
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO device_marks (device_id, from_seq, seq, signed_at, signature, received_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (device_id) DO UPDATE SET from_seq = excluded.from_seq, seq = excluded.seq,
			signed_at = excluded.signed_at, signature = excluded.signature, received_at = excluded.received_at
		WHERE excluded.seq > device_marks.seq`,
		m.DeviceID, m.From, m.Seq, m.SignedAt.UTC(), m.Signature, m.ReceivedAt.UTC())
	if err != nil {
		return fmt.Errorf("record mark of %s: %w", m.DeviceID, err)
	}
	return nil
}

// seqRunsLock is the first key of the transaction advisory lock that
// serialises the received-runs updates of one device (the second key is
// hashtext of its id): two batches of one kiosk arriving through two hub
// processes must not both insert a run that the other would have merged.
const seqRunsLock = 0x68616c

// addSeqRuns adds the accepted items' numbers to the received runs
// (hub.BatchRuns, hub.MergeRuns), holding each device's lock, taken in
// device id order: each run of the batch replaces the stored runs it
// overlaps or touches by their union.
func addSeqRuns(ctx context.Context, tx pgx.Tx, accepted []hub.Incoming) error {
	locked := ""
	for _, r := range hub.BatchRuns(accepted) {
		if r.DeviceID != locked {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, int32(seqRunsLock), r.DeviceID); err != nil {
				return fmt.Errorf("received runs: %w", err)
			}
			locked = r.DeviceID
		}
		rows, err := tx.Query(ctx, `DELETE FROM seq_runs WHERE device_id = $1 AND first <= $2 AND last >= $3 RETURNING first, last`,
			r.DeviceID, r.Last+1, r.First-1)
		if err != nil {
			return fmt.Errorf("received runs: %w", err)
		}
		touching, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (hub.SeqRange, error) {
			var t hub.SeqRange
			return t, row.Scan(&t.First, &t.Last)
		})
		if err != nil {
			return fmt.Errorf("received runs: %w", err)
		}
		m := hub.MergeRuns(r.SeqRange, touching)
		if _, err := tx.Exec(ctx, `INSERT INTO seq_runs (device_id, first, last) VALUES ($1, $2, $3)`, r.DeviceID, m.First, m.Last); err != nil {
			return fmt.Errorf("received runs: %w", err)
		}
	}
	return nil
}

// Gaps implements hub.Store from the marks and the received runs, read in
// one snapshot, on the primary.
func (s *Store) Gaps(ctx context.Context) ([]hub.DeviceGaps, error) {
	var out []hub.DeviceGaps
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		out = nil
		rows, err := tx.Query(ctx, hub.MarksRunsSQL)
		if err != nil {
			return err
		}
		var g hub.DeviceGaps
		if _, err := pgx.ForEachRow(rows, []any{&g.DeviceID, &g.From, &g.Mark, &g.MarkAt}, func() error {
			g.MarkAt = g.MarkAt.UTC()
			out = append(out, g)
			return nil
		}); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, hub.RunsSQL)
		if err != nil {
			return err
		}
		runs := map[string][]hub.SeqRange{}
		var dev string
		var r hub.SeqRange
		if _, err := pgx.ForEachRow(rows, []any{&dev, &r.First, &r.Last}, func() error {
			runs[dev] = append(runs[dev], r)
			return nil
		}); err != nil {
			return err
		}
		for i := range out {
			hub.GapsFromRuns(&out[i], runs[out[i].DeviceID])
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("gaps: %w", err)
	}
	return out, nil
}
