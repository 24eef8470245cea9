package hub_test

import (
	"context"
	"testing"

	"github.com/hailong-kiosk/hailong/sync/feedback"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/hubtest"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// TestSideUploadsWakeDeliverer: a feedback or help batch that stores an
// item now wakes the webhook deliverer (its event was queued in the same
// transaction); one that stores nothing new — a redelivery, a forgery —
// does not, and a forgery is refused with its reason beside a good item.
func TestSideUploadsWakeDeliverer(t *testing.T) {
	ctx := context.Background()
	s := hubtest.Start(t)
	td := s.Enroll(t, "Kiosk 1", "Phường Hoàn Kiếm")
	d, err := s.Store.Device(ctx, td.ID)
	if err != nil {
		t.Fatal(err)
	}
	woken := 0
	h := hub.New(hub.Config{Store: s.Store, EventsQueued: func() { woken++ }})
	signHelp := func(n int) protocol.HelpItem {
		it, err := protocol.SignHelp(td.Key, helpV1(td, n))
		if err != nil {
			t.Fatal(err)
		}
		return it
	}
	forgedHelp := signHelp(2)
	forgedHelp.Request.Note = "x"
	forgedCase := signedCase(t, td, 2, feedback.CategorySuggestion, "Thêm ghế chờ")
	forgedCase.Case.Text = "Thêm ghế"
	for _, tc := range []struct {
		name  string
		batch func() (*protocol.BatchResult, error)
		woken int
		want  []protocol.Outcome
	}{
		{"new help request", func() (*protocol.BatchResult, error) {
			return h.IngestHelp(ctx, d, &protocol.HelpBatch{Items: []protocol.HelpItem{signHelp(1), forgedHelp}})
		}, 1, []protocol.Outcome{protocol.Accepted, protocol.Rejected}},
		{"help redelivered", func() (*protocol.BatchResult, error) {
			return h.IngestHelp(ctx, d, &protocol.HelpBatch{Items: []protocol.HelpItem{signHelp(1)}})
		}, 1, []protocol.Outcome{protocol.Duplicate}},
		{"forged help alone", func() (*protocol.BatchResult, error) {
			return h.IngestHelp(ctx, d, &protocol.HelpBatch{Items: []protocol.HelpItem{forgedHelp}})
		}, 1, []protocol.Outcome{protocol.Rejected}},
		{"new feedback case", func() (*protocol.BatchResult, error) {
			return h.IngestFeedback(ctx, d, &protocol.FeedbackBatch{Items: []protocol.FeedbackItem{
				signedCase(t, td, 1, feedback.CategorySuggestion, "Cần thêm ghế chờ"), forgedCase}})
		}, 2, []protocol.Outcome{protocol.Accepted, protocol.Rejected}},
		{"feedback redelivered", func() (*protocol.BatchResult, error) {
			return h.IngestFeedback(ctx, d, &protocol.FeedbackBatch{Items: []protocol.FeedbackItem{
				signedCase(t, td, 1, feedback.CategorySuggestion, "Cần thêm ghế chờ")}})
		}, 2, []protocol.Outcome{protocol.Duplicate}},
	} {
		res, err := tc.batch()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(res.Results) != len(tc.want) {
			t.Fatalf("%s: results %+v", tc.name, res.Results)
		}
		for i, r := range res.Results {
			if r.Outcome != tc.want[i] || (r.Outcome == protocol.Rejected) != (r.Reason == protocol.ReasonBadSignature) {
				t.Errorf("%s: result %d = %+v, want %s", tc.name, i, r, tc.want[i])
			}
		}
		if woken != tc.woken {
			t.Errorf("%s: deliverer woken %d times in all, want %d", tc.name, woken, tc.woken)
		}
	}
}
