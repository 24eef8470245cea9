package sqlite

import (
	"context"
	"database/sql"
	"fmt"

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

// Gaps implements hub.Store.
func (s *Store) Gaps(ctx context.Context) ([]hub.DeviceGaps, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("gaps: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, hub.MarksSQL)
	if err != nil {
		return nil, fmt.Errorf("gaps: %w", err)
	}
	var out []hub.DeviceGaps
	at := map[string]int{}
	for rows.Next() {
		var g hub.DeviceGaps
		var signed sql.NullString
		if err := rows.Scan(&g.DeviceID, &g.From, &g.Mark, &signed, &g.Received); err != nil {
			rows.Close()
			return nil, fmt.Errorf("gaps: %w", err)
		}
		if g.MarkAt, err = parseTime(signed); err != nil {
			rows.Close()
			return nil, fmt.Errorf("gaps: %w", err)
		}
		at[g.DeviceID] = len(out)
		out = append(out, g)
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("gaps: %w", err)
	}
	rows, err = tx.QueryContext(ctx, hub.GapsSQL)
	if err != nil {
		return nil, fmt.Errorf("gaps: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var dev string
		var r hub.SeqRange
		if err := rows.Scan(&dev, &r.First, &r.Last); err != nil {
			return nil, fmt.Errorf("gaps: %w", err)
		}
		g := &out[at[dev]]
		g.Missing = append(g.Missing, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("gaps: %w", err)
	}
	return out, nil
}
