package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"github.com/hailong-kiosk/hailong/app/export"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/client"
)

// exportDB makes a real store with responses to the built-in quick survey
// on 30 Nov and 1 Dec 2026 (Hà Nội time) at two service points.
func exportDB(t *testing.T) (path string, ids map[string]string) {
	t.Helper()
	builtin, err := survey.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var s *survey.Survey
	for _, b := range builtin {
		if b.ID == "mot-cua-nhanh" {
			s = b
		}
	}
	if s == nil {
		t.Fatal("no built-in survey mot-cua-nhanh")
	}
	rating := ""
	for _, q := range s.Questions {
		if q.Type.IsRating() && rating == "" {
			rating = q.Code
		}
	}
	path = filepath.Join(t.TempDir(), "kiosk.db")
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	loc := survey.Location()
	ids = map[string]string{}
	for i, c := range []struct {
		key, point string
		at         time.Time
		status     survey.Status
	}{
		{"nov30", "Phường Ba Đình", time.Date(2026, 11, 30, 23, 59, 0, 0, loc), survey.StatusComplete},
		{"dec1", "Phường Ba Đình", time.Date(2026, 12, 1, 0, 0, 0, 0, loc), survey.StatusComplete},
		{"dec1-other", "Xã Sóc Sơn", time.Date(2026, 12, 1, 9, 0, 0, 0, loc), survey.StatusComplete},
		{"dec1-abandoned", "Phường Ba Đình", time.Date(2026, 12, 1, 10, 0, 0, 0, loc), survey.StatusAbandoned},
	} {
		id, err := uuid.NewV7()
		if err != nil {
			t.Fatal(err)
		}
		ids[c.key] = id.String()
		r := &survey.Response{
			ID: id.String(), SurveyID: s.ID, SurveyVersion: s.Version,
			Answers:   survey.Answers{rating: {survey.CodeSatisfied}},
			StartedAt: c.at.UTC(), FinishedAt: c.at.Add(time.Duration(30+i) * time.Second).UTC(),
			ServicePoint: c.point, DeviceID: "kiosk-01", Lang: "vi", Status: c.status,
		}
		if err := st.SaveResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	return path, ids
}

func runExport(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Export(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func csvIDs(t *testing.T, data []byte) []string {
	t.Helper()
	data = bytes.TrimPrefix(data, []byte(export.BOM))
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range recs[1:] {
		ids = append(ids, r[0])
	}
	return ids
}

func TestExportFilters(t *testing.T) {
	db, ids := exportDB(t)
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"all", nil, []string{"nov30", "dec1", "dec1-other", "dec1-abandoned"}},
		{"one day, both ends included", []string{"--from", "2026-12-01", "--to", "2026-12-01"}, []string{"dec1", "dec1-other", "dec1-abandoned"}},
		{"up to a day", []string{"--to", "2026-11-30"}, []string{"nov30"}},
		{"service point", []string{"--service-point", "Xã Sóc Sơn"}, []string{"dec1-other"}},
		{"status", []string{"--status", "abandoned"}, []string{"dec1-abandoned"}},
		{"survey and version", []string{"--survey", "mot-cua-nhanh@2"}, []string{"nov30", "dec1", "dec1-other", "dec1-abandoned"}},
		{"other survey", []string{"--survey", "sipas"}, nil},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, "x"+string(rune('a'+i))+".csv")
			code, _, stderr := runExport(t, append([]string{"--db", db, "--out", out}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			got := csvIDs(t, data)
			var want []string
			for _, k := range tt.want {
				want = append(want, ids[k])
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("ids = %v, want %v (%v)", got, want, tt.want)
			}
			en := strconv.Itoa(len(tt.want)) + " responses written to "
			if len(tt.want) == 1 {
				en = "1 response written to "
			}
			if want := "hailong export: Đã ghi " + strconv.Itoa(len(tt.want)) + " phiếu vào " + out + ".\n" + en + out + ".\n"; stderr != want {
				t.Errorf("stderr = %q, want %q", stderr, want)
			}
		})
	}
}

