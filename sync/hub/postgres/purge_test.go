package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/postgres"
	"github.com/hailong-kiosk/hailong/sync/hub/storetest"
)

// TestPurgeOutlivesDeadlock: a purge that the server aborts as a deadlock
// with an ingest (the ingest holds October and waits for September, which
// the purge emptied first and holds while it waits for October) runs
// again once the ingest is through, and purges both months.
func TestPurgeOutlivesDeadlock(t *testing.T) {
	ctx := context.Background()
	url := cluster.NewDatabase(t)
	s, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i, at := range []time.Time{time.Date(2026, 9, 15, 2, 0, 0, 0, time.UTC), time.Date(2026, 10, 15, 2, 0, 0, 0, time.UTC)} {
		r := storetest.Response([]string{"019abcde-f012-7345-8678-000000000001", "019abcde-f012-7345-8678-000000000002"}[i], at)
		if _, err := s.Ingest(ctx, []hub.Incoming{storetest.Incoming(t, r)}, at); err != nil {
			t.Fatal(err)
		}
	}
	// The ingest's part, played on its own connection: October taken as
	// an insert takes it, then September once the purge waits.
	ingest, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer ingest.Close(ctx)
	tx, err := ingest.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	// The purge's session finds the deadlock (after its 1 s) and is the
	// one aborted.
	if _, err := tx.Exec(ctx, `SET LOCAL deadlock_timeout = '60s'`); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `LOCK TABLE responses_y2026m10 IN ROW EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	var res hub.PurgeResult
	go func() {
		var err error
		res, err = s.Purge(ctx, hub.PurgeRequest{ResponsesBefore: time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC),
			Entry: hub.NewAuditEntry(time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC), "hub", hub.AuditPurge, "local", nil)})
		done <- err
	}()
	// Wait for the purge to queue for October, holding September.
	for waiting := false; !waiting; {
		if err := ingest.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
			WHERE c.relname = 'responses_y2026m10' AND NOT l.granted)`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-done:
			t.Fatalf("purge ended before it waited for the ingest: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	if _, err := tx.Exec(ctx, `LOCK TABLE responses_y2026m09 IN ROW EXCLUSIVE MODE`); err != nil {
		t.Fatalf("the ingest's side was aborted, not the purge's: %v", err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("purge after a deadlock: %v", err)
	}
	if res.Responses != 2 {
		t.Errorf("purged %d responses, want both months' 2", res.Responses)
	}
}
