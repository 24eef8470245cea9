// Package syncstore adapts the kiosk's store (app/store) to what the
// uploader reads and writes (sync/client.Outbox), so that sync/client
// knows nothing of SQLite: it turns the store's outbox rows and counts
// into the client's types and its conflicts into the client's errors.
// app/launch wires it; the sync tab's tests use it with a real store.
package syncstore

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/sync/client"
)

// Store is the kiosk store seen as the uploader's outbox. The store's
// other methods (settings, signatures, rejected items...) pass through.
type Store struct {
	*store.Store
}

// New returns st as an outbox.
func New(st *store.Store) Store { return Store{Store: st} }

var _ client.Outbox = Store{}

// SlipKey is the hub's public slip key as enrollment stored it
// (client.SlipKey), nil when the kiosk has none: with the store's
// SlipUsed, what the kiosk screens check a rating slip with (ui.Slips).
func (s Store) SlipKey(ctx context.Context) (ed25519.PublicKey, error) {
	return client.SlipKey(ctx, s.Store)
}

// PendingAfter is store.PendingAfter in the client's type.
func (s Store) PendingAfter(ctx context.Context, after int64, limit int) ([]client.Outgoing, error) {
	rows, err := s.Store.PendingAfter(ctx, after, limit)
	if err != nil {
		return nil, err
	}
	out := make([]client.Outgoing, len(rows))
	for i, o := range rows {
		out[i] = client.Outgoing{Seq: o.Seq, Response: o.Response, Signature: o.Signature, Waiting: o.Waiting, DeviceSeq: o.DeviceSeq}
	}
	return out, nil
}

// SyncStats is store.SyncStats in the client's type.
func (s Store) SyncStats(ctx context.Context) (client.SyncStats, error) {
	st, err := s.Store.SyncStats(ctx)
	return client.SyncStats{Pending: st.Pending, Synced: st.Synced, Rejected: st.Rejected, Waiting: st.Waiting}, err
}

// MarkWaiting is store.MarkWaiting with the client's type.
func (s Store) MarkWaiting(ctx context.Context, items []client.Waiting) error {
	ws := make([]store.Waiting, len(items))
	for i, w := range items {
		ws[i] = store.Waiting{ID: w.ID, Reason: w.Reason}
	}
	return s.Store.MarkWaiting(ctx, ws)
}

// MarkRejected is store.MarkRejected; the store's conflict (the response
// is synced) becomes client.ErrAlreadySynced.
func (s Store) MarkRejected(ctx context.Context, id, reason string) error {
	return conflictAs(s.Store.MarkRejected(ctx, id, reason), client.ErrAlreadySynced)
}

// SaveSurvey is store.SaveSurvey; the store's conflict (another definition
// of the version is stored) becomes client.ErrSurveyConflict.
func (s Store) SaveSurvey(ctx context.Context, raw []byte) error {
	return conflictAs(s.Store.SaveSurvey(ctx, raw), client.ErrSurveyConflict)
}

// conflictAs wraps err with target too when err is store.ErrConflict.
func conflictAs(err, target error) error {
	if errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("%w: %w", target, err)
	}
	return err
}

var _ client.FeedbackOutbox = Store{}

// InspectionKey is the hub's inspection public key as enrollment stored it
// (client.InspectionKey), nil when the kiosk has none: misconduct reports
// are sealed to it before they are saved.
func (s Store) InspectionKey(ctx context.Context) ([]byte, error) {
	return client.InspectionKey(ctx, s.Store)
}

// PendingFeedback is store.PendingFeedback in the client's type.
func (s Store) PendingFeedback(ctx context.Context, limit int) ([]client.OutgoingFeedback, error) {
	rows, err := s.Store.PendingFeedback(ctx, limit)
	if err != nil {
		return nil, err
	}
	out := make([]client.OutgoingFeedback, len(rows))
	for i, f := range rows {
		out[i] = client.OutgoingFeedback{
			ID: f.ID, Code: f.Code, Category: f.Category, Text: f.Text, Sealed: f.Sealed,
			Source: f.Source, Lang: f.Lang, ServicePoint: f.ServicePoint, DeviceID: f.DeviceID, CreatedAt: f.CreatedAt,
		}
	}
	return out, nil
}

// FeedbackTarget is where the kiosk's feedback cases go (ui.FeedbackStore):
// the hub's base URL and its inspection public key as enrollment stored
// them; "" and nil before enrollment.
func (s Store) FeedbackTarget(ctx context.Context) (string, []byte, error) {
	hubURL, _, err := s.Store.Setting(ctx, client.KeyHubURL)
	if err != nil {
		return "", nil, fmt.Errorf("feedback target: %w", err)
	}
	key, err := client.InspectionKey(ctx, s.Store)
	if err != nil {
		return hubURL, nil, fmt.Errorf("feedback target: %w", err)
	}
	return hubURL, key, nil
}

var _ client.HelpOutbox = Store{}

// PendingHelp is store.PendingHelp in the client's type.
func (s Store) PendingHelp(ctx context.Context, limit int) ([]client.OutgoingHelp, error) {
	rows, err := s.Store.PendingHelp(ctx, limit)
	if err != nil {
		return nil, err
	}
	out := make([]client.OutgoingHelp, len(rows))
	for i, r := range rows {
		out[i] = client.OutgoingHelp{
			ID: r.ID, Source: r.Source, Lang: r.Lang, ServicePoint: r.ServicePoint, DeviceID: r.DeviceID, CreatedAt: r.CreatedAt,
			Outcome: r.Outcome, Reason: r.Reason, Note: r.Note, ResolvedAt: r.ResolvedAt,
		}
	}
	return out, nil
}

// MarkHelpSynced is store.MarkHelpSynced in the client's terms.
func (s Store) MarkHelpSynced(ctx context.Context, ids []string, resolved []bool) error {
	sent := make([]store.HelpSent, len(ids))
	for i, id := range ids {
		sent[i] = store.HelpSent{ID: id, Resolved: resolved[i]}
	}
	return s.Store.MarkHelpSynced(ctx, sent)
}
