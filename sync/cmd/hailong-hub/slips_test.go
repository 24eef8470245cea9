package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
	"github.com/hailong-kiosk/hailong/sync/slip"
)

// TestSlipsCommand prints a run of slips into a real hub file: the PDF
// holds every code once, each is stored for the service point and unused,
// and the run is in the audit log.
func TestSlipsCommand(t *testing.T) {
	needPdftotext(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "hub.db")
	pdf := filepath.Join(dir, "phieu.pdf")
	out := mustRun(t, "slips", "--service-point", "Phường Hoàn Kiếm", "--count", "20", "--out", pdf,
		"--hub-url", "https://hub.phuong-ba-dinh.vn/", "--db", db)
	if !strings.Contains(out, "Đã tạo 20 phiếu đánh giá cho Phường Hoàn Kiếm (2 trang A4)") ||
		!strings.Contains(out, "Created 20 rating slips for Phường Hoàn Kiếm (2 A4 pages)") {
		t.Errorf("output: %s", out)
	}
	one := mustRun(t, "slips", "--service-point", "Phường Hoàn Kiếm", "--count", "1", "--out", filepath.Join(t.TempDir(), "mot.pdf"),
		"--hub-url", "https://hub.phuong-ba-dinh.vn/", "--db", db)
	if !strings.Contains(one, "Created 1 rating slip for Phường Hoàn Kiếm (1 A4 page)") {
		t.Errorf("output for one slip: %s", one)
	}
	text, err := exec.Command("pdftotext", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	codes := regexp.MustCompile(`\b[0-9A-Z]{5}-[0-9A-Z]{5}\b`).FindAllString(string(text), -1)
	if len(codes) != 20 {
		t.Fatalf("the PDF shows %d codes, want 20", len(codes))
	}
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	batch := ""
	for _, s := range codes {
		c, err := slip.ParseCode(s)
		if err != nil {
			t.Fatalf("printed code %s: %v", s, err)
		}
		sl, err := st.Slip(context.Background(), c)
		if err != nil {
			t.Fatalf("printed code %s is not stored: %v", s, err)
		}
		if sl.ServicePoint != "Phường Hoàn Kiếm" || sl.UsedBy != "" || (batch != "" && sl.BatchID != batch) {
			t.Errorf("stored slip %+v", sl)
		}
		batch = sl.BatchID
	}
	found := false
	for e, err := range st.AuditLog(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if e.Action == hub.AuditSlipsPrint && strings.Contains(e.Details, "count=20") && strings.Contains(e.Details, batch) {
			found = true
		}
	}
	if !found {
		t.Error("no audit entry for the print run")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 4 { // hub.db, -wal, -shm, phieu.pdf: no temporary file left
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("files left: %v", names)
	}
}

// TestSlipsCommandRefuses: every bad input gets a clear message and a
// non-zero exit, and writes no file.
func TestSlipsCommandRefuses(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "hub.db")
	pdf := filepath.Join(dir, "phieu.pdf")
	base := func(extra ...string) []string {
		return append([]string{"slips", "--db", db}, extra...)
	}
	good := []string{"--service-point", "P", "--count", "3", "--out", pdf, "--hub-url", "https://h.vn"}
	with := func(flag, value string) []string {
		args := base()
		for i := 0; i < len(good); i += 2 {
			if good[i] == flag {
				if value != "" {
					args = append(args, flag, value)
				}
				continue
			}
			args = append(args, good[i], good[i+1])
		}
		return args
	}
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"no service point", with("--service-point", ""), "--service-point"},
		{"blank service point", with("--service-point", "  "), "the service point is empty"},
		{"count zero", with("--count", "0"), "want 1 to 2000 slips"},
		{"no count", with("--count", ""), "want 1 to 2000 slips"},
		{"count too high", with("--count", "2001"), "want 1 to 2000 slips"},
		{"count not a number", with("--count", "ba"), "invalid value"},
		{"no out", with("--out", ""), "--out FILE.pdf is required"},
		{"no hub url", with("--hub-url", ""), "--hub-url is required"},
		{"bad hub url", with("--hub-url", "hub.vn"), "must start with http:// or https://"},
		{"bad lang", append(with("", ""), "--lang", "fr"), "want vi or en"},
		{"out dir missing", with("--out", filepath.Join(dir, "none", "x.pdf")), "cannot write"},
		{"argument", append(with("", ""), "extra"), "takes 0 argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, code := runCmd(t, tt.args...)
			if code == 0 || !strings.Contains(errs, tt.msg) {
				t.Errorf("exit %d\nstdout: %s\nstderr: %s\nwant a message with %q", code, out, errs, tt.msg)
			}
			if _, err := os.Stat(pdf); err == nil {
				t.Error("a refused run wrote the PDF")
			}
		})
	}
}

// needPdftotext skips the test without pdftotext, or fails it under `make
// test` (HAILONG_REQUIRE_POPPLER set), which installs it.
func needPdftotext(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("HAILONG_REQUIRE_POPPLER") != "" {
			t.Fatal("pdftotext not installed (apt-get install poppler-utils)")
		}
		t.Skip("pdftotext not installed (poppler-utils); `make test` installs it")
	}
}
