package storetest

import (
	"context"
	"errors"
	"net/url"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// numberedAt is a response of dev numbered n started at start, with its
// figures (survey "nhanh" of the figures test).
func numberedAt(t *testing.T, def *survey.Survey, id int, dev string, n int64, start time.Time) hub.Incoming {
	t.Helper()
	r := &survey.Response{ID: uuidN(id), SurveyID: def.ID, SurveyVersion: def.Version, Answers: survey.Answers{"q1": {"hl"}},
		StartedAt: start, FinishedAt: start.Add(20 * time.Second), ServicePoint: "Phường Hoàn Kiếm", DeviceID: dev, Lang: "vi", Status: survey.StatusComplete}
	in, err := hub.NewIncoming(def, r, make([]byte, 64))
	if err != nil {
		t.Fatal(err)
	}
	if n > 0 {
		if in.Content, err = protocol.CanonicalV2(protocol.NewResponseV1(r), n); err != nil {
			t.Fatal(err)
		}
		in.Seq = n
	}
	return in
}

func cells(t *testing.T, s hub.Store) []report.Cell {
	t.Helper()
	var out []report.Cell
	for c, err := range s.Figures(context.Background(), hub.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// testPurge: responses started before the cut go, exactly to the instant
// and across months; the rollup, the gaps and the chain stay; a purged
// response delivered again is a duplicate or a conflict, never accepted
// twice; old conflicts go; audit entries go up to a checkpoint that the
// purge's own entry records, and the log still verifies, appends
// continuing after it.
func testPurge(t *testing.T, s hub.Store) {
	ctx := context.Background()
	def, err := survey.Parse([]byte(figureSurveys[2]))
	if err != nil {
		t.Fatal(err)
	}
	loc := survey.Location()
	cut := time.Date(2026, 11, 10, 0, 0, 0, 0, loc)
	items := []hub.Incoming{
		numberedAt(t, def, 1, "dev-a", 1, time.Date(2026, 9, 15, 8, 0, 0, 0, loc)),
		numberedAt(t, def, 2, "dev-a", 2, time.Date(2026, 10, 31, 23, 0, 0, 0, loc)),
		numberedAt(t, def, 3, "dev-a", 3, cut.Add(-time.Millisecond)),
		numberedAt(t, def, 4, "dev-a", 4, cut),
		numberedAt(t, def, 6, "dev-a", 6, cut.Add(48*time.Hour)),
		numberedAt(t, def, 7, "dev-b", 0, time.Date(2026, 10, 5, 9, 0, 0, 0, loc)),
	}
	ingestAt(t, s, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), items...)
	if err := s.RecordMark(ctx, mark("dev-a", 7)); err != nil {
		t.Fatal(err)
	}
	changed := func(in hub.Incoming) hub.Incoming {
		r := *in.Response
		r.Answers = survey.Answers{"q1": {"khl"}}
		c, err := protocol.Canonical(protocol.NewResponseV1(&r))
		if err != nil {
			t.Fatal(err)
		}
		in.Response, in.Content = &r, c
		return in
	}
	ingestAt(t, s, time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC), changed(items[3]))
	ingestAt(t, s, time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC), changed(items[4]))
	var audit []hub.AuditEntry
	for _, at := range []time.Time{time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)} {
		e, err := s.AppendAudit(ctx, hub.NewAuditEntry(at, "cli:root", hub.AuditDeviceRevoke, "local", url.Values{"id": {"dev-z"}}))
		if err != nil {
			t.Fatal(err)
		}
		audit = append(audit, e)
	}
	figures, gaps := cells(t, s), func() []hub.DeviceGaps {
		g, err := s.Gaps(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	gapsBefore := gaps()
	october := hub.Filter{From: time.Date(2026, 10, 1, 0, 0, 0, 0, loc), To: time.Date(2026, 11, 1, 0, 0, 0, 0, loc)}
	octoberCells := func() []report.Cell {
		var out []report.Cell
		for c, err := range s.Figures(ctx, october) {
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, c)
		}
		return out
	}
	octoberBefore := octoberCells()
	countsBefore := deviceCounts(t, s, hub.Filter{})
	monthBefore := deviceCounts(t, s, hub.Filter{From: time.Date(2026, 10, 1, 0, 0, 0, 0, loc), To: time.Date(2026, 11, 1, 0, 0, 0, 0, loc)})

	now := time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)
	req := hub.PurgeRequest{ResponsesBefore: cut, ConflictsBefore: time.Date(2026, 11, 1, 0, 0, 0, 0, loc),
		AuditBefore: time.Date(2026, 11, 1, 0, 0, 0, 0, loc), Entry: hub.NewAuditEntry(now, "cli:root", hub.AuditPurge, "local", nil)}
	res, err := s.Purge(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	want := &hub.AuditCheckpoint{Seq: 2, Hash: audit[1].Hash}
	if res.Responses != 4 || res.Conflicts != 1 || res.Audit != 2 || !reflect.DeepEqual(res.Checkpoint, want) || res.Entry.Seq != 4 {
		t.Fatalf("Purge = %+v; want 4 responses, 1 conflict, 2 audit entries, checkpoint %v, entry 4", res, want)
	}
	d, _ := url.ParseQuery(res.Entry.Details)
	if d.Get("responses") != "4" || d.Get("conflicts") != "1" || d.Get("audit") != "2" || d.Get("audit_checkpoint") != want.String() {
		t.Errorf("purge entry details %q", res.Entry.Details)
	}
	if got := collect(t, s, hub.Filter{}); !reflect.DeepEqual(got, []string{uuidN(4), uuidN(6)}) {
		t.Errorf("Responses after purge = %v, want responses 4 and 6", got)
	}
	if _, err := s.Response(ctx, uuidN(3)); !errors.Is(err, hub.ErrNotFound) {
		t.Errorf("Response of a purged id: %v, want ErrNotFound", err)
	}
	if got := cells(t, s); !reflect.DeepEqual(got, figures) {
		t.Errorf("figures changed by the purge:\n %+v\nwant\n %+v", got, figures)
	}
	if got := octoberCells(); len(octoberBefore) == 0 || !reflect.DeepEqual(got, octoberBefore) {
		t.Errorf("October's figures (month sums) changed by the purge:\n %+v\nwant\n %+v", got, octoberBefore)
	}
	if got := deviceCounts(t, s, hub.Filter{}); !reflect.DeepEqual(got, countsBefore) {
		t.Errorf("DeviceCounts changed by the purge: %+v, want %+v", got, countsBefore)
	}
	if got := deviceCounts(t, s, hub.Filter{From: time.Date(2026, 10, 1, 0, 0, 0, 0, loc), To: time.Date(2026, 11, 1, 0, 0, 0, 0, loc)}); !reflect.DeepEqual(got, monthBefore) {
		t.Errorf("DeviceCounts of October changed by the purge: %+v, want %+v", got, monthBefore)
	}
	if got := gaps(); !reflect.DeepEqual(got, gapsBefore) {
		t.Errorf("Gaps after purge = %+v, want %+v", got, gapsBefore)
	}
	if cs, err := s.Conflicts(ctx); err != nil || len(cs) != 1 || cs[0].ResponseID != uuidN(6) {
		t.Errorf("Conflicts after purge = %+v, %v; want the one of response 6", cs, err)
	}
	rep, err := hub.VerifyChain(ctx, s, nil)
	if err != nil || rep.Break != nil || rep.Entries != 6 {
		t.Errorf("VerifyChain after purge = %+v, %v", rep, err)
	}
	purged := 0
	for _, e := range chainOf(t, s) {
		if e.Purged {
			purged++
		}
	}
	if purged != 4 {
		t.Errorf("%d chain entries read Purged, want 4", purged)
	}
	if out := ingest(t, s, items[0], changed(items[1]), items[3]); !reflect.DeepEqual(out, []protocol.Outcome{protocol.Duplicate, protocol.Conflict, protocol.Duplicate}) {
		t.Errorf("delivering purged responses again = %v, want duplicate, conflict, duplicate", out)
	}
	if got := collect(t, s, hub.Filter{}); len(got) != 2 {
		t.Errorf("a purged response came back: %v", got)
	}

	verify := func(noted map[int64][32]byte, entries int64) {
		t.Helper()
		cp, err := s.AuditCheckpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := hub.VerifyAudit(ctx, cp, s.AuditLog(ctx), noted)
		if err != nil || rep.Break != nil || rep.Entries != entries {
			t.Errorf("VerifyAudit = %+v (break %v), %v; want %d entries holding", rep, rep.Break, err, entries)
		}
	}
	verify(map[int64][32]byte{3: audit[2].Hash, 1: audit[0].Hash}, 4)
	if e, err := s.AppendAudit(ctx, hub.NewAuditEntry(now, "cli:root", hub.AuditLogin, "local", nil)); err != nil || e.Seq != 5 {
		t.Fatalf("AppendAudit after purge = %+v, %v; want entry 5", e, err)
	}
	again, err := s.Purge(ctx, req)
	if err != nil || again.Responses != 0 || again.Conflicts != 0 || again.Audit != 0 || again.Entry.Seq != 6 {
		t.Errorf("the same purge again = %+v, %v; want nothing more removed", again, err)
	}
	verify(nil, 6)

	// Every entry, the purges' included: the new purge's entry records
	// the new checkpoint and is the only one left.
	all := req
	all.ResponsesBefore, all.ConflictsBefore, all.AuditBefore = time.Time{}, time.Time{}, now.Add(time.Hour)
	res, err = s.Purge(ctx, all)
	if err != nil || res.Audit != 4 || res.Checkpoint.Seq != 6 || res.Entry.Seq != 7 {
		t.Fatalf("purging every audit entry = %+v, %v", res, err)
	}
	n := 0
	for _, err := range s.AuditLog(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("AuditLog holds %d entries, want the last purge's only", n)
	}
	verify(nil, 7)

	// The scheduled run: of concurrent claims of one day exactly one purges.
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := hub.PurgeRequest{ResponsesBefore: cut, ClaimDay: "2026-11-25", Entry: hub.NewAuditEntry(now, "hub", hub.AuditPurge, "local", nil)}
			_, err := s.Purge(ctx, r)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	ran := 0
	for err := range errs {
		switch {
		case err == nil:
			ran++
		case !errors.Is(err, hub.ErrPurgeClaimed):
			t.Errorf("scheduled purge: %v", err)
		}
	}
	if ran != 1 {
		t.Errorf("%d scheduled purges ran for one day, want 1", ran)
	}
	verify(nil, 8)
}

