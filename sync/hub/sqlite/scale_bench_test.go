package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
	"github.com/hailong-kiosk/hailong/sync/hub/storetest"
	"github.com/hailong-kiosk/hailong/sync/hub/web/webbench"
)

// benchSizes are the stored-response counts of the scale benchmarks:
// $HAILONG_BENCH_ROWS (comma-separated), 100 000 and 1 000 000 by default.
func benchSizes() []int {
	env := os.Getenv("HAILONG_BENCH_ROWS")
	if env == "" {
		return []int{100_000, 1_000_000}
	}
	var out []int
	for _, f := range strings.Split(env, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

// benchStore opens a store holding n benchmark responses: Fill for n up
// to storetest.BenchTemplate, else Fill of the template and bulkCopy. With
// $HAILONG_BENCH_CACHE set to a directory, the file is kept there
// (hub-<storetest.BenchData>-<n>.db) and reused by the next run.
func benchStore(b *testing.B, n int) (*sqlite.Store, *survey.Survey) {
	b.Helper()
	ctx := context.Background()
	def, err := survey.Parse([]byte(storetest.BenchSurvey))
	if err != nil {
		b.Fatal(err)
	}
	dir := os.Getenv("HAILONG_BENCH_CACHE")
	if dir == "" {
		dir = b.TempDir()
	}
	path := filepath.Join(dir, fmt.Sprintf("hub-%s-%d.db", storetest.BenchData, n))
	if _, err := os.Stat(path); err != nil {
		build := path + ".build"
		os.Remove(build)
		s, err := sqlite.Open(ctx, build)
		if err != nil {
			b.Fatal(err)
		}
		storetest.Fill(b, s, min(n, storetest.BenchTemplate))
		s.Close()
		if n > storetest.BenchTemplate {
			bulkCopy(b, build, n)
		}
		if err := os.Rename(build, path); err != nil {
			b.Fatal(err)
		}
	}
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s, def
}

// bulkCopy makes the file at path, holding Fill's storetest.BenchTemplate
// responses, hold n, as storetest.BenchTemplate describes, in one
// transaction of plain SQL.
func bulkCopy(b *testing.B, path string, n int) {
	b.Helper()
	if n%storetest.BenchTemplate != 0 {
		b.Fatalf("size %d is not a multiple of %d", n, storetest.BenchTemplate)
	}
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	copies := n / storetest.BenchTemplate
	shift := func(col, prefix string) string {
		return fmt.Sprintf("'%s' || printf('%%03d', (CAST(substr(%s, -3) AS INTEGER) + j) %% %d)", prefix, col, storetest.BenchPoints)
	}
	series := fmt.Sprintf("WITH RECURSIVE c(j) AS (SELECT %%d UNION ALL SELECT j + 1 FROM c WHERE j < %d) ", copies-1)
	point, device := shift("service_point", "Điểm tiếp nhận số "), shift("device_id", "dev-")
	stmts := []string{
		`PRAGMA journal_mode = WAL`,
		`BEGIN`,
		fmt.Sprintf(series, 1) + `INSERT INTO responses (id, device_id, survey_id, survey_version, started_at, service_point, status, content, signature, received_at, seq)
		SELECT nid, ndev, survey_id, survey_version, started_at, npoint, status,
			CAST(replace(replace(replace(CAST(content AS TEXT), '"' || id || '"', '"' || nid || '"'),
				'"' || service_point || '"', '"' || npoint || '"'), '"' || device_id || '"', '"' || ndev || '"') AS BLOB),
			signature, received_at, seq
		FROM (SELECT r.*, printf('%08x', j) || substr(id, 9) AS nid, ` + point + ` AS npoint, ` + device + ` AS ndev
			FROM responses r, c WHERE id LIKE '019abcde%')`,
		`CREATE TEMP TABLE template AS SELECT * FROM figures`,
		`DELETE FROM figures`,
		fmt.Sprintf(series, 0) + `INSERT INTO figures (day, survey_id, survey_version, service_point, device_id, status, misuse, event_tag, metric, n, sat)
		SELECT day, survey_id, survey_version, ` + point + `, ` + device + `, status, misuse, event_tag, metric, SUM(n), SUM(sat)
		FROM template, c GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
		`DELETE FROM figures_days`, `DELETE FROM figures_points`, `DELETE FROM figures_devices`,
		`DELETE FROM figures_month_points`, `DELETE FROM figures_month_devices`, `DELETE FROM figures_point_days`, `DELETE FROM figures_device_days`,
		`INSERT INTO figures_month_points SELECT substr(day, 1, 8) || '01', service_point, survey_id, survey_version, status, misuse, metric, SUM(n), SUM(sat)
		FROM figures GROUP BY 1, 2, 3, 4, 5, 6, 7`,
		`INSERT INTO figures_month_devices SELECT substr(day, 1, 8) || '01', service_point, device_id, survey_id, survey_version, status, misuse, metric, SUM(n), SUM(sat)
		FROM figures WHERE metric = '' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
		`INSERT INTO figures_days SELECT day, survey_id, survey_version, status, misuse, metric, SUM(n), SUM(sat)
		FROM figures GROUP BY day, survey_id, survey_version, status, misuse, metric`,
		`INSERT INTO figures_points SELECT service_point, survey_id, survey_version, status, misuse, metric, SUM(n), SUM(sat)
		FROM figures GROUP BY service_point, survey_id, survey_version, status, misuse, metric`,
		`INSERT INTO figures_devices SELECT service_point, device_id, survey_id, survey_version, status, misuse, metric, SUM(n), SUM(sat)
		FROM figures WHERE metric = '' GROUP BY service_point, device_id, survey_id, survey_version, status, misuse, metric`,
		`INSERT INTO figures_point_days SELECT service_point, day, survey_id, survey_version, status, misuse, metric, SUM(n), SUM(sat)
		FROM figures GROUP BY 1, 2, 3, 4, 5, 6, 7`,
		`INSERT INTO figures_device_days SELECT device_id, day, service_point, survey_id, survey_version, status, misuse, metric, SUM(n), SUM(sat)
		FROM figures GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
		`COMMIT`,
		`PRAGMA wal_checkpoint(TRUNCATE)`,
		`ANALYZE`,
	}
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			b.Fatalf("bulk copy: %v\n%s", err, q)
		}
	}
	var got int
	if err := db.QueryRow(`SELECT count(*) FROM responses`).Scan(&got); err != nil || got != n {
		b.Fatalf("bulk copy stored %d responses, want %d (%v)", got, n, err)
	}
}

// BenchmarkDashboard is the dashboard's figures (hub.Report) on SQLite
// at each size of benchSizes (docs/BENCHMARKS.md, "Hub at scale").
func BenchmarkDashboard(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			s, def := benchStore(b, n)
			storetest.BenchDashboard(b, s, def)
		})
	}
}

// BenchmarkDashboardPage is the whole dashboard page, GET /dashboard over
// loopback (webbench.BenchDashboard), on SQLite at each size of
// benchSizes.
func BenchmarkDashboardPage(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			s, _ := benchStore(b, n)
			webbench.BenchDashboard(b, s)
		})
	}
}

var _ hub.Store = (*sqlite.Store)(nil)
