package client

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
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
	for i := range benchN {
		r, err := makeResponse(i, "")
		if err == nil {
			err = st.SaveResponse(ctx, r)
		}
		if err != nil {
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

// syncOnce copies the kiosk database with benchN pending responses to disk,
// enrolls it with a fresh hub and times one Sync that drains it.
func syncOnce(b *testing.B, src string) time.Duration {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "kiosk.db")
	copyFile(b, src, path)
	st, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	h, _, url := benchHub(b)
	_, code, err := h.NewDevice(ctx, "bench", "", time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := Enroll(ctx, st, nil, url, code); err != nil {
		b.Fatal(err)
	}
	u := New(st, Options{HTTP: &http.Client{Timeout: time.Minute}, Logger: slog.New(slog.DiscardHandler)})
	start := time.Now()
	if err := u.Sync(ctx); err != nil {
		b.Fatal(err)
	}
	d := time.Since(start)
	if s, err := st.SyncStats(ctx); err != nil || s.Synced != benchN {
		b.Fatalf("synced %+v, %v", s, err)
	}
	return d
}

// rawItems reads the benchN rows of src and prepares them as the hub
// stores them: signed, canonically encoded, normalised.
func rawItems(b *testing.B, src string) ([]hub.Incoming, []*survey.Response) {
	b.Helper()
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
	return items, rs
}

// rawOnce times the hub's raw ingest of items into a fresh hub database.
func rawOnce(b *testing.B, items []hub.Incoming) time.Duration {
	b.Helper()
	ctx := context.Background()
	_, hs, _ := benchHub(b)
	start := time.Now()
	for i := 0; i < len(items); i += protocol.MaxBatchItems {
		out, err := hs.Ingest(ctx, items[i:min(i+protocol.MaxBatchItems, len(items))], time.Now())
		if err != nil {
			b.Fatal(err)
		}
		if out[0] != protocol.Accepted {
			b.Fatalf("outcome %s", out[0])
		}
	}
	return time.Since(start)
}

// httpOnce times the hub alone taking the same rows over loopback HTTP:
// batches of 500 signed and encoded beforehand, POSTed one after another
// (what the hub's own BenchmarkIngestHTTP does), into a fresh hub.
func httpOnce(b *testing.B, src []*survey.Response) time.Duration {
	b.Helper()
	ctx := context.Background()
	h, _, url := benchHub(b)
	_, code, err := h.NewDevice(ctx, "bench", "", time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	pub, priv, _ := ed25519.GenerateKey(nil)
	er, err := h.Enroll(ctx, &protocol.EnrollRequest{Code: code, PublicKey: pub})
	if err != nil {
		b.Fatal(err)
	}
	var bodies [][]byte
	for i := 0; i < len(src); i += protocol.MaxBatchItems {
		var bt protocol.Batch
		for _, r := range src[i:min(i+protocol.MaxBatchItems, len(src))] {
			c := *r
			c.DeviceID = er.DeviceID
			it, err := protocol.Sign(priv, &c)
			if err != nil {
				b.Fatal(err)
			}
			bt.Items = append(bt.Items, it)
		}
		body, err := bt.Encode()
		if err != nil {
			b.Fatal(err)
		}
		bodies = append(bodies, body)
	}
	hc := &http.Client{Timeout: time.Minute}
	start := time.Now()
	for _, body := range bodies {
		req, _ := http.NewRequest(http.MethodPost, url+protocol.PathBatch, bytes.NewReader(body))
		req.Header.Set("Content-Type", protocol.ContentType)
		req.Header.Set(protocol.HeaderAuthorization, protocol.BearerPrefix+er.Token)
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("hub: %s", resp.Status)
		}
	}
	return time.Since(start)
}

// BenchmarkSync100k measures a kiosk with 100 000 pending responses syncing
// them all to a real hub over loopback: read the outbox, sign, encode, POST
// in batches of 500, the hub's checks and commit, and marking synced.
func BenchmarkSync100k(b *testing.B) {
	src, err := benchSource()
	if err != nil {
		b.Fatal(err)
	}
	var total time.Duration
	for range b.N {
		total += syncOnce(b, src)
	}
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(total.Seconds()/float64(b.N), "s/sync")
}

// BenchmarkHubRawIngest100k is the baseline: the same 100 000 rows, already
// signed and canonically encoded, handed straight to the hub's SQLite store
// in batches of 500 (Store.Ingest: one transaction each), with no HTTP, no
// checks and no kiosk side.
func BenchmarkHubRawIngest100k(b *testing.B) {
	src, err := benchSource()
	if err != nil {
		b.Fatal(err)
	}
	items, _ := rawItems(b, src)
	var total time.Duration
	for range b.N {
		total += rawOnce(b, items)
	}
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(total.Seconds()/float64(b.N), "s/ingest")
}

// BenchmarkSyncVsRaw100k alternates, on the same rows, the kiosk's sync,
// the hub's raw ingest, and (for context) the hub alone taking pre-signed
// batches over HTTP, swapping the order each time so that all meet the same
// load from the rest of a shared machine; it reports the medians and the
// ratios. Target: sync ≤ 3× raw.
//
//	go test -c -o /tmp/clientbench.test ./sync/client
//	cd sync/client && chrt -f 10 /tmp/clientbench.test -test.run '^$' -test.bench SyncVsRaw100k -test.benchtime 5x
func BenchmarkSyncVsRaw100k(b *testing.B) {
	src, err := benchSource()
	if err != nil {
		b.Fatal(err)
	}
	items, rs := rawItems(b, src)
	var syncs, raws, https []time.Duration
	for i := range b.N {
		if i%2 == 0 {
			raws = append(raws, rawOnce(b, items))
			https = append(https, httpOnce(b, rs))
			syncs = append(syncs, syncOnce(b, src))
		} else {
			syncs = append(syncs, syncOnce(b, src))
			https = append(https, httpOnce(b, rs))
			raws = append(raws, rawOnce(b, items))
		}
	}
	ms, mr, mh := median(syncs), median(raws), median(https)
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(ms.Seconds(), "s/sync")
	b.ReportMetric(mr.Seconds(), "s/raw")
	b.ReportMetric(mh.Seconds(), "s/hub-http")
	b.ReportMetric(ms.Seconds()/mr.Seconds(), "sync/raw")
	b.ReportMetric(ms.Seconds()/mh.Seconds(), "sync/hub-http")
	b.Logf("sync %v; raw %v; hub over HTTP %v", syncs, raws, https)
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
