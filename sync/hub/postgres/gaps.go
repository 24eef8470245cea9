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

// Gaps implements hub.Store, reading the marks and the runs in one
// snapshot.
func (s *Store) Gaps(ctx context.Context) ([]hub.DeviceGaps, error) {
	var out []hub.DeviceGaps
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, hub.MarksSQL)
		if err != nil {
			return err
		}
		at := map[string]int{}
		var g hub.DeviceGaps
		if _, err := pgx.ForEachRow(rows, []any{&g.DeviceID, &g.From, &g.Mark, &g.MarkAt, &g.Received}, func() error {
			g.MarkAt = g.MarkAt.UTC()
			at[g.DeviceID] = len(out)
			out = append(out, g)
			return nil
		}); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, hub.GapsSQL)
		if err != nil {
			return err
		}
		var dev string
		var r hub.SeqRange
		_, err = pgx.ForEachRow(rows, []any{&dev, &r.First, &r.Last}, func() error {
			out[at[dev]].Missing = append(out[at[dev]].Missing, r)
			return nil
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("gaps: %w", err)
	}
	return out, nil
}
