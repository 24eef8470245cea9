package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
)

// auditRows is a chain of n entries.
func auditRows(n int) []hub.AuditEntry {
	var out []hub.AuditEntry
	var head *hub.AuditEntry
	at := time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)
	for i := range n {
		e := hub.NextAuditEntry(head, hub.NewAuditEntry(at.Add(time.Duration(i)*time.Minute), "an", hub.AuditExport, "192.0.2.7",
			url.Values{"format": {"csv"}, "from": {fmt.Sprintf("2026-11-%02d", 1+i%28)}}))
		out = append(out, e)
		head = &out[len(out)-1]
	}
	return out
}

// writeAuditRows writes auditRows(n) straight into the file in one
// transaction (n appends through the store would each wait for a sync).
func writeAuditRows(t *testing.T, path string, n int) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range auditRows(n) {
		if _, err := tx.Exec(`INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?)`, e.Seq, e.At.Format("2006-01-02T15:04:05.000Z"), e.Actor, e.Action, e.Addr, e.Details, e.Hash[:]); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// execFile runs statements on the database file, as someone with the file
// and the sqlite3 shell could.
func execFile(t *testing.T, path string, stmts ...string) error {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			return err
		}
	}
	return nil
}

func verifyFile(t *testing.T, path string) *hub.AuditReport {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cp, err := s.AuditCheckpoint(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := hub.VerifyAudit(context.Background(), cp, s.AuditLog(context.Background()), nil)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestAuditTampering changes the audit table of a real file behind the
// hub's back: the triggers refuse plain UPDATE and DELETE; with them
// dropped, an edited row, a deleted row and a re-hashed edited row are each
// reported at the right entry. 1,200 entries also cross AuditLog's pages.
func TestAuditTampering(t *testing.T) {
	const n = 1200
	fresh := func(t *testing.T) string {
		path := filepath.Join(t.TempDir(), "hub.db")
		s, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		writeAuditRows(t, path, n)
		return path
	}
	path := fresh(t)
	if rep := verifyFile(t, path); rep.Break != nil || rep.Entries != n {
		t.Fatalf("untouched log: %+v", rep)
	}
	for _, q := range []string{`UPDATE audit SET actor = 'bình' WHERE seq = 7`, `DELETE FROM audit WHERE seq = 7`} {
		if err := execFile(t, path, q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want refused as append-only", q, err)
		}
	}
	// Entry 900 edited and its own hash recomputed: it holds, the next
	// one's link does not.
	rows := auditRows(n)
	forged := rows[899]
	forged.Actor = "bình"
	forged.Hash = hub.AuditHash(rows[898].Hash, &forged)
	drop := []string{`DROP TRIGGER audit_no_update`, `DROP TRIGGER audit_no_delete`}
	tests := []struct {
		name   string
		tamper []string
		seq    int64
		reason string
	}{
		{"edited details", []string{`UPDATE audit SET details = 'format=csv&from=2026-11-30' WHERE seq = 640`}, 640, "changed"},
		{"edited time", []string{`UPDATE audit SET at = '2026-11-25T01:00:00.001Z' WHERE seq = 1`}, 1, "changed"},
		{"deleted row", []string{`DELETE FROM audit WHERE seq = 501`}, 502, "entries 501 to 501 are missing"},
		{"deleted first rows", []string{`DELETE FROM audit WHERE seq <= 2`}, 3, "entries 1 to 2 are missing"},
		// Recomputing the edited row's own hash is not enough: the next
		// entry links the old one.
		{"edited and re-hashed", []string{fmt.Sprintf(`UPDATE audit SET actor = 'bình', hash = X'%x' WHERE seq = 900`, forged.Hash)}, 901, "changed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := fresh(t)
			if err := execFile(t, path, append(drop, tt.tamper...)...); err != nil {
				t.Fatal(err)
			}
			rep := verifyFile(t, path)
			if rep.Break == nil || rep.Break.Seq != tt.seq || !strings.Contains(rep.Break.Reason, tt.reason) {
				t.Fatalf("break %+v, want at %d with %q", rep.Break, tt.seq, tt.reason)
			}
			if rep.Entries != tt.seq-1 && !strings.Contains(tt.reason, "missing") {
				t.Errorf("%d entries hold, want %d", rep.Entries, tt.seq-1)
			}
		})
	}
}

// TestAuditPurgeTampering: after a purge of the oldest entries, the
// trigger still refuses deleting any later one, and a checkpoint made or
// moved by hand (entries deleted without a purge recording it) is
// reported.
func TestAuditPurgeTampering(t *testing.T) {
	const n = 40
	rows := auditRows(n)
	purged := func(t *testing.T) string {
		path := filepath.Join(t.TempDir(), "hub.db")
		s, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		writeAuditRows(t, path, n)
		if s, err = sqlite.Open(context.Background(), path); err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		res, err := s.Purge(context.Background(), hub.PurgeRequest{AuditBefore: rows[20].At,
			Entry: hub.NewAuditEntry(rows[n-1].At.Add(time.Minute), "cli:root", hub.AuditPurge, "local", nil)})
		if err != nil || res.Audit != 20 || res.Checkpoint.Seq != 20 {
			t.Fatalf("Purge = %+v, %v", res, err)
		}
		return path
	}
	path := purged(t)
	if rep := verifyFile(t, path); rep.Break != nil || rep.Entries != n+1 || rep.Checkpoint.Seq != 20 {
		t.Fatalf("purged log: %+v (break %v)", rep, rep.Break)
	}
	if err := execFile(t, path, `DELETE FROM audit WHERE seq = 21`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("deleting the entry after the checkpoint: %v, want refused as append-only", err)
	}
	tests := []struct {
		name   string
		tamper []string
		seq    int64
		reason string
	}{
		{"checkpoint moved by hand", []string{
			fmt.Sprintf(`UPDATE audit_checkpoint SET seq = 25, hash = X'%x'`, rows[24].Hash), `DELETE FROM audit WHERE seq <= 25`}, n + 1, "records the checkpoint"},
		{"checkpoint without a purge", []string{`DROP TRIGGER audit_no_delete`, `DELETE FROM audit WHERE seq > 40`}, 21, "no purge entry records"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := purged(t)
			if err := execFile(t, path, tt.tamper...); err != nil {
				t.Fatal(err)
			}
			rep := verifyFile(t, path)
			if rep.Break == nil || rep.Break.Seq != tt.seq || !strings.Contains(rep.Break.Reason, tt.reason) {
				t.Fatalf("break %+v, want at %d with %q", rep.Break, tt.seq, tt.reason)
			}
		})
	}
}
