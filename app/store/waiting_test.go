package store_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// TestMarkWaiting: a "not yet" answer keeps the response pending (the
// outbox and a bundle still give it) with the hub's reason; a later
// acceptance clears the reason.
func TestMarkWaiting(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	var rs []*survey.Response
	for i := range 4 {
		rs = append(rs, newResponse(t, i))
	}
	mustSave(t, s, rs...)
	reason := "unknown_survey: survey mot-cua-nhanh version 1 is not published at this hub"
	if err := s.MarkWaiting(ctx, []store.Waiting{{ID: rs[1].ID, Reason: reason}, {ID: rs[2].ID, Reason: reason}, {ID: "nope", Reason: reason}}); err != nil {
		t.Fatal(err)
	}
	if st, err := s.SyncStats(ctx); err != nil || st != (store.SyncStats{Pending: 4, Waiting: 2}) {
		t.Errorf("SyncStats = %+v, %v; want 4 pending of which 2 waiting", st, err)
	}
	page, err := s.PendingAfter(ctx, 0, 10)
	if err != nil || len(page) != 4 {
		t.Fatalf("PendingAfter = %d rows, %v; want all 4", len(page), err)
	}
	for i, o := range page {
		want := ""
		if i == 1 || i == 2 {
			want = reason
		}
		if o.Waiting != want || o.Response.ID != rs[i].ID {
			t.Errorf("row %d: %s waiting %q, want %s %q", i, o.Response.ID, o.Waiting, rs[i].ID, want)
		}
	}
	if err := s.MarkSynced(ctx, []string{rs[1].ID}); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkWaiting(ctx, []store.Waiting{{ID: rs[1].ID, Reason: reason}}); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.SyncStats(ctx); st != (store.SyncStats{Pending: 3, Synced: 1, Waiting: 1}) {
		t.Errorf("after one synced: SyncStats = %+v", st)
	}
	if err := s.MarkWaiting(ctx, []store.Waiting{{ID: rs[0].ID}}); err == nil {
		t.Error("MarkWaiting took an empty reason")
	}
}

// TestRetryRejected: "Gửi lại" puts rejected responses back in the outbox,
// one or all, and the outbox finds them again.
func TestRetryRejected(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	var rs []*survey.Response
	for i := range 5 {
		rs = append(rs, newResponse(t, i))
	}
	mustSave(t, s, rs...)
	if err := s.MarkSynced(ctx, []string{rs[3].ID, rs[4].ID}); err != nil {
		t.Fatal(err)
	}
	for _, r := range rs[:3] {
		if err := s.MarkRejected(ctx, r.ID, "invalid_answers: q1"); err != nil {
			t.Fatal(err)
		}
	}
	if p, _ := s.Pending(ctx, 10); len(p) != 0 {
		t.Fatalf("%d pending before the retry", len(p))
	}
	n, err := s.RetryRejected(ctx, []string{rs[1].ID, rs[3].ID, "nope"})
	if err != nil || n != 1 {
		t.Fatalf("RetryRejected(one rejected, one synced, one unknown) = %d, %v; want 1", n, err)
	}
	if p, _ := s.Pending(ctx, 10); !equal(ids(p), []string{rs[1].ID}) {
		t.Errorf("pending after retrying one: %v", ids(p))
	}
	if n, err := s.RetryRejected(ctx, nil); err != nil || n != 2 {
		t.Fatalf("RetryRejected(all) = %d, %v; want 2", n, err)
	}
	if p, _ := s.Pending(ctx, 10); !equal(ids(p), ids(rs[:3])) {
		t.Errorf("pending after retrying all: %v, want %v", ids(p), ids(rs[:3]))
	}
	if st, _ := s.SyncStats(ctx); st != (store.SyncStats{Pending: 3, Synced: 2}) {
		t.Errorf("SyncStats = %+v", st)
	}
	if items, _ := s.RejectedItems(ctx); len(items) != 0 {
		t.Errorf("%d still listed as rejected", len(items))
	}
	if n, err := s.RetryRejected(ctx, nil); err != nil || n != 0 {
		t.Errorf("RetryRejected with none rejected = %d, %v", n, err)
	}
}

// TestMigrationUnknownSurveyPending: a kiosk database written before
// unknown_survey became a "not yet" answer has those rows rejected; opening
// it makes them pending again, and only them.
func TestMigrationUnknownSurveyPending(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	var rs []*survey.Response
	for i := range 5 {
		rs = append(rs, newResponse(t, i))
	}
	mustSave(t, s, rs...)
	if err := s.MarkSynced(ctx, []string{rs[4].ID}); err != nil {
		t.Fatal(err)
	}
	for i, reason := range []string{
		"unknown_survey: survey mot-cua-nhanh version 1 is not published at this hub",
		"invalid_answers: answers[q1]: required question not answered in a complete response",
		"unknown_survey",
		"unknown_surveyish: not the reason",
	} {
		if err := s.MarkRejected(ctx, rs[i].ID, reason); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Back to the schema of the version before 0003 (which changed no
	// table; 0004 is undone), as a kiosk upgraded from it has.
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"DROP TRIGGER responses_deleted", // 0009 undone
		"DROP TRIGGER responses_max_duration",
		"DROP TRIGGER responses_slip",
		"UPDATE meta SET key = 'max_duration_ns', value = 0 WHERE key = 'max_duration_ms'",
		"DROP TABLE help_requests", // 0008 undone
		"DROP TABLE feedback",      // 0007 undone
		"DROP TABLE used_slips",    // 0006 undone
		"ALTER TABLE responses DROP COLUMN slip",
		"ALTER TABLE responses DROP COLUMN device_seq",
		"DELETE FROM meta WHERE key = 'device_seq_floor'",
		"PRAGMA user_version = 2",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p, err := s.Pending(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !equal(ids(p), []string{rs[0].ID, rs[2].ID}) {
		t.Errorf("pending after the migration: %v, want the two unknown_survey rows %v", ids(p), []string{rs[0].ID, rs[2].ID})
	}
	if st, _ := s.SyncStats(ctx); st != (store.SyncStats{Pending: 2, Synced: 1, Rejected: 2}) {
		t.Errorf("SyncStats = %+v", st)
	}
	items, _ := s.RejectedItems(ctx)
	if len(items) != 2 {
		t.Errorf("rejected after the migration: %+v", items)
	}
}
