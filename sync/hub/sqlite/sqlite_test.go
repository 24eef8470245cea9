package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
	"github.com/hailong-kiosk/hailong/sync/hub/storetest"
)

func openTest(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) hub.Store { return openTest(t) })
}

func TestIngestIsAtomic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// A trigger outside the store makes the third insert fail mid-batch.
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	bad := "019abcde-f012-7345-8678-000000000003"
	if _, err := db.Exec(`CREATE TRIGGER fail BEFORE INSERT ON responses WHEN NEW.id = '` + bad + `'
		BEGIN SELECT RAISE(ABORT, 'injected failure'); END`); err != nil {
		t.Fatal(err)
	}
	var items []hub.Incoming
	for i := 1; i <= 5; i++ {
		items = append(items, storetest.Incoming(t, storetest.Response(fmt.Sprintf("019abcde-f012-7345-8678-%012x", i), time.Now())))
	}
	if _, err := s.Ingest(context.Background(), items, time.Now()); err == nil {
		t.Fatal("Ingest succeeded despite the injected failure")
	}
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM responses`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d rows left by a failed batch, want 0", n)
	}
}

func TestPragmasAndReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "hub.db")
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	r := storetest.Response("019abcde-f012-7345-8678-000000000001", time.Now())
	if _, err := s.Ingest(context.Background(), []hub.Incoming{storetest.Incoming(t, r)}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mode string
	var version int
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode %q, %v", mode, err)
	}
	if err := db.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != 22 {
		t.Errorf("user_version %d, %v", version, err)
	}
	s, err = sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if _, err := s.Response(context.Background(), r.ID); err != nil {
		t.Errorf("response lost on reopen: %v", err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if s, err := sqlite.Open(context.Background(), path); !errors.Is(err, sqlite.ErrNewerSchema) {
		if s != nil {
			s.Close()
		}
		t.Fatalf("Open of a newer schema: %v, want ErrNewerSchema", err)
	}
}

// TestUpgradeFromSchema1 opens a file made by the first hub release (schema
// 1, a device in it) and checks that Open adds the admins table and keeps
// the device.
func TestUpgradeFromSchema1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	v1, err := os.ReadFile(filepath.Join("sql", "0001_init.sql"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{string(v1), "PRAGMA user_version = 1",
		`INSERT INTO devices (id, name, service_point, created_at, code_expires_at) VALUES ('dev-old', 'Kiosk cũ', 'Phường Hoàn Kiếm', '2026-11-01T00:00:00.000Z', '2026-11-08T00:00:00.000Z')`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open a schema-1 file: %v", err)
	}
	defer s.Close()
	if d, err := s.Device(context.Background(), "dev-old"); err != nil || d.Name != "Kiosk cũ" {
		t.Errorf("device after upgrade: %+v, %v", d, err)
	}
	hash, _ := bcrypt.GenerateFromPassword([]byte("mật khẩu dài"), bcrypt.MinCost)
	if err := s.PutAdmin(context.Background(), "an", hash, time.Now()); err != nil {
		t.Errorf("PutAdmin after upgrade: %v", err)
	}
}

func TestParsedSurveys(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	def := func(id string, v int) []byte {
		return []byte(fmt.Sprintf(`{"id":%q,"version":%d,"title":{"vi":"Khảo sát %s"},
			"questions":[{"code":"q1","type":"rating3","text":{"vi":"Ông/Bà có hài lòng không?"}}]}`, id, v, id))
	}
	for _, p := range []struct {
		id string
		v  int
	}{{"b", 1}, {"a", 1}, {"a", 3}, {"a", 2}} {
		if err := s.PublishSurvey(ctx, hub.PublishedSurvey{ID: p.id, Version: p.v, Definition: def(p.id, p.v), PublishedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := hub.ParsedSurveys(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, sv := range got {
		names = append(names, fmt.Sprintf("%s@%d", sv.ID, sv.Version))
	}
	if want := "a@3 a@2 a@1 b@1"; strings.Join(names, " ") != want {
		t.Errorf("ParsedSurveys = %v, want %s", names, want)
	}
	// A stored definition that no longer parses is named in the error.
	if err := s.PublishSurvey(ctx, hub.PublishedSurvey{ID: "c", Version: 1, Definition: []byte(`{"id":"c"}`), PublishedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, err := hub.ParsedSurveys(ctx, s); err == nil || !strings.Contains(err.Error(), "c v1") {
		t.Errorf("ParsedSurveys with a broken definition: %v", err)
	}
}

// TestFiguresBackfill: a hub database from before the figures rollup
// (schema 5) gets its rollup filled from the stored responses when a
// newer hub opens it, and its device counts from the rollup, so its
// dashboard shows the old responses.
func TestFiguresBackfill(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hub.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("../testdata/quick.json")
	if err != nil {
		t.Fatal(err)
	}
	def, err := hub.New(hub.Config{Store: s}).PublishSurvey(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	var items []hub.Incoming
	for i := range 1234 { // more than a page of the backfill
		r := storetest.Response(fmt.Sprintf("019abcde-f012-7345-8678-%012x", i), time.Date(2026, 11, 20+i%5, 3, 0, 0, 0, time.UTC))
		r.SurveyID, r.Answers = "quick", survey.Answers{"q1": {[]string{"hl", "khl", "rhl"}[i%3]}}
		in, err := hub.NewIncoming(def, r, []byte("sig"))
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, in)
	}
	if _, err := s.Ingest(ctx, items, time.Now()); err != nil {
		t.Fatal(err)
	}
	defs, err := hub.ParsedSurveys(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	want, err := report.Compute(ctx, defs, s.Responses(ctx, hub.Filter{}), report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantCounts, err := s.DeviceCounts(ctx, hub.Filter{})
	if err != nil || len(wantCounts) == 0 {
		t.Fatalf("DeviceCounts = %v, %v", wantCounts, err)
	}
	// November, read from the month sums.
	nov := hub.Filter{From: time.Date(2026, 11, 1, 0, 0, 0, 0, survey.Location()), To: time.Date(2026, 12, 1, 0, 0, 0, 0, survey.Location())}
	wantNov, err := report.Compute(ctx, defs, s.Responses(ctx, nov), report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// One service point and one device, read from the day sums.
	narrow := []hub.Filter{{ServicePoint: items[0].Response.ServicePoint}, {DeviceID: items[0].Response.DeviceID, From: nov.From}}
	var wantNarrow []*report.Report
	for _, f := range narrow {
		w, err := report.Compute(ctx, defs, s.Responses(ctx, f), report.Options{})
		if err != nil || w.Totals.Responses == 0 {
			t.Fatalf("report of %+v: %d responses, %v", f, w.Totals.Responses, err)
		}
		wantNarrow = append(wantNarrow, w)
	}
	s.Close()
	// Back to schema 5, as a hub before the rollup left it.
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	// The steps after the rollup's (0007 files, 0008 roles, 0009 audit,
	// 0010 retention, 0011 slips, 0012 and 0013 dashboard sums, 0014 slip figures, 0015 feedback, 0016 slides, 0017 help, 0018 webhooks, 0021 day sums) are undone too,
	// so that the file is as a hub of schema 5 left it.
	if _, err := db.Exec(`DROP TABLE figures; DROP TABLE figures_days; DROP TABLE figures_points; DROP TABLE figures_devices; DROP TABLE seq_runs; DROP TABLE figures_month_points; DROP TABLE figures_month_devices;
		DROP TABLE file_counts; ALTER TABLE admins DROP COLUMN role; DROP TABLE audit;
		DROP TRIGGER responses_not_purged; DROP TABLE purged; DROP TABLE audit_checkpoint; DROP TABLE purge_runs;
		DROP TABLE hub_keys; DROP TABLE slips; DROP TABLE response_slips; DROP TABLE slip_prints; DROP TABLE feedback; DROP TABLE slide_sets; DROP TABLE help_requests; DROP TABLE webhook_deliveries; DROP TABLE webhook_events; DROP TABLE webhooks; DROP TABLE alert_answers; DROP TABLE alerts;
		DROP TABLE figures_point_days; DROP TABLE figures_device_days;
		PRAGMA user_version = 5`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := report.FromCells(ctx, defs, s.Figures(ctx, hub.Filter{}), report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) || got.Totals.Responses != 1234 {
		t.Errorf("figures after the backfill:\n got %+v\nwant %+v", got.Totals, want.Totals)
	}
	if counts, err := s.DeviceCounts(ctx, hub.Filter{}); err != nil || !reflect.DeepEqual(counts, wantCounts) {
		t.Errorf("DeviceCounts after the backfill = %v, %v; want %v", counts, err, wantCounts)
	}
	if counts, err := s.DeviceCounts(ctx, nov); err != nil || !reflect.DeepEqual(counts, wantCounts) {
		t.Errorf("DeviceCounts of November after the backfill = %v, %v; want %v", counts, err, wantCounts)
	}
	if got, err := report.FromCells(ctx, defs, s.Figures(ctx, nov), report.Options{}); err != nil || !reflect.DeepEqual(got, wantNov) {
		t.Errorf("November's figures after the backfill = %+v, %v; want %+v", got, err, wantNov)
	}
	for i, f := range narrow {
		if got, err := report.FromCells(ctx, defs, s.Figures(ctx, f), report.Options{}); err != nil || !reflect.DeepEqual(got, wantNarrow[i]) {
			t.Errorf("figures of %+v after the backfill = %+v, %v; want %+v", f, got, err, wantNarrow[i])
		}
	}
}

// TestUpgradeKeepsAdminsAdmins opens a schema-2 file with an admin in it:
// after the roles step that admin keeps every right (role admin).
func TestUpgradeKeepsAdminsAdmins(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := bcrypt.GenerateFromPassword([]byte("mật khẩu dài"), bcrypt.MinCost)
	for _, f := range []string{"0001_init.sql", "0002_admins.sql"} {
		body, err := os.ReadFile(filepath.Join("sql", f))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(body)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`INSERT INTO admins VALUES ('an', ?, '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z'); PRAGMA user_version = 2`, hash); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open a schema-2 file: %v", err)
	}
	defer s.Close()
	if r, err := s.AdminRole(context.Background(), "an"); err != nil || r != hub.RoleAdmin {
		t.Errorf("role after upgrade: %q, %v; want admin", r, err)
	}
}

// TestSeqRunsFill: a hub database from before the received runs (schema
// 10) gets them filled from its stored and purged numbers when a newer hub
// opens it, so Gaps answers as before.
func TestSeqRunsFill(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hub.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var items []hub.Incoming
	for i, n := range []int64{1, 2, 3, 5, 5, 9, 10, 12} {
		r := storetest.Response(fmt.Sprintf("019abcde-f012-7345-8678-%012x", i), time.Date(2026, 11, 1+i, 3, 0, 0, 0, time.UTC))
		in := storetest.Incoming(t, r)
		in.Seq = n
		items = append(items, in)
	}
	if _, err := s.Ingest(ctx, items, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordMark(ctx, hub.DeviceMark{DeviceID: items[0].Response.DeviceID, From: 1, Seq: 12, SignedAt: time.Now(), Signature: []byte("sig"), ReceivedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	// Purge the first three: their numbers stay received.
	if _, err := s.Purge(ctx, hub.PurgeRequest{ResponsesBefore: time.Date(2026, 11, 3, 12, 0, 0, 0, time.UTC),
		Entry: hub.NewAuditEntry(time.Now(), "cli:root", hub.AuditPurge, "local", nil)}); err != nil {
		t.Fatal(err)
	}
	want, err := s.Gaps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 1 || want[0].Received != 7 || !reflect.DeepEqual(want[0].Missing, []hub.SeqRange{{First: 4, Last: 4}, {First: 6, Last: 8}, {First: 11, Last: 11}}) {
		t.Fatalf("Gaps = %+v; want 7 received, 4, 6-8 and 11 missing", want)
	}
	s.Close()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DROP TABLE seq_runs; DROP TABLE figures_devices; DROP TABLE figures_month_points; DROP TABLE figures_month_devices; DROP TABLE slip_prints; DROP TABLE feedback; DROP TABLE slide_sets; DROP TABLE help_requests; DROP TABLE webhook_deliveries; DROP TABLE webhook_events; DROP TABLE webhooks; DROP TABLE alert_answers; DROP TABLE alerts; DROP TABLE figures_point_days; DROP TABLE figures_device_days; DROP INDEX file_counts_point; PRAGMA user_version = 11`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if s, err = sqlite.Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, err := s.Gaps(ctx); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Gaps after the fill = %+v, %v; want %+v", got, err, want)
	}
}

