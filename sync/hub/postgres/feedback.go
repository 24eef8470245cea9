package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// InspectionKey implements hub.Store, as SlipKey does under the name
// 'inspection'.
func (s *Store) InspectionKey(ctx context.Context, candidate []byte, now time.Time) ([]byte, error) {
	var k []byte
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if len(candidate) == 32 {
			if _, err := tx.Exec(ctx, `INSERT INTO hub_keys (name, private_key, created_at) VALUES ('inspection', $1, $2)
				ON CONFLICT (name) DO NOTHING`, candidate, now.UTC()); err != nil {
				return err
			}
		}
		return tx.QueryRow(ctx, `SELECT private_key FROM hub_keys WHERE name = 'inspection'`).Scan(&k)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("inspection key: none stored and no valid candidate: %w", hub.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("inspection key: %w", err)
	}
	return k, nil
}

// IngestFeedback implements hub.Store. Each case is inserted with ON
// CONFLICT DO NOTHING and, when nothing was inserted, compared with the
// row held: concurrent hubs delivering the same case agree on one row.
func (s *Store) IngestFeedback(ctx context.Context, cases []hub.FeedbackCase, receivedAt time.Time) ([]protocol.Outcome, error) {
	out := make([]protocol.Outcome, len(cases))
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var accepted []hub.FeedbackCase
		for i, c := range cases {
			tag, err := tx.Exec(ctx, `INSERT INTO feedback (id, code, category, text, sealed, source, lang, service_point,
				device_id, created_at, received_at, content, signature, state, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'new', $11) ON CONFLICT DO NOTHING`,
				c.ID, c.Code, c.Category, c.Text, c.Sealed, c.Source, c.Lang, c.ServicePoint, c.DeviceID,
				c.CreatedAt.UTC(), receivedAt.UTC(), c.Content, c.Signature)
			if err != nil {
				return fmt.Errorf("case %s: %w", c.ID, err)
			}
			if tag.RowsAffected() == 1 {
				out[i] = protocol.Accepted
				accepted = append(accepted, c)
				continue
			}
			var content []byte
			var purged bool
			if err := tx.QueryRow(ctx, `SELECT content, text_purged_at IS NOT NULL FROM feedback WHERE id = $1 OR code = $2 ORDER BY id = $1 DESC LIMIT 1`,
				c.ID, c.Code).Scan(&content, &purged); err != nil {
				return fmt.Errorf("case %s: %w", c.ID, err)
			}
			if purged && bytes.Equal(content, hub.PurgedContent(c.Content)) || !purged && bytes.Equal(content, c.Content) {
				out[i] = protocol.Duplicate
			} else {
				out[i] = protocol.Conflict
			}
		}
		if len(accepted) == 0 {
			return nil
		}
		ev, err := hub.FeedbackEvent(accepted, receivedAt)
		if err != nil {
			return err
		}
		return enqueue(ctx, tx, ev)
	})
	if err != nil {
		return nil, fmt.Errorf("ingest feedback: %w", err)
	}
	return out, nil
}

const feedbackColumns = `id, code, category, text, sealed, source, lang, service_point, device_id, created_at, received_at,
	content, signature, state, assignee, reply, public, ack_at, answered_at, updated_at, text_purged_at`

func scanFeedback(r pgx.Row) (*hub.FeedbackCase, error) {
	var c hub.FeedbackCase
	var state string
	var ack, answered, purged *time.Time
	if err := r.Scan(&c.ID, &c.Code, &c.Category, &c.Text, &c.Sealed, &c.Source, &c.Lang, &c.ServicePoint, &c.DeviceID,
		&c.CreatedAt, &c.ReceivedAt, &c.Content, &c.Signature, &state, &c.Assignee, &c.Reply, &c.Public, &ack, &answered, &c.UpdatedAt, &purged); err != nil {
		return nil, err
	}
	c.State = hub.FeedbackState(state)
	c.CreatedAt, c.ReceivedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.ReceivedAt.UTC(), c.UpdatedAt.UTC()
	if ack != nil {
		c.AckAt = ack.UTC()
	}
	if answered != nil {
		c.AnsweredAt = answered.UTC()
	}
	if purged != nil {
		c.TextPurgedAt = purged.UTC()
	}
	return &c, nil
}

// nullTime is t, or NULL for the zero time.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// FeedbackCases implements hub.Store.
func (s *Store) FeedbackCases(ctx context.Context, f hub.FeedbackFilter) ([]hub.FeedbackCase, error) {
	return list(ctx, s.pool, "feedback cases", `SELECT `+feedbackColumns+` FROM feedback`, f.Terms(), "received_at DESC, id DESC", value(scanFeedback))
}

// FeedbackCase implements hub.Store. It reads the primary: a case just
// updated is shown as updated.
func (s *Store) FeedbackCase(ctx context.Context, idOrCode string) (*hub.FeedbackCase, error) {
	c, err := scanFeedback(s.pool.QueryRow(ctx, `SELECT `+feedbackColumns+` FROM feedback WHERE id = $1 OR code = $1
		ORDER BY id = $1 DESC LIMIT 1`, idOrCode))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("feedback %s: %w", idOrCode, hub.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("feedback %s: %w", idOrCode, err)
	}
	return c, nil
}

// UpdateFeedback implements hub.Store: the row is locked (FOR UPDATE), so
// concurrent actions on one case apply one after the other.
func (s *Store) UpdateFeedback(ctx context.Context, id string, u hub.FeedbackUpdate) (*hub.FeedbackCase, error) {
	var c *hub.FeedbackCase
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		c, err = scanFeedback(tx.QueryRow(ctx, `SELECT `+feedbackColumns+` FROM feedback WHERE id = $1 FOR UPDATE`, id))
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("feedback %s: %w", id, hub.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if err := hub.ApplyFeedbackUpdate(c, u); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE feedback SET state = $1, assignee = $2, reply = $3, public = $4, ack_at = $5, answered_at = $6,
			updated_at = $7 WHERE id = $8`, string(c.State), c.Assignee, c.Reply, c.Public, nullTime(c.AckAt), nullTime(c.AnsweredAt),
			c.UpdatedAt.UTC(), id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("update feedback: %w", err)
	}
	return c, nil
}