// testPurgeDuringIngest: purges run while batches of old and new
// responses arrive; every accepted response ends up either stored or
// recorded as purged (the chain verifies, no number of the device is
// reported missing).
func testPurgeDuringIngest(t *testing.T, s hub.Store) {
	ctx := context.Background()
	def, err := survey.Parse([]byte(figureSurveys[2]))
	if err != nil {
		t.Fatal(err)
	}
	loc := survey.Location()
	cut := time.Date(2026, 11, 10, 0, 0, 0, 0, loc)
	const batches, per = 12, 10
	done := make(chan error, 1)
	go func() {
		for b := range batches {
			var items []hub.Incoming
			for i := range per {
				n := b*per + i + 1
				// Months before the cut (whole and partial) and after it.
				start := time.Date(2026, 9+time.Month(n%3), 1+n%27, 9, 0, 0, 0, loc)
				items = append(items, numberedAt(t, def, 5000+n, "dev-p", int64(n), start))
			}
			if _, err := s.Ingest(ctx, items, t0); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	purges := 0
	for running := true; running; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			running = false
		default:
		}
		if _, err := s.Purge(ctx, hub.PurgeRequest{ResponsesBefore: cut, Entry: hub.NewAuditEntry(t0, "hub", hub.AuditPurge, "local", nil)}); err != nil {
			t.Fatal(err)
		}
		purges++
	}
	if err := s.RecordMark(ctx, mark("dev-p", batches*per)); err != nil {
		t.Fatal(err)
	}
	rep, err := hub.VerifyChain(ctx, s, nil)
	if err != nil || rep.Break != nil || rep.Entries != batches*per {
		t.Errorf("VerifyChain after %d purges during ingest = %+v (break %v), %v", purges, rep, rep.Break, err)
	}
	gs, err := s.Gaps(ctx)
	if err != nil || len(gs) != 1 || gs[0].Received != batches*per || len(gs[0].Missing) != 0 {
		t.Errorf("Gaps = %+v, %v; want all %d numbers received", gs, err, batches*per)
	}
}
