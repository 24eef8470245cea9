package store_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// TestDeviceSeq: each new response takes the next number in its save, a
// re-save takes none, and a number is never handed out again, even after
// the newest rows are deleted from the file behind the store's back.
func TestDeviceSeq(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	if hw, err := s.HighWater(ctx); err != nil || hw != 0 {
		t.Fatalf("HighWater of an empty store = %d, %v", hw, err)
	}
	rs := []any{}
	for i := range 3 {
		r := newResponse(t, i)
		mustSave(t, s, r)
		rs = append(rs, r.ID)
	}
	again := newResponse(t, 9)
	mustSave(t, s, again, again) // the second save is a no-op
	want := map[string]int64{rs[0].(string): 1, rs[1].(string): 2, rs[2].(string): 3, again.ID: 4}
	for id, n := range want {
		if got, err := s.DeviceSeq(ctx, id); err != nil || got != n {
			t.Errorf("DeviceSeq(%s) = %d, %v; want %d", id, got, err, n)
		}
	}

	// Delete the two newest rows as someone with the file would.
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("DELETE FROM responses WHERE id IN (?, ?)", rs[2], again.ID); err != nil {
		t.Fatal(err)
	}
	db.Close()

	next := newResponse(t, 10)
	mustSave(t, s, next)
	if got, _ := s.DeviceSeq(ctx, next.ID); got != 5 {
		t.Errorf("after deleting numbers 3 and 4, the next response got %d, want 5", got)
	}
	if hw, _ := s.HighWater(ctx); hw != 5 {
		t.Errorf("HighWater = %d, want 5", hw)
	}
	out, err := s.PendingAfter(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, o := range out {
		got = append(got, o.DeviceSeq)
	}
	if len(got) != 3 || got[0] != 1 || got[1] != 2 || got[2] != 5 {
		t.Errorf("outbox numbers %v, want [1 2 5]", got)
	}
	if _, err := s.DeviceSeq(ctx, rs[2].(string)); err == nil {
		t.Error("DeviceSeq of a deleted response: no error")
	}
}

// TestDeviceSeqMigration: responses saved before the store numbered them
// keep no number (they travel as version 1); the first response saved
// after the upgrade is number 1.
func TestDeviceSeqMigration(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	old := newResponse(t, 0)
	mustSave(t, s, old)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Take the file back to schema 3, as an older kiosk left it.
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
		"PRAGMA user_version = 3",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	s, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, err := s.DeviceSeq(ctx, old.ID); err != nil || n != 0 {
		t.Errorf("old response numbered %d, %v; want 0", n, err)
	}
	r := newResponse(t, 1)
	mustSave(t, s, r)
	if n, _ := s.DeviceSeq(ctx, r.ID); n != 1 {
		t.Errorf("first response after the upgrade numbered %d, want 1", n)
	}
}

// TestSaveInOneStatementMigration: a file an older kiosk left at schema 8
// (a counter written by every save, the longest duration in nanoseconds)
// keeps its numbering and its longest duration through migration 0009,
// also when the newest numbered rows were deleted behind that kiosk's back.
func TestSaveInOneStatementMigration(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	long := newResponse(t, 0)
	long.FinishedAt = long.StartedAt.Add(3 * time.Hour) // finishes after all the others
	rs := []*survey.Response{long}
	for i := 1; i <= 4; i++ {
		rs = append(rs, newResponse(t, i))
	}
	mustSave(t, s, rs...) // numbers 1 to 5
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"DROP TRIGGER responses_deleted", // 0009 undone
		"DROP TRIGGER responses_max_duration",
		"DROP TRIGGER responses_slip",
		"UPDATE meta SET key = 'max_duration_ns', value = 10800000000000 WHERE key = 'max_duration_ms'",
		"UPDATE meta SET key = 'device_seq', value = 5 WHERE key = 'device_seq_floor'",
		"DELETE FROM responses WHERE device_seq IN (4, 5)", // the old counter still says 5
		"PRAGMA user_version = 8",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	s, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if hw, err := s.HighWater(ctx); err != nil || hw != 5 {
		t.Errorf("HighWater after the upgrade = %d, %v; want 5", hw, err)
	}
	next := newResponse(t, 9)
	next.FinishedAt = next.StartedAt.Add(time.Second)
	mustSave(t, s, next)
	if n, _ := s.DeviceSeq(ctx, next.ID); n != 6 {
		t.Errorf("first response after the upgrade numbered %d, want 6", n)
	}
	// The 3-hour response started 9 minutes before the newest start and
	// still finished last: found only if the longest duration survived.
	if got, err := s.LastResponse(ctx); err != nil || got.ID != long.ID {
		t.Errorf("LastResponse = %v, %v; want the 3-hour response %s", got, err, long.ID)
	}
}

// TestDeletedNumbersNeverReused: whoever deletes numbered rows (the store's
// retention or an SQLite tool on the file), in any order, the next number
// is above every number handed out.
func TestDeletedNumbersNeverReused(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	for i := range 6 {
		mustSave(t, s, newResponse(t, i)) // 1 to 6
	}
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		"DELETE FROM responses WHERE device_seq = 6",
		"DELETE FROM responses WHERE device_seq = 2", // lower than the floor: leaves it
		"DELETE FROM responses WHERE device_seq = 5",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	r := newResponse(t, 10)
	mustSave(t, s, r)
	if n, _ := s.DeviceSeq(ctx, r.ID); n != 7 {
		t.Errorf("after deleting 6, 2 and 5 the next number is %d, want 7", n)
	}
	if _, err := db.Exec("DELETE FROM responses"); err != nil {
		t.Fatal(err)
	}
	if hw, _ := s.HighWater(ctx); hw != 7 {
		t.Errorf("HighWater of an emptied file = %d, want 7", hw)
	}
	r = newResponse(t, 11)
	mustSave(t, s, r)
	if n, _ := s.DeviceSeq(ctx, r.ID); n != 8 {
		t.Errorf("after emptying the table the next number is %d, want 8", n)
	}
}
