package store_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/hailong-kiosk/hailong/app/store"
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
		"DROP TABLE help_requests", // 0008 undone
		"DROP TABLE feedback",      // 0007 undone
		"DROP TABLE used_slips",    // 0006 undone
		"ALTER TABLE responses DROP COLUMN slip",
		"ALTER TABLE responses DROP COLUMN device_seq",
		"DELETE FROM meta WHERE key = 'device_seq'",
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
