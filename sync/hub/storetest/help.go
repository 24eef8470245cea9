package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/help"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// helpRequest is an open request numbered n from the service point sp.
func helpRequest(n int, sp string) hub.HelpRequest {
	r := hub.HelpRequest{
		ID: fmt.Sprintf("01938a7e-0000-7000-8000-%012d", 500+n), Source: help.SurveySource("dich-vu-cong", 2), Lang: "vi",
		ServicePoint: sp, DeviceID: "dev-a", CreatedAt: t0.Add(time.Duration(n) * time.Minute), Signature: bytes.Repeat([]byte{9}, 64),
	}
	r.Content = []byte("open " + r.ID)
	return r
}

// resolvedHelp is r resolved after took.
func resolvedHelp(r hub.HelpRequest, o help.Outcome, reason help.Reason, took time.Duration) hub.HelpRequest {
	r.Outcome, r.Reason, r.ResolvedAt = o, reason, r.CreatedAt.Add(took)
	if reason == help.ReasonOther {
		r.Note = "máy in hỏng"
	}
	r.Content = []byte(fmt.Sprintf("resolved %s %s %s", r.ID, o, reason))
	r.Signature = bytes.Repeat([]byte{8}, 64)
	return r
}

func testHelpIngest(t *testing.T, s hub.Store) {
	ctx := context.Background()
	a := helpRequest(1, "Phường Hoàn Kiếm") // sent open, resolved after a sync
	b := helpRequest(2, "Phường Cửa Nam")   // raised and resolved offline: arrives once, resolved
	aDone := resolvedHelp(a, help.NotPossible, help.ReasonNoAccount, 9*time.Minute)
	bDone := resolvedHelp(b, help.Helped, "", 4*time.Minute)
	outs, err := s.IngestHelp(ctx, []hub.HelpRequest{a, bDone, a}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if want := []protocol.Outcome{protocol.Accepted, protocol.Accepted, protocol.Duplicate}; fmt.Sprint(outs) != fmt.Sprint(want) {
		t.Fatalf("first delivery %v, want %v", outs, want)
	}
	open := true
	got, err := s.HelpRequests(ctx, hub.HelpFilter{Open: &open})
	if err != nil || len(got) != 1 || got[0].ID != a.ID || !got[0].ReceivedAt.Equal(t0) || !got[0].CreatedAt.Equal(a.CreatedAt) ||
		got[0].Source != a.Source || !bytes.Equal(got[0].Content, a.Content) {
		t.Fatalf("open requests %+v, %v", got, err)
	}
	// The resolution after the sync replaces the open state; its
	// redelivery, and a late copy of the open state, store nothing.
	later := t0.Add(10 * time.Minute)
	outs, err = s.IngestHelp(ctx, []hub.HelpRequest{aDone, aDone, a, bDone}, later)
	if err != nil {
		t.Fatal(err)
	}
	if want := []protocol.Outcome{protocol.Accepted, protocol.Duplicate, protocol.Duplicate, protocol.Duplicate}; fmt.Sprint(outs) != fmt.Sprint(want) {
		t.Fatalf("resolution %v, want %v", outs, want)
	}
	// Another outcome, or another request under a held id, is a conflict
	// and changes nothing.
	clash := resolvedHelp(a, help.Helped, "", time.Minute)
	moved := helpRequest(2, "Phường Ba Đình")
	if outs, err := s.IngestHelp(ctx, []hub.HelpRequest{clash, moved}, later); err != nil || outs[0] != protocol.Conflict || outs[1] != protocol.Conflict {
		t.Fatalf("clashes %v, %v", outs, err)
	}
	all, err := s.HelpRequests(ctx, hub.HelpFilter{})
	if err != nil || len(all) != 2 {
		t.Fatalf("all requests %+v, %v", all, err)
	}
	ga, gb := all[0], all[1]
	if ga.ID != a.ID || ga.Outcome != help.NotPossible || ga.Reason != help.ReasonNoAccount || !ga.ResolvedAt.Equal(aDone.ResolvedAt) ||
		!ga.ReceivedAt.Equal(t0) || !ga.UpdatedAt.Equal(later) || !bytes.Equal(ga.Content, aDone.Content) || !bytes.Equal(ga.Signature, aDone.Signature) {
		t.Errorf("resolved after sync: %+v", ga)
	}
	if gb.ID != b.ID || gb.Outcome != help.Helped || gb.ServicePoint != "Phường Cửa Nam" || !gb.UpdatedAt.Equal(t0) {
		t.Errorf("resolved offline: %+v", gb)
	}
	closed := false
	if got, err := s.HelpRequests(ctx, hub.HelpFilter{Open: &closed, ServicePoint: "Phường Cửa Nam"}); err != nil || len(got) != 1 || got[0].ID != b.ID {
		t.Errorf("resolved at Cửa Nam: %+v, %v", got, err)
	}
	if got, err := s.HelpRequests(ctx, hub.HelpFilter{Open: &open}); err != nil || len(got) != 0 {
		t.Errorf("open after the resolution: %+v, %v", got, err)
	}
	// A note travels as it was written.
	c := resolvedHelp(helpRequest(3, "Phường Hoàn Kiếm"), help.NotPossible, help.ReasonOther, time.Minute)
	if _, err := s.IngestHelp(ctx, []hub.HelpRequest{c}, later); err != nil {
		t.Fatal(err)
	}
	if got, err := s.HelpRequests(ctx, hub.HelpFilter{ServicePoint: "Phường Hoàn Kiếm"}); err != nil || len(got) != 2 || got[1].Note != "máy in hỏng" {
		t.Errorf("note: %+v, %v", got, err)
	}
}

// testHelpConcurrent: deliveries of the same states from several
// connections at once store one row per request, resolved once.
func testHelpConcurrent(t *testing.T, s hub.Store) {
	ctx := context.Background()
	var open, done []hub.HelpRequest
	for i := range 10 {
		r := helpRequest(10+i, "Phường Hoàn Kiếm")
		open = append(open, r)
		done = append(done, resolvedHelp(r, help.Helped, "", time.Duration(i+1)*time.Minute))
	}
	var wg sync.WaitGroup
	accepted := make([]int, 8)
	errs := make([]error, 8)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			batch := open
			if w%2 == 1 {
				batch = done
			}
			outs, err := s.IngestHelp(ctx, batch, t0)
			errs[w] = err
			for _, o := range outs {
				if o == protocol.Accepted {
					accepted[w]++
				}
			}
		}()
	}
	wg.Wait()
	total := 0
	for w := range 8 {
		if errs[w] != nil {
			t.Fatalf("worker %d: %v", w, errs[w])
		}
		total += accepted[w]
	}
	// Each request is accepted once as new, and once more if it came open
	// first and was resolved after: between 10 and 20.
	if total < 10 || total > 20 {
		t.Errorf("%d accepted, want 10 to 20", total)
	}
	// Whatever came first, a final delivery of the resolved states leaves
	// them all resolved.
	if _, err := s.IngestHelp(ctx, done, t0); err != nil {
		t.Fatal(err)
	}
	all, err := s.HelpRequests(ctx, hub.HelpFilter{})
	if err != nil || len(all) != 10 {
		t.Fatalf("%d requests, %v", len(all), err)
	}
	for _, r := range all {
		if r.Open() {
			t.Errorf("%s still open", r.ID)
		}
	}
}

