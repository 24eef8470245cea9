package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/sync/help"
)

// HelpRequest is a citizen's request for staff help with the online
// portal, as the kiosk keeps it (0008_help.sql).
type HelpRequest struct {
	ID string
	// Source is help.SourceWelcome or "survey:<id>@<version>".
	Source, Lang, ServicePoint, DeviceID string
	CreatedAt                            time.Time
	// Outcome is help.Open until staff resolve the request; then Reason,
	// Note and ResolvedAt are set (help.CheckResolution).
	Outcome    help.Outcome
	Reason     help.Reason
	Note       string
	ResolvedAt time.Time
}

// HelpSent is one request state the hub now holds: the open state, or
// (Resolved) the resolved one.
type HelpSent struct {
	ID       string
	Resolved bool
}

// RaiseHelp durably saves the open request r in one transaction. Saving
// the same request again is a no-op; another request with its id gives
// ErrConflict.
func (s *Store) RaiseHelp(ctx context.Context, r *HelpRequest) error {
	if u, err := uuid.Parse(r.ID); err != nil || u.String() != r.ID {
		return fmt.Errorf("%w: request id %q is not a canonical UUID", ErrInvalid, r.ID)
	}
	if r.Outcome != help.Open {
		return fmt.Errorf("%w: a request is raised open", ErrInvalid)
	}
	if r.Source == "" || r.Lang == "" || r.CreatedAt.IsZero() {
		return fmt.Errorf("%w: source, language and time are required", ErrInvalid)
	}
	return s.write(ctx, "raise help", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO help_requests (id, source, lang, service_point, device_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			r.ID, r.Source, r.Lang, r.ServicePoint, r.DeviceID, formatTime(r.CreatedAt))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		var source, created string
		err = tx.QueryRowContext(ctx, `SELECT source, created_at FROM help_requests WHERE id = ?`, r.ID).Scan(&source, &created)
		if err == nil && (source != r.Source || created != formatTime(r.CreatedAt)) {
			return fmt.Errorf("%w: another request has id %s", ErrConflict, r.ID)
		}
		return err
	})
}

// ResolveHelp records staff's outcome of the open request id, at at, in
// one transaction. The note is put in NFC. A request already resolved
// gives ErrConflict, an unknown id ErrNotFound, a resolution that
// help.CheckResolution refuses ErrInvalid.
func (s *Store) ResolveHelp(ctx context.Context, id string, o help.Outcome, reason help.Reason, note string, at time.Time) error {
	note = norm.NFC.String(note)
	return s.write(ctx, "resolve help", func(tx *sql.Tx) error {
		var created, outcome string
		err := tx.QueryRowContext(ctx, `SELECT created_at, outcome FROM help_requests WHERE id = ?`, id).Scan(&created, &outcome)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("help request %s: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if outcome != "" {
			return fmt.Errorf("%w: help request %s is already resolved", ErrConflict, id)
		}
		c, err := parseTime(created)
		if err != nil {
			return err
		}
		if o == help.Open {
			return fmt.Errorf("%w: no outcome", ErrInvalid)
		}
		if err := help.CheckResolution(o, reason, note, c, at); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE help_requests SET outcome = ?, reason = ?, note = ?, resolved_at = ? WHERE id = ? AND outcome = ''`,
			string(o), string(reason), note, formatTime(at), id)
		return err
	})
}

const helpColumns = `id, source, lang, service_point, device_id, created_at, outcome, reason, note, resolved_at`

func (s *Store) helpRequests(ctx context.Context, op, where string, args ...any) ([]HelpRequest, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+helpColumns+` FROM help_requests WHERE `+where, args...)
	if err != nil {
		return nil, wrap(op, err)
	}
	defer rows.Close()
	var out []HelpRequest
	for rows.Next() {
		var r HelpRequest
		var created, outcome, reason string
		var resolved sql.NullString
		if err := rows.Scan(&r.ID, &r.Source, &r.Lang, &r.ServicePoint, &r.DeviceID, &created, &outcome, &reason, &r.Note, &resolved); err != nil {
			return nil, wrap(op, err)
		}
		if r.CreatedAt, err = parseTime(created); err != nil {
			return nil, fmt.Errorf("%s %s: %w", op, r.ID, err)
		}
		if resolved.Valid {
			if r.ResolvedAt, err = parseTime(resolved.String); err != nil {
				return nil, fmt.Errorf("%s %s: %w", op, r.ID, err)
			}
		}
		r.Outcome, r.Reason = help.Outcome(outcome), help.Reason(reason)
		out = append(out, r)
	}
	return out, wrap(op, rows.Err())
}

// OpenHelp returns the requests no staff member resolved yet, oldest
// first.
func (s *Store) OpenHelp(ctx context.Context) ([]HelpRequest, error) {
	return s.helpRequests(ctx, "open help", `outcome = '' ORDER BY created_at, id`)
}

// PendingHelp returns up to limit requests whose current state the hub
// does not hold yet and has not refused, oldest first: open ones it never
// got, and resolved ones whose resolution it did not get.
func (s *Store) PendingHelp(ctx context.Context, limit int) ([]HelpRequest, error) {
	return s.helpRequests(ctx, "pending help", `rejected = '' AND synced_at IS NULL AND (outcome <> '' OR open_synced_at IS NULL)
		ORDER BY created_at, id LIMIT ?`, limit)
}

// MarkHelpSynced records the states the hub now holds. Marking the open
// state of a request resolved meanwhile keeps its resolution pending.
func (s *Store) MarkHelpSynced(ctx context.Context, sent []HelpSent) error {
	return s.write(ctx, "mark help synced", func(tx *sql.Tx) error {
		now := formatTime(s.now())
		for _, h := range sent {
			q := `UPDATE help_requests SET open_synced_at = coalesce(open_synced_at, ?) WHERE id = ?`
			if h.Resolved {
				q = `UPDATE help_requests SET synced_at = coalesce(synced_at, ?) WHERE id = ? AND outcome <> ''`
			}
			if _, err := tx.ExecContext(ctx, q, now, h.ID); err != nil {
				return err
			}
		}
		return nil
	})
}

// MarkHelpRejected keeps a request the hub refused for good, with its
// reason, out of the pending ones.
func (s *Store) MarkHelpRejected(ctx context.Context, id, reason string) error {
	if reason == "" {
		reason = "rejected"
	}
	return s.write(ctx, "mark help rejected", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE help_requests SET rejected = ? WHERE id = ? AND synced_at IS NULL`, reason, id)
		return err
	})
}
