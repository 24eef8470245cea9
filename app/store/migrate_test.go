package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestEmbeddedMigrationsAreNumbered(t *testing.T) {
	ms, err := loadMigrations(migrationFiles, "sql")
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range ms {
		if m.version != i+1 || strings.TrimSpace(m.sql) == "" {
			t.Errorf("migration %d: %+v", i, m)
		}
		if s := strings.ToUpper(m.sql); strings.Contains(s, "BEGIN;") || strings.Contains(s, "COMMIT;") {
			t.Errorf("migration %s has its own transaction statements", m.name)
		}
	}
}

func TestLoadMigrationsRejectsBadNumbering(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		want  string
	}{
		{"gap", []string{"0001_a.sql", "0003_c.sql"}, "0003_c.sql: expected number 0002"},
		{"duplicate", []string{"0001_a.sql", "0001_b.sql"}, "0001_b.sql: expected number 0002"},
		{"starts at 2", []string{"0002_a.sql"}, "expected number 0001"},
		{"short number", []string{"001_a.sql"}, "name must be NNNN_name.sql"},
		{"no underscore", []string{"0001.sql"}, "name must be NNNN_name.sql"},
		{"none", nil, "no migrations"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, f := range tt.files {
				fsys["sql/"+f] = &fstest.MapFile{Data: []byte("SELECT 1;")}
			}
			_, err := loadMigrations(fsys, "sql")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("loadMigrations = %v, want error containing %q", err, tt.want)
			}
		})
	}
}

// openWriter opens a single-connection writer like Open does, without
// migrating.
func openWriter(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", dsn(path, writerAccess))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func TestMigrateStepByStepAndFailedStepRollsBack(t *testing.T) {
	ctx := context.Background()
	db := openWriter(t, filepath.Join(t.TempDir(), "m.db"))
	fsys := fstest.MapFS{
		"sql/0001_a.sql": {Data: []byte("CREATE TABLE a (x INTEGER);\nINSERT INTO a VALUES (1);")},
		"sql/0002_b.sql": {Data: []byte("CREATE TABLE b (y INTEGER);\nINSERT INTO a VALUES (2);\nINSERT INTO nosuch VALUES (3);")},
	}
	ms, err := loadMigrations(fsys, "sql")
	if err != nil {
		t.Fatal(err)
	}
	err = migrate(ctx, db, ms)
	if err == nil || !strings.Contains(err.Error(), "0002_b.sql") {
		t.Fatalf("migrate = %v, want failure naming 0002_b.sql", err)
	}
	if v, _ := schemaVersion(ctx, db); v != 1 {
		t.Errorf("user_version = %d after failed step 2, want 1", v)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM a").Scan(&n); err != nil || n != 1 {
		t.Errorf("table a has %d rows (%v): the failed step left half its changes", n, err)
	}
	if err := db.QueryRow("SELECT count(*) FROM sqlite_schema WHERE name = 'b'").Scan(&n); err != nil || n != 0 {
		t.Errorf("table b exists after its migration failed")
	}

	// Fixed step 2 applies on top; running again changes nothing.
	fsys["sql/0002_b.sql"] = &fstest.MapFile{Data: []byte("CREATE TABLE b (y INTEGER);")}
	ms, _ = loadMigrations(fsys, "sql")
	for range 2 {
		if err := migrate(ctx, db, ms); err != nil {
			t.Fatal(err)
		}
	}
	if v, _ := schemaVersion(ctx, db); v != 2 {
		t.Errorf("user_version = %d, want 2", v)
	}
}

