package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/storetest"
)

// TestCheckpointOffTheCommit: the writer's automatic checkpoint is off,
// and the background checkpointer copies committed batches into the
// database file after the commit.
func TestCheckpointOffTheCommit(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hub.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var auto int
	if err := s.w.QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&auto); err != nil || auto != 0 {
		t.Fatalf("writer wal_autocheckpoint = %d, %v; want 0", auto, err)
	}
	checkpointed := make(chan struct{}, 1)
	s.ck.after = func() {
		select {
		case checkpointed <- struct{}{}:
		default:
		}
	}
	before := fileSize(t, path)
	var items []hub.Incoming
	for i := 1; i <= 500; i++ {
		items = append(items, storetest.Incoming(t, storetest.Response(fmt.Sprintf("019abcde-f012-7345-8678-%012x", i), time.Now())))
	}
	if _, err := s.Ingest(ctx, items, time.Now()); err != nil {
		t.Fatal(err)
	}
	select {
	case <-checkpointed:
	case <-time.After(10 * time.Second):
		t.Fatal("no checkpoint after a commit")
	}
	if after := fileSize(t, path); after <= before {
		t.Errorf("database file %d bytes after the checkpoint, %d before: the batch was not copied from the WAL", after, before)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
