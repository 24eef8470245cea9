package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
	"github.com/hailong-kiosk/hailong/sync/hub/storetest"
)

// TestUpgradeBackfillsChain opens a schema-2 file holding responses and
// checks that the upgrade gives each an entry, in order of receipt, and
// that the chain verifies.
func TestUpgradeBackfillsChain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"0001_init.sql", "0002_admins.sql"} {
		body, err := os.ReadFile(filepath.Join("sql", f))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(body)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec("PRAGMA user_version = 2"); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 30, 16, 59, 0, 0, time.UTC) // 23:59 in Hanoi
	// Received in the order 3, 1, 2; 2 the next day in Hanoi.
	received := map[int]time.Time{3: t0, 1: t0.Add(time.Second), 2: t0.Add(2 * time.Minute)}
	var ids []string
	for _, n := range []int{1, 2, 3} {
		r := storetest.Response("019abcde-f012-7345-8678-00000000000"+string(rune('0'+n)), t0)
		in := storetest.Incoming(t, r)
		if _, err := db.Exec(`INSERT INTO responses (id, device_id, survey_id, survey_version, started_at, service_point, status, content, signature, received_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, r.DeviceID, r.SurveyID, r.SurveyVersion, r.StartedAt.Format("2006-01-02T15:04:05.000Z"),
			r.ServicePoint, string(r.Status), in.Content, in.Signature, received[n].Format("2006-01-02T15:04:05.000Z")); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	db.Close()
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open a schema-2 file: %v", err)
	}
	defer s.Close()
	rep, err := hub.VerifyChain(context.Background(), s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Break != nil || rep.Entries != 3 {
		t.Fatalf("after upgrade: %d entries, break %v", rep.Entries, rep.Break)
	}
	var order []string
	for e, err := range s.Chain(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		order = append(order, e.ResponseID)
	}
	if want := []string{ids[2], ids[0], ids[1]}; strings.Join(order, " ") != strings.Join(want, " ") {
		t.Errorf("backfilled order %v, want received order %v", order, want)
	}
	if len(rep.Roots) != 2 || rep.Roots[0].Day != "2026-11-30" || rep.Roots[0].Entries != 2 || rep.Roots[1].Day != "2026-12-01" {
		t.Errorf("roots after upgrade: %+v", rep.Roots)
	}
}

// TestVerifyFindsTampering edits the database file behind the hub's back
// and checks that VerifyChain names the first entry that no longer holds.
func TestVerifyFindsTampering(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	var items []hub.Incoming
	for n := range 5 {
		items = append(items, storetest.Incoming(t, storetest.Response("019abcde-f012-7345-8678-00000000001"+string(rune('0'+n)), t0)))
	}
	tests := []struct {
		name    string
		sql     string
		seq     int64
		id      int // index in items of the response named
		problem string
	}{
		{"answer changed", `UPDATE responses SET content = CAST(replace(CAST(content AS TEXT), '"hl"', '"rhl"') AS BLOB) WHERE id = ?`, 3, 2, "digest mismatch"},
		{"response deleted", `DELETE FROM responses WHERE id = ?`, 3, 2, "no longer stored"},
		{"response added", `INSERT INTO responses SELECT '019abcde-f012-7345-8678-0000000000ff', device_id, survey_id, survey_version, started_at,
			service_point, status, content, signature, received_at, seq FROM responses WHERE id = ?`, 0, -1, "without a chain entry"},
		{"chain entry rewritten", `DROP TRIGGER chain_append_only_update; UPDATE chain SET accepted_at = '2026-12-01T03:00:00.001Z' WHERE response_id = ?`, 3, 2, "does not link"},
		{"chain entry removed", `DROP TRIGGER chain_append_only_delete; DELETE FROM chain WHERE response_id = ?`, 4, 3, "entries are missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "hub.db")
			s, err := sqlite.Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Ingest(context.Background(), items, t0); err != nil {
				t.Fatal(err)
			}
			s.Close()
			db, err := sql.Open("sqlite3", "file:"+path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(tt.sql, items[2].Response.ID); err != nil {
				t.Fatal(err)
			}
			db.Close()
			s, err = sqlite.Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			rep, err := hub.VerifyChain(context.Background(), s, nil)
			if err != nil {
				t.Fatal(err)
			}
			b := rep.Break
			wantID := "019abcde-f012-7345-8678-0000000000ff"
			if tt.id >= 0 {
				wantID = items[tt.id].Response.ID
			}
			if b == nil || b.Seq != tt.seq || b.ResponseID != wantID || !strings.Contains(b.Problem, tt.problem) {
				t.Fatalf("break = %+v, want entry %d, response %s, %q", b, tt.seq, wantID, tt.problem)
			}
		})
	}
	// Without a dropped trigger, the chain itself cannot be edited.
	path := filepath.Join(t.TempDir(), "hub.db")
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Ingest(context.Background(), items[:1], t0); err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{`UPDATE chain SET day = '2026-01-01'`, `DELETE FROM chain`} {
		if _, err := db.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want the append-only refusal", q, err)
		}
	}
}

// TestChainLargeBatch writes a batch of more entries than one INSERT
// takes, then another, and checks the chain.
func TestChainLargeBatch(t *testing.T) {
	s := openTest(t)
	t0 := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	var items []hub.Incoming
	for n := range 430 {
		items = append(items, storetest.Incoming(t, storetest.Response(fmt.Sprintf("019abcde-f012-7345-8678-%012x", n), t0)))
	}
	for _, batch := range [][]hub.Incoming{items[:250], items[200:]} { // the second repeats 50
		if _, err := s.Ingest(context.Background(), batch, t0); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := hub.VerifyChain(context.Background(), s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Break != nil || rep.Entries != 430 || len(rep.Roots) != 1 || rep.Roots[0].LastSeq != 430 {
		t.Fatalf("after 250 + 180 new: %d entries, roots %+v, break %v", rep.Entries, rep.Roots, rep.Break)
	}
}

// TestVerifyAgainstPublishedRoots: a chain rewritten consistently (here, a
// database rebuilt with one answer changed) verifies on its own, but not
// against a root copied before; nor does a chain cut short.
func TestVerifyAgainstPublishedRoots(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	var items []hub.Incoming
	for n := range 4 {
		items = append(items, storetest.Incoming(t, storetest.Response(fmt.Sprintf("019abcde-f012-7345-8678-%012x", n), t0)))
	}
	honest := openTest(t)
	if _, err := honest.Ingest(ctx, items, t0); err != nil {
		t.Fatal(err)
	}
	roots, err := honest.DayRoots(ctx)
	if err != nil || len(roots) != 1 {
		t.Fatalf("roots %v, %v", roots, err)
	}
	published := map[int64][32]byte{roots[0].LastSeq: roots[0].Root}
	if rep, err := hub.VerifyChain(ctx, honest, published); err != nil || rep.Break != nil {
		t.Fatalf("honest chain against its own root: %+v, %v", rep, err)
	}

	changed := storetest.Response(items[1].Response.ID, t0)
	changed.Answers["q1"] = []string{"rhl"}
	forged := append([]hub.Incoming{items[0], storetest.Incoming(t, changed)}, items[2:]...)
	rebuilt := openTest(t)
	if _, err := rebuilt.Ingest(ctx, forged, t0); err != nil {
		t.Fatal(err)
	}
	if rep, err := hub.VerifyChain(ctx, rebuilt, nil); err != nil || rep.Break != nil {
		t.Fatalf("the rebuilt chain should hold on its own: %+v, %v", rep, err)
	}
	rep, err := hub.VerifyChain(ctx, rebuilt, published)
	if err != nil {
		t.Fatal(err)
	}
	if b := rep.Break; b == nil || b.Seq != 4 || !strings.Contains(b.Problem, "root published") {
		t.Errorf("rebuilt chain against the published root: break %+v, want entry 4", b)
	}

	short := openTest(t)
	if _, err := short.Ingest(ctx, items[:2], t0); err != nil {
		t.Fatal(err)
	}
	rep, err = hub.VerifyChain(ctx, short, published)
	if err != nil {
		t.Fatal(err)
	}
	if b := rep.Break; b == nil || b.Seq != 4 || !strings.Contains(b.Problem, "chain ends at entry 2") {
		t.Errorf("short chain against the published root: break %+v, want entry 4 past the end", b)
	}
}
