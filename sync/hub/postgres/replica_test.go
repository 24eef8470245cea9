package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/postgres"
	"github.com/hailong-kiosk/hailong/sync/hub/postgres/pgtest"
	"github.com/hailong-kiosk/hailong/sync/hub/storetest"
)

// TestReadReplica: a store that reads from a real streaming replica
// (pg_basebackup of the test cluster, on its own loopback port) writes to
// the primary and, once the replica has replayed the commit, streams the
// fresh upload from the replica; with the replica's replay paused, a new
// upload stays out of Responses, so the reads really come from there.
func TestReadReplica(t *testing.T) {
	ctx := context.Background()
	url := cluster.NewDatabase(t)
	primary, err := postgres.Open(ctx, url) // schema first, so the base backup has it
	if err != nil {
		t.Fatal(err)
	}
	primary.Close()
	rep, err := cluster.StartReplica("replica")
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := rep.Stop(); err != nil {
			t.Error(err)
		}
	}()
	readURL := rep.URL(pgtest.DatabaseName(url))
	s, err := postgres.Open(ctx, url, postgres.ReadFrom(readURL))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	r := storetest.Response("019abcde-f012-7345-8678-000000000001", time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC))
	if _, err := s.Ingest(ctx, []hub.Incoming{storetest.Incoming(t, r)}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := rep.WaitReplayed(ctx, url); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for got, err := range s.Responses(ctx, hub.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, got.ID)
	}
	if len(ids) != 1 || ids[0] != r.ID {
		t.Errorf("Responses through the replica = %v, want [%s]", ids, r.ID)
	}
	if lag, ok, err := s.ReplicaLag(ctx); err != nil || !ok || lag < 0 {
		t.Errorf("ReplicaLag = %v, %v, %v", lag, ok, err)
	}
	// With the replica's replay paused, a new upload is on the primary
	// only, and Responses does not see it: the reads come from the replica.
	conn, err := pgx.Connect(ctx, readURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `SELECT pg_wal_replay_pause()`); err != nil {
		t.Fatal(err)
	}
	r2 := storetest.Response("019abcde-f012-7345-8678-000000000002", r.StartedAt.Add(time.Minute))
	if _, err := s.Ingest(ctx, []hub.Incoming{storetest.Incoming(t, r2)}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s); n != 1 {
		t.Errorf("with replay paused Responses saw %d rows, want 1 (the replica's)", n)
	}
	if _, err := conn.Exec(ctx, `SELECT pg_wal_replay_resume()`); err != nil {
		t.Fatal(err)
	}
	if err := rep.WaitReplayed(ctx, url); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s); n != 2 {
		t.Errorf("after the replay Responses saw %d rows, want 2", n)
	}
	if _, err := s.Response(ctx, r2.ID); err != nil {
		t.Errorf("Response reads the primary: %v", err)
	}
}

func count(t *testing.T, s hub.Store) int {
	t.Helper()
	n := 0
	for _, err := range s.Responses(context.Background(), hub.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	return n
}
