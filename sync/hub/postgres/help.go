package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hailong-kiosk/hailong/sync/help"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

const helpColumns = `id, source, lang, service_point, device_id, created_at, outcome, reason, note, resolved_at,
	received_at, updated_at, content, signature`

// helpRead is what scanHelp reads: helpColumns and the purge's mark.
const helpRead = helpColumns + `, note_purged_at`

func scanHelp(r pgx.Row) (*hub.HelpRequest, error) {
	var h hub.HelpRequest
	var outcome, reason string
	var resolved, purged *time.Time
	if err := r.Scan(&h.ID, &h.Source, &h.Lang, &h.ServicePoint, &h.DeviceID, &h.CreatedAt, &outcome, &reason, &h.Note, &resolved,
		&h.ReceivedAt, &h.UpdatedAt, &h.Content, &h.Signature, &purged); err != nil {
		return nil, err
	}
	h.Outcome, h.Reason = help.Outcome(outcome), help.Reason(reason)
	h.CreatedAt, h.ReceivedAt, h.UpdatedAt = h.CreatedAt.UTC(), h.ReceivedAt.UTC(), h.UpdatedAt.UTC()
	if resolved != nil {
		h.ResolvedAt = resolved.UTC()
	}
	if purged != nil {
		h.NotePurgedAt = purged.UTC()
	}
	return &h, nil
}

// IngestHelp implements hub.Store. The held row is read FOR UPDATE after
// an INSERT ... ON CONFLICT DO NOTHING, so concurrent hubs delivering
// states of one request apply HelpIngest's rule one after the other.
func (s *Store) IngestHelp(ctx context.Context, reqs []hub.HelpRequest, receivedAt time.Time) ([]protocol.Outcome, error) {
	out := make([]protocol.Outcome, len(reqs))
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		for i := range reqs {
			in := &reqs[i]
			tag, err := tx.Exec(ctx, `INSERT INTO help_requests (`+helpColumns+`)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $13) ON CONFLICT DO NOTHING`,
				in.ID, in.Source, in.Lang, in.ServicePoint, in.DeviceID, in.CreatedAt.UTC(), string(in.Outcome), string(in.Reason),
				in.Note, nullTime(in.ResolvedAt), receivedAt.UTC(), in.Content, in.Signature)
			if err != nil {
				return fmt.Errorf("request %s: %w", in.ID, err)
			}
			if tag.RowsAffected() == 1 {
				out[i] = protocol.Accepted
				if err := enqueueHelp(ctx, tx, in, receivedAt); err != nil {
					return err
				}
				continue
			}
			held, err := scanHelp(tx.QueryRow(ctx, `SELECT `+helpRead+` FROM help_requests WHERE id = $1 FOR UPDATE`, in.ID))
			if err != nil {
				return fmt.Errorf("request %s: %w", in.ID, err)
			}
			act := hub.HelpIngest(held, in)
			if act == hub.HelpResolve {
				if _, err := tx.Exec(ctx, `UPDATE help_requests SET outcome = $2, reason = $3, note = $4, resolved_at = $5,
					updated_at = $6, content = $7, signature = $8 WHERE id = $1 AND outcome = ''`, in.ID, string(in.Outcome),
					string(in.Reason), in.Note, nullTime(in.ResolvedAt), receivedAt.UTC(), in.Content, in.Signature); err != nil {
					return fmt.Errorf("request %s: %w", in.ID, err)
				}
				if err := enqueueHelp(ctx, tx, in, receivedAt); err != nil {
					return err
				}
			}
			out[i] = act.Outcome()
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ingest help: %w", err)
	}
	return out, nil
}

// enqueueHelp writes the help_request event of the state in just stored,
// in tx.
func enqueueHelp(ctx context.Context, tx pgx.Tx, in *hub.HelpRequest, receivedAt time.Time) error {
	ev, err := hub.HelpEvent(in, receivedAt)
	if err != nil {
		return err
	}
	if err := enqueue(ctx, tx, ev); err != nil {
		return fmt.Errorf("request %s: %w", in.ID, err)
	}
	return nil
}

// HelpRequests implements hub.Store.
func (s *Store) HelpRequests(ctx context.Context, f hub.HelpFilter) ([]hub.HelpRequest, error) {
	return list(ctx, s.pool, "help requests", `SELECT `+helpRead+` FROM help_requests`, f.Terms(), "created_at, id", value(scanHelp))
}
