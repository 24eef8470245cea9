package main

import (
	"database/sql"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hailong-kiosk/hailong/sync/hub/web"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// TestReceiptsEndToEnd uploads signed responses to a served hub, checks a
// receipt as the kiosk computed it on the public page, runs `verify`
// (which holds, and prints the published roots), then changes one stored
// answer in the SQLite file and sees `verify` fail at that entry.
func TestReceiptsEndToEnd(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "hub.db")
	mustRun(t, "survey", "publish", quickSurvey, "--db", db)
	code := enrollCode(t, db)
	base := startServe(t, "--db", db)
	client := &http.Client{}
	dev := enrollHTTP(t, client, base, code)
	items := dev.items(t, 3)
	status, br, err := dev.post(client, base, items)
	if err != nil || status != http.StatusOK || br.Counts()[protocol.Accepted] != 3 {
		t.Fatalf("upload: %d %+v %v", status, br, err)
	}

	// The code the kiosk shows is counted on the public page, no login.
	receipt, err := protocol.ReceiptOf(items[1].Response.ToResponse())
	if err != nil {
		t.Fatal(err)
	}
	resp, body := fetch(t, client, base+"/receipts?code="+strings.ToLower(receipt.String()))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "đã được tính vào ngày <b>") {
		t.Fatalf("receipt page %d:\n%s", resp.StatusCode, body)
	}
	resp, body = fetch(t, client, base+"/api/v1/roots")
	var roots web.RootsList
	if err := json.Unmarshal([]byte(body), &roots); err != nil || resp.StatusCode != http.StatusOK || len(roots.Roots) != 1 {
		t.Fatalf("roots %d %v: %s", resp.StatusCode, err, body)
	}
	published := roots.Roots[0]

	out := mustRun(t, "verify", "--db", db)
	if !strings.Contains(out, published.Root) || !strings.Contains(out, "The chain holds: 3 entries") {
		t.Errorf("verify of an untouched hub:\n%s\nwant the published root %s", out, published.Root)
	}
	saved := filepath.Join(dir, "roots.json")
	if err := os.WriteFile(saved, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, "verify", "--roots", saved, "--db", db); !strings.Contains(out, "all 1 roots of "+saved+" match") {
		t.Errorf("verify --roots of an untouched hub:\n%s", out)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"time_zone":"Asia/Ho_Chi_Minh","hash":"sha256","roots":[{"day":"2026-11-25","root":"zz","last_entry":1,"entries":1,"closed":true}]}`), 0o644)
	if _, errs, exit := runCmd(t, "verify", "--roots", bad, "--db", db); exit != 2 || !strings.Contains(errs, "not 64 hexadecimal digits") {
		t.Errorf("verify --roots with a bad file: exit %d, %s", exit, errs)
	}

	// Someone with the database file changes the second answer.
	sqldb, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sqldb.Exec(`UPDATE responses SET content = CAST(replace(CAST(content AS TEXT), '"q1":["hl"]', '"q1":["khl"]') AS BLOB) WHERE id = ?`, items[1].Response.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("changed %d rows", n)
	}
	sqldb.Close()
	out, errs, exit := runCmd(t, "verify", "--db", db)
	want := "entry 2 (response " + items[1].Response.ID + ")"
	if exit != 1 || !strings.Contains(errs, want) || !strings.Contains(out, "1 entry holds") {
		t.Errorf("verify after tampering: exit %d\nstdout: %s\nstderr: %s\nwant exit 1 naming %s", exit, out, errs, want)
	}
	if _, errs, exit := runCmd(t, "verify", "--roots", saved, "--db", db); exit != 1 || !strings.Contains(errs, want) {
		t.Errorf("verify --roots after tampering: exit %d, %s", exit, errs)
	}
}
