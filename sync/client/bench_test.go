package client

import (
	"context"
	"crypto/ed25519"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// benchN is the outbox size of the sync benchmarks (issue 3: 100 000).
const benchN = 100_000

// benchSource is a kiosk database with benchN pending responses, built once
// per test process on tmpfs (filling it costs one commit per response) and
// copied to disk for each measured run.
var benchSource = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp(shmOrTemp(), "hailong-bench-")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "kiosk.db")
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		return "", err
	}
	tb := &testing.B{}
	for i := range benchN {
		if err := st.SaveResponse(ctx, newResponse(tb, i, "")); err != nil {
			st.Close()
			return "", err
		}
	}
	return path, st.Close()
})

func shmOrTemp() string {
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		return "/dev/shm"
	}
	return os.TempDir()
}

// copyFile copies a closed SQLite database file (no WAL left after Close).
func copyFile(b *testing.B, from, to string) {
	b.Helper()
	in, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
}

// benchHub starts a real hub on 127.0.0.1 over a fresh SQLite file on disk,
// with the quick rating survey published.
func benchHub(b *testing.B) (*hub.Hub, *sqlite.Store, string) {
	b.Helper()
	ctx := context.Background()
	hs, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "hub.db"))
	if err != nil {
		b.Fatal(err)
	}
	h := hub.New(hub.Config{Store: hs, Logger: slog.New(slog.DiscardHandler)})
	raw, err := os.ReadFile("../../assets/surveys/mot-cua-nhanh.json")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := h.PublishSurvey(ctx, raw); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	b.Cleanup(func() { srv.Close(); hs.Close() })
	return h, hs, srv.URL
}

// BenchmarkSync100k measures a kiosk with 100 000 pending responses syncing
// them all to a real hub over loopback: read the outbox, sign, encode, POST
// in batches of 500, the hub's checks and commit, and marking synced.
//
//	go test -run '^$' -bench 'Sync100k|RawIngest100k' -benchtime 3x ./sync/client
func BenchmarkSync100k(b *testing.B) {
	src, err := benchSource()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "kiosk.db")
		copyFile(b, src, path)
		st, err := store.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		h, _, url := benchHub(b)
		_, code, err := h.NewDevice(ctx, "bench", "", time.Hour)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Enroll(ctx, st, nil, url, code); err != nil {
			b.Fatal(err)
		}
		u := New(st, Options{HTTP: &http.Client{Timeout: time.Minute}, Logger: slog.New(slog.DiscardHandler)})
		b.StartTimer()
		if err := u.Sync(ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if s, err := st.SyncStats(ctx); err != nil || s.Synced != benchN {
			b.Fatalf("synced %+v, %v", s, err)
		}
		st.Close()
	}
	b.ReportMetric(float64(benchN)*float64(b.N)/b.Elapsed().Seconds(), "responses/s")
}

// BenchmarkHubRawIngest100k is the baseline: the same 100 000 rows, already
// signed and canonically encoded, handed straight to the hub's SQLite
// store in batches of 500 (Store.Ingest: one transaction each), with no
// HTTP, no checks and no kiosk side.
func BenchmarkHubRawIngest100k(b *testing.B) {
	src, err := benchSource()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, src)
	if err != nil {
		b.Fatal(err)
	}
	rs, err := st.Pending(ctx, benchN)
	st.Close()
	if err != nil || len(rs) != benchN {
		b.Fatalf("read %d, %v", len(rs), err)
	}
	_, priv, _ := ed25519.GenerateKey(nil)
	items := make([]hub.Incoming, len(rs))
	for i, r := range rs {
		r.DeviceID = "dev-bench"
		it, err := protocol.Sign(priv, r)
		if err != nil {
			b.Fatal(err)
		}
		content, err := protocol.Canonical(it.Response)
		if err != nil {
			b.Fatal(err)
		}
		items[i] = hub.Incoming{Response: it.Response, Content: content, Signature: it.Signature}
	}
	for range b.N {
		b.StopTimer()
		_, hs, _ := benchHub(b)
		b.StartTimer()
		for i := 0; i < len(items); i += protocol.MaxBatchItems {
			out, err := hs.Ingest(ctx, items[i:min(i+protocol.MaxBatchItems, len(items))], time.Now())
			if err != nil {
				b.Fatal(err)
			}
			if out[0] != protocol.Accepted {
				b.Fatalf("outcome %s", out[0])
			}
		}
	}
	b.ReportMetric(float64(benchN)*float64(b.N)/b.Elapsed().Seconds(), "responses/s")
}

var _ = survey.StatusComplete
