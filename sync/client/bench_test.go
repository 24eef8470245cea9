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

// benchFixture is the starting point of the sync benchmarks, built once per
// test process on tmpfs (filling a kiosk database costs one commit per
// response) and copied to disk for each measured run:
//   - hub: a hub database with the quick rating survey published and one
//     device enrolled;
//   - signed: the enrolled kiosk's database with benchN pending responses
//     saved through a Signer, as an outreach laptop collects them offline
//     after enrollment (each signed when saved);
//   - unsigned: the same responses saved before enrollment (no signature,
//     another device id), which the uploader signs when it sends them.
type benchFixture struct {
	hub, signed, unsigned string
}

var benchSource = sync.OnceValues(func() (benchFixture, error) {
	var f benchFixture
	dir, err := os.MkdirTemp(shmOrTemp(), "hailong-bench-")
	if err != nil {
		return f, err
	}
	ctx := context.Background()
	f.hub = filepath.Join(dir, "hub.db")
	hs, err := sqlite.Open(ctx, f.hub)
	if err != nil {
		return f, err
	}
	h := hub.New(hub.Config{Store: hs, Logger: slog.New(slog.DiscardHandler)})
	raw, err := os.ReadFile("../../assets/surveys/mot-cua-nhanh.json")
	if err == nil {
		_, err = h.PublishSurvey(ctx, raw)
	}
	var code string
	if err == nil {
		_, code, err = h.NewDevice(ctx, "bench", "KCN Thăng Long", time.Hour)
	}
	pub, priv, _ := ed25519.GenerateKey(nil)
	var er *protocol.EnrollResponse
	if err == nil {
		er, err = h.Enroll(ctx, &protocol.EnrollRequest{Code: code, PublicKey: pub})
	}
	if cerr := hs.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return f, err
	}
	id := Identity{HubURL: "http://127.0.0.1:1", DeviceID: er.DeviceID, Name: "bench", Token: er.Token, Key: priv}
	fill := func(path string, enrolled bool) error {
		st, err := store.Open(ctx, path)
		if err != nil {
			return err
		}
		defer st.Close()
		if err := id.save(ctx, st); err != nil {
			return err
		}
		var save func(context.Context, *survey.Response) error = st.SaveResponse
		var signer *Signer
		device := "local-bench"
		if enrolled {
			s, err := NewSigner(ctx, st, nil)
			if err != nil {
				return err
			}
			defer s.Close()
			save, device = s.SaveResponse, id.DeviceID
			signer = s
		}
		for i := range benchN {
			r, err := makeResponse(i, device)
			if err == nil {
				err = save(ctx, r)
			}
			if err != nil {
				return err
			}
		}
		if signer != nil {
			// Saving 100 000 at once outruns the Signer's queue (a kiosk saves
			// one a minute); sign what it left, as it would have.
			signer.Close()
			rows, err := st.PendingAfter(ctx, 0, benchN)
			if err != nil {
				return err
			}
			for _, o := range rows {
				if o.Signature == nil {
					it, err := protocol.Sign(id.Key, o.Response)
					if err == nil {
						err = st.SetSignature(ctx, o.Response.ID, it.Signature)
					}
					if err != nil {
						return err
					}
				}
			}
		}
		return st.Close()
	}
	f.signed, f.unsigned = filepath.Join(dir, "signed.db"), filepath.Join(dir, "unsigned.db")
	if err := fill(f.signed, true); err != nil {
		return f, err
	}
	return f, fill(f.unsigned, false)
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

// syncOnce copies the fixture's hub database and the kiosk database kiosk
// to disk, starts the hub on 127.0.0.1, points the kiosk at it and times
// one Sync that drains the kiosk's outbox.
func syncOnce(b *testing.B, f benchFixture, kiosk string) time.Duration {
	b.Helper()
	ctx := context.Background()
	dir := b.TempDir()
	path := filepath.Join(dir, "kiosk.db")
	copyFile(b, kiosk, path)
	copyFile(b, f.hub, filepath.Join(dir, "hub.db"))
	hs, err := sqlite.Open(ctx, filepath.Join(dir, "hub.db"))
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(hub.New(hub.Config{Store: hs, Logger: slog.New(slog.DiscardHandler)}))
	defer func() { srv.Close(); hs.Close() }()
	st, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if err := st.SetSettings(ctx, map[string]string{KeyHubURL: srv.URL}); err != nil {
		b.Fatal(err)
	}
	u := New(kioskStore{st}, Options{HTTP: &http.Client{Timeout: time.Minute}, Logger: slog.New(slog.DiscardHandler)})
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
	rs, err := st.Pending(ctx, benchN) // the unsigned fixture: same content, no stored signatures
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
		items[i] = hub.Incoming{Response: it.Response.ToResponse(), Content: content, Signature: it.Signature}
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

// BenchmarkSync100k measures an enrolled kiosk with 100 000 pending
// responses, signed when they were saved, syncing them all to a real hub
// over loopback: read the outbox, encode, POST in batches of 500, the hub's
// checks and commit, and marking synced.
func BenchmarkSync100k(b *testing.B) {
	f, err := benchSource()
	if err != nil {
		b.Fatal(err)
	}
	var total time.Duration
	for range b.N {
		total += syncOnce(b, f, f.signed)
	}
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(total.Seconds()/float64(b.N), "s/sync")
}

// BenchmarkHubRawIngest100k is the baseline: the same 100 000 rows, already
// signed and canonically encoded, handed straight to the hub's SQLite store
// in batches of 500 (Store.Ingest: one transaction each), with no HTTP, no
// checks and no kiosk side.
func BenchmarkHubRawIngest100k(b *testing.B) {
	f, err := benchSource()
	if err != nil {
		b.Fatal(err)
	}
	items, _ := rawItems(b, f.unsigned)
	var total time.Duration
	for range b.N {
		total += rawOnce(b, items)
	}
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(total.Seconds()/float64(b.N), "s/ingest")
}

// BenchmarkSyncVsRaw100k alternates, on the same rows, the kiosk's sync of
// responses signed at save (the target's case: an enrolled laptop that
// collected offline), the hub's raw ingest, the sync of the same responses
// saved before enrollment (signed during the sync), and (for context) the
// hub alone taking pre-signed batches over HTTP, rotating the order each
// time so that all meet the same load from the rest of a shared machine;
// it reports the medians and the ratios. Target: sync ≤ 3× raw.
//
//	go test -c -o /tmp/clientbench.test ./sync/client
//	cd sync/client && /tmp/clientbench.test -test.run '^$' -test.bench SyncVsRaw100k -test.benchtime 5x
func BenchmarkSyncVsRaw100k(b *testing.B) {
	f, err := benchSource()
	if err != nil {
		b.Fatal(err)
	}
	items, rs := rawItems(b, f.unsigned)
	var syncs, unsigned, raws, https []time.Duration
	steps := []func(){
		func() { syncs = append(syncs, syncOnce(b, f, f.signed)) },
		func() { raws = append(raws, rawOnce(b, items)) },
		func() { unsigned = append(unsigned, syncOnce(b, f, f.unsigned)) },
		func() { https = append(https, httpOnce(b, rs)) },
	}
	for i := range b.N {
		for k := range steps {
			steps[(i+k)%len(steps)]()
		}
	}
	ms, mu, mr, mh := median(syncs), median(unsigned), median(raws), median(https)
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(ms.Seconds(), "s/sync")
	b.ReportMetric(mu.Seconds(), "s/sync-unsigned")
	b.ReportMetric(mr.Seconds(), "s/raw")
	b.ReportMetric(mh.Seconds(), "s/hub-http")
	b.ReportMetric(ms.Seconds()/mr.Seconds(), "sync/raw")
	b.ReportMetric(mu.Seconds()/mr.Seconds(), "unsigned/raw")
	b.Logf("sync %v; sync unsigned %v; raw %v; hub over HTTP %v", syncs, unsigned, raws, https)
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
