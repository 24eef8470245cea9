package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hailong-kiosk/hailong/sync/feedback"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
)

// TestExportFeedbackRules: export writes the feedback figures by the
// deadline rules it is given, the same flags as serve's: a case answered
// four working days after it came is on time with the default ten days,
// late with three; bad values are refused.
func TestExportFeedbackRules(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "hub.db")
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	code, err := feedback.NewCode(bytes.NewReader([]byte{1, 2, 3, 4, 5}))
	if err != nil {
		t.Fatal(err)
	}
	came := time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC) // Monday 09:00 in Hà Nội
	c := hub.FeedbackCase{ID: "01938a7e-0000-7000-8000-000000000001", Code: code.Compact(), Category: string(feedback.CategoryProcedure),
		Text: "Góp ý", Source: "welcome", Lang: "vi", ServicePoint: "Phường Hoàn Kiếm", DeviceID: "dev-a", CreatedAt: came,
		Content: []byte("content"), Signature: bytes.Repeat([]byte{7}, 64), State: hub.FeedbackNew}
	if _, err := st.IngestFeedback(ctx, []hub.FeedbackCase{c}, came); err != nil {
		t.Fatal(err)
	}
	answered, reply := hub.FeedbackAnswered, "Đã giải quyết."
	if _, err := st.UpdateFeedback(ctx, c.ID, hub.FeedbackUpdate{State: &answered, Reply: &reply, At: came.Add(4 * 24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	onTime := func(args ...string) string {
		t.Helper()
		xl := filepath.Join(t.TempDir(), "bao-cao.xlsx")
		if _, errs, code := runCmdIn(t, "", append([]string{"export", "--db", db, "--out", xl, "--lang", "en", "--from", "2026-11-01", "--to", "2026-11-30"}, args...)...); code != 0 {
			t.Fatalf("export %v: exit %d\n%s", args, code, errs)
		}
		f, err := excelize.OpenFile(xl)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		for _, sheet := range f.GetSheetList() {
			rows, _ := f.GetRows(sheet)
			in := false
			for _, r := range rows {
				if len(r) > 0 && r[0] == "Feedback: received and answered" {
					in = true
				}
				if in && len(r) >= 4 && r[0] == "Phường Hoàn Kiếm" {
					return r[3]
				}
			}
		}
		t.Fatalf("export %v: no feedback row for the service point", args)
		return ""
	}
	if got := onTime(); got != "1" {
		t.Errorf("on time with the default rules: %q, want 1", got)
	}
	if got := onTime("--feedback-answer-days", "3"); got != "0" {
		t.Errorf("on time with 3 working days: %q, want 0", got)
	}
	for _, bad := range [][]string{{"--feedback-answer-days", "0"}, {"--holidays", "2026-13-01"}} {
		if _, errs, code := runCmdIn(t, "", append([]string{"export", "--db", db, "--out", filepath.Join(t.TempDir(), "x.xlsx")}, bad...)...); code != 2 || !strings.Contains(errs, bad[0]) {
			t.Errorf("export %v: exit %d %s", bad, code, errs)
		}
	}
}
