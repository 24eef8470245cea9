package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

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
	_, err := s.pool.Exec(ctx, `INSERT INTO webhooks (id, url, kinds, secret, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)`,
		w.ID, w.URL, kindsText(w.Kinds), w.Secret, w.CreatedAt.UTC(), w.CreatedBy)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return fmt.Errorf("add webhook %s: %w", w.ID, hub.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("add webhook %s: %w", w.ID, err)
	}
	return nil
}

// Webhooks implements hub.WebhookStore.
func (s *Store) Webhooks(ctx context.Context) ([]hub.Webhook, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, url, kinds, secret, created_at, created_by FROM webhooks
		WHERE removed_at IS NULL ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("webhooks: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (hub.Webhook, error) {
		var w hub.Webhook
		var kinds string
		err := r.Scan(&w.ID, &w.URL, &kinds, &w.Secret, &w.CreatedAt, &w.CreatedBy)
		w.Kinds, w.CreatedAt = parseKinds(kinds), w.CreatedAt.UTC()
		return w, err
	})
	if err != nil {
		return nil, fmt.Errorf("webhooks: %w", err)
	}
	return out, nil
}

// RemoveWebhook implements hub.WebhookStore.
func (s *Store) RemoveWebhook(ctx context.Context, id string, at time.Time) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE webhooks SET removed_at = $1 WHERE id = $2 AND removed_at IS NULL`, at.UTC(), id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return hub.ErrNotFound
		}
		_, err = tx.Exec(ctx, `UPDATE webhook_deliveries SET state = 'failed', last_error = 'webhook removed', updated_at = $1
			WHERE webhook_id = $2 AND state = 'pending'`, at.UTC(), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("remove webhook %s: %w", id, err)
	}
	return nil
}

// Enqueue implements hub.WebhookStore.
func (s *Store) Enqueue(ctx context.Context, ev hub.Event) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { return enqueue(ctx, tx, ev) })
}

// enqueue stores ev and its deliveries in tx, when a webhook wants it.
func enqueue(ctx context.Context, tx pgx.Tx, ev hub.Event) error {
	like := "%," + string(ev.Kind) + ",%"
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM webhooks WHERE removed_at IS NULL AND kinds LIKE $1`, like).Scan(&n); err != nil {
		return fmt.Errorf("enqueue %s: %w", ev.Kind, err)
	}
	if n == 0 {
		return nil
	}
	at := ev.At.UTC()
	if _, err := tx.Exec(ctx, `INSERT INTO webhook_events (id, kind, created_at, body) VALUES ($1, $2, $3, $4)`,
		ev.ID, string(ev.Kind), at, ev.Body); err != nil {
		return fmt.Errorf("enqueue %s: %w", ev.Kind, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO webhook_deliveries (event_id, webhook_id, next_at, created_at, updated_at)
		SELECT $1, id, $2, $2, $2 FROM webhooks WHERE removed_at IS NULL AND kinds LIKE $3 ORDER BY created_at, id`,
		ev.ID, at, like); err != nil {
		return fmt.Errorf("enqueue %s: %w", ev.Kind, err)
	}
	return nil
}

// ingestEvents is Ingest's part of the webhooks and alerts: the accepted
// rated items' answers for the alert windows, and the responses event.
func ingestEvents(ctx context.Context, tx pgx.Tx, accepted []hub.Incoming, receivedAt time.Time) error {
	if len(accepted) == 0 {
		return nil
	}
	var points []string
	var dis []bool
	for _, it := range accepted {
		if it.Figures.Rated > 0 {
			points = append(points, it.Response.ServicePoint)
			dis = append(dis, it.Dissatisfied)
		}
	}
	if len(points) > 0 {
		if _, err := tx.Exec(ctx, `INSERT INTO alert_answers (service_point, dissatisfied, received_at)
			SELECT p, d, $3 FROM unnest($1::text[], $2::boolean[]) WITH ORDINALITY AS u(p, d, n) ORDER BY n`,
			points, dis, receivedAt.UTC()); err != nil {
			return fmt.Errorf("alert answers: %w", err)
		}
	}
	// The event is built only when a webhook wants it: an upload's
	// batch is the hub's hot path.
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM webhooks WHERE removed_at IS NULL AND kinds LIKE $1`,
		"%,"+string(hub.EventResponses)+",%").Scan(&n); err != nil || n == 0 {
		return err
	}
	ev, err := hub.ResponsesEvent(accepted, receivedAt)
	if err != nil {
		return err
	}
	return enqueue(ctx, tx, ev)
}

