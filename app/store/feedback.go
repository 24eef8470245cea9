package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/hailong-kiosk/hailong/sync/feedback"
)

// Feedback is a citizen's feedback case as the kiosk keeps it until the
// hub holds it (0007_feedback.sql).
type Feedback struct {
	ID       string
	Code     feedback.Code
	Category feedback.Category
	// Text is the citizen's text, digits masked as configured; "" for a
	// sealed category, whose text is in Sealed.
	Text   string
	Sealed []byte
	// Source is "welcome" or "survey:<id>@<version>".
	Source, Lang, ServicePoint, DeviceID string
	CreatedAt                            time.Time
}

// checkFeedback is the rule every saved case meets: an id, a code, a known
// category, and a sealed category never in clear.
func checkFeedback(f *Feedback) error {
	if u, err := uuid.Parse(f.ID); err != nil || u.String() != f.ID {
		return fmt.Errorf("%w: case id %q is not a canonical UUID", ErrInvalid, f.ID)
	}
	if f.Code.IsZero() {
		return fmt.Errorf("%w: the case has no code", ErrInvalid)
	}
	if !f.Category.Valid() {
		return fmt.Errorf("%w: unknown category %q", ErrInvalid, f.Category)
	}
	if f.Category.Sealed() {
		if f.Text != "" || len(f.Sealed) <= feedback.SealOverhead {
			return fmt.Errorf("%w: a %s case is saved sealed, never in clear", ErrInvalid, f.Category)
		}
	} else if f.Sealed != nil || strings.TrimSpace(f.Text) == "" {
		return fmt.Errorf("%w: a %s case needs its text in clear", ErrInvalid, f.Category)
	}
	if utf8.RuneCountInString(f.Text) > feedback.MaxText {
		return fmt.Errorf("%w: the text is over %d characters", ErrInvalid, feedback.MaxText)
	}
	if f.Source == "" || f.Lang == "" || f.CreatedAt.IsZero() {
		return fmt.Errorf("%w: source, language and time are required", ErrInvalid)
	}
	return nil
}

// SaveFeedback durably saves f in one transaction. Saving the same case
// again is a no-op; another case with its id or code gives ErrConflict.
func (s *Store) SaveFeedback(ctx context.Context, f *Feedback) error {
	if err := checkFeedback(f); err != nil {
		return err
	}
	return s.write(ctx, "save feedback", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO feedback (id, code, category, text, sealed, source, lang, service_point, device_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			f.ID, f.Code.Compact(), string(f.Category), f.Text, f.Sealed, f.Source, f.Lang, f.ServicePoint, f.DeviceID, formatTime(f.CreatedAt))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		var code, text string
		var sealed []byte
		err = tx.QueryRowContext(ctx, `SELECT code, text, sealed FROM feedback WHERE id = ?`, f.ID).Scan(&code, &text, &sealed)
		if errors.Is(err, sql.ErrNoRows) || err == nil && (code != f.Code.Compact() || text != f.Text || !bytes.Equal(sealed, f.Sealed)) {
			return fmt.Errorf("%w: another case has id %s or code %s", ErrConflict, f.ID, f.Code)
		}
		return err
	})
}

// PendingFeedback returns up to limit cases the hub does not hold yet and
// has not refused, oldest first.
func (s *Store) PendingFeedback(ctx context.Context, limit int) ([]Feedback, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, code, category, text, sealed, source, lang, service_point, device_id, created_at
		FROM feedback WHERE synced_at IS NULL AND rejected = '' ORDER BY created_at, id LIMIT ?`, limit)
	if err != nil {
		return nil, wrap("pending feedback", err)
	}
	defer rows.Close()
	var out []Feedback
	for rows.Next() {
		var f Feedback
		var code, cat, created string
		if err := rows.Scan(&f.ID, &code, &cat, &f.Text, &f.Sealed, &f.Source, &f.Lang, &f.ServicePoint, &f.DeviceID, &created); err != nil {
			return nil, wrap("pending feedback", err)
		}
		if f.Code, err = feedback.ParseCode(code); err != nil {
			return nil, fmt.Errorf("pending feedback %s: stored code: %w", f.ID, err)
		}
		if f.CreatedAt, err = parseTime(created); err != nil {
			return nil, fmt.Errorf("pending feedback %s: %w", f.ID, err)
		}
		f.Category = feedback.Category(cat)
		out = append(out, f)
	}
	return out, wrap("pending feedback", rows.Err())
}

// MarkFeedbackSynced records that the hub holds these cases.
func (s *Store) MarkFeedbackSynced(ctx context.Context, ids []string) error {
	return s.write(ctx, "mark feedback synced", func(tx *sql.Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE feedback SET synced_at = ? WHERE id = ? AND synced_at IS NULL`, formatTime(s.now()), id); err != nil {
				return err
			}
		}
		return nil
	})
}

// MarkFeedbackRejected keeps a case the hub refused for good, with its
// reason, out of the pending ones.
func (s *Store) MarkFeedbackRejected(ctx context.Context, id, reason string) error {
	if reason == "" {
		reason = "rejected"
	}
	return s.write(ctx, "mark feedback rejected", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE feedback SET rejected = ? WHERE id = ? AND synced_at IS NULL`, reason, id)
		return err
	})
}

// FeedbackCounts counts the cases by sync state.
func (s *Store) FeedbackCounts(ctx context.Context) (pending, synced, rejected int, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT
		count(*) FILTER (WHERE synced_at IS NULL AND rejected = ''),
		count(*) FILTER (WHERE synced_at IS NOT NULL),
		count(*) FILTER (WHERE synced_at IS NULL AND rejected <> '') FROM feedback`).Scan(&pending, &synced, &rejected)
	return pending, synced, rejected, wrap("feedback counts", err)
}
