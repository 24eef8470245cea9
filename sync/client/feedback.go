package client

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/hailong-kiosk/hailong/sync/feedback"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// OutgoingFeedback is one feedback case waiting to be sent.
type OutgoingFeedback struct {
	ID       string
	Code     feedback.Code
	Category feedback.Category
	// Text is the citizen's text, "" for a sealed case (its text is
	// Sealed, which this kiosk cannot open).
	Text                                 string
	Sealed                               []byte
	Source, Lang, ServicePoint, DeviceID string
	CreatedAt                            time.Time
}

// FeedbackOutbox is what the uploader needs to send feedback cases; an
// Outbox that also implements it has its cases sent after its responses at
// every sync (app/launch/syncstore does).
type FeedbackOutbox interface {
	// PendingFeedback returns up to limit cases the hub neither holds nor
	// refused, oldest first.
	PendingFeedback(ctx context.Context, limit int) ([]OutgoingFeedback, error)
	// MarkFeedbackSynced records that the hub holds these cases.
	MarkFeedbackSynced(ctx context.Context, ids []string) error
	// MarkFeedbackRejected keeps a case the hub refused for good with its
	// reason, out of the pending ones.
	MarkFeedbackRejected(ctx context.Context, id, reason string) error
}

// uploadFeedback sends the pending feedback cases, each stamped with this
// device's id and signed as it is sent, in batches of
// protocol.MaxFeedbackItems, until none is pending. A hub older than
// feedback (404) keeps them pending without failing the sync.
func (u *Uploader) uploadFeedback(ctx context.Context, h *remote, id Identity) error {
	fo, ok := u.out.(FeedbackOutbox)
	if !ok {
		return nil
	}
	for {
		cases, err := fo.PendingFeedback(ctx, protocol.MaxFeedbackItems)
		if err != nil {
			return &Error{Kind: KindLocal, Op: "read feedback", Err: err}
		}
		if len(cases) == 0 {
			return nil
		}
		b := protocol.FeedbackBatch{Items: make([]protocol.FeedbackItem, len(cases))}
		for i, c := range cases {
			it, err := protocol.SignFeedback(id.Key, protocol.FeedbackV1{
				ID: c.ID, Code: c.Code.Compact(), Category: string(c.Category), Text: c.Text, Sealed: c.Sealed,
				Source: c.Source, Lang: c.Lang, ServicePoint: c.ServicePoint, DeviceID: id.DeviceID, CreatedAt: c.CreatedAt,
			})
			if err != nil {
				return &Error{Kind: KindLocal, Op: "sign feedback", Err: err}
			}
			b.Items[i] = it
		}
		body, err := b.Encode()
		if err != nil {
			return &Error{Kind: KindLocal, Op: "encode feedback", Err: err}
		}
		resp, data, err := h.call(ctx, "upload feedback", http.MethodPost, protocol.PathFeedback, body, nil)
		if err != nil {
			return err
		}
		if resp.StatusCode == http.StatusNotFound {
			u.log.Info("the hub takes no feedback yet; cases stay pending", "pending", len(cases))
			return nil
		}
		if resp.StatusCode/100 != 2 {
			return statusError("upload feedback", resp, data)
		}
		var res protocol.BatchResult
		if err := decodeAnswer("upload feedback", resp, data, &res); err != nil {
			return err
		}
		if len(res.Results) != len(cases) {
			return &Error{Kind: KindProtocol, Op: "upload feedback", Err: fmt.Errorf("%d results for %d cases", len(res.Results), len(cases))}
		}
		var synced []string
		for i, r := range res.Results {
			if r.ID != cases[i].ID {
				return &Error{Kind: KindProtocol, Op: "upload feedback", Err: fmt.Errorf("result %d is for %q, not %q", i, r.ID, cases[i].ID)}
			}
			if r.Outcome.Synced() {
				synced = append(synced, r.ID)
				continue
			}
			u.log.Warn("feedback case refused by the hub", "id", r.ID, "outcome", r.Outcome, "reason", r.Reason, "message", r.Message)
			if err := fo.MarkFeedbackRejected(context.WithoutCancel(ctx), r.ID, reasonText(r.Reason, r.Message)); err != nil {
				return &Error{Kind: KindLocal, Op: "mark feedback", Err: err}
			}
			u.rejected.Add(1)
		}
		if err := fo.MarkFeedbackSynced(context.WithoutCancel(ctx), synced); err != nil {
			return &Error{Kind: KindLocal, Op: "mark feedback", Err: err}
		}
	}
}
