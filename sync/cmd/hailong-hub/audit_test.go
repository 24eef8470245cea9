package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
)

// auditLines reads the audit log of db as "action details" lines.
func auditLines(t *testing.T, db string) []string {
	t.Helper()
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var out []string
	for e, err := range st.AuditLog(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(e.Actor, "cli:") || e.Addr != "local" {
			t.Errorf("entry %d: actor %q, address %q; want cli:USER, local", e.Seq, e.Actor, e.Addr)
		}
		out = append(out, e.Action+" "+e.Details)
	}
	return out
}

// TestAuditVerify runs the commands an operator runs, checks that each is
// in the audit log, then alters a row of the SQLite file behind the hub:
// `audit verify` exits 1 naming that entry.
func TestAuditVerify(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "hub.db")
	mustRun(t, "survey", "publish", quickSurvey, "--db", db)
	enrollCode(t, db)
	out := mustRun(t, "device", "list", "--db", db)
	id := regexp.MustCompile(`(?m)^(\S+)\s+pending`).FindStringSubmatch(out)
	if id == nil {
		t.Fatalf("device list:\n%s", out)
	}
	mustRun(t, "device", "revoke", id[1], "--db", db)
	if _, errs, code := runCmdIn(t, "mật khẩu người xem\n", "admin", "add", "xem", "--role", "viewer", "--db", db); code != 0 {
		t.Fatal(errs)
	}
	mustRun(t, "admin", "remove", "xem", "--db", db)
	mustRun(t, "export", "--out", filepath.Join(dir, "out.csv"), "--service-point", "Phường Hoàn Kiếm", "--db", db)

	got := auditLines(t, db)
	want := []string{
		"survey_publish id=quick&version=1",
		"device_enroll id=" + id[1] + "&name=Kiosk+1&service_point=Ph%C6%B0%E1%BB%9Dng+Ho%C3%A0n+Ki%E1%BA%BFm",
		"device_revoke id=" + id[1],
		"admin_add name=xem&role=viewer",
		"admin_remove name=xem",
		"export format=csv&out=" + strings.ReplaceAll(filepath.Join(dir, "out.csv"), "/", "%2F") + "&service_point=Ph%C6%B0%E1%BB%9Dng+Ho%C3%A0n+Ki%E1%BA%BFm",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("audit log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	out = mustRun(t, "audit", "verify", "--db", db)
	if !strings.Contains(out, "The audit log holds: 6 entries") {
		t.Errorf("audit verify:\n%s", out)
	}
	head := regexp.MustCompile(`head (6:[0-9a-f]{64})`).FindStringSubmatch(out)
	if head == nil {
		t.Fatalf("no head in:\n%s", out)
	}
	mustRun(t, "audit", "verify", "--head", head[1], "--db", db)
	if _, errs, code := runCmd(t, "audit", "verify", "--head", "6:abc", "--db", db); code != 2 || !strings.Contains(errs, "64 hexadecimal digits") {
		t.Errorf("--head 6:abc: exit %d\n%s", code, errs)
	}

	raw, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	// The newest entry removed: the rest holds, but not against the head.
	for _, q := range []string{`DROP TRIGGER audit_no_delete`, `DELETE FROM audit WHERE seq = 6`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	mustRun(t, "audit", "verify", "--db", db)
	if out, _, code := runCmd(t, "audit", "verify", "--head", head[1], "--db", db); code != 1 || !strings.Contains(out, "the newest entries were removed") {
		t.Errorf("audit verify --head after removing the newest entry: exit %d\n%s", code, out)
	}
	raw, err = sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER audit_no_update`, `UPDATE audit SET actor = 'cli:someone-else' WHERE seq = 3`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	out, errs, code := runCmd(t, "audit", "verify", "--db", db)
	if code != 1 || !strings.Contains(out, "the first 2 entries hold; it breaks at audit entry 3") || !strings.Contains(errs, "audit entry 3") {
		t.Errorf("audit verify of an altered file: exit %d\n%s\n%s", code, out, errs)
	}
}
