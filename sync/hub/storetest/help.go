package storetest

import (
	"bytes"
	"context"
	"fmt"
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