// ClaimDeliveries implements hub.WebhookStore: FOR UPDATE SKIP LOCKED, so
// that concurrent claims from several hubs take different rows and never
// wait for one another.
func (s *Store) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]hub.ClaimedDelivery, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	token := hex.EncodeToString(b[:])
	rows, err := s.pool.Query(ctx, `WITH due AS (
			SELECT id FROM webhook_deliveries WHERE state = 'pending' AND next_at <= $1
				AND (lease_until IS NULL OR lease_until <= $1)
			ORDER BY next_at, id LIMIT $4 FOR UPDATE SKIP LOCKED),
		claimed AS (
			UPDATE webhook_deliveries d SET lease_until = $2, lease = $3 || '-' || d.id FROM due WHERE d.id = due.id
			RETURNING d.*)
		SELECT c.id, c.event_id, e.kind, c.webhook_id, w.url, c.state, c.attempts, c.next_at, c.last_status, c.last_error,
			c.created_at, c.updated_at, w.secret, e.body, c.lease
		FROM claimed c JOIN webhook_events e ON e.id = c.event_id JOIN webhooks w ON w.id = c.webhook_id
		ORDER BY c.next_at, c.id`, now.UTC(), now.Add(lease).UTC(), token, limit)
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (hub.ClaimedDelivery, error) {
		var c hub.ClaimedDelivery
		err := scanDelivery(r, &c.Delivery, &c.Secret, &c.Body, &c.Lease)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	return out, nil
}

func scanDelivery(r pgx.Row, d *hub.Delivery, extra ...any) error {
	var kind, state string
	dst := append([]any{&d.ID, &d.EventID, &kind, &d.WebhookID, &d.URL, &state, &d.Attempts, &d.NextAt, &d.LastStatus, &d.LastError,
		&d.CreatedAt, &d.UpdatedAt}, extra...)
	if err := r.Scan(dst...); err != nil {
		return err
	}
	d.Kind, d.State = hub.EventKind(kind), hub.DeliveryState(state)
	d.NextAt, d.CreatedAt, d.UpdatedAt = d.NextAt.UTC(), d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	return nil
}

// FinishDelivery implements hub.WebhookStore.
func (s *Store) FinishDelivery(ctx context.Context, id int64, lease string, r hub.DeliveryResult) error {
	next := r.NextAt
	if r.State != hub.DeliveryPending {
		next = r.At
	}
	tag, err := s.pool.Exec(ctx, `UPDATE webhook_deliveries SET state = $1, attempts = attempts + 1, next_at = $2,
		lease_until = NULL, lease = '', last_status = $3, last_error = $4, updated_at = $5
		WHERE id = $6 AND lease = $7 AND state = 'pending'`,
		string(r.State), next.UTC(), r.Status, r.Error, r.At.UTC(), id, lease)
	if err != nil {
		return fmt.Errorf("finish delivery %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("finish delivery %d: %w", id, hub.ErrLeaseLost)
	}
	return nil
}

// Deliveries implements hub.WebhookStore.
func (s *Store) Deliveries(ctx context.Context, limit int) ([]hub.Delivery, error) {
	rows, err := s.pool.Query(ctx, `SELECT d.id, d.event_id, e.kind, d.webhook_id, w.url, d.state, d.attempts, d.next_at,
		d.last_status, d.last_error, d.created_at, d.updated_at
		FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id JOIN webhooks w ON w.id = d.webhook_id
		ORDER BY d.id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("deliveries: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (hub.Delivery, error) {
		var d hub.Delivery
		err := scanDelivery(r, &d)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("deliveries: %w", err)
	}
	return out, nil
}

// RetryDelivery implements hub.WebhookStore.
func (s *Store) RetryDelivery(ctx context.Context, id int64, at time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_at = $2, updated_at = $2,
		lease_until = NULL, lease = ''
		WHERE id = $1 AND state = 'failed' AND webhook_id IN (SELECT id FROM webhooks WHERE removed_at IS NULL)`, id, at.UTC())
	if err != nil {
		return fmt.Errorf("retry delivery %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("retry delivery %d: %w", id, hub.ErrNotFound)
	}
	return nil
}

// PruneDeliveries implements hub.WebhookStore.
func (s *Store) PruneDeliveries(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM webhook_deliveries WHERE state <> 'pending' AND updated_at < $1`, before.UTC())
		if err != nil {
			return err
		}
		n = tag.RowsAffected()
		_, err = tx.Exec(ctx, `DELETE FROM webhook_events e WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id)`)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune deliveries: %w", err)
	}
	return int(n), nil
}

// AlertAnswers implements hub.WebhookStore.
func (s *Store) AlertAnswers(ctx context.Context, servicePoint string, n int) (hub.AnswerWindow, error) {
	var w hub.AnswerWindow
	var last *time.Time
	err := s.pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE dissatisfied), max(received_at) FROM
		(SELECT dissatisfied, received_at FROM alert_answers WHERE service_point = $1 ORDER BY id DESC LIMIT $2) AS last`,
		servicePoint, n).Scan(&w.Answers, &w.Dissatisfied, &last)
	if err != nil {
		return w, fmt.Errorf("alert answers: %w", err)
	}
	w.LastAt = fromNull(last)
	return w, nil
}

