package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// kindsText is how a webhook's kinds are stored: ",a,b,".
func kindsText(ks []hub.EventKind) string { return "," + hub.KindList(ks) + "," }

func parseKinds(s string) []hub.EventKind {
	var out []hub.EventKind
	for _, f := range strings.Split(strings.Trim(s, ","), ",") {
		if f != "" {
			out = append(out, hub.EventKind(f))
		}
	}
	return out
}

// AddWebhook implements hub.WebhookStore.
func (s *Store) AddWebhook(ctx context.Context, w hub.Webhook) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO webhooks (id, url, kinds, secret, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)`,
		w.ID, w.URL, kindsText(w.Kinds), w.Secret, timeText(w.CreatedAt), w.CreatedBy)
	if err != nil && strings.Contains(err.Error(), "UNIQUE") {
		return fmt.Errorf("add webhook %s: %w", w.ID, hub.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("add webhook %s: %w", w.ID, err)
	}
	return nil
}

// Webhooks implements hub.WebhookStore.
func (s *Store) Webhooks(ctx context.Context) ([]hub.Webhook, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, url, kinds, secret, created_at, created_by FROM webhooks
		WHERE removed_at IS NULL ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("webhooks: %w", err)
	}
	defer rows.Close()
	var out []hub.Webhook
	for rows.Next() {
		var w hub.Webhook
		var kinds string
		var at sql.NullString
		if err := rows.Scan(&w.ID, &w.URL, &kinds, &w.Secret, &at, &w.CreatedBy); err != nil {
			return nil, fmt.Errorf("webhooks: %w", err)
		}
		w.Kinds = parseKinds(kinds)
		if w.CreatedAt, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// RemoveWebhook implements hub.WebhookStore.
func (s *Store) RemoveWebhook(ctx context.Context, id string, at time.Time) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("remove webhook %s: %w", id, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE webhooks SET removed_at = ? WHERE id = ? AND removed_at IS NULL`, timeText(at), id)
	if err != nil {
		return fmt.Errorf("remove webhook %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("remove webhook %s: %w", id, hub.ErrNotFound)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET state = 'failed', last_error = 'webhook removed', updated_at = ?
		WHERE webhook_id = ? AND state = 'pending'`, timeText(at), id); err != nil {
		return fmt.Errorf("remove webhook %s: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("remove webhook %s: %w", id, err)
	}
	return nil
}

// Enqueue implements hub.WebhookStore.
func (s *Store) Enqueue(ctx context.Context, ev hub.Event) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("enqueue %s: %w", ev.Kind, err)
	}
	defer tx.Rollback()
	if err := enqueue(ctx, tx, ev); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("enqueue %s: %w", ev.Kind, err)
	}
	return nil
}

// enqueue stores ev and its deliveries in tx, when a webhook wants it.
func enqueue(ctx context.Context, tx *sql.Tx, ev hub.Event) error {
	var n int
	like := "%," + string(ev.Kind) + ",%"
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM webhooks WHERE removed_at IS NULL AND kinds LIKE ?`, like).Scan(&n); err != nil {
		return fmt.Errorf("enqueue %s: %w", ev.Kind, err)
	}
	if n == 0 {
		return nil
	}
	at := timeText(ev.At)
	if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_events (id, kind, created_at, body) VALUES (?, ?, ?, ?)`,
		ev.ID, string(ev.Kind), at, ev.Body); err != nil {
		return fmt.Errorf("enqueue %s: %w", ev.Kind, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_deliveries (event_id, webhook_id, next_at, created_at, updated_at)
		SELECT ?, id, ?, ?, ? FROM webhooks WHERE removed_at IS NULL AND kinds LIKE ? ORDER BY created_at, id`,
		ev.ID, at, at, at, like); err != nil {
		return fmt.Errorf("enqueue %s: %w", ev.Kind, err)
	}
	return nil
}

// ingestEvents is Ingest's part of the webhooks and alerts: the accepted
// rated items' answers for the alert windows, and the responses event.
func ingestEvents(ctx context.Context, tx *sql.Tx, accepted []hub.Incoming, receivedAt time.Time) error {
	if len(accepted) == 0 {
		return nil
	}
	at := timeText(receivedAt)
	ins, err := tx.PrepareContext(ctx, `INSERT INTO alert_answers (service_point, dissatisfied, received_at) VALUES (?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("alert answers: %w", err)
	}
	defer ins.Close()
	for _, it := range accepted {
		if it.Figures.Rated == 0 {
			continue
		}
		if _, err := ins.ExecContext(ctx, it.Response.ServicePoint, it.Dissatisfied, at); err != nil {
			return fmt.Errorf("alert answers: %w", err)
		}
	}
	// The event is built only when a webhook wants it: an upload's
	// batch is the hub's hot path.
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM webhooks WHERE removed_at IS NULL AND kinds LIKE ?`,
		"%,"+string(hub.EventResponses)+",%").Scan(&n); err != nil || n == 0 {
		return err
	}
	ev, err := hub.ResponsesEvent(accepted, receivedAt)
	if err != nil {
		return err
	}
	return enqueue(ctx, tx, ev)
}

