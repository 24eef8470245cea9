package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/xlsform"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
	"github.com/hailong-kiosk/hailong/sync/hub/storetest"
)

// fillOld stores responses started on the given days (Asia/Ho_Chi_Minh,
// 09:00), through the store as the hub's ingest would.
func fillOld(t *testing.T, db string, days ...string) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var items []hub.Incoming
	for i, d := range days {
		day, err := time.ParseInLocation("2006-01-02", d, survey.Location())
		if err != nil {
			t.Fatal(err)
		}
		r := storetest.Response("019abcde-f012-7345-8678-"+strings.Repeat("0", 11)+string(rune('a'+i)), day.Add(9*time.Hour))
		items = append(items, storetest.Incoming(t, r))
	}
	if _, err := st.Ingest(context.Background(), items, time.Now()); err != nil {
		t.Fatal(err)
	}
}

// TestPurge runs `purge --before` on a real file: the old responses go,
// the count is in the audit log, `verify`, `audit verify` and `gaps` still
// pass, the export holds the rest; bad periods and dates are refused.
func TestPurge(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "hub.db")
	fillOld(t, db, "2024-03-01", "2024-03-02", "2025-07-01", "2026-11-20")
	out := mustRun(t, "purge", "--before", "2025-01-01", "--db", db)
	if !strings.Contains(out, "Purged 2 responses, 0 conflicting deliveries, the texts of 0 feedback cases, the notes of 0 help requests, 0 audit entries") {
		t.Errorf("purge:\n%s", out)
	}
	lines := auditLines(t, db)
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "purge ") || !strings.Contains(last, "responses=2") {
		t.Errorf("audit log ends with %q, want the purge and its count", last)
	}
	mustRun(t, "verify", "--db", db)
	mustRun(t, "audit", "verify", "--db", db)
	mustRun(t, "gaps", "--db", db)
	csv := filepath.Join(dir, "out.csv")
	mustRun(t, "export", "--out", csv, "--db", db)
	b, err := os.ReadFile(csv)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "\n"); n != 3 {
		t.Errorf("export after purge has %d lines, want a header and 2 responses:\n%s", n, b)
	}

	// Audit entries older than a year go too; the log still verifies from
	// its checkpoint.
	out = mustRun(t, "purge", "--keep-responses", "1y", "--keep-audit", "1y", "--db", db)
	if !strings.Contains(out, "Purged 1 responses") {
		t.Errorf("purge --keep-responses 1y:\n%s", out)
	}
	mustRun(t, "verify", "--db", db)
	mustRun(t, "audit", "verify", "--db", db)

	// Feedback texts have a period of their own (the cases themselves are
	// in sync/hub/storetest); the count is printed.
	out = mustRun(t, "purge", "--keep-feedback", "1y", "--keep-audit", "1y", "--db", db)
	if !strings.Contains(out, "the texts of 0 feedback cases") || !strings.Contains(out, "nội dung của 0 phản ánh") {
		t.Errorf("purge --keep-feedback 1y:\n%s", out)
	}

	for _, args := range [][]string{
		{"purge"},
		{"purge", "--before", "2999-01-01"},
		{"purge", "--before", "1.1.2025"},
		{"purge", "--keep-responses", "5y", "--keep-audit", "1y"},
		{"purge", "--keep-responses", "24x"},
		{"purge", "--keep-audit", "1y", "--before", "2020-01-01"},
		{"serve", "--keep-responses", "1y", "--keep-audit", "30d"},
		{"purge", "--keep-feedback", "3y", "--keep-audit", "1y"},
		{"purge", "--keep-feedback", "12x"},
		{"serve", "--keep-feedback", "2y", "--keep-audit", "1y"},
	} {
		if _, errs, code := runCmd(t, append(args, "--db", db)...); code != 2 || errs == "" {
			t.Errorf("%v: exit %d, %q; want a usage error", args, code, errs)
		}
	}
}

// TestServePurgesDaily: serve with a retention period purges at start,
// claiming the day; a second hub on the same file the same day does not
// purge again.
func TestServePurgesDaily(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hub.db")
	fillOld(t, db, "2020-05-01", "2026-11-20")
	startServe(t, "--db", db, "--keep-responses", "2y")
	startServe(t, "--db", db, "--keep-responses", "2y")
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var purges []string
	for e, err := range st.AuditLog(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if e.Action == hub.AuditPurge {
			purges = append(purges, e.Actor+" "+e.Details)
		}
	}
	if len(purges) != 1 || !strings.HasPrefix(purges[0], "hub:scheduled ") || !strings.Contains(purges[0], "responses=1") {
		t.Errorf("purges recorded: %q; want one scheduled purge of 1 response", purges)
	}
}

// TestPublishXLSForm: `survey publish` takes an XLSForm workbook; one
// outside the subset is refused with its row and nothing is published.
func TestPublishXLSForm(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "hub.db")
	raw, err := os.ReadFile(quickSurvey)
	if err != nil {
		t.Fatal(err)
	}
	s, err := survey.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	s.ID = "quick-xls"
	var b bytes.Buffer
	if err := xlsform.Export(s, &b); err != nil {
		t.Fatal(err)
	}
	form := filepath.Join(dir, "quick.xlsx")
	if err := os.WriteFile(form, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, "survey", "publish", form, "--db", db); !strings.Contains(out, "Published quick-xls version 1") {
		t.Errorf("publish:\n%s", out)
	}
	if err := os.WriteFile(form, []byte("PK\x03\x04 not a workbook"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errs, code := runCmd(t, "survey", "publish", form, "--db", db); code != 1 || !strings.Contains(errs, "không phải bảng tính Excel") {
		t.Errorf("publish of a broken workbook: exit %d\n%s", code, errs)
	}
}
