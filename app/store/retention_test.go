package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// TestDeleteSynced on a real file: only synced responses started before
// the cut go; pending and rejected ones of any age stay; the newest row
// stays even when synced and old; after reopening the file, a new save
// gets a new save order number and the next device number, and is sent.
func TestDeleteSynced(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	rs := make([]*survey.Response, 7)
	for i := range rs {
		rs[i] = newResponse(t, i*24*60) // one a day
	}
	mustSave(t, s, rs...)
	// 0, 1, 2 synced; 3 rejected; 4 pending; 5 synced (after the cut); 6 synced, newest.
	if err := s.MarkSynced(ctx, []string{rs[0].ID, rs[1].ID, rs[2].ID, rs[5].ID, rs[6].ID}); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkRejected(ctx, rs[3].ID, "invalid_answers"); err != nil {
		t.Fatal(err)
	}
	cut := rs[5].StartedAt
	tests := []struct {
		before time.Time
		want   int64
	}{
		{rs[1].StartedAt, 1},                 // only 0: the cut is exclusive
		{cut, 2},                             // 1 and 2 (3 and 4 are not synced)
		{cut, 0},                             // again: nothing more
		{rs[6].StartedAt.Add(time.Hour), 1},  // 5, not 6: the newest row stays
		{time.Time{}.AddDate(3000, 0, 0), 0}, // far future: still not 6
	}
	for i, tt := range tests {
		n, err := s.DeleteSynced(ctx, tt.before)
		if err != nil || n != tt.want {
			t.Errorf("step %d: DeleteSynced(%v) = %d, %v; want %d", i, tt.before, n, err, tt.want)
		}
	}
	var left []string
	for r, err := range s.Responses(ctx, store.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		left = append(left, r.ID)
	}
	if want := []string{rs[3].ID, rs[4].ID, rs[6].ID}; !equal(left, want) {
		t.Errorf("left %v, want rejected, pending and newest %v", left, want)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	next := newResponse(t, 8*24*60)
	mustSave(t, s2, next)
	if n, err := s2.DeviceSeq(ctx, next.ID); err != nil || n != 8 {
		t.Errorf("device number of the next save = %d, %v; want 8", n, err)
	}
	pend, err := s2.Pending(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(pend); !equal(got, []string{rs[4].ID, next.ID}) {
		t.Errorf("pending after the deletions = %v, want the old pending one and the new save", got)
	}
	st, err := s2.SyncStats(ctx)
	if err != nil || st.Pending != 2 || st.Rejected != 1 || st.Synced != 1 {
		t.Errorf("SyncStats = %+v, %v", st, err)
	}
}
