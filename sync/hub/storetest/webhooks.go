package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/feedback"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// addWebhook stores a webhook for kinds and returns it.
func addWebhook(t *testing.T, s hub.Store, url string, kinds ...hub.EventKind) *hub.Webhook {
	t.Helper()
	w, err := hub.NewWebhook(url, kinds, "admin", t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddWebhook(context.Background(), *w); err != nil {
		t.Fatal(err)
	}
	return w
}

// ratedIncoming is an item whose response is rated, dissatisfied or not,
// with a comment that no event may carry.
func ratedIncoming(t *testing.T, n int, point string, dissatisfied bool) hub.Incoming {
	t.Helper()
	r := Response(uuidN(n), t0.Add(time.Duration(n)*time.Second))
	r.ServicePoint = point
	if dissatisfied {
		r.Answers["q1"] = []string{survey.CodeNotSatisfied}
	}
	in := Incoming(t, r)
	in.Figures = report.Cell{Responses: 1, Rated: 1}
	in.Dissatisfied = dissatisfied
	in.Coded = survey.Answers{"q1": r.Answers["q1"]}
	return in
}

func claimAll(t *testing.T, s hub.Store, now time.Time) []hub.ClaimedDelivery {
	t.Helper()
	c, err := s.ClaimDeliveries(context.Background(), now, time.Minute, 100)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func testWebhookLifecycle(t *testing.T, s hub.Store) {
	ctx := context.Background()
	if ws, err := s.Webhooks(ctx); err != nil || len(ws) != 0 {
		t.Fatalf("Webhooks of a new store = %v, %v", ws, err)
	}
	a := addWebhook(t, s, "https://a.example/hook", hub.EventAlert, hub.EventResponses)
	b := addWebhook(t, s, "http://127.0.0.1:9/b", hub.EventHelpRequest)
	if err := s.AddWebhook(ctx, *a); !errors.Is(err, hub.ErrConflict) {
		t.Errorf("AddWebhook again = %v, want ErrConflict", err)
	}
	ws, err := s.Webhooks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 2 || ws[0].ID != a.ID || ws[1].ID != b.ID {
		t.Fatalf("Webhooks = %+v, want a then b", ws)
	}
	got := ws[0]
	if got.URL != a.URL || got.Secret != a.Secret || got.CreatedBy != "admin" || !got.CreatedAt.Equal(t0) ||
		hub.KindList(got.Kinds) != "responses,alert" {
		t.Errorf("stored webhook = %+v, want %+v", got, a)
	}
	if err := s.RemoveWebhook(ctx, a.ID, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveWebhook(ctx, a.ID, t0.Add(time.Hour)); !errors.Is(err, hub.ErrNotFound) {
		t.Errorf("RemoveWebhook again = %v, want ErrNotFound", err)
	}
	if ws, _ := s.Webhooks(ctx); len(ws) != 1 || ws[0].ID != b.ID {
		t.Errorf("Webhooks after remove = %+v, want b alone", ws)
	}
}

func testWebhookOutbox(t *testing.T, s hub.Store) {
	ctx := context.Background()
	// No webhook: nothing is stored for an ingest.
	ingest(t, s, ratedIncoming(t, 1, "Phường Hoàn Kiếm", false))
	if c := claimAll(t, s, t0.Add(time.Hour)); len(c) != 0 {
		t.Fatalf("deliveries without a webhook: %d", len(c))
	}
	resp := addWebhook(t, s, "https://r.example/", hub.EventResponses)
	fb := addWebhook(t, s, "https://f.example/", hub.EventFeedback, hub.EventAlert)

	// One upload: two new items and a duplicate give one event.
	ingest(t, s, ratedIncoming(t, 2, "Phường Hoàn Kiếm", true), ratedIncoming(t, 1, "Phường Hoàn Kiếm", false), ratedIncoming(t, 3, "Xã Ba Vì", false))
	// An upload of duplicates only gives none.
	ingest(t, s, ratedIncoming(t, 2, "Phường Hoàn Kiếm", true))

	cases := []hub.FeedbackCase{feedbackCase(t, 1, "Phường Hoàn Kiếm", feedback.CategoryProcedure), feedbackCase(t, 2, "Phường Cửa Nam", feedback.CategoryMisconduct)}
	if _, err := s.IngestFeedback(ctx, cases, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.IngestFeedback(ctx, cases, t0); err != nil { // again: duplicates, no event
		t.Fatal(err)
	}

	claimed := claimAll(t, s, t0)
	if len(claimed) != 2 {
		t.Fatalf("claimed %d deliveries, want 2 (one responses, one feedback): %+v", len(claimed), claimed)
	}
	byKind := map[hub.EventKind]hub.ClaimedDelivery{}
	for _, c := range claimed {
		byKind[c.Kind] = c
	}
	r, f := byKind[hub.EventResponses], byKind[hub.EventFeedback]
	if r.WebhookID != resp.ID || r.URL != resp.URL || r.Secret != resp.Secret || r.Attempts != 0 || r.State != hub.DeliveryPending {
		t.Errorf("responses delivery = %+v", r)
	}
	if f.WebhookID != fb.ID {
		t.Errorf("feedback delivery went to %s, want %s", f.WebhookID, fb.ID)
	}
	var body struct {
		ID   string
		Kind hub.EventKind
		Data hub.ResponsesData
	}
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.ID != r.EventID || body.Kind != hub.EventResponses || body.Data.Count != 2 || len(body.Data.Responses) != 2 ||
		body.Data.Responses[0].ID != uuidN(2) || !body.Data.Responses[0].Dissatisfied || body.Data.Responses[1].ID != uuidN(3) {
		t.Errorf("responses event = %s", r.Body)
	}
	if strings.Contains(string(r.Body), "Nhân viên tận tình") {
		t.Errorf("responses event carries a comment: %s", r.Body)
	}
	if strings.Contains(string(f.Body), "Góp ý") || strings.Contains(string(f.Body), "Phường Cửa Nam") {
		t.Errorf("feedback event carries a case's text or a misconduct report's point: %s", f.Body)
	}
	var fbody struct{ Data hub.FeedbackEventData }
	if err := json.Unmarshal(f.Body, &fbody); err != nil {
		t.Fatal(err)
	}
	if fbody.Data.Count != 2 || fbody.Data.Cases[0].Category != string(feedback.CategoryProcedure) ||
		!fbody.Data.Cases[1].Misconduct || fbody.Data.Cases[1].Category != "" || fbody.Data.Cases[1].Code != cases[1].Code {
		t.Errorf("feedback event = %s", f.Body)
	}

	// The alert answers: the rated items accepted, in order.
	w, err := s.AlertAnswers(ctx, "Phường Hoàn Kiếm", 20)
	if err != nil {
		t.Fatal(err)
	}
	if w.Answers != 2 || w.Dissatisfied != 1 || !w.LastAt.Equal(t0) {
		t.Errorf("AlertAnswers = %+v, want 2 answers, 1 dissatisfied", w)
	}
	pts, err := s.AlertPoints(ctx)
	if err != nil || strings.Join(pts, "|") != "Phường Hoàn Kiếm|Xã Ba Vì" {
		t.Errorf("AlertPoints = %q, %v", pts, err)
	}

	// A removed webhook's pending deliveries fail and are not claimed.
	if err := s.FinishDelivery(ctx, f.ID, f.Lease, hub.DeliveryResult{At: t0, State: hub.DeliveryDelivered, Status: 200}); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveWebhook(ctx, resp.ID, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	ingest(t, s, ratedIncoming(t, 9, "Phường Hoàn Kiếm", false))
	if c := claimAll(t, s, t0.Add(2*time.Hour)); len(c) != 0 {
		t.Errorf("claimed %d deliveries for a removed webhook", len(c))
	}
	ds, err := s.Deliveries(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.WebhookID == resp.ID && (d.State != hub.DeliveryFailed || d.LastError != "webhook removed") {
			t.Errorf("delivery of a removed webhook = %+v", d)
		}
	}
}

func testWebhookLease(t *testing.T, s hub.Store) {
	ctx := context.Background()
	addWebhook(t, s, "https://a.example/", hub.EventAlert)
	for i := range 3 {
		ev, err := hub.NewEvent(hub.EventAlert, t0.Add(time.Duration(i)*time.Second), map[string]int{"n": i})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Enqueue(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	if c := claimAll(t, s, t0.Add(-time.Second)); len(c) != 0 {
		t.Fatalf("claimed %d deliveries not yet due", len(c))
	}
	first, err := s.ClaimDeliveries(ctx, t0.Add(time.Minute), time.Minute, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 2 || !strings.Contains(string(first[0].Body), `"n":0`) || !strings.Contains(string(first[1].Body), `"n":1`) {
		t.Fatalf("first claim = %+v, want the 2 oldest", first)
	}
	rest := claimAll(t, s, t0.Add(time.Minute))
	if len(rest) != 1 || rest[0].ID == first[0].ID || rest[0].ID == first[1].ID {
		t.Fatalf("second claim = %+v, want the third alone", rest)
	}
	// A failed attempt: due again later, counted.
	next := t0.Add(time.Hour)
	if err := s.FinishDelivery(ctx, first[0].ID, first[0].Lease, hub.DeliveryResult{At: t0.Add(time.Minute), State: hub.DeliveryPending,
		NextAt: next, Status: 503, Error: "HTTP 503"}); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishDelivery(ctx, first[1].ID, first[1].Lease, hub.DeliveryResult{At: t0.Add(time.Minute), State: hub.DeliveryDelivered, Status: 204}); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishDelivery(ctx, first[1].ID, first[1].Lease, hub.DeliveryResult{At: t0.Add(time.Minute), State: hub.DeliveryDelivered}); !errors.Is(err, hub.ErrLeaseLost) {
		t.Errorf("FinishDelivery twice = %v, want ErrLeaseLost", err)
	}
	// The third's holder died: after its lease another claim takes it,
	// and the dead holder's result is refused.
	if c := claimAll(t, s, t0.Add(90*time.Second)); len(c) != 0 {
		t.Fatalf("claimed %d deliveries under lease or not due", len(c))
	}
	again := claimAll(t, s, t0.Add(2*time.Minute))
	if len(again) != 1 || again[0].ID != rest[0].ID || again[0].Lease == rest[0].Lease {
		t.Fatalf("claim after the lease = %+v", again)
	}
	if err := s.FinishDelivery(ctx, rest[0].ID, rest[0].Lease, hub.DeliveryResult{At: t0.Add(2 * time.Minute), State: hub.DeliveryDelivered}); !errors.Is(err, hub.ErrLeaseLost) {
		t.Errorf("FinishDelivery with a passed lease = %v, want ErrLeaseLost", err)
	}
	if err := s.FinishDelivery(ctx, again[0].ID, again[0].Lease, hub.DeliveryResult{At: t0.Add(2 * time.Minute), State: hub.DeliveryFailed, Status: 500, Error: "HTTP 500"}); err != nil {
		t.Fatal(err)
	}
	retry := claimAll(t, s, next)
	if len(retry) != 1 || retry[0].ID != first[0].ID || retry[0].Attempts != 1 {
		t.Fatalf("claim at the retry time = %+v", retry)
	}
	ds, err := s.Deliveries(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 3 {
		t.Fatalf("Deliveries = %+v", ds)
	}
	got := map[int64]hub.Delivery{}
	for _, d := range ds {
		got[d.ID] = d
	}
	if d := got[first[0].ID]; d.State != hub.DeliveryPending || d.Attempts != 1 || d.LastStatus != 503 || d.LastError != "HTTP 503" || !d.NextAt.Equal(next) {
		t.Errorf("retried delivery = %+v", d)
	}
	if d := got[first[1].ID]; d.State != hub.DeliveryDelivered || d.Attempts != 1 || d.LastStatus != 204 || d.LastError != "" {
		t.Errorf("delivered = %+v", d)
	}
	if d := got[again[0].ID]; d.State != hub.DeliveryFailed || d.Attempts != 1 || d.LastStatus != 500 || d.Kind != hub.EventAlert {
		t.Errorf("failed = %+v", d)
	}
	if ds[0].ID < ds[1].ID || ds[1].ID < ds[2].ID {
		t.Errorf("Deliveries not newest first: %d, %d, %d", ds[0].ID, ds[1].ID, ds[2].ID)
	}

	// Gửi lại: a failed delivery is pending again, from zero attempts;
	// a delivered or pending one is not failed.
	if err := s.RetryDelivery(ctx, first[1].ID, t0.Add(time.Hour)); !errors.Is(err, hub.ErrNotFound) {
		t.Errorf("RetryDelivery of a delivered one = %v, want ErrNotFound", err)
	}
	if err := s.RetryDelivery(ctx, first[0].ID, t0.Add(time.Hour)); !errors.Is(err, hub.ErrNotFound) {
		t.Errorf("RetryDelivery of a pending one = %v, want ErrNotFound", err)
	}
	if err := s.RetryDelivery(ctx, again[0].ID, t0.Add(90*time.Second)); err != nil {
		t.Fatal(err)
	}
	if c := claimAll(t, s, t0.Add(90*time.Second)); len(c) != 1 || c[0].ID != again[0].ID || c[0].Attempts != 0 || c[0].LastError != "HTTP 500" {
		t.Fatalf("claim after RetryDelivery = %+v", c)
	} else if err := s.FinishDelivery(ctx, c[0].ID, c[0].Lease, hub.DeliveryResult{At: t0.Add(90 * time.Second), State: hub.DeliveryFailed, Status: 500, Error: "HTTP 500"}); err != nil {
		t.Fatal(err)
	}

	// Pruning: the done deliveries last changed before the time go, with
	// their events; the pending one stays, however old.
	if n, err := s.PruneDeliveries(ctx, t0.Add(90*time.Second)); err != nil || n != 1 {
		t.Errorf("PruneDeliveries before the second finish = %d, %v; want the delivered one", n, err)
	}
	if n, err := s.PruneDeliveries(ctx, t0.Add(24*time.Hour)); err != nil || n != 1 {
		t.Errorf("PruneDeliveries a day on = %d, %v; want the failed one", n, err)
	}
	ds, err = s.Deliveries(ctx, 10)
	if err != nil || len(ds) != 1 || ds[0].ID != first[0].ID {
		t.Fatalf("after pruning: %+v, %v; want the pending one", ds, err)
	}
	if c := claimAll(t, s, next); len(c) != 0 { // still leased by the retry claim
		t.Errorf("claimed %+v", c)
	}
	if c := claimAll(t, s, next.Add(time.Hour)); len(c) != 1 || len(c[0].Body) == 0 {
		t.Errorf("the pending delivery lost its event: %+v", c)
	}
}

func testWebhookClaimConcurrent(t *testing.T, s hub.Store) {
	ctx := context.Background()
	addWebhook(t, s, "https://a.example/", hub.EventAlert)
	addWebhook(t, s, "https://b.example/", hub.EventAlert)
	const events = 30
	for i := range events {
		ev, err := hub.NewEvent(hub.EventAlert, t0, i)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Enqueue(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 6 {
		wg.Go(func() {
			for {
				c, err := s.ClaimDeliveries(ctx, t0, time.Minute, 4)
				if err != nil {
					errs <- err
					return
				}
				if len(c) == 0 {
					return
				}
				for _, d := range c {
					mu.Lock()
					seen[d.ID]++
					mu.Unlock()
					if err := s.FinishDelivery(ctx, d.ID, d.Lease, hub.DeliveryResult{At: t0, State: hub.DeliveryDelivered, Status: 200}); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(seen) != 2*events {
		t.Errorf("claimed %d distinct deliveries, want %d", len(seen), 2*events)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("delivery %d claimed %d times", id, n)
		}
	}
}

func testAlertState(t *testing.T, s hub.Store) {
	ctx := context.Background()
	addWebhook(t, s, "https://a.example/", hub.EventAlert)
	var items []hub.Incoming
	for i := range 25 {
		items = append(items, ratedIncoming(t, 100+i, "Phường Hoàn Kiếm", i >= 15)) // the last 10 dissatisfied
	}
	ingest(t, s, items...)
	for _, tc := range []struct{ n, answers, dis int }{{5, 5, 5}, {10, 10, 10}, {20, 20, 10}, {40, 25, 10}} {
		w, err := s.AlertAnswers(ctx, "Phường Hoàn Kiếm", tc.n)
		if err != nil {
			t.Fatal(err)
		}
		if w.Answers != tc.answers || w.Dissatisfied != tc.dis {
			t.Errorf("AlertAnswers(%d) = %+v, want %d answers, %d dissatisfied", tc.n, w, tc.answers, tc.dis)
		}
	}
	if w, err := s.AlertAnswers(ctx, "nowhere", 20); err != nil || w.Answers != 0 || !w.LastAt.IsZero() {
		t.Errorf("AlertAnswers of an unknown point = %+v, %v", w, err)
	}

	set := func(active bool, at time.Time, share float64) bool {
		t.Helper()
		a := hub.Alert{Rule: hub.RuleDissatisfiedShare, Subject: "Phường Hoàn Kiếm", ServicePoint: "Phường Hoàn Kiếm", Active: active, At: at,
			Figures: hub.AlertFigures{Window: 20, Answers: 20, Dissatisfied: int(share * 20), Share: share, Threshold: 0.3}}
		ev, err := hub.NewEvent(hub.EventAlert, at, fmt.Sprint(active))
		if err != nil {
			t.Fatal(err)
		}
		changed, err := s.SetAlert(ctx, a, ev)
		if err != nil {
			t.Fatal(err)
		}
		return changed
	}
	if set(false, t0, 0.1) {
		t.Error("a first inactive finding crossed")
	}
	if !set(true, t0.Add(time.Minute), 0.5) {
		t.Error("raising did not cross")
	}
	if set(true, t0.Add(2*time.Minute), 0.55) {
		t.Error("staying raised crossed again")
	}
	as, err := s.Alerts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 1 || !as[0].Active || !as[0].Since.Equal(t0.Add(time.Minute)) || !as[0].At.Equal(t0.Add(2*time.Minute)) || as[0].Figures.Share != 0.55 {
		t.Fatalf("Alerts = %+v", as)
	}
	if !set(false, t0.Add(3*time.Minute), 0.2) {
		t.Error("clearing did not cross")
	}
	if c := claimAll(t, s, t0.Add(time.Hour)); len(c) != 2 {
		t.Errorf("%d alert deliveries, want 2 (raised, cleared)", len(c))
	}

	// Concurrent findings of one crossing: one answers true.
	var wg sync.WaitGroup
	var mu sync.Mutex
	crossed := 0
	for range 6 {
		wg.Go(func() {
			a := hub.Alert{Rule: hub.RuleDissatisfiedShare, Subject: "Phường Hoàn Kiếm", ServicePoint: "Phường Hoàn Kiếm", Active: true, At: t0.Add(4 * time.Minute)}
			ev, err := hub.NewEvent(hub.EventAlert, t0.Add(4*time.Minute), "raised")
			if err != nil {
				t.Error(err)
				return
			}
			changed, err := s.SetAlert(ctx, a, ev)
			if err != nil {
				t.Error(err)
				return
			}
			if changed {
				mu.Lock()
				crossed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if crossed != 1 {
		t.Errorf("%d concurrent findings crossed, want 1", crossed)
	}
	if c := claimAll(t, s, t0.Add(time.Hour)); len(c) != 1 {
		t.Errorf("%d deliveries for one concurrent crossing, want 1", len(c))
	}
}
