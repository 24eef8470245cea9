package postgres_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/export"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/postgres"
	"github.com/hailong-kiosk/hailong/sync/hub/postgres/pgtest"
	"github.com/hailong-kiosk/hailong/sync/hub/storetest"
	"github.com/hailong-kiosk/hailong/sync/hub/web/webbench"
	"github.com/hailong-kiosk/hailong/sync/protocol"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
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
// the cluster kept between runs (pgtest.KeepEnv), the database stays too
// (bench_<storetest.BenchData>_<n>, renamed so once complete) and the
// next run reuses it.
func benchStore(b *testing.B, n int) (*postgres.Store, *survey.Survey) {
	b.Helper()
	ctx := context.Background()
	def, err := survey.Parse([]byte(storetest.BenchSurvey))
	if err != nil {
		b.Fatal(err)
	}
	if os.Getenv(pgtest.KeepEnv) == "" {
		s := openStore(b)
		storetest.Fill(b, s, min(n, storetest.BenchTemplate))
		if n > storetest.BenchTemplate {
			bulkCopy(b, s.Pool(), n)
		}
		return s, def
	}
	name := fmt.Sprintf("bench_%s_%d", storetest.BenchData, n)
	admin, err := pgx.Connect(ctx, cluster.URL("postgres"))
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close(ctx)
	var have bool
	if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)`, name).Scan(&have); err != nil {
		b.Fatal(err)
	}
	if !have {
		build := name + "_build"
		for _, q := range []string{"DROP DATABASE IF EXISTS " + build, "CREATE DATABASE " + build + " TEMPLATE template0"} {
			if _, err := admin.Exec(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
		s, err := postgres.Open(ctx, cluster.URL(build))
		if err != nil {
			b.Fatal(err)
		}
		storetest.Fill(b, s, min(n, storetest.BenchTemplate))
		if n > storetest.BenchTemplate {
			bulkCopy(b, s.Pool(), n)
		}
		s.Close()
		if _, err := admin.Exec(ctx, "ALTER DATABASE "+build+" RENAME TO "+name); err != nil {
			b.Fatal(err)
		}
	}
	s, err := postgres.Open(ctx, cluster.URL(name))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s, def
}

// bulkCopy makes the database holding Fill's storetest.BenchTemplate
// responses hold n, as storetest.BenchTemplate describes, in one
// transaction of plain SQL (response_ids included), then VACUUM ANALYZE.
func bulkCopy(b *testing.B, pool *pgxpool.Pool, n int) {
	b.Helper()
	if n%storetest.BenchTemplate != 0 {
		b.Fatalf("size %d is not a multiple of %d", n, storetest.BenchTemplate)
	}
	ctx := context.Background()
	copies := n / storetest.BenchTemplate
	shift := func(col, prefix string) string {
		return fmt.Sprintf("'%s' || lpad(((right(%s, 3)::int + j) %% %d)::text, 3, '0')", prefix, col, storetest.BenchPoints)
	}
	series := func(from int) string { return fmt.Sprintf("generate_series(%d, %d) AS c(j)", from, copies-1) }
	point, device := shift("service_point", "Điểm tiếp nhận số "), shift("device_id", "dev-")
	stmts := []string{
		`INSERT INTO responses (started_at, id, device_id, survey_id, survey_version, service_point, status, event_tag, content, signature, received_at, seq)
		SELECT started_at, nid, ndev, survey_id, survey_version, npoint, status, event_tag,
			convert_to(replace(replace(replace(convert_from(content, 'UTF8'), '"' || id || '"', '"' || nid || '"'),
				'"' || service_point || '"', '"' || npoint || '"'), '"' || device_id || '"', '"' || ndev || '"'), 'UTF8'),
			signature, received_at, seq
		FROM (SELECT r.*, lpad(to_hex(j), 8, '0') || substr(r.id, 9) AS nid, ` + point + ` AS npoint, ` + device + ` AS ndev
			FROM responses r, ` + series(1) + ` WHERE r.id LIKE '019abcde%') AS copies`,
		`INSERT INTO response_ids (id, started_at, digest)
		SELECT id, started_at, sha256(content) FROM responses WHERE id NOT LIKE '019abcde%'`,
		`CREATE TEMP TABLE template AS SELECT * FROM figures`,
		`DELETE FROM figures`,
		`INSERT INTO figures (day, survey_id, survey_version, service_point, device_id, status, misuse, event_tag, metric, n, sat)
		SELECT day, survey_id, survey_version, ` + point + `, ` + device + `, status, misuse, event_tag, metric, sum(n), sum(sat)
		FROM template, ` + series(0) + ` GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
		`DELETE FROM figures_days`, `DELETE FROM figures_points`, `DELETE FROM figures_devices`,
		`DELETE FROM figures_month_points`, `DELETE FROM figures_month_devices`, `DELETE FROM figures_point_days`, `DELETE FROM figures_device_days`,
		`INSERT INTO figures_month_points SELECT date_trunc('month', day)::date, service_point, survey_id, survey_version, status, misuse, metric, sum(n), sum(sat)
		FROM figures GROUP BY 1, 2, 3, 4, 5, 6, 7`,
		`INSERT INTO figures_month_devices SELECT date_trunc('month', day)::date, service_point, device_id, survey_id, survey_version, status, misuse, metric, sum(n), sum(sat)
		FROM figures WHERE metric = '' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
		`INSERT INTO figures_days SELECT day, survey_id, survey_version, status, misuse, metric, sum(n), sum(sat)
		FROM figures GROUP BY day, survey_id, survey_version, status, misuse, metric`,
		`INSERT INTO figures_points SELECT service_point, survey_id, survey_version, status, misuse, metric, sum(n), sum(sat)
		FROM figures GROUP BY service_point, survey_id, survey_version, status, misuse, metric`,
		`INSERT INTO figures_devices SELECT service_point, device_id, survey_id, survey_version, status, misuse, metric, sum(n), sum(sat)
		FROM figures WHERE metric = '' GROUP BY service_point, device_id, survey_id, survey_version, status, misuse, metric`,
		`INSERT INTO figures_point_days SELECT service_point, day, survey_id, survey_version, status, misuse, metric, sum(n), sum(sat)
		FROM figures GROUP BY 1, 2, 3, 4, 5, 6, 7`,
		`INSERT INTO figures_device_days SELECT device_id, day, service_point, survey_id, survey_version, status, misuse, metric, sum(n), sum(sat)
		FROM figures GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
	}
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		for _, q := range stmts {
			if _, err := tx.Exec(ctx, q); err != nil {
				return fmt.Errorf("%w\n%s", err, q)
			}
		}
		return nil
	})
	if err != nil {
		b.Fatalf("bulk copy: %v", err)
	}
	if _, err := pool.Exec(ctx, `VACUUM ANALYZE`); err != nil {
		b.Fatal(err)
	}
	var got int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM responses`).Scan(&got); err != nil || got != n {
		b.Fatalf("bulk copy stored %d responses, want %d (%v)", got, n, err)
	}
}

// BenchmarkDashboard is the dashboard's figures (hub.Report) on
// PostgreSQL at each size of benchSizes (docs/BENCHMARKS.md, "Hub at
// scale").
func BenchmarkDashboard(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			s, def := benchStore(b, n)
			storetest.BenchDashboard(b, s, def)
		})
	}
}

// BenchmarkDashboardPage is the whole dashboard page, GET /dashboard over
// loopback (webbench.BenchDashboard), on PostgreSQL at each size of
// benchSizes.
func BenchmarkDashboardPage(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			s, _ := benchStore(b, n)
			webbench.BenchDashboard(b, s)
		})
	}
}

// BenchmarkIngest16 is 16 kiosks storing batches of 100 at once through
// Store.Ingest (the store's share of an upload: no HTTP, no signature
// checks), on a database already holding each size of benchSizes against
// an empty one. Each iteration is one pair of rounds, one on each
// database, the first alternating so that both meet the same load; a
// round stores ingestKiosks × ingestBatches × 100 responses with ids no
// round used before (the acceptance chain is append-only, so a round
// cannot take its ids back), dated the last day of Fill's year, so that
// they join a month partition and rollup keys that hold data. It reports
// the medians of both rates (responses/s) and of the pairs' ratios
// (stored / empty). With pgtest.KeepEnv the stored database is a copy of
// benchStore's cached one (CREATE DATABASE ... TEMPLATE), dropped after.
func BenchmarkIngest16(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("stored=%d", n), func(b *testing.B) {
			empty := openStore(b)
			def := storetest.Fill(b, empty, 1) // publishes the survey
			stores := [2]*postgres.Store{empty, ingestStore(b, n)}
			var rates [2][]float64
			var ratios []float64
			for round := 0; b.Loop(); round++ {
				var rate [2]float64
				for k := range 2 {
					w := k ^ round%2 // the empty database first in even rounds
					rate[w] = ingestRound(b, stores[w], ingestItems(b, def, round))
					rates[w] = append(rates[w], rate[w])
				}
				ratios = append(ratios, rate[1]/rate[0])
				b.Logf("pair %d: empty %.0f/s, stored %.0f/s, stored/empty %.3f, load average %s",
					round+1, rate[0], rate[1], rate[1]/rate[0], loadAverage())
			}
			b.ReportMetric(median(rates[0]), "empty-responses/s")
			b.ReportMetric(median(rates[1]), "stored-responses/s")
			b.ReportMetric(median(ratios), "stored/empty")
		})
	}
}

// The rounds of BenchmarkIngest16: ingestKiosks concurrent writers share
// ingestKiosks × ingestBatches batches of 100.
const ingestKiosks, ingestBatches = 16, 20

// ingestStore opens a store holding n benchmark responses that a
// benchmark may write to: benchStore's own, or with pgtest.KeepEnv a copy
// of its cached database, dropped when b ends.
func ingestStore(b *testing.B, n int) *postgres.Store {
	b.Helper()
	if os.Getenv(pgtest.KeepEnv) == "" {
		s, _ := benchStore(b, n)
		return s
	}
	cached, _ := benchStore(b, n) // built on the first run
	cached.Close()
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, cluster.URL("postgres"))
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close(ctx)
	name := fmt.Sprintf("ingest_%d", n)
	for _, q := range []string{"DROP DATABASE IF EXISTS " + name,
		fmt.Sprintf("CREATE DATABASE %s TEMPLATE bench_%s_%d STRATEGY FILE_COPY", name, storetest.BenchData, n)} {
		if _, err := admin.Exec(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	b.Cleanup(func() {
		conn, err := pgx.Connect(ctx, cluster.URL("postgres"))
		if err == nil {
			_, err = conn.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)")
			conn.Close(ctx)
		}
		if err != nil {
			b.Errorf("drop %s: %v", name, err)
		}
	})
	s, err := postgres.Open(ctx, cluster.URL(name))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// ingestItems is round's batches of BenchmarkIngest16: ids made of the
// round, the batch and the item, so no two rounds share one.
func ingestItems(b *testing.B, def *survey.Survey, round int) [][]hub.Incoming {
	b.Helper()
	const per = 100
	start := time.Date(2026, 12, 31, 9, 0, 0, 0, survey.Location())
	var batches [][]hub.Incoming
	for k := range ingestKiosks * ingestBatches {
		batch := make([]hub.Incoming, 0, per)
		for i := range per {
			r := &survey.Response{ID: fmt.Sprintf("019abcde-f012-7345-%04x-%06x%06x", 0x9000+round, k, i), SurveyID: "sipas", SurveyVersion: 1,
				Answers:   survey.Answers{"tc": {"hl"}, "tt": {"rhl"}, "cc": {"hl"}, "kq": {"khl"}, "pa": {"hl"}},
				StartedAt: start.Add(time.Duration(i) * time.Second).UTC(), FinishedAt: start.Add(time.Minute).UTC(),
				ServicePoint: fmt.Sprintf("Điểm tiếp nhận số %03d", k%ingestKiosks), DeviceID: fmt.Sprintf("dev-%03d", k%ingestKiosks),
				Lang: "vi", Status: survey.StatusComplete}
			in, err := hub.NewIncoming(def, r, make([]byte, 64))
			if err != nil {
				b.Fatal(err)
			}
			batch = append(batch, in)
		}
		batches = append(batches, batch)
	}
	return batches
}

// ingestRound stores batches from ingestKiosks writers at once and
// returns the rate, in responses a second; every item must be accepted.
func ingestRound(b *testing.B, s *postgres.Store, batches [][]hub.Incoming) float64 {
	b.Helper()
	ctx := context.Background()
	next := make(chan []hub.Incoming, len(batches))
	items := 0
	for _, batch := range batches {
		next <- batch
		items += len(batch)
	}
	close(next)
	t0 := time.Now()
	var wg sync.WaitGroup
	for range ingestKiosks {
		wg.Go(func() {
			for batch := range next {
				out, err := s.Ingest(ctx, batch, time.Now())
				if err != nil {
					b.Error(err)
					return
				}
				for _, o := range out {
					if o != protocol.Accepted {
						b.Errorf("outcome %v, want accepted", o)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	return float64(items) / time.Since(t0).Seconds()
}

// BenchmarkExportCSV compares the hub's CSV export of every stored
// response (Store.Responses through hub.SlipChannels → export.WriteCSV,
// to a file, as the hub's export runs) with psql's
// `\copy (SELECT ... FROM responses ORDER BY started_at, id) TO STDOUT CSV`
// of the same rows to a file on the same disk, at each size of benchSizes
// (the data of benchStore, cached with pgtest.KeepEnv). Each iteration is
// one pair, hub and psql, the first of the pair alternating, so both meet
// the same load; it reports the medians of their wall times and of the
// pairs' ratios, the hub process's CPU per export, and the largest live
// heap seen during an export (sampled every 10 ms): flat at every size
// when the export streams.
func BenchmarkExportCSV(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			s, def := benchStore(b, n)
			url := s.Pool().Config().ConnString()
			out := filepath.Join(b.TempDir(), "out.csv")
			ctx := context.Background()
			var peakHeap atomic.Uint64
			runHub := func() time.Duration {
				stop := make(chan struct{})
				var wg sync.WaitGroup
				wg.Go(func() { sampleHeap(stop, &peakHeap) })
				defer func() { close(stop); wg.Wait() }()
				t0 := time.Now()
				f, err := os.Create(out)
				if err != nil {
					b.Fatal(err)
				}
				rows, channel := hub.SlipChannels(ctx, s, s.Responses(ctx, hub.Filter{}))
				got, err := export.WriteCSV(ctx, f, rows, export.Options{Surveys: []*survey.Survey{def}, SlipChannel: channel})
				if cerr := f.Close(); err == nil {
					err = cerr
				}
				if err != nil || got != n {
					b.Fatalf("wrote %d of %d: %v", got, n, err)
				}
				return time.Since(t0)
			}
			runPsql := func() time.Duration {
				t0 := time.Now()
				cmd := exec.Command("psql", "-X", "-q", "-d", url, "-c",
					`\copy (SELECT id, started_at, device_id, survey_id, survey_version, service_point, status, event_tag, convert_from(content, 'UTF8') FROM responses ORDER BY started_at, id) TO STDOUT CSV`)
				f, err := os.Create(out)
				if err != nil {
					b.Fatal(err)
				}
				var msg strings.Builder
				cmd.Stdout, cmd.Stderr = f, &msg
				err = cmd.Run()
				f.Close()
				if err != nil {
					b.Fatalf("psql: %v %s", err, msg.String())
				}
				return time.Since(t0)
			}
			var hubs, psqls, ratios []float64
			var cpu time.Duration
			for i := 0; b.Loop(); i++ {
				load0 := loadAverage()
				var h, p time.Duration
				if i%2 == 0 {
					c0 := cpuTime(b)
					h = runHub()
					cpu += cpuTime(b) - c0
					p = runPsql()
				} else {
					p = runPsql()
					c0 := cpuTime(b)
					h = runHub()
					cpu += cpuTime(b) - c0
				}
				hubs, psqls, ratios = append(hubs, h.Seconds()), append(psqls, p.Seconds()), append(ratios, h.Seconds()/p.Seconds())
				b.Logf("pair %d (%s first): hub %.2f s, psql %.2f s, hub/psql %.2f, load average %s → %s",
					i+1, map[bool]string{true: "hub", false: "psql"}[i%2 == 0], h.Seconds(), p.Seconds(), h.Seconds()/p.Seconds(), load0, loadAverage())
			}
			b.ReportMetric(median(hubs), "hub-s")
			b.ReportMetric(median(psqls), "psql-s")
			b.ReportMetric(median(ratios), "hub/psql")
			b.ReportMetric(cpu.Seconds()/float64(len(hubs)), "hub-cpu-s")
			b.ReportMetric(float64(peakHeap.Load())/(1<<20), "peak-heap-MiB")
		})
	}
}

// sampleHeap raises peak to the live heap every 10 ms until stop closes.
func sampleHeap(stop <-chan struct{}, peak *atomic.Uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		metrics.Read(sample)
		if v := sample[0].Value.Uint64(); v > peak.Load() {
			peak.Store(v)
		}
		select {
		case <-stop:
			return
		case <-tick.C:
		}
	}
}

// cpuTime is the CPU time (user and system) this process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadAverage is the first three fields of /proc/loadavg ("?" if unread).
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(data)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}

// median is the middle value of xs (the mean of the middle two).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
