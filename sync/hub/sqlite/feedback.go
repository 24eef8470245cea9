package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// InspectionKey implements hub.Store, as SlipKey does under the name
// 'inspection'.
func (s *Store) InspectionKey(ctx context.Context, candidate []byte, now time.Time) ([]byte, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("inspection key: %w", err)
	}
	defer tx.Rollback()
	if len(candidate) == 32 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO hub_keys (name, private_key, created_at) VALUES ('inspection', ?, ?)
			ON CONFLICT (name) DO NOTHING`, candidate, timeText(now)); err != nil {
			return nil, fmt.Errorf("inspection key: %w", err)
		}
	}
	var k []byte
	if err := tx.QueryRowContext(ctx, `SELECT private_key FROM hub_keys WHERE name = 'inspection'`).Scan(&k); errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("inspection key: none stored and no valid candidate: %w", hub.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("inspection key: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("inspection key: %w", err)
	}
	return k, nil
}

// IngestFeedback implements hub.Store.
func (s *Store) IngestFeedback(ctx context.Context, cases []hub.FeedbackCase, receivedAt time.Time) ([]protocol.Outcome, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("ingest feedback: %w", err)
	}
	defer tx.Rollback()
	out := make([]protocol.Outcome, len(cases))
	var accepted []hub.FeedbackCase
	for i, c := range cases {
		var content []byte
		var purged bool
		switch err := tx.QueryRowContext(ctx, `SELECT content, text_purged_at IS NOT NULL FROM feedback WHERE id = ? OR code = ?`, c.ID, c.Code).Scan(&content, &purged); {
		case err == nil:
			if purged && bytes.Equal(content, hub.PurgedContent(c.Content)) || !purged && bytes.Equal(content, c.Content) {
				out[i] = protocol.Duplicate
			} else {
				out[i] = protocol.Conflict
			}
			continue
		case !errors.Is(err, sql.ErrNoRows):
			return nil, fmt.Errorf("ingest feedback %s: %w", c.ID, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO feedback (id, code, category, text, sealed, source, lang, service_point,
			device_id, created_at, received_at, content, signature, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?)`,
			c.ID, c.Code, c.Category, c.Text, c.Sealed, c.Source, c.Lang, c.ServicePoint, c.DeviceID,
			timeText(c.CreatedAt), timeText(receivedAt), c.Content, c.Signature, timeText(receivedAt)); err != nil {
			return nil, fmt.Errorf("ingest feedback %s: %w", c.ID, err)
		}
		out[i] = protocol.Accepted
		accepted = append(accepted, c)
	}
	if len(accepted) > 0 {
		ev, err := hub.FeedbackEvent(accepted, receivedAt)
		if err != nil {
			return nil, err
		}
		if err := enqueue(ctx, tx, ev); err != nil {
			return nil, fmt.Errorf("ingest feedback: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("ingest feedback: %w", err)
	}
	return out, nil
}

const feedbackColumns = `id, code, category, text, sealed, source, lang, service_point, device_id, created_at, received_at,
	content, signature, state, assignee, reply, public, ack_at, answered_at, updated_at, text_purged_at`

func scanFeedback(r scanner) (*hub.FeedbackCase, error) {
	var c hub.FeedbackCase
	var created, received, ack, answered, updated, purged sql.NullString
	var state string
	if err := r.Scan(&c.ID, &c.Code, &c.Category, &c.Text, &c.Sealed, &c.Source, &c.Lang, &c.ServicePoint, &c.DeviceID,
		&created, &received, &c.Content, &c.Signature, &state, &c.Assignee, &c.Reply, &c.Public, &ack, &answered, &updated, &purged); err != nil {
		return nil, err
	}
	c.State = hub.FeedbackState(state)
	for _, t := range []struct {
		dst *time.Time
		v   sql.NullString
	}{{&c.CreatedAt, created}, {&c.ReceivedAt, received}, {&c.AckAt, ack}, {&c.AnsweredAt, answered}, {&c.UpdatedAt, updated}, {&c.TextPurgedAt, purged}} {
		var err error
		if *t.dst, err = parseTime(t.v); err != nil {
			return nil, err
		}
	}
	return &c, nil
}

// FeedbackCases implements hub.Store.
func (s *Store) FeedbackCases(ctx context.Context, f hub.FeedbackFilter) ([]hub.FeedbackCase, error) {
	return list(ctx, s.r, "feedback cases", `SELECT `+feedbackColumns+` FROM feedback`, f.Terms(), "received_at DESC, id DESC", value(scanFeedback))
}

// FeedbackCase implements hub.Store.
func (s *Store) FeedbackCase(ctx context.Context, idOrCode string) (*hub.FeedbackCase, error) {
	return feedbackCase(ctx, s.r, idOrCode)
}

type queryRower interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func feedbackCase(ctx context.Context, db queryRower, idOrCode string) (*hub.FeedbackCase, error) {
	c, err := scanFeedback(db.QueryRowContext(ctx, `SELECT `+feedbackColumns+` FROM feedback WHERE id = ? OR code = ?
		ORDER BY id = ? DESC LIMIT 1`, idOrCode, idOrCode, idOrCode))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("feedback %s: %w", idOrCode, hub.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("feedback %s: %w", idOrCode, err)
	}
	return c, nil
}

// UpdateFeedback implements hub.Store.
func (s *Store) UpdateFeedback(ctx context.Context, id string, u hub.FeedbackUpdate) (*hub.FeedbackCase, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("update feedback: %w", err)
	}
	defer tx.Rollback()
	c, err := feedbackCase(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if c.ID != id {
		return nil, fmt.Errorf("feedback %s: %w", id, hub.ErrNotFound)
	}
	if err := hub.ApplyFeedbackUpdate(c, u); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE feedback SET state = ?, assignee = ?, reply = ?, public = ?, ack_at = ?, answered_at = ?,
		updated_at = ? WHERE id = ?`, string(c.State), c.Assignee, c.Reply, c.Public, timeText(c.AckAt), timeText(c.AnsweredAt),
		timeText(c.UpdatedAt), id); err != nil {
		return nil, fmt.Errorf("update feedback %s: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("update feedback %s: %w", id, err)
	}
	return c, nil
}
