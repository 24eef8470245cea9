package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// TestBackupWhileServing: `backup` copies a SQLite hub while kiosks
// upload to it. The copy holds every response acknowledged before the
// backup started, its figures rollup agrees with its responses (one
// consistent snapshot), and restored in place of a hub's database it
// serves: a kiosk's resend of what it holds answers duplicate.
func TestBackupWhileServing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "hub.db")
	mustRun(t, "survey", "publish", "--db", db, quickSurvey)
	code := enrollCode(t, db)
	base := startServe(t, "--db", db)
	d := enrollHTTP(t, http.DefaultClient, base, code)

	var (
		mu      sync.Mutex
		acked   = map[string]bool{}
		batches [][]protocol.Item
		started = make(chan struct{}) // closed after 5 acknowledged batches
		once    sync.Once
		wg      sync.WaitGroup
	)
	wg.Go(func() {
		for range 30 {
			items := d.items(t, 100)
			status, br, err := d.post(http.DefaultClient, base, items)
			if err != nil || status != 200 {
				t.Errorf("upload: %d %v", status, err)
				return
			}
			mu.Lock()
			for _, r := range br.Results {
				acked[r.ID] = r.Outcome.Synced()
			}
			batches = append(batches, items)
			if len(batches) == 5 {
				once.Do(func() { close(started) })
			}
			mu.Unlock()
		}
	})
	<-started
	mu.Lock()
	before := make([]string, 0, len(acked))
	for id := range acked {
		before = append(before, id)
	}
	first := batches[0]
	mu.Unlock()
	copyPath := filepath.Join(dir, "backup.db")
	out := mustRun(t, "backup", copyPath, "--db", db) // while uploads go on
	if !strings.Contains(out, "Backed up") {
		t.Errorf("backup output: %s", out)
	}
	wg.Wait()

	// Restore: the copy in place of a (stopped) hub's database.
	restored := filepath.Join(t.TempDir(), "hub.db")
	data, err := os.ReadFile(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(restored, data, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, restored)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for r, err := range st.Responses(ctx, hub.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		stored[r.ID] = true
	}
	for _, id := range before {
		if !stored[id] {
			t.Fatalf("%s was acknowledged before the backup started but is not in the copy", id)
		}
	}
	defs, err := hub.ParsedSurveys(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	fromRollup, err := report.FromCells(ctx, defs, st.Figures(ctx, hub.Filter{}), report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fromRows, err := report.Compute(ctx, defs, st.Responses(ctx, hub.Filter{}), report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromRollup, fromRows) || fromRows.Totals.Responses != len(stored) {
		t.Errorf("the copy's rollup (%d responses) disagrees with its rows (%d): not one snapshot", fromRollup.Totals.Responses, fromRows.Totals.Responses)
	}
	st.Close()
	t.Logf("copy holds %d responses; %d were acknowledged when it started", len(stored), len(before))

	rbase := startServe(t, "--db", restored)
	status, br, err := d.post(http.DefaultClient, rbase, first)
	if err != nil || status != 200 {
		t.Fatalf("resend to the restored hub: %d %v", status, err)
	}
	for _, r := range br.Results {
		if r.Outcome != protocol.Duplicate {
			t.Errorf("resent item %s: %s, want duplicate", r.ID, r.Outcome)
		}
	}

	if _, errs, code := runCmd(t, "backup", copyPath, "--db", db); code != 1 || !strings.Contains(errs, "exists") {
		t.Errorf("backup onto an existing file: exit %d, %s", code, errs)
	}
	if _, errs, code := runCmd(t, "backup", filepath.Join(dir, "x.db"), "--db", cluster.NewDatabase(t)); code != 1 || !strings.Contains(errs, "pg_dump") {
		t.Errorf("backup of PostgreSQL: exit %d, %s", code, errs)
	}
}
