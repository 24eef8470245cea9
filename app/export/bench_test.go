//go:build !windows

package export_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/hailong-kiosk/hailong/app/export"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// benchRows is the size of the benchmark database.
const benchRows = 1_000_000

// benchDB returns a kiosk store file holding benchRows responses to the
// built-in SIPAS survey, made once and kept in the temp folder between runs
// (HAILONG_BENCH_DB overrides the path). Rows are inserted with one
// transaction straight into the store's schema: SaveResponse's one fsync
// per response would take hours for a million.
func benchDB(b *testing.B) (string, []*survey.Survey) {
	b.Helper()
	defs, err := survey.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	path := os.Getenv("HAILONG_BENCH_DB")
	if path == "" {
		path = filepath.Join(os.TempDir(), fmt.Sprintf("hailong-bench-%d.db", benchRows))
	}
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	c, err := st.Counts(ctx, time.Time{})
	st.Close()
	if err != nil {
		b.Fatal(err)
	}
	if c.Total == benchRows {
		return path, defs
	}
	if c.Total != 0 {
		b.Fatalf("%s holds %d responses, want 0 or %d: delete it", path, c.Total, benchRows)
	}
	var sipas *survey.Survey
	for _, d := range defs {
		if d.ID == "sipas" {
			sipas = d
		}
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	ins, err := tx.Prepare(`INSERT INTO responses (id, survey_id, survey_version, answers, started_at, finished_at,
		duration_ms, service_point, device_id, lang, status, misuse, misuse_reason, event_tag, assisted, content_hash, saved_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	codes := []string{"rhl", "hl", "bt", "khl", "rkhl"}
	points := []string{"Phường Ba Đình", "Phường Hoàn Kiếm", "Xã Sóc Sơn"}
	start := time.Date(2026, 1, 1, 1, 0, 0, 0, time.UTC)
	const layout = "2006-01-02T15:04:05.000000000Z"
	for i := range benchRows {
		a := survey.Answers{}
		for j, q := range sipas.Questions {
			switch {
			case q.Type.IsRating():
				a[q.Code] = []string{codes[(i+j)%5]}
			case q.Type == survey.Comment && i%10 == 0:
				a[q.Code] = []string{"Cán bộ nhiệt tình, hướng dẫn rõ ràng. Cảm ơn!"}
			}
		}
		answers, _ := json.Marshal(a)
		at := start.Add(time.Duration(i) * 30 * time.Second)
		status := "complete"
		if i%20 == 0 {
			status = "abandoned"
		}
		if _, err := ins.Exec(fmt.Sprintf("019a%04x-%04x-7%03x-8000-%012x", i>>16, i&0xffff, i%4096, i), sipas.ID, sipas.Version,
			string(answers), at.Format(layout), at.Add(40*time.Second).Format(layout), 40000, points[i%3], "kiosk-01", "vi",
			status, i%50 == 0, "", "", false, "bench", at.Format(layout)); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return path, defs
}

// BenchmarkCSV1M exports every response of the 1 M-row store to a CSV file
// as the CLI and the admin panel do: store.BorrowResponses →
// export.WriteCSV (answers decoded from JSON, times in +07:00, one column
// per question). Compare with BenchmarkSQLite3CSV1M.
func BenchmarkCSV1M(b *testing.B) {
	path, defs := benchDB(b)
	ctx := context.Background()
	st, err := store.Open(ctx, path, store.ReadOnly())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	out := filepath.Join(b.TempDir(), "out.csv")
	before := cpuSelf(b)
	b.ResetTimer()
	for b.Loop() {
		n, err := export.ToFile(ctx, out, export.CSV, st.BorrowResponses(ctx, store.Filter{}), export.Options{Surveys: defs})
		if err != nil || n != benchRows {
			b.Fatal(n, err)
		}
	}
	b.StopTimer()
	b.ReportMetric((cpuSelf(b)-before).Seconds()/float64(b.N), "cpu-s/op")
}

// cpuSelf is the user+system CPU time this process has used, all threads:
// on a shared machine it says more than the wall clock.
func cpuSelf(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuChild is the user+system CPU time of a finished child process.
func cpuChild(cmd *exec.Cmd) time.Duration {
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// BenchmarkSQLite3CSV1M is the baseline: the sqlite3 command-line shell
// dumping the same table, ordered the same way, as CSV to a file.
func BenchmarkSQLite3CSV1M(b *testing.B) {
	path, _ := benchDB(b)
	if _, err := exec.LookPath("sqlite3"); err != nil {
		b.Skip("sqlite3 command not installed")
	}
	out := filepath.Join(b.TempDir(), "out.csv")
	var cpu time.Duration
	b.ResetTimer()
	for b.Loop() {
		cmd := exec.Command("sqlite3", "-csv", "-header", "-readonly", path,
			".output "+out, "SELECT id, survey_id, survey_version, answers, started_at, finished_at, service_point, device_id, lang, status, misuse, misuse_reason, event_tag, assisted FROM responses ORDER BY started_at, id")
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.Fatal(err, string(msg))
		}
		cpu += cpuChild(cmd)
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkXLSX1M exports the 1 M-row store to XLSX in a child process and
// reports the child's peak resident memory (getrusage ru_maxrss) as
// peak-RSS-MB. Target: ≤ 150 MB.
func BenchmarkXLSX1M(b *testing.B) {
	path, _ := benchDB(b)
	out := filepath.Join(b.TempDir(), "out.xlsx")
	var peak int64
	var cpu time.Duration
	b.ResetTimer()
	for b.Loop() {
		cmd := exec.Command(os.Args[0], "-test.run=^TestXLSXChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "HAILONG_XLSX_CHILD_DB="+path, "HAILONG_XLSX_CHILD_OUT="+out)
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.Fatal(err, string(msg))
		}
		cpu += cpuChild(cmd)
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			peak = max(peak, ru.Maxrss) // kilobytes on Linux
		}
	}
	b.ReportMetric(float64(peak)/1024, "peak-RSS-MB")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	if fi, err := os.Stat(out); err == nil {
		b.ReportMetric(float64(fi.Size())/(1<<20), "file-MB")
	}
}

// TestXLSXChild is BenchmarkXLSX1M's child process; it does nothing in a
// normal test run.
func TestXLSXChild(t *testing.T) {
	path := os.Getenv("HAILONG_XLSX_CHILD_DB")
	if path == "" {
		t.Skip("only run as BenchmarkXLSX1M's child")
	}
	ctx := context.Background()
	defs, err := survey.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, path, store.ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n, err := export.ToFile(ctx, os.Getenv("HAILONG_XLSX_CHILD_OUT"), export.XLSX, st.BorrowResponses(ctx, store.Filter{}), export.Options{Surveys: defs})
	if err != nil || n != benchRows {
		t.Fatal(n, err)
	}
}

// BenchmarkWriteCSVMem1M is the export layer alone: 1 M in-memory responses
// (built once, as the store would yield them) through export.WriteCSV to
// io.Discard. The difference from BenchmarkCSV1M is the store's reading.
func BenchmarkWriteCSVMem1M(b *testing.B) {
	defs, err := survey.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	rs := make([]*survey.Response, benchRows)
	start := time.Date(2026, 1, 1, 1, 0, 0, 0, time.UTC)
	codes := []string{"rhl", "hl", "bt", "khl", "rkhl"}
	for i := range rs {
		at := start.Add(time.Duration(i) * 30 * time.Second)
		rs[i] = &survey.Response{ID: fmt.Sprintf("019a%04x-%04x-7000-8000-%012x", i>>16, i&0xffff, i), SurveyID: "sipas", SurveyVersion: 1,
			Answers:   survey.Answers{"tiep_can": {codes[i%5]}, "thu_tuc_cong_khai": {codes[(i+1)%5]}, "cong_chuc_thai_do": {codes[(i+2)%5]}, "ket_qua": {codes[(i+3)%5]}},
			StartedAt: at, FinishedAt: at.Add(40 * time.Second), ServicePoint: "Phường Ba Đình", DeviceID: "kiosk-01", Lang: "vi", Status: survey.StatusComplete}
	}
	seq := func(yield func(*survey.Response, error) bool) {
		for _, r := range rs {
			if !yield(r, nil) {
				return
			}
		}
	}
	before := cpuSelf(b)
	b.ResetTimer()
	for b.Loop() {
		if n, err := export.WriteCSV(context.Background(), io.Discard, seq, export.Options{Surveys: defs}); err != nil || n != benchRows {
			b.Fatal(n, err)
		}
	}
	b.StopTimer()
	b.ReportMetric((cpuSelf(b)-before).Seconds()/float64(b.N), "cpu-s/op")
}