// testHelpEvents: each help request state the store keeps (a new request,
// a resolution) enqueues one help_request event, in the same transaction,
// with one delivery per webhook subscribed to the kind; a redelivery, a
// stale open state or a conflict enqueues none, and no event carries the
// staff note.
func testHelpEvents(t *testing.T, s hub.Store) {
	ctx := context.Background()
	// No webhook for the kind: nothing is stored.
	addWebhook(t, s, "https://r.example/", hub.EventResponses, hub.EventFeedback)
	if _, err := s.IngestHelp(ctx, []hub.HelpRequest{helpRequest(9, "Xã Ba Vì")}, t0); err != nil {
		t.Fatal(err)
	}
	if c := claimAll(t, s, t0.Add(time.Hour)); len(c) != 0 {
		t.Fatalf("%d deliveries with no help_request webhook", len(c))
	}
	h1 := addWebhook(t, s, "https://h1.example/", hub.EventHelpRequest)
	h2 := addWebhook(t, s, "https://h2.example/", hub.EventAlert, hub.EventHelpRequest)

	// claim takes the due deliveries, all of help_request events to h1
	// and h2, one event each per webhook, and marks them delivered; it
	// returns the events' data in delivery order.
	claim := func(now time.Time, events int) []hub.HelpEventData {
		t.Helper()
		c := claimAll(t, s, now)
		if len(c) != 2*events {
			t.Fatalf("claimed %d deliveries, want %d (%d events to 2 webhooks)", len(c), 2*events, events)
		}
		perEvent := map[string][]string{}
		var out []hub.HelpEventData
		for _, d := range c {
			if d.Kind != hub.EventHelpRequest {
				t.Errorf("delivery of kind %s", d.Kind)
			}
			if strings.Contains(string(d.Body), "máy in") {
				t.Errorf("help event carries the staff note: %s", d.Body)
			}
			var body struct {
				ID   string
				Kind hub.EventKind
				Data hub.HelpEventData
			}
			if err := json.Unmarshal(d.Body, &body); err != nil {
				t.Fatal(err)
			}
			if body.ID != d.EventID || body.Kind != hub.EventHelpRequest {
				t.Errorf("event envelope %s for delivery %+v", d.Body, d.Delivery)
			}
			if len(perEvent[d.EventID]) == 0 {
				out = append(out, body.Data)
			}
			perEvent[d.EventID] = append(perEvent[d.EventID], d.WebhookID)
			if err := s.FinishDelivery(ctx, d.ID, d.Lease, hub.DeliveryResult{At: now, State: hub.DeliveryDelivered, Status: 200}); err != nil {
				t.Fatal(err)
			}
		}
		for id, ws := range perEvent {
			slices.Sort(ws)
			if want := []string{h1.ID, h2.ID}; !slices.Equal(ws, sortedCopy(want)) {
				t.Errorf("event %s went to %v, want %v", id, ws, want)
			}
		}
		slices.SortFunc(out, func(a, b hub.HelpEventData) int { return strings.Compare(a.ID+a.State, b.ID+b.State) })
		return out
	}

	a := helpRequest(1, "Phường Hoàn Kiếm")
	outs, err := s.IngestHelp(ctx, []hub.HelpRequest{a}, t0)
	if err != nil || outs[0] != protocol.Accepted {
		t.Fatalf("new request: %v, %v", outs, err)
	}
	got := claim(t0, 1)
	if g := got[0]; g.ID != a.ID || g.State != hub.HelpEventOpen || g.ServicePoint != a.ServicePoint || g.Source != a.Source ||
		g.DeviceID != a.DeviceID || !g.CreatedAt.Equal(a.CreatedAt) || g.Outcome != "" || g.Reason != "" || !g.ResolvedAt.IsZero() ||
		!g.ReceivedAt.Equal(t0) {
		t.Errorf("open event %+v, want of %+v", g, a)
	}

	// The same delivery again: a duplicate, no event.
	if outs, err := s.IngestHelp(ctx, []hub.HelpRequest{a}, t0.Add(time.Minute)); err != nil || outs[0] != protocol.Duplicate {
		t.Fatalf("redelivery: %v, %v", outs, err)
	}
	if c := claimAll(t, s, t0.Add(time.Hour)); len(c) != 0 {
		t.Fatalf("a duplicate enqueued %d deliveries", len(c))
	}

	// The resolution (with a note), its redelivery, a late open copy and
	// a clash: one event, the resolution's.
	later := t0.Add(20 * time.Minute)
	aDone := resolvedHelp(a, help.NotPossible, help.ReasonOther, 12*time.Minute)
	clash := resolvedHelp(a, help.Helped, "", time.Minute)
	outs, err = s.IngestHelp(ctx, []hub.HelpRequest{aDone, aDone, a, clash}, later)
	if want := []protocol.Outcome{protocol.Accepted, protocol.Duplicate, protocol.Duplicate, protocol.Conflict}; err != nil || fmt.Sprint(outs) != fmt.Sprint(want) {
		t.Fatalf("resolution: %v, %v; want %v", outs, err, want)
	}
	got = claim(later, 1)
	if g := got[0]; g.ID != a.ID || g.State != hub.HelpEventResolved || g.Outcome != help.NotPossible || g.Reason != help.ReasonOther ||
		!g.ResolvedAt.Equal(aDone.ResolvedAt) || !g.CreatedAt.Equal(a.CreatedAt) || !g.ReceivedAt.Equal(later) {
		t.Errorf("resolved event %+v, want of %+v", g, aDone)
	}

	// One upload: a request raised and resolved offline (one event,
	// resolved) and a new open one raised then resolved in the same call
	// (two events).
	b := helpRequest(2, "Phường Cửa Nam")
	bDone := resolvedHelp(b, help.Helped, "", 3*time.Minute)
	c := helpRequest(3, "Phường Cửa Nam")
	cDone := resolvedHelp(c, help.NotPossible, help.ReasonLeft, 5*time.Minute)
	if _, err := s.IngestHelp(ctx, []hub.HelpRequest{bDone, c, cDone}, later); err != nil {
		t.Fatal(err)
	}
	got = claim(later, 3)
	if got[0].ID != b.ID || got[0].State != hub.HelpEventResolved || got[0].Outcome != help.Helped || got[0].Reason != "" ||
		got[1].ID != c.ID || got[1].State != hub.HelpEventOpen || got[2].ID != c.ID || got[2].State != hub.HelpEventResolved ||
		got[2].Reason != help.ReasonLeft {
		t.Errorf("events of one upload: %+v", got)
	}
}