func TestOpenSetsSchemaVersionAndPragmas(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub dir", "kiosk #1?.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ms, _ := loadMigrations(migrationFiles, "sql")
	if v, err := schemaVersion(ctx, s.r); err != nil || v != len(ms) {
		t.Errorf("user_version = %d, %v; want %d", v, err, len(ms))
	}
	for _, db := range []*sql.DB{s.w, s.r} {
		var mode string
		var sync, fk, busy int
		if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("journal_mode = %q, %v", mode, err)
		}
		if err := db.QueryRow("PRAGMA synchronous").Scan(&sync); err != nil || sync != 2 {
			t.Errorf("synchronous = %d, %v; want 2 (FULL)", sync, err)
		}
		if err := db.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
			t.Errorf("foreign_keys = %d, %v", fk, err)
		}
		if err := db.QueryRow("PRAGMA busy_timeout").Scan(&busy); err != nil || busy != int(busyTimeout.Milliseconds()) {
			t.Errorf("busy_timeout = %d, %v", busy, err)
		}
	}
	// The reader pool cannot write.
	if _, err := s.r.Exec("INSERT INTO settings VALUES ('k', 'v')"); err == nil {
		t.Error("reader connection wrote")
	}
	var file string
	if err := s.r.QueryRow("SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&file); err != nil || file != path {
		t.Errorf("database file = %q, %v; want %q", file, err, path)
	}
}

func TestOpenNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kiosk.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db := openWriter(t, path)
	if _, err := db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	for _, opts := range [][]Option{nil, {ReadOnly()}} {
		_, err = Open(ctx, path, opts...)
		if !errors.Is(err, ErrNewerSchema) {
			t.Fatalf("Open = %v, want ErrNewerSchema", err)
		}
		if msg := err.Error(); !strings.Contains(msg, "99") || !strings.Contains(msg, path) || !strings.Contains(msg, "newer") {
			t.Errorf("error %q should name the file, the version 99 and say it is newer", msg)
		}
	}
	// The file was left as it was.
	db = openWriter(t, path)
	if v, _ := schemaVersion(ctx, db); v != 99 {
		t.Errorf("user_version = %d after refused open, want 99", v)
	}
}

func TestUpgradeFromSchema1KeepsRowsUnsigned(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	db := openWriter(t, path)
	ms, err := loadMigrations(migrationFiles, "sql")
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, db, ms[:1]); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO responses (id, survey_id, survey_version, answers, started_at, finished_at,
		duration_ms, service_point, device_id, lang, status, misuse, misuse_reason, event_tag, assisted, content_hash, saved_at)
		VALUES ('0190a5e0-0000-7000-8000-000000000001', 'mot-cua-nhanh', 1, '{"q1":["hai-long"]}',
		'2026-03-02T01:30:00.000000000Z', '2026-03-02T01:31:00.000000000Z', 60000, 'Một cửa', 'kiosk-01', 'vi',
		'complete', 0, '', '', 0, 'x', '2026-03-02T01:31:00.000000000Z')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open a schema-1 database: %v", err)
	}
	defer s.Close()
	if v, _ := schemaVersion(ctx, s.r); v != len(ms) {
		t.Errorf("schema version %d after Open, want %d", v, len(ms))
	}
	page, err := s.PendingAfter(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 1 || page[0].Signature != nil || page[0].Response.ServicePoint != "Một cửa" {
		t.Fatalf("after upgrade: %+v", page)
	}
}

// TestRecoverableWriteRestoresFull: marking synced commits relaxed, and the
// writer connection is back to synchronous=FULL for every other write.
func TestRecoverableWriteRestoresFull(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "k.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range 3 {
		if err := s.SaveResponse(ctx, testResponse(t, i, "")); err != nil {
			t.Fatal(err)
		}
	}
	page, err := s.PendingAfter(ctx, 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.MarkSyncedSeq(ctx, []int64{page[0].Seq, page[1].Seq}); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkSyncedSeq(ctx, []int64{999}); err == nil {
		t.Fatal("unknown number accepted")
	}
	var sync int
	if err := s.w.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil || sync != 2 {
		t.Fatalf("writer synchronous = %d, %v after marking; want 2 (FULL)", sync, err)
	}
	if st, _ := s.SyncStats(ctx); st != (SyncStats{Pending: 1, Synced: 2}) {
		t.Errorf("%+v", st)
	}
}
