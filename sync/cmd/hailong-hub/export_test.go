package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// day0 is 2026-11-20 09:00 in Hà Nội; fillHub spreads responses over days from it.
var day0 = time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)

// comment is a long Vietnamese free-text answer, so exports are large.
const comment = "Cán bộ hướng dẫn tận tình, thủ tục nhanh gọn; mong có thêm ghế chờ và máy lấy số thứ tự ở tầng một. "

// fillHub publishes the quick survey in a new hub database and stores n
// responses to it, perDay a day from day0: every third not satisfied,
// alternately at two service points, the fifth of every ten abandoned. It
// returns the database path.
func fillHub(t testing.TB, n, perDay int) string {
	t.Helper()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "hub.db")
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fillStore(t, st, n, perDay)
	return db
}

// fillStore is fillHub on an open store.
func fillStore(t testing.TB, st hub.Store, n, perDay int) {
	t.Helper()
	ctx := context.Background()
	raw, err := os.ReadFile(quickSurvey)
	if err != nil {
		t.Fatal(err)
	}
	def, err := hub.New(hub.Config{Store: st}).PublishSurvey(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	var batch []hub.Incoming
	flush := func() {
		if _, err := st.Ingest(ctx, batch, time.Now()); err != nil {
			t.Fatal(err)
		}
		batch = batch[:0]
	}
	for i := range n {
		start := day0.AddDate(0, 0, i/perDay).Add(time.Duration(i%perDay) * time.Second)
		r := &survey.Response{
			ID: fmt.Sprintf("019abcde-f012-7345-8678-%012d", i), SurveyID: "quick", SurveyVersion: 1,
			Answers:   survey.Answers{"q1": {"hl"}, "gop_y": {comment}},
			StartedAt: start, FinishedAt: start.Add(40 * time.Second),
			ServicePoint: "Phường Hoàn Kiếm", DeviceID: "dev-1", Lang: "vi", Status: survey.StatusComplete,
		}
		if i%3 == 2 {
			r.Answers["q1"] = []string{"khl"}
			r.Answers["why"] = []string{"cho-lau", "thai-do"}
		}
		if i%2 == 1 {
			r.ServicePoint = "Xã Sóc Sơn"
		}
		if i%10 == 4 {
			r.Status = survey.StatusAbandoned
		}
		in, err := hub.NewIncoming(def, r, []byte("sig"))
		if err != nil {
			t.Fatal(err)
		}
		batch = append(batch, in)
		if len(batch) == protocol.MaxBatchItems {
			flush()
		}
	}
	if len(batch) > 0 {
		flush()
	}
}

// readCSV parses an export, checking the BOM, and returns its rows by column name.
func readCSV(t *testing.T, data []byte) []map[string]string {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("\ufeff")) {
		t.Fatal("CSV lacks the UTF-8 byte order mark")
	}
	recs, err := csv.NewReader(bytes.NewReader(data[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, col := range recs[0] {
			row[col] = rec[i]
		}
		out = append(out, row)
	}
	return out
}

func TestExportCommand(t *testing.T) {
	db := fillHub(t, 60, 10) // 10 a day from 2026-11-20 to 2026-11-25
	dir := t.TempDir()
	// The responses' device, as the operator named it at enrollment.
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateDevice(context.Background(), &hub.Device{ID: "dev-1", Name: "Ki-ốt Hoàn Kiếm 1",
		CreatedAt: day0, CodeExpiresAt: day0.Add(time.Hour)}, []byte("code-hash")); err != nil {
		t.Fatal(err)
	}
	st.Close()

	out := filepath.Join(dir, "all.csv")
	_, errs, code := runCmdIn(t, "", "export", "--db", db, "--out", out)
	if code != 0 || !strings.Contains(errs, "60 responses written") {
		t.Fatalf("export: exit %d\n%s", code, errs)
	}
	data, _ := os.ReadFile(out)
	rows := readCSV(t, data)
	if len(rows) != 60 {
		t.Fatalf("%d rows, want 60", len(rows))
	}
	// Question columns come from the published definition; Vietnamese intact.
	if r := rows[2]; r["q1"] != "khl" || r["gop_y"] != comment || r["service_point"] != "Phường Hoàn Kiếm" {
		t.Errorf("row 3: %v", r)
	}
	for i, r := range rows {
		if r["device_id"] != "dev-1" || r["device_name"] != "Ki-ốt Hoàn Kiếm 1" {
			t.Fatalf("row %d: device %q named %q", i+1, r["device_id"], r["device_name"])
		}
	}

	tests := []struct {
		name string
		args []string
		want int
	}{
		{"one day", []string{"--from", "2026-11-22", "--to", "2026-11-22"}, 10},
		{"from only", []string{"--from", "2026-11-24"}, 20},
		{"service point", []string{"--service-point", "Xã Sóc Sơn"}, 30},
		{"service point NFD", []string{"--service-point", "Xa\u0303 So\u0301c So\u031bn"}, 30},
		{"status", []string{"--status", "abandoned"}, 6},
		{"survey version", []string{"--survey", "quick@1", "--status", "complete"}, 54},
		{"other survey", []string{"--survey", "sipas"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "x.csv")
			if _, errs, code := runCmdIn(t, "", append([]string{"export", "--db", db, "--out", out}, tt.args...)...); code != 0 {
				t.Fatalf("exit %d\n%s", code, errs)
			}
			data, _ := os.ReadFile(out)
			if got := len(readCSV(t, data)); got != tt.want {
				t.Errorf("%d rows, want %d", got, tt.want)
			}
		})
	}

	// XLSX: the responses sheet holds the rows; the format comes from --out.
	xl := filepath.Join(dir, "bao-cao.xlsx")
	if _, errs, code := runCmdIn(t, "", "export", "--db", db, "--out", xl, "--labels"); code != 0 {
		t.Fatalf("xlsx: exit %d\n%s", code, errs)
	}
	f, err := excelize.OpenFile(xl)
	if err != nil {
		t.Fatal(err)
	}
	sheetRows, err := f.GetRows("Phiếu trả lời")
	f.Close()
	if err != nil || len(sheetRows) != 61 {
		t.Fatalf("responses sheet: %d rows, %v; want 61", len(sheetRows), err)
	}

	// JSONL to standard output.
	stdout, errs, code := runCmdIn(t, "", "export", "--db", db, "--out", "-", "--format", "jsonl", "--to", "2026-11-20")
	if code != 0 {
		t.Fatalf("jsonl: exit %d\n%s", code, errs)
	}
	sc := bufio.NewScanner(strings.NewReader(stdout))
	n := 0
	for sc.Scan() {
		var v map[string]any
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		if v["device_name"] != "Ki-ốt Hoàn Kiếm 1" {
			t.Errorf("line %d: device_name %v", n+1, v["device_name"])
		}
		n++
	}
	if n != 10 {
		t.Errorf("jsonl: %d lines, want 10", n)
	}

	// A failed export leaves nothing behind.
	missing := filepath.Join(dir, "no-such-folder", "x.csv")
	if _, errs, code := runCmdIn(t, "", "export", "--db", db, "--out", missing); code != 1 || !strings.Contains(errs, "folder does not exist") {
		t.Errorf("export into a missing folder: exit %d\n%s", code, errs)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".part") {
			t.Errorf("half-written file %s left", e.Name())
		}
	}
}

func TestExportUsage(t *testing.T) {
	for _, args := range [][]string{
		{"export"},                   // no --out
		{"export", "--out", "x.pdf"}, // unknown format
		{"export", "--out", "-"},     // stdout needs --format
		{"export", "--out", "x.csv", "--from", "25/11/2026"},
		{"export", "--out", "x.csv", "--from", "2026-11-25", "--to", "2026-11-24"},
		{"export", "--out", "x.csv", "--survey", "quick@0"},
		{"export", "--out", "x.csv", "--survey", "@2"},
		{"export", "--out", "x.csv", "--status", "maybe"},
		{"export", "--out", "x.csv", "--lang", "fr"},
		{"export", "--out", "x.csv", "extra"},
		{"admin"},
		{"admin", "add"},
		{"admin", "add", " "},
		{"admin", "remove", "a", "b"},
	} {
		if _, errs, code := runCmdIn(t, "", args...); code != 2 {
			t.Errorf("hailong-hub %q: exit %d, want 2\n%s", args, code, errs)
		}
	}
}