func sortedCopy(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// testHelpNotesPurge: a purge with HelpNotesBefore blanks the staff note
// of the requests resolved before the cut and keeps their rows (outcome,
// reason, times); requests without a note, still open or resolved at the
// cut keep everything; a redelivery of a purged state is still a
// duplicate (a changed one a conflict); the count is in the result and
// the purge's audit entry, and a second purge counts nothing.
func testHelpNotesPurge(t *testing.T, s hub.Store) {
	ctx := context.Background()
	cut := t0.Add(24 * time.Hour)
	noted := resolvedHelp(helpRequest(1, "Phường Hoàn Kiếm"), help.NotPossible, help.ReasonOther, time.Hour) // note "máy in hỏng"
	plain := resolvedHelp(helpRequest(2, "Phường Hoàn Kiếm"), help.Helped, "", time.Hour)
	open := helpRequest(3, "Phường Hoàn Kiếm")
	atCut := resolvedHelp(helpRequest(4, "Phường Hoàn Kiếm"), help.NotPossible, help.ReasonOther, 0)
	atCut.CreatedAt, atCut.ResolvedAt = cut, cut
	if _, err := s.IngestHelp(ctx, []hub.HelpRequest{noted, plain, open, atCut}, cut); err != nil {
		t.Fatal(err)
	}
	now := cut.Add(30 * 24 * time.Hour)
	req := hub.PurgeRequest{HelpNotesBefore: cut, Entry: hub.NewAuditEntry(now, "cli:root", hub.AuditPurge, "local", nil)}
	res, err := s.Purge(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if res.HelpNotes != 1 || res.Responses != 0 || res.Feedback != 0 {
		t.Fatalf("Purge = %+v; want the note of 1 help request", res)
	}
	if d, _ := url.ParseQuery(res.Entry.Details); d.Get("help_notes") != "1" || d.Get("help_notes_before") != cut.Format(protocol.TimeFormat) {
		t.Errorf("purge entry details %q", res.Entry.Details)
	}
	all, err := s.HelpRequests(ctx, hub.HelpFilter{})
	if err != nil || len(all) != 4 {
		t.Fatalf("help requests after purge: %d, %v; want the 4 rows kept", len(all), err)
	}
	got := map[string]hub.HelpRequest{}
	for _, r := range all {
		got[r.ID] = r
	}
	if g := got[noted.ID]; g.Note != "" || !g.NotePurgedAt.Equal(now) || !bytes.Equal(g.Content, hub.PurgedContent(noted.Content)) ||
		g.Outcome != help.NotPossible || g.Reason != help.ReasonOther || !g.ResolvedAt.Equal(noted.ResolvedAt) || !g.CreatedAt.Equal(noted.CreatedAt) {
		t.Errorf("the noted request after purge: %+v", g)
	}
	for _, keep := range []hub.HelpRequest{plain, open, atCut} {
		if g := got[keep.ID]; g.Note != keep.Note || !g.NotePurgedAt.IsZero() || !bytes.Equal(g.Content, keep.Content) {
			t.Errorf("request %s changed by the purge: %+v", keep.ID, g)
		}
	}
	changed := noted
	changed.Content = []byte("other content")
	if outs, err := s.IngestHelp(ctx, []hub.HelpRequest{noted, helpRequest(1, "Phường Hoàn Kiếm"), changed}, now); err != nil ||
		fmt.Sprint(outs) != fmt.Sprint([]protocol.Outcome{protocol.Duplicate, protocol.Duplicate, protocol.Conflict}) {
		t.Errorf("redelivering the purged request: %v, %v; want duplicate, duplicate (its open state), conflict", outs, err)
	}
	req.Entry = hub.NewAuditEntry(now.Add(time.Hour), "cli:root", hub.AuditPurge, "local", nil)
	if again, err := s.Purge(ctx, req); err != nil || again.HelpNotes != 0 {
		t.Errorf("the same purge again = %+v, %v; want no note counted twice", again, err)
	}
}