func TestExportFormats(t *testing.T) {
	db, ids := exportDB(t)
	dir := t.TempDir()
	// XLSX from the extension, read back with excelize
	out := filepath.Join(dir, "r.xlsx")
	if code, _, stderr := runExport(t, "--db", db, "--out", out, "--labels"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rs, err := f.GetRows(export.SheetName(export.SheetResponses, "vi"))
	if err != nil || len(rs) != 5 || rs[1][0] != ids["nov30"] || rs[1][3] != "Phường Ba Đình" {
		t.Errorf("xlsx rows = %q, %v", rs, err)
	}
	if !strings.HasSuffix(rs[0][17], export.LabelSuffix+"]") { // 16 fixed columns, the first question, its label
		t.Errorf("no label column: %q", rs[0])
	}
	// JSONL to standard output
	code, stdout, stderr := runExport(t, "--db", db, "--out", "-", "--format", "jsonl", "--status", "complete")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines", len(lines))
	}
	var r survey.Response
	if err := json.Unmarshal([]byte(lines[2]), &r); err != nil || r.ID != ids["dec1-other"] || r.ServicePoint != "Xã Sóc Sơn" {
		t.Errorf("last line = %+v, %v", r, err)
	}
}

func TestExportErrors(t *testing.T) {
	db, _ := exportDB(t)
	dir := t.TempDir()
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	t.Setenv("HOME", config)
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		// Without --db, the kiosk's own database: none on this machine.
		{"no db", []string{"--out", filepath.Join(dir, "x.csv")}, 1, filepath.Join(config, "hailong", "hailong.db")},
		{"no out", []string{"--db", db}, 2, "--out is required"},
		{"bad format", []string{"--db", db, "--out", filepath.Join(dir, "x.txt")}, 2, "Unknown export format"},
		{"stdout needs format", []string{"--db", db, "--out", "-"}, 2, "--format is required"},
		{"bad date", []string{"--db", db, "--out", "x.csv", "--from", "1/12/2026"}, 2, "YYYY-MM-DD"},
		{"reversed range", []string{"--db", db, "--out", "x.csv", "--from", "2026-12-02", "--to", "2026-12-01"}, 2, "after --to"},
		{"bad version", []string{"--db", db, "--out", "x.csv", "--survey", "sipas@x"}, 2, "whole number"},
		{"bad status", []string{"--db", db, "--out", "x.csv", "--status", "done"}, 2, "complete or abandoned"},
		{"stray argument", []string{"--db", db, "--out", "x.csv", "extra"}, 2, "Unexpected argument"},
		{"missing database", []string{"--db", filepath.Join(dir, "none.db"), "--out", filepath.Join(dir, "y.csv")}, 1, "No kiosk database at " + filepath.Join(dir, "none.db") + " (give its path with --db)"},
		{"missing folder", []string{"--db", db, "--out", filepath.Join(dir, "gone", "y.csv")}, 1, "the folder does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runExport(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.msg) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.msg)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); !os.IsNotExist(err) {
		t.Error("export created a database")
	}
	if es, _ := os.ReadDir(dir); len(es) != 0 {
		t.Errorf("files left behind: %v", es)
	}
}

// TestExportDeviceName: every row carries the kiosk's enrolled name, and
// an empty one before enrollment.
func TestExportDeviceName(t *testing.T) {
	db, _ := exportDB(t)
	for _, name := range []string{"", "Ki-ốt quầy 1"} {
		if name != "" {
			st, err := store.Open(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			if err := st.SetSettings(context.Background(), map[string]string{client.KeyDeviceName: name}); err != nil {
				t.Fatal(err)
			}
			st.Close()
		}
		code, stdout, stderr := runExport(t, "--db", db, "--out", "-", "--format", "csv")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(stdout, export.BOM))).ReadAll()
		if err != nil || len(recs) != 5 {
			t.Fatalf("%d records, %v", len(recs), err)
		}
		col := slices.Index(recs[0], "device_name")
		if col < 0 {
			t.Fatalf("no device_name column in %q", recs[0])
		}
		for _, r := range recs[1:] {
			if r[col] != name {
				t.Errorf("device_name = %q, want %q", r[col], name)
			}
		}
	}
}
