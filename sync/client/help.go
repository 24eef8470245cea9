package client

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/hailong-kiosk/hailong/sync/help"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// OutgoingHelp is one help request in its current state, waiting to be
// sent.
type OutgoingHelp struct {
	ID                                   string
	Source, Lang, ServicePoint, DeviceID string
	CreatedAt                            time.Time
	// Outcome is help.Open, or the resolution with Reason, Note and
	// ResolvedAt.
	Outcome    help.Outcome
	Reason     help.Reason
	Note       string
	ResolvedAt time.Time
}

// HelpOutbox is what the uploader needs to send help requests; an Outbox
// that also implements it has its requests sent after its feedback cases
// at every sync (app/launch/syncstore does).
type HelpOutbox interface {
	// PendingHelp returns up to limit requests whose current state the
	// hub neither holds nor refused, oldest first.
	PendingHelp(ctx context.Context, limit int) ([]OutgoingHelp, error)
	// MarkHelpSynced records that the hub holds these requests in the
	// state sent (resolved[i] for ids[i]).
	MarkHelpSynced(ctx context.Context, ids []string, resolved []bool) error
	// MarkHelpRejected keeps a request the hub refused for good with its
	// reason, out of the pending ones.
	MarkHelpRejected(ctx context.Context, id, reason string) error
}

// uploadHelp sends the pending help requests, each stamped with this
// device's id and signed as it is sent, in batches of
// protocol.MaxHelpItems, until none is pending. A hub older than help
// requests (404) keeps them pending without failing the sync.
func (u *Uploader) uploadHelp(ctx context.Context, h *remote, id Identity) error {
	ho, ok := u.out.(HelpOutbox)
	if !ok {
		return nil
	}
	for {
		reqs, err := ho.PendingHelp(ctx, protocol.MaxHelpItems)
		if err != nil {
			return &Error{Kind: KindLocal, Op: "read help requests", Err: err}
		}
		if len(reqs) == 0 {
			return nil
		}
		b := protocol.HelpBatch{Items: make([]protocol.HelpItem, len(reqs))}
		for i, r := range reqs {
			it, err := protocol.SignHelp(id.Key, protocol.HelpV1{
				ID: r.ID, Source: r.Source, Lang: r.Lang, ServicePoint: r.ServicePoint, DeviceID: id.DeviceID, CreatedAt: r.CreatedAt,
				Outcome: string(r.Outcome), Reason: string(r.Reason), Note: r.Note, ResolvedAt: r.ResolvedAt,
			})
			if err != nil {
				return &Error{Kind: KindLocal, Op: "sign help request", Err: err}
			}
			b.Items[i] = it
		}
		body, err := b.Encode()
		if err != nil {
			return &Error{Kind: KindLocal, Op: "encode help requests", Err: err}
		}
		resp, data, err := h.call(ctx, "upload help requests", http.MethodPost, protocol.PathHelp, body, nil)
		if err != nil {
			return err
		}
		if resp.StatusCode == http.StatusNotFound {
			u.log.Info("the hub takes no help requests yet; they stay pending", "pending", len(reqs))
			return nil
		}
		if resp.StatusCode/100 != 2 {
			return statusError("upload help requests", resp, data)
		}
		var res protocol.BatchResult
		if err := decodeAnswer("upload help requests", resp, data, &res); err != nil {
			return err
		}
		if len(res.Results) != len(reqs) {
			return &Error{Kind: KindProtocol, Op: "upload help requests", Err: fmt.Errorf("%d results for %d requests", len(res.Results), len(reqs))}
		}
		var synced []string
		var resolved []bool
		for i, r := range res.Results {
			if r.ID != reqs[i].ID {
				return &Error{Kind: KindProtocol, Op: "upload help requests", Err: fmt.Errorf("result %d is for %q, not %q", i, r.ID, reqs[i].ID)}
			}
			if r.Outcome.Synced() {
				synced, resolved = append(synced, r.ID), append(resolved, reqs[i].Outcome != help.Open)
				continue
			}
			u.log.Warn("help request refused by the hub", "id", r.ID, "outcome", r.Outcome, "reason", r.Reason, "message", r.Message)
			if err := ho.MarkHelpRejected(context.WithoutCancel(ctx), r.ID, reasonText(r.Reason, r.Message)); err != nil {
				return &Error{Kind: KindLocal, Op: "mark help request", Err: err}
			}
			u.rejected.Add(1)
		}
		if err := ho.MarkHelpSynced(context.WithoutCancel(ctx), synced, resolved); err != nil {
			return &Error{Kind: KindLocal, Op: "mark help request", Err: err}
		}
	}
}