// TestSlipFiguresBackfill: a database from before sql/0014 (no slip
// channels or reasons in the rollup, no slip_prints, first uses at another
// point stored as first) gets them all when opened.
func TestSlipFiguresBackfill(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hub.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	want := storetest.FillForSlipBackfill(t, s)
	s.Close()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{hub.TableFine, hub.TableDays, hub.TablePoints, hub.TableMonthPoints} {
		if _, err := db.Exec(`DELETE FROM ` + table + ` WHERE metric LIKE 'c:%' OR metric LIKE 'f:%'`); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`DROP TABLE slip_prints; DROP TABLE feedback; DROP TABLE slide_sets; DROP TABLE help_requests; DROP TABLE webhook_deliveries; DROP TABLE webhook_events; DROP TABLE webhooks; DROP TABLE alert_answers; DROP TABLE alerts; DROP TABLE figures_point_days; DROP TABLE figures_device_days; UPDATE response_slips SET slip_status = 'first' WHERE slip_status = 'elsewhere'; DROP INDEX file_counts_point; PRAGMA user_version = 13`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if s, err = sqlite.Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want.Check(t, s)
}

// TestSlipFlagsBackfill: a database from before sql/0020 (slip channels in
// the rollup, but not why a slip was flagged) gets the reasons of its
// stored responses when opened.
func TestSlipFlagsBackfill(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hub.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	want := storetest.FillForSlipBackfill(t, s)
	s.Close()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{hub.TableFine, hub.TableDays, hub.TablePoints, hub.TableMonthPoints} {
		if _, err := db.Exec(`DELETE FROM ` + table + ` WHERE metric LIKE 'f:%'`); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`DROP INDEX file_counts_point; ALTER TABLE help_requests DROP COLUMN note_purged_at; DROP TABLE figures_point_days; DROP TABLE figures_device_days; PRAGMA user_version = 19`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if s, err = sqlite.Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want.Check(t, s)
}

// TestSlipFlagsBackfillAfterPurge: on a database from before sql/0020
// whose responses were purged, the flagged ratings stay counted as
// flagged, with no reason (the dashboard's line counts them apart), and
// every other slip figure stays as it was.
func TestSlipFlagsBackfillAfterPurge(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hub.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	want := storetest.FillForSlipBackfill(t, s)
	at := time.Now().AddDate(1, 0, 0)
	if _, err := s.Purge(ctx, hub.PurgeRequest{ResponsesBefore: at, Entry: hub.NewAuditEntry(at, "cli:root", hub.AuditPurge, "local", nil)}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{hub.TableFine, hub.TableDays, hub.TablePoints, hub.TableMonthPoints} {
		if _, err := db.Exec(`DELETE FROM ` + table + ` WHERE metric LIKE 'f:%'`); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`DROP INDEX file_counts_point; ALTER TABLE help_requests DROP COLUMN note_purged_at; DROP TABLE figures_point_days; DROP TABLE figures_device_days; PRAGMA user_version = 19`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if s, err = sqlite.Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := hub.SlipFigures(ctx, s, hub.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for point, c := range want.Figures {
		c.Unknown, c.Reused, c.Elsewhere = 0, 0, 0
		if got[point] != c || c.Flagged.N == 0 {
			t.Errorf("%s after the purge and the migration: %+v, want %+v (flagged, no reason)", point, got[point], c)
		}
	}
}