// AlertPoints implements hub.WebhookStore.
func (s *Store) AlertPoints(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT service_point COLLATE "C" FROM alert_answers ORDER BY 1`)
	if err != nil {
		return nil, fmt.Errorf("alert points: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("alert points: %w", err)
	}
	return out, nil
}

// SetAlert implements hub.WebhookStore: the row is created if missing
// and then locked, so concurrent findings for one subject follow one
// another and one crossing enqueues one event.
func (s *Store) SetAlert(ctx context.Context, a hub.Alert, ev hub.Event) (bool, error) {
	figures, err := json.Marshal(a.Figures)
	if err != nil {
		return false, err
	}
	var crossed bool
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		at := a.At.UTC()
		tag, err := tx.Exec(ctx, `INSERT INTO alerts (rule, subject, service_point, active, since, checked_at, figures)
			VALUES ($1, $2, $3, $4, $5, $5, $6) ON CONFLICT DO NOTHING`, a.Rule, a.Subject, a.ServicePoint, a.Active, at, figures)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 1 {
			crossed = a.Active
		} else {
			var active bool
			if err := tx.QueryRow(ctx, `SELECT active FROM alerts WHERE rule = $1 AND subject = $2 FOR UPDATE`, a.Rule, a.Subject).Scan(&active); err != nil {
				return err
			}
			crossed = active != a.Active
			if crossed {
				_, err = tx.Exec(ctx, `UPDATE alerts SET active = $3, since = $4, checked_at = $4, figures = $5, service_point = $6
					WHERE rule = $1 AND subject = $2`, a.Rule, a.Subject, a.Active, at, figures, a.ServicePoint)
			} else {
				_, err = tx.Exec(ctx, `UPDATE alerts SET checked_at = $3, figures = $4 WHERE rule = $1 AND subject = $2`,
					a.Rule, a.Subject, at, figures)
			}
			if err != nil {
				return err
			}
		}
		if crossed {
			return enqueue(ctx, tx, ev)
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("set alert: %w", err)
	}
	return crossed, nil
}

// Alerts implements hub.WebhookStore.
func (s *Store) Alerts(ctx context.Context) ([]hub.Alert, error) {
	rows, err := s.pool.Query(ctx, `SELECT rule, subject, service_point, active, since, checked_at, figures FROM alerts
		ORDER BY rule COLLATE "C", subject COLLATE "C"`)
	if err != nil {
		return nil, fmt.Errorf("alerts: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (hub.Alert, error) {
		var a hub.Alert
		var figures []byte
		if err := r.Scan(&a.Rule, &a.Subject, &a.ServicePoint, &a.Active, &a.Since, &a.At, &figures); err != nil {
			return a, err
		}
		a.Since, a.At = a.Since.UTC(), a.At.UTC()
		return a, json.Unmarshal(figures, &a.Figures)
	})
	if err != nil {
		return nil, fmt.Errorf("alerts: %w", err)
	}
	return out, nil
}
