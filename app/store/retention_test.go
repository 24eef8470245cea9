package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/feedback"
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

// TestDeleteSyncedFeedback on a real file: only cases the hub holds that
// were written before the cut go, a misconduct report among them; pending
// and rejected ones of any age stay, and so does a synced case after the
// cut; a case deleted is no longer counted, and a new one saves as usual.
func TestDeleteSyncedFeedback(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	day := time.Date(2026, 9, 1, 2, 0, 0, 0, time.UTC)
	cats := []feedback.Category{feedback.CategoryProcedure, feedback.CategoryMisconduct, feedback.CategoryOther, feedback.CategoryOther, feedback.CategoryProcedure}
	fs := make([]*store.Feedback, len(cats))
	for i, cat := range cats {
		fs[i] = newFeedback(t, cat, "góp ý")
		if cat.Sealed() {
			fs[i].Text, fs[i].Sealed = "", bytes.Repeat([]byte{9}, feedback.SealOverhead+8)
		}
		fs[i].CreatedAt = day.AddDate(0, 0, i*10) // 1/9, 11/9, 21/9, 1/10, 11/10
		if err := s.SaveFeedback(ctx, fs[i]); err != nil {
			t.Fatal(err)
		}
	}
	// 0, 1 synced; 2 rejected; 3 pending; 4 synced, after the cut.
	if err := s.MarkFeedbackSynced(ctx, []string{fs[0].ID, fs[1].ID, fs[4].ID}); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkFeedbackRejected(ctx, fs[2].ID, "invalid"); err != nil {
		t.Fatal(err)
	}
	cut := fs[4].CreatedAt
	for i, tt := range []struct {
		before time.Time
		want   int64
	}{
		{fs[1].CreatedAt, 1}, // only 0: the cut is exclusive
		{cut, 1},             // 1, the sealed one (2 and 3 are not synced)
		{cut, 0},             // again: nothing more
	} {
		if n, err := s.DeleteSyncedFeedback(ctx, tt.before); err != nil || n != tt.want {
			t.Errorf("step %d: DeleteSyncedFeedback(%v) = %d, %v; want %d", i, tt.before, n, err, tt.want)
		}
	}
	p, sy, rj, err := s.FeedbackCounts(ctx)
	if err != nil || p != 1 || sy != 1 || rj != 1 {
		t.Errorf("counts after the deletions: pending %d, synced %d, rejected %d, %v; want 1, 1, 1", p, sy, rj, err)
	}
	if pend, err := s.PendingFeedback(ctx, 10); err != nil || len(pend) != 1 || pend[0].ID != fs[3].ID {
		t.Errorf("pending after the deletions: %+v, %v; want the old pending case", pend, err)
	}
	next := newFeedback(t, feedback.CategoryOther, "mới")
	if err := s.SaveFeedback(ctx, next); err != nil {
		t.Fatal(err)
	}
}
