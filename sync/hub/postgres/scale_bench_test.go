package postgres_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/export"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/postgres"
	"github.com/hailong-kiosk/hailong/sync/hub/storetest"
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

// BenchmarkDashboard is the dashboard's figures (hub.Report) on
// PostgreSQL at each size of benchSizes (docs/BENCHMARKS.md, "Hub at
// scale").
func BenchmarkDashboard(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			s := openStore(b)
			def := storetest.Fill(b, s, n)
			storetest.BenchDashboard(b, s, def)
		})
	}
}

// BenchmarkIngest16 is 16 kiosks storing batches of 100 at once through
// Store.Ingest (the store's share of an upload: no HTTP, no signature
// checks), on an empty database and on one already holding each size of
// benchSizes; it reports responses/s.
func BenchmarkIngest16(b *testing.B) {
	for _, n := range append([]int{0}, benchSizes()...) {
		b.Run(fmt.Sprintf("stored=%d", n), func(b *testing.B) {
			s := openStore(b)
			def := storetest.Fill(b, s, max(n, 1))
			const kiosks, per = 16, 100
			batches := make([][]hub.Incoming, 0)
			start := time.Date(2027, 1, 5, 9, 0, 0, 0, survey.Location()) // after every row Fill stores
			for k := range kiosks * 8 {
				var batch []hub.Incoming
				for i := range per {
					r := &survey.Response{ID: fmt.Sprintf("019abcde-f012-7345-9999-%06x%06x", k, i), SurveyID: "sipas", SurveyVersion: 1,
						Answers:   survey.Answers{"tc": {"hl"}, "tt": {"rhl"}, "cc": {"hl"}, "kq": {"khl"}, "pa": {"hl"}},
						StartedAt: start.Add(time.Duration(i) * time.Second).UTC(), FinishedAt: start.Add(time.Minute).UTC(),
						ServicePoint: fmt.Sprintf("Điểm tiếp nhận số %03d", k%kiosks), DeviceID: fmt.Sprintf("dev-%03d", k%kiosks),
						Lang: "vi", Status: survey.StatusComplete}
					in, err := hub.NewIncoming(def, r, make([]byte, 64))
					if err != nil {
						b.Fatal(err)
					}
					batch = append(batch, in)
				}
				batches = append(batches, batch)
			}
			ctx := context.Background()
			b.ResetTimer()
			var busy time.Duration
			stored := 0
			for range b.N {
				t0 := time.Now()
				var wg sync.WaitGroup
				next := make(chan []hub.Incoming, len(batches))
				for _, batch := range batches {
					next <- batch
				}
				close(next)
				for range kiosks {
					wg.Go(func() {
						for batch := range next {
							if _, err := s.Ingest(ctx, batch, time.Now()); err != nil {
								b.Error(err)
								return
							}
						}
					})
				}
				wg.Wait()
				busy += time.Since(t0)
				stored += len(batches) * per
				b.StopTimer()
				conn, err := s.Pool().Acquire(ctx) // next round stores the same ids anew
				if err != nil {
					b.Fatal(err)
				}
				for _, q := range []string{`DELETE FROM responses WHERE started_at >= '2027-01-01'`, `DELETE FROM response_ids WHERE started_at >= '2027-01-01'`} {
					if _, err := conn.Exec(ctx, q); err != nil {
						b.Fatal(err)
					}
				}
				conn.Release()
				b.StartTimer()
			}
			b.ReportMetric(float64(stored)/busy.Seconds(), "responses/s")
		})
	}
}

// BenchmarkExportCSV compares the hub's CSV export of every stored
// response (Store.Responses → export.WriteCSV, to a file) with psql's
// `\copy (SELECT ... FROM responses ORDER BY started_at, id) TO STDOUT CSV`
// of the same rows, at each size of benchSizes; both report rows/s.
func BenchmarkExportCSV(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			url := cluster.NewDatabase(b)
			s, err := postgres.Open(context.Background(), url)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			def := storetest.Fill(b, s, n)
			out := filepath.Join(b.TempDir(), "out.csv")
			b.Run("hub", func(b *testing.B) {
				for b.Loop() {
					f, err := os.Create(out)
					if err != nil {
						b.Fatal(err)
					}
					got, err := export.WriteCSV(context.Background(), f, s.Responses(context.Background(), hub.Filter{}), export.Options{Surveys: []*survey.Survey{def}})
					f.Close()
					if err != nil || got != n {
						b.Fatalf("wrote %d of %d: %v", got, n, err)
					}
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			})
			b.Run("psql", func(b *testing.B) {
				for b.Loop() {
					cmd := exec.Command("psql", "-X", "-q", "-d", url, "-c",
						`\copy (SELECT id, started_at, device_id, survey_id, survey_version, service_point, status, event_tag, convert_from(content, 'UTF8') FROM responses ORDER BY started_at, id) TO STDOUT CSV`)
					f, err := os.Create(out)
					if err != nil {
						b.Fatal(err)
					}
					var msg strings.Builder
					cmd.Stdout, cmd.Stderr = f, &msg
					if err := cmd.Run(); err != nil {
						b.Fatalf("psql: %v %s", err, msg.String())
					}
					f.Close()
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			})
		})
	}
}
