package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

func ingestAt(t *testing.T, s hub.Store, at time.Time, items ...hub.Incoming) []protocol.Outcome {
	t.Helper()
	out, err := s.Ingest(context.Background(), items, at)
	if err != nil {
		t.Fatalf("Ingest at %v: %v", at, err)
	}
	return out
}

func chainOf(t *testing.T, s hub.Store) []hub.StoredEntry {
	t.Helper()
	var out []hub.StoredEntry
	for e, err := range s.Chain(context.Background()) {
		if err != nil {
			t.Fatalf("Chain: %v", err)
		}
		out = append(out, e)
	}
	return out
}

// testChain: accepted items, and only they, get chain entries in order,
// linked as hub.NextChainEntry links them; days follow Asia/Ho_Chi_Minh.
func testChain(t *testing.T, s hub.Store) {
	ctx := context.Background()
	if roots, err := s.DayRoots(ctx); err != nil || len(roots) != 0 {
		t.Fatalf("empty store: DayRoots = %v, %v", roots, err)
	}
	a, b, c := Incoming(t, Response(uuidN(1), t0)), Incoming(t, Response(uuidN(2), t0)), Incoming(t, Response(uuidN(3), t0))
	changed := Response(uuidN(1), t0)
	changed.Answers["q1"] = []string{"khl"}
	day1 := t0                                 // 2026-11-25 09:00 in Hanoi
	day2 := t0.Add(15*time.Hour + time.Minute) // 2026-11-26 00:01 in Hanoi
	ingestAt(t, s, day1, a, b)
	ingestAt(t, s, day1, a, Incoming(t, changed)) // duplicate, conflict: no entries
	// A batch timed before the head (clock stepped back) keeps the head's time.
	ingestAt(t, s, day1.Add(-time.Hour), c)
	d := Incoming(t, Response(uuidN(4), t0))
	ingestAt(t, s, day2, d)

	got := chainOf(t, s)
	var prev *hub.ChainEntry
	want := []hub.ChainEntry{}
	for _, x := range []struct {
		in hub.Incoming
		at time.Time
	}{{a, day1}, {b, day1}, {c, day1.Add(-time.Hour)}, {d, day2}} {
		e := hub.NextChainEntry(prev, x.in.Response.ID, x.in.Content, x.at)
		want = append(want, e)
		prev = &want[len(want)-1]
	}
	if len(got) != len(want) {
		t.Fatalf("Chain has %d entries, want %d", len(got), len(want))
	}
	for i := range want {
		g := got[i].ChainEntry
		if g.Seq != want[i].Seq || g.ResponseID != want[i].ResponseID || g.Digest != want[i].Digest ||
			g.Receipt != want[i].Receipt || !g.AcceptedAt.Equal(want[i].AcceptedAt) || g.Hash != want[i].Hash {
			t.Errorf("entry %d = %+v, want %+v", i+1, g, want[i])
		}
		if string(got[i].Content) != string([]hub.Incoming{a, b, c, d}[i].Content) {
			t.Errorf("entry %d carries content %s", i+1, got[i].Content)
		}
	}
	if !got[2].AcceptedAt.Equal(day1) {
		t.Errorf("entry 3 accepted at %v, want the head's %v", got[2].AcceptedAt, day1)
	}
	roots, err := s.DayRoots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantRoots := []hub.DayRoot{
		{Day: "2026-11-25", Root: want[2].Hash, LastSeq: 3, Entries: 3},
		{Day: "2026-11-26", Root: want[3].Hash, LastSeq: 4, Entries: 1},
	}
	if !slices.Equal(roots, wantRoots) {
		t.Errorf("DayRoots = %+v, want %+v", roots, wantRoots)
	}
	rep, err := hub.VerifyChain(ctx, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Break != nil || rep.Entries != 4 || !slices.Equal(rep.Roots, wantRoots) {
		t.Errorf("VerifyChain = %+v (break %v), want 4 entries, no break, the stored roots", rep, rep.Break)
	}
	if ids, err := s.UnchainedResponses(ctx); err != nil || len(ids) != 0 {
		t.Errorf("UnchainedResponses = %v, %v", ids, err)
	}
	for _, tt := range []struct {
		r    protocol.Receipt
		want []string
	}{
		{protocol.ReceiptFor(a.Content), []string{"2026-11-25"}},
		{protocol.ReceiptFor(d.Content), []string{"2026-11-26"}},
		{protocol.ReceiptFor(Incoming(t, changed).Content), nil}, // refused as a conflict: not counted
	} {
		if days, err := s.ReceiptDays(ctx, tt.r); err != nil || !slices.Equal(days, tt.want) {
			t.Errorf("ReceiptDays(%s) = %v, %v; want %v", tt.r, days, err, tt.want)
		}
	}
	// A batch that rolls back (its context ended before the commit)
	// leaves no entry.
	ended, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Ingest(ended, []hub.Incoming{Incoming(t, Response(uuidN(9), t0))}, day2); !errors.Is(err, context.Canceled) {
		t.Fatalf("Ingest with an ended context: %v", err)
	}
	if n := len(chainOf(t, s)); n != 4 {
		t.Errorf("a rolled-back batch left the chain at %d entries, want 4", n)
	}
}
