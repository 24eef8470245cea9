package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hailong-kiosk/hailong/sync/help"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

const helpColumns = `id, source, lang, service_point, device_id, created_at, outcome, reason, note, resolved_at,
	received_at, updated_at, content, signature`

// helpRead is what scanHelp reads: helpColumns and the purge's mark.
const helpRead = helpColumns + `, note_purged_at`

func scanHelp(r scanner) (*hub.HelpRequest, error) {
	var h hub.HelpRequest
	var created, resolved, received, updated, purged sql.NullString
	var outcome, reason string
	if err := r.Scan(&h.ID, &h.Source, &h.Lang, &h.ServicePoint, &h.DeviceID, &created, &outcome, &reason, &h.Note, &resolved,
		&received, &updated, &h.Content, &h.Signature, &purged); err != nil {
		return nil, err
	}
	h.Outcome, h.Reason = help.Outcome(outcome), help.Reason(reason)
	for _, t := range []struct {
		dst *time.Time
		v   sql.NullString
	}{{&h.CreatedAt, created}, {&h.ResolvedAt, resolved}, {&h.ReceivedAt, received}, {&h.UpdatedAt, updated}, {&h.NotePurgedAt, purged}} {
		var err error
		if *t.dst, err = parseTime(t.v); err != nil {
			return nil, err
		}
	}
	return &h, nil
}

// IngestHelp implements hub.Store: the writer's transaction serialises
// deliveries, so reading the held row and then writing is safe.
func (s *Store) IngestHelp(ctx context.Context, reqs []hub.HelpRequest, receivedAt time.Time) ([]protocol.Outcome, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("ingest help: %w", err)
	}
	defer tx.Rollback()
	out := make([]protocol.Outcome, len(reqs))
	for i := range reqs {
		in := &reqs[i]
		held, err := scanHelp(tx.QueryRowContext(ctx, `SELECT `+helpRead+` FROM help_requests WHERE id = ?`, in.ID))
		if errors.Is(err, sql.ErrNoRows) {
			held, err = nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("ingest help %s: %w", in.ID, err)
		}
		act := hub.HelpIngest(held, in)
		switch act {
		case hub.HelpInsert:
			_, err = tx.ExecContext(ctx, `INSERT INTO help_requests (`+helpColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				in.ID, in.Source, in.Lang, in.ServicePoint, in.DeviceID, timeText(in.CreatedAt), string(in.Outcome), string(in.Reason),
				in.Note, timeText(in.ResolvedAt), timeText(receivedAt), timeText(receivedAt), in.Content, in.Signature)
		case hub.HelpResolve:
			_, err = tx.ExecContext(ctx, `UPDATE help_requests SET outcome = ?, reason = ?, note = ?, resolved_at = ?, updated_at = ?,
				content = ?, signature = ? WHERE id = ? AND outcome = ''`, string(in.Outcome), string(in.Reason), in.Note,
				timeText(in.ResolvedAt), timeText(receivedAt), in.Content, in.Signature, in.ID)
		}
		if err != nil {
			return nil, fmt.Errorf("ingest help %s: %w", in.ID, err)
		}
		if act == hub.HelpInsert || act == hub.HelpResolve {
			ev, err := hub.HelpEvent(in, receivedAt)
			if err != nil {
				return nil, err
			}
			if err := enqueue(ctx, tx, ev); err != nil {
				return nil, fmt.Errorf("ingest help %s: %w", in.ID, err)
			}
		}
		out[i] = act.Outcome()
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("ingest help: %w", err)
	}
	return out, nil
}

// HelpRequests implements hub.Store.
func (s *Store) HelpRequests(ctx context.Context, f hub.HelpFilter) ([]hub.HelpRequest, error) {
	return list(ctx, s.r, "help requests", `SELECT `+helpRead+` FROM help_requests`, f.Terms(), "created_at, id", value(scanHelp))
}
