package store_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

func ids(rs []*survey.Response) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

func TestOutboxTransitions(t *testing.T) {
	ctx := context.Background()
	clock := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	s, _ := openTest(t, store.WithClock(func() time.Time { return clock }))
	var rs []*survey.Response
	for i := range 5 {
		rs = append(rs, newResponse(t, 4-i)) // started in reverse order
	}
	// Saved in the order 4, 3, 2, 1, 0: the outbox goes by save order.
	for i := range rs {
		mustSave(t, s, rs[4-i])
	}

	pending, err := s.Pending(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(pending), []string{rs[4].ID, rs[3].ID, rs[2].ID}; !equal(got, want) {
		t.Fatalf("Pending(3) = %v, want first saved first %v", got, want)
	}
	if st, _ := s.SyncStats(ctx); st != (store.SyncStats{Pending: 5}) {
		t.Errorf("SyncStats = %+v", st)
	}

	if err := s.MarkSynced(ctx, []string{rs[4].ID, rs[3].ID}); err != nil {
		t.Fatal(err)
	}
	// Idempotent: marking again (a retried batch) is fine.
	if err := s.MarkSynced(ctx, []string{rs[4].ID, rs[3].ID}); err != nil {
		t.Fatalf("MarkSynced again: %v", err)
	}
	clock = clock.Add(time.Hour)
	if err := s.MarkRejected(ctx, rs[2].ID, "phiên bản khảo sát không xác định"); err != nil {
		t.Fatal(err)
	}
	pending, err = s.Pending(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(pending), []string{rs[1].ID, rs[0].ID}; !equal(got, want) {
		t.Errorf("Pending = %v, want %v", got, want)
	}
	if st, _ := s.SyncStats(ctx); st != (store.SyncStats{Pending: 2, Synced: 2, Rejected: 1}) {
		t.Errorf("SyncStats = %+v", st)
	}
	rej, err := s.RejectedItems(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []store.Rejected{{ID: rs[2].ID, Reason: "phiên bản khảo sát không xác định", At: clock}}; len(rej) != 1 || rej[0] != want[0] {
		t.Errorf("RejectedItems = %+v, want %+v", rej, want)
	}

	// A synced response cannot be rejected afterwards.
	if err := s.MarkRejected(ctx, rs[4].ID, "x"); !errors.Is(err, store.ErrConflict) {
		t.Errorf("MarkRejected(synced) = %v, want ErrConflict", err)
	}
	// The hub may accept a rejected response later (e.g. once the survey
	// version is published).
	if err := s.MarkSynced(ctx, []string{rs[2].ID}); err != nil {
		t.Fatal(err)
	}
	if rej, _ := s.RejectedItems(ctx); len(rej) != 0 {
		t.Errorf("RejectedItems after sync = %+v", rej)
	}
	// Unknown ids change nothing.
	err = s.MarkSynced(ctx, []string{rs[1].ID, "0190a5e0-0000-7000-8000-000000000000"})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("MarkSynced(unknown) = %v, want ErrNotFound", err)
	}
	if st, _ := s.SyncStats(ctx); st != (store.SyncStats{Pending: 2, Synced: 3}) {
		t.Errorf("SyncStats after failed MarkSynced = %+v", st)
	}
	if err := s.MarkRejected(ctx, "0190a5e0-0000-7000-8000-000000000000", "x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("MarkRejected(unknown) = %v, want ErrNotFound", err)
	}
	if err := s.MarkSynced(ctx, nil); err != nil {
		t.Errorf("MarkSynced(nil) = %v", err)
	}
	if _, err := s.Pending(ctx, 0); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Pending(0) = %v, want ErrInvalid", err)
	}
}

// TestOutboxAgainstModel drives the outbox with random saves, syncs and
// rejections, in and out of order, and checks Pending and SyncStats against a
// plain model after every step, also across reopening.
func TestOutboxAgainstModel(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	type item struct {
		id    string
		state string
	}
	var model []*item // in save order
	check := func(step int) {
		t.Helper()
		var want []string
		var st store.SyncStats
		for _, it := range model {
			switch it.state {
			case "pending":
				want = append(want, it.id)
				st.Pending++
			case "synced":
				st.Synced++
			case "rejected":
				st.Rejected++
			}
		}
		limit := 1 + rng.IntN(8)
		got, err := s.Pending(ctx, limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) > limit {
			want = want[:limit]
		}
		if !equal(ids(got), want) {
			t.Fatalf("step %d: Pending(%d) = %v, want %v", step, limit, ids(got), want)
		}
		if gotSt, err := s.SyncStats(ctx); err != nil || gotSt != st {
			t.Fatalf("step %d: SyncStats = %+v, %v; want %+v", step, gotSt, err, st)
		}
	}
	for step := range 300 {
		switch op := rng.IntN(10); {
		case op < 4 || len(model) == 0:
			r := newResponse(t, rng.IntN(1000))
			mustSave(t, s, r)
			model = append(model, &item{id: r.ID, state: "pending"})
		case op < 8: // sync a random handful, as a batch answer would
			var batch []string
			for range 1 + rng.IntN(4) {
				it := model[rng.IntN(len(model))]
				batch = append(batch, it.id)
				it.state = "synced"
			}
			if err := s.MarkSynced(ctx, batch); err != nil {
				t.Fatal(err)
			}
		case op < 9:
			it := model[rng.IntN(len(model))]
			err := s.MarkRejected(ctx, it.id, "lý do")
			if it.state == "synced" {
				if !errors.Is(err, store.ErrConflict) {
					t.Fatalf("MarkRejected(synced) = %v", err)
				}
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			it.state = "rejected"
		default:
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			var err error
			if s, err = store.Open(ctx, path); err != nil {
				t.Fatal(err)
			}
		}
		check(step)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
