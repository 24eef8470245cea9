package hub_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub/hubtest"
	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// benchBatch is the batch size of both ingest benchmarks.
const benchBatch = protocol.MaxBatchItems

// BenchmarkIngestHTTP is the hub's ingest over loopback: a real HTTP server
// on 127.0.0.1, batches of 500 signed items, each answered after its
// durable commit (signature checks, validation, duplicate check included).
// Compare its items/s with BenchmarkRawInsert (docs/BENCHMARKS.md).
func BenchmarkIngestHTTP(b *testing.B) { benchIngestHTTP(b, 1) }

// BenchmarkIngestHTTP4 is BenchmarkIngestHTTP with four kiosks uploading at
// once, as at a real hub: one batch's signature checks overlap another's
// commit.
func BenchmarkIngestHTTP4(b *testing.B) { benchIngestHTTP(b, 4) }

func benchIngestHTTP(b *testing.B, clients int) {
	s := hubtest.Start(b)
	s.Publish(b, quickJSON)
	d := s.Enroll(b, "Bench", "Phường Hoàn Kiếm")
	bodies := make([][]byte, b.N)
	for i := range bodies {
		items := make([]protocol.Item, benchBatch)
		for j := range items {
			items[j] = d.Sign(b, resp(b))
		}
		bodies[i] = batchJSON(b, items...)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	b.SetBytes(int64(len(bodies[0])))
	var next atomic.Int64
	errs := make(chan error, clients)
	cpu0 := cpuTime(b)
	b.ResetTimer()
	for range clients {
		go func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					errs <- nil
					return
				}
				req, _ := http.NewRequest(http.MethodPost, s.URL+protocol.PathBatch, bytes.NewReader(bodies[i]))
				req.Header.Set("Authorization", "Bearer "+d.Token)
				req.Header.Set("Content-Type", protocol.ContentType)
				res, err := client.Do(req)
				if err != nil {
					errs <- err
					return
				}
				var out bytes.Buffer
				out.ReadFrom(res.Body)
				res.Body.Close()
				if res.StatusCode != 200 || bytes.Contains(out.Bytes(), []byte(`"rejected"`)) {
					errs <- fmt.Errorf("%d %s", res.StatusCode, out.Bytes()[:min(out.Len(), 300)])
					return
				}
			}
		}()
	}
	for range clients {
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*benchBatch)/b.Elapsed().Seconds(), "items/s")
	b.ReportMetric(float64((cpuTime(b)-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
}

// cpuTime is the process's user+system CPU time so far. Reported per
// batch beside the wall time, it shows the cost even on a busy machine.
func cpuTime(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkRawInsert is the floor: the same rows (canonical content and
// signature precomputed) inserted into the same schema with the same pragmas
// (WAL, synchronous=FULL), 500 per transaction through one prepared
// statement, no HTTP, no JSON, no checks.
func BenchmarkRawInsert(b *testing.B) {
	path := filepath.Join(b.TempDir(), "raw.db")
	st, err := sqlite.Open(context.Background(), path) // creates the schema
	if err != nil {
		b.Fatal(err)
	}
	st.Close()
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_synchronous=FULL&_busy_timeout=5000&_txlock=immediate")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	type row struct {
		id, device, survey, start, place, status string
		version                                  int
		content, sig                             []byte
	}
	d := &hubtest.Device{ID: "dev-bench"}
	_, d.Key = mustKey(b)
	rows := make([][]row, b.N)
	for i := range rows {
		rows[i] = make([]row, benchBatch)
		for j := range rows[i] {
			it := d.Sign(b, resp(b))
			c, err := protocol.Canonical(it.Response)
			if err != nil {
				b.Fatal(err)
			}
			r := it.Response
			rows[i][j] = row{r.ID, r.DeviceID, r.SurveyID, r.StartedAt.Format(protocol.TimeFormat), r.ServicePoint,
				string(r.Status), r.SurveyVersion, c, it.Signature}
		}
	}
	now := time.Now().UTC().Format(protocol.TimeFormat)
	cpu0 := cpuTime(b)
	b.ResetTimer()
	for i := range b.N {
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		stmt, err := tx.Prepare(`INSERT INTO responses
			(id, device_id, survey_id, survey_version, started_at, service_point, status, content, signature, received_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range rows[i] {
			if _, err := stmt.Exec(r.id, r.device, r.survey, r.version, r.start, r.place, r.status, r.content, r.sig, now); err != nil {
				b.Fatal(err)
			}
		}
		stmt.Close()
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*benchBatch)/b.Elapsed().Seconds(), "items/s")
	b.ReportMetric(float64((cpuTime(b)-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
	var n int
	db.QueryRow("SELECT COUNT(*) FROM responses").Scan(&n)
	if n != b.N*benchBatch {
		b.Fatalf("%d rows, want %d", n, b.N*benchBatch)
	}
}
