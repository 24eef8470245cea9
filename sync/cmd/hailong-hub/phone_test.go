package main

import (
	"database/sql"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// TestServePhonePage: serve answers the phone page a printed slip's QR
// opens, without login, gives kiosks the public receipts page at
// enrollment, and refuses a --public-url that is no URL.
func TestServePhonePage(t *testing.T) {
	if _, errs, code := runCmd(t, "serve", "--db", filepath.Join(t.TempDir(), "x.db"), "--public-url", "hub.phuong.vn"); code != 2 || !strings.Contains(errs, "--public-url") {
		t.Errorf("--public-url without a scheme: exit %d %s", code, errs)
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "hub.db")
	if _, errs, code := runCmd(t, "slips", "--service-point", "Phường Hoàn Kiếm", "--count", "1", "--hub-url", "http://127.0.0.1", "--out", filepath.Join(dir, "p.pdf"), "--db", db); code != 0 {
		t.Fatalf("slips: %s", errs)
	}
	conn, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	var code string
	if err := conn.QueryRow(`SELECT code FROM slips`).Scan(&code); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	base := startServe(t, "--db", db, "--public-url", "https://danhgia.phuong.vn/")
	resp, err := http.Get(base + "/s/" + code)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Điểm phục vụ: Phường Hoàn Kiếm") || !strings.Contains(string(body), `id="start"`) {
		t.Errorf("phone page: %d\n%s", resp.StatusCode, body)
	}
	if d := enrollHTTP(t, http.DefaultClient, base, enrollCode(t, db)); d.receiptsURL != "https://danhgia.phuong.vn/receipts" {
		t.Errorf("receipts page given at enrollment %q", d.receiptsURL)
	}
}