// newLease is a claim's token.
func newLease() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// ClaimDeliveries implements hub.WebhookStore. The store's one writer
// serialises claims.
func (s *Store) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]hub.ClaimedDelivery, error) {
	token, err := newLease()
	if err != nil {
		return nil, err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `UPDATE webhook_deliveries SET lease_until = ?, lease = ? || '-' || id
		WHERE id IN (SELECT id FROM webhook_deliveries WHERE state = 'pending' AND next_at <= ?
			AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_at, id LIMIT ?)
		RETURNING id`, timeText(now.Add(lease)), token, timeText(now), timeText(now), limit)
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	var ids []any
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("claim deliveries: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	if len(ids) == 0 {
		return nil, tx.Commit()
	}
	q := `SELECT d.id, d.event_id, e.kind, d.webhook_id, w.url, d.state, d.attempts, d.next_at, d.last_status, d.last_error,
		d.created_at, d.updated_at, w.secret, e.body, d.lease
		FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id JOIN webhooks w ON w.id = d.webhook_id
		WHERE d.id IN (?` + strings.Repeat(", ?", len(ids)-1) + `) ORDER BY d.next_at, d.id`
	rows, err = tx.QueryContext(ctx, q, ids...)
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	defer rows.Close()
	var out []hub.ClaimedDelivery
	for rows.Next() {
		var c hub.ClaimedDelivery
		if err := scanDelivery(rows, &c.Delivery, &c.Secret, &c.Body, &c.Lease); err != nil {
			return nil, fmt.Errorf("claim deliveries: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	rows.Close()
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	return out, nil
}

func scanDelivery(r scanner, d *hub.Delivery, extra ...any) error {
	var kind, state string
	var next, created, updated sql.NullString
	dst := append([]any{&d.ID, &d.EventID, &kind, &d.WebhookID, &d.URL, &state, &d.Attempts, &next, &d.LastStatus, &d.LastError,
		&created, &updated}, extra...)
	if err := r.Scan(dst...); err != nil {
		return err
	}
	d.Kind, d.State = hub.EventKind(kind), hub.DeliveryState(state)
	var err error
	if d.NextAt, err = parseTime(next); err != nil {
		return err
	}
	if d.CreatedAt, err = parseTime(created); err != nil {
		return err
	}
	d.UpdatedAt, err = parseTime(updated)
	return err
}

// FinishDelivery implements hub.WebhookStore.
func (s *Store) FinishDelivery(ctx context.Context, id int64, lease string, r hub.DeliveryResult) error {
	next := r.NextAt
	if r.State != hub.DeliveryPending {
		next = r.At
	}
	res, err := s.w.ExecContext(ctx, `UPDATE webhook_deliveries SET state = ?, attempts = attempts + 1, next_at = ?,
		lease_until = NULL, lease = '', last_status = ?, last_error = ?, updated_at = ?
		WHERE id = ? AND lease = ? AND state = 'pending'`,
		string(r.State), timeText(next), r.Status, r.Error, timeText(r.At), id, lease)
	if err != nil {
		return fmt.Errorf("finish delivery %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("finish delivery %d: %w", id, hub.ErrLeaseLost)
	}
	return nil
}

// Deliveries implements hub.WebhookStore.
func (s *Store) Deliveries(ctx context.Context, limit int) ([]hub.Delivery, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT d.id, d.event_id, e.kind, d.webhook_id, w.url, d.state, d.attempts, d.next_at,
		d.last_status, d.last_error, d.created_at, d.updated_at
		FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id JOIN webhooks w ON w.id = d.webhook_id
		ORDER BY d.id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("deliveries: %w", err)
	}
	defer rows.Close()
	var out []hub.Delivery
	for rows.Next() {
		var d hub.Delivery
		if err := scanDelivery(rows, &d); err != nil {
			return nil, fmt.Errorf("deliveries: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// RetryDelivery implements hub.WebhookStore.
func (s *Store) RetryDelivery(ctx context.Context, id int64, at time.Time) error {
	res, err := s.w.ExecContext(ctx, `UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_at = ?, updated_at = ?,
		lease_until = NULL, lease = ''
		WHERE id = ? AND state = 'failed' AND webhook_id IN (SELECT id FROM webhooks WHERE removed_at IS NULL)`, timeText(at), timeText(at), id)
	if err != nil {
		return fmt.Errorf("retry delivery %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("retry delivery %d: %w", id, hub.ErrNotFound)
	}
	return nil
}

// PruneDeliveries implements hub.WebhookStore.
func (s *Store) PruneDeliveries(ctx context.Context, before time.Time) (int, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("prune deliveries: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE state <> 'pending' AND updated_at < ?`, timeText(before))
	if err != nil {
		return 0, fmt.Errorf("prune deliveries: %w", err)
	}
	n, _ := res.RowsAffected()
	if _, err := tx.ExecContext(ctx, `DELETE FROM webhook_events WHERE NOT EXISTS
		(SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id)`); err != nil {
		return 0, fmt.Errorf("prune deliveries: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("prune deliveries: %w", err)
	}
	return int(n), nil
}

// AlertAnswers implements hub.WebhookStore.
func (s *Store) AlertAnswers(ctx context.Context, servicePoint string, n int) (hub.AnswerWindow, error) {
	var w hub.AnswerWindow
	var last sql.NullString
	err := s.r.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(dissatisfied), 0), max(received_at) FROM
		(SELECT dissatisfied, received_at FROM alert_answers WHERE service_point = ? ORDER BY id DESC LIMIT ?)`,
		servicePoint, n).Scan(&w.Answers, &w.Dissatisfied, &last)
	if err != nil {
		return w, fmt.Errorf("alert answers: %w", err)
	}
	w.LastAt, err = parseTime(last)
	return w, err
}

// AlertPoints implements hub.WebhookStore.
func (s *Store) AlertPoints(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT service_point FROM alert_answers ORDER BY service_point`)
	if err != nil {
		return nil, fmt.Errorf("alert points: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SetAlert implements hub.WebhookStore.
func (s *Store) SetAlert(ctx context.Context, a hub.Alert, ev hub.Event) (bool, error) {
	figures, err := json.Marshal(a.Figures)
	if err != nil {
		return false, err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("set alert: %w", err)
	}
	defer tx.Rollback()
	var active bool
	err = tx.QueryRowContext(ctx, `SELECT active FROM alerts WHERE rule = ? AND subject = ?`, a.Rule, a.Subject).Scan(&active)
	found := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("set alert: %w", err)
	}
	crossed := found && active != a.Active || !found && a.Active
	at := timeText(a.At)
	switch {
	case !found:
		_, err = tx.ExecContext(ctx, `INSERT INTO alerts (rule, subject, service_point, active, since, checked_at, figures)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, a.Rule, a.Subject, a.ServicePoint, a.Active, at, at, string(figures))
	case crossed:
		_, err = tx.ExecContext(ctx, `UPDATE alerts SET active = ?, since = ?, checked_at = ?, figures = ?, service_point = ?
			WHERE rule = ? AND subject = ?`, a.Active, at, at, string(figures), a.ServicePoint, a.Rule, a.Subject)
	default:
		_, err = tx.ExecContext(ctx, `UPDATE alerts SET checked_at = ?, figures = ? WHERE rule = ? AND subject = ?`,
			at, string(figures), a.Rule, a.Subject)
	}
	if err != nil {
		return false, fmt.Errorf("set alert: %w", err)
	}
	if crossed {
		if err := enqueue(ctx, tx, ev); err != nil {
			return false, err
		}
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("set alert: %w", err)
	}
	return crossed, nil
}

// Alerts implements hub.WebhookStore.
func (s *Store) Alerts(ctx context.Context) ([]hub.Alert, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT rule, subject, service_point, active, since, checked_at, figures FROM alerts ORDER BY rule, subject`)
	if err != nil {
		return nil, fmt.Errorf("alerts: %w", err)
	}
	defer rows.Close()
	var out []hub.Alert
	for rows.Next() {
		var a hub.Alert
		var since, at sql.NullString
		var figures string
		if err := rows.Scan(&a.Rule, &a.Subject, &a.ServicePoint, &a.Active, &since, &at, &figures); err != nil {
			return nil, fmt.Errorf("alerts: %w", err)
		}
		if a.Since, err = parseTime(since); err != nil {
			return nil, err
		}
		if a.At, err = parseTime(at); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(figures), &a.Figures); err != nil {
			return nil, fmt.Errorf("alert %s %q: figures: %w", a.Rule, a.Subject, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
