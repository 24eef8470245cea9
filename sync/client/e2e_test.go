package client

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/hubtest"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// startHub starts a real hub on 127.0.0.1 with the built-in quick rating
// survey published.
func startHub(t testing.TB) *hubtest.Server {
	t.Helper()
	srv := hubtest.Start(t)
	raw, err := os.ReadFile("../../assets/surveys/mot-cua-nhanh.json")
	if err != nil {
		t.Fatal(err)
	}
	srv.Publish(t, raw)
	return srv
}

// fastDir is a directory for a kiosk store that a test fills with many
// responses: on tmpfs when the machine has one, so that one fsync per saved
// response does not dominate the test. The store is the same SQLite code.
func fastDir(t testing.TB) string {
	t.Helper()
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if dir, err := os.MkdirTemp("/dev/shm", "hailong-client-"); err == nil {
			t.Cleanup(func() { os.RemoveAll(dir) })
			return dir
		}
	}
	return t.TempDir()
}

// hubRows returns every response the hub holds, by id.
func hubRows(t testing.TB, srv *hubtest.Server) map[string]*survey.Response {
	t.Helper()
	out := map[string]*survey.Response{}
	for r, err := range srv.Store.Responses(context.Background(), hub.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		if out[r.ID] != nil {
			t.Fatalf("hub returns %s twice", r.ID)
		}
		out[r.ID] = r
	}
	return out
}

// checkDelivered checks that the hub holds exactly the kiosk's responses,
// with the same content, and that the kiosk marked every one synced.
func checkDelivered(t *testing.T, srv *hubtest.Server, st kioskStore, device string, ids []string) {
	t.Helper()
	ctx := context.Background()
	rows := hubRows(t, srv)
	if len(rows) != len(ids) {
		t.Errorf("hub holds %d responses, want exactly %d", len(rows), len(ids))
	}
	lost := 0
	for _, id := range ids {
		got := rows[id]
		if got == nil {
			lost++
			continue
		}
		want, err := st.Response(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		want.DeviceID = device
		a, _ := protocol.Canonical(protocol.NewResponseV1(want))
		b, _ := protocol.Canonical(protocol.NewResponseV1(got))
		if !bytes.Equal(a, b) {
			t.Errorf("response %s differs at the hub:\n kiosk %s\n hub   %s", id, a, b)
		}
	}
	if lost > 0 {
		t.Errorf("%d responses lost", lost)
	}
	if s := stats(t, st); s.Synced != len(ids) || s.Pending != 0 || s.Rejected != 0 {
		t.Errorf("kiosk outbox %+v, want all %d synced", s, len(ids))
	}
}

// runUntilDrained runs u until a sync ends with nothing pending and no
// error, then stops it.
func runUntilDrained(t *testing.T, u *Uploader, limit time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	drained := make(chan struct{})
	var once sync.Once
	stop := u.Subscribe(func(s Status) {
		if !s.Syncing && s.Enrolled && s.LastError == nil && s.Pending == 0 && !s.LastAttempt.IsZero() {
			once.Do(func() { close(drained) })
		}
	})
	defer stop()
	done := make(chan error, 1)
	go func() { done <- u.Run(ctx) }()
	select {
	case <-drained:
	case <-ctx.Done():
		t.Errorf("outbox not drained within %v; status %+v", limit, u.Status())
	}
	cancel()
	if err := <-done; err != nil {
		t.Error(err)
	}
}

// TestTenThousandThroughFaultyProxy sends 10 000 responses to a real hub
// through a proxy that drops connections after the hub committed, answers
// 500 before or after forwarding, and stalls until the client times out.
// The hub must end with exactly the 10 000, and the kiosk with all synced.
func TestTenThousandThroughFaultyProxy(t *testing.T) {
	if testing.Short() {
		t.Skip("10 000 responses")
	}
	const n = 10_000
	srv := startHub(t)
	st := openStoreAt(t, filepath.Join(fastDir(t), "kiosk.db"))
	ids := fill(t, st, n, "")

	// Every other batch request meets a fault, in a fixed cycle; stalls are
	// limited because each costs a client timeout.
	cycle := []fault{dropAfter, error500Before, error500After, dropBefore, stallAfter, stallBefore}
	var mu sync.Mutex
	batchReqs, stalls := 0, 0
	proxy := newFaultProxy(t, srv.URL, func(_ int, r *http.Request) fault {
		if r.URL.Path != protocol.PathBatch {
			return pass
		}
		mu.Lock()
		defer mu.Unlock()
		batchReqs++
		if batchReqs%2 == 1 {
			return pass
		}
		f := cycle[(batchReqs/2)%len(cycle)]
		if f == stallAfter || f == stallBefore {
			if stalls >= 6 {
				return dropAfter
			}
			stalls++
		}
		return f
	})
	hc := &http.Client{Timeout: time.Second}
	id, err := Enroll(context.Background(), st, hc, proxy.URL(), srv.NewCode(t, "Quầy 1", "Phường Hoàn Kiếm"))
	if err != nil {
		t.Fatal(err)
	}
	u := New(st, Options{
		HTTP:       hc,
		Backoff:    Backoff{Base: time.Millisecond, Max: 10 * time.Millisecond},
		BatchItems: 250,
		Interval:   time.Hour,
	})
	runUntilDrained(t, u, 5*time.Minute)

	counts, forwarded := proxy.Counts()
	t.Logf("proxy: %v faults, %d requests reached the hub", counts, forwarded)
	for f := dropAfter; f < numFaults; f++ {
		if counts[f] == 0 {
			t.Errorf("fault %s never injected", f)
		}
	}
	checkDelivered(t, srv, st, id.DeviceID, ids)
}

// outcomeRecorder counts the outcomes in every batch answer that passes.
type outcomeRecorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	seen map[protocol.Outcome]int
}

func (o *outcomeRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := o.next.RoundTrip(r)
	if err != nil || r.URL.Path != protocol.PathBatch || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	var br protocol.BatchResult
	if json.Unmarshal(body, &br) == nil {
		o.mu.Lock()
		for k, v := range br.Counts() {
			o.seen[k] += v
		}
		o.mu.Unlock()
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// TestBundleThenNetwork: a laptop exports a bundle, the hub imports it
// (twice: nothing changes), and when the laptop later reaches the hub over
// the network the hub answers duplicate for everything and the laptop
// marks all synced, sending nothing twice into the hub's table.
func TestBundleThenNetwork(t *testing.T) {
	ctx := context.Background()
	srv := startHub(t)
	st := openStoreAt(t, filepath.Join(fastDir(t), "kiosk.db"))
	ids := fill(t, st, 1203, "")
	id, err := Enroll(ctx, st, nil, srv.URL, srv.NewCode(t, "Laptop lưu động", "KCN Thăng Long"))
	if err != nil {
		t.Fatal(err)
	}
	path, n, err := ExportBundle(ctx, st, t.TempDir(), base)
	if err != nil || n != len(ids) {
		t.Fatalf("ExportBundle = %d, %v", n, err)
	}
	for round, want := range []protocol.Outcome{protocol.Accepted, protocol.Duplicate} {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := srv.Hub.Import(ctx, f)
		f.Close()
		if err != nil {
			t.Fatalf("import %d: %v", round+1, err)
		}
		if rep.Outcomes[want] != len(ids) || len(rep.Rejected) != 0 {
			t.Errorf("import %d: %v, rejected %v; want %d %s", round+1, rep.Outcomes, rep.Rejected, len(ids), want)
		}
	}
	if got := len(hubRows(t, srv)); got != len(ids) {
		t.Fatalf("hub holds %d after the imports", got)
	}
	if s := stats(t, st); s.Pending != len(ids) {
		t.Fatalf("kiosk %+v: still pending until the hub says so", s)
	}

	rec := &outcomeRecorder{next: http.DefaultTransport, seen: map[protocol.Outcome]int{}}
	u := New(st, Options{HTTP: &http.Client{Transport: rec, Timeout: 30 * time.Second}})
	if err := u.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if rec.seen[protocol.Duplicate] != len(ids) || len(rec.seen) != 1 {
		t.Errorf("hub answered %v, want %d duplicates only", rec.seen, len(ids))
	}
	checkDelivered(t, srv, st, id.DeviceID, ids)
}

// TestResumeAfterRestart stops the uploader while a batch the hub has
// committed is unanswered (the connection drops and the kiosk shuts down),
// then a new uploader over the reopened store finishes the job.
func TestResumeAfterRestart(t *testing.T) {
	ctx := context.Background()
	srv := startHub(t)
	path := filepath.Join(fastDir(t), "kiosk.db")
	st := openStoreAt(t, path)
	ids := fill(t, st, 2000, "")

	runCtx, stopRun := context.WithCancel(ctx)
	defer stopRun()
	batches := 0
	proxy := newFaultProxy(t, srv.URL, func(_ int, r *http.Request) fault {
		if r.URL.Path != protocol.PathBatch {
			return pass
		}
		batches++
		if batches == 4 {
			return dropAfter
		}
		return pass
	})
	proxy.forwarded = func(_ *http.Request, f fault) {
		if f == dropAfter {
			stopRun() // the kiosk is switched off once the hub committed batch 4
		}
	}
	id, err := Enroll(ctx, st, nil, proxy.URL(), srv.NewCode(t, "Quầy 2", ""))
	if err != nil {
		t.Fatal(err)
	}
	u := New(st, Options{BatchItems: 200, Interval: time.Hour})
	if err := u.Run(runCtx); err != nil {
		t.Fatal(err)
	}
	// The uploader keeps inFlight batches at the hub: when the kiosk stops
	// on batch 4's lost answer, batch 3's answer may not be applied yet,
	// and the batch sent beside batch 4 may or may not have been committed
	// and answered. Either way batch 4 is on the hub and not marked synced.
	s := stats(t, st)
	if s.Synced%200 != 0 || s.Synced < 400 || s.Synced > 600+(inFlight-1)*200 || s.Synced+s.Pending != 2000 {
		t.Fatalf("after the stop: %+v, want the batches answered before batch 4 synced, the rest pending", s)
	}
	if got := len(hubRows(t, srv)); got < max(s.Synced, 600)+200 || got > 800+(inFlight-1)*200 {
		t.Fatalf("hub holds %d with %d synced on the kiosk, want batch 4 committed, unanswered", got, s.Synced)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st2 := openStoreAt(t, path)
	u2 := New(st2, Options{BatchItems: 200, Interval: time.Hour})
	runUntilDrained(t, u2, 2*time.Minute)
	checkDelivered(t, srv, st2, id.DeviceID, ids)
}

// TestRealHubRejectsAndRevokes covers the answers a real hub gives that
// take items out of the outbox for good, and a revoked device.
func TestRealHubRejectsAndRevokes(t *testing.T) {
	ctx := context.Background()
	srv := startHub(t)
	st := openStore(t)
	id, err := Enroll(ctx, st, nil, srv.URL, srv.NewCode(t, "Quầy 3", ""))
	if err != nil {
		t.Fatal(err)
	}
	good := fill(t, st, 3, "")
	bad := newResponse(t, 10, "")
	bad.SurveyVersion = 99 // never published
	if err := st.SaveResponse(ctx, bad); err != nil {
		t.Fatal(err)
	}
	wrong := newResponse(t, 11, "")
	wrong.Answers["thai_do"] = []string{"khong-co-ma-nay"} // not an option of the question
	if err := st.SaveResponse(ctx, wrong); err != nil {
		t.Fatal(err)
	}
	u := New(st, Options{})
	if err := u.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	// unknown_survey is "not yet": bad stays pending, waiting.
	if s := stats(t, st); s.Synced != 3 || s.Rejected != 1 || s.Pending != 1 || s.Waiting != 1 {
		t.Errorf("stats = %+v", s)
	}
	if s := u.Status(); s.LastError != nil || s.LastRejected != 1 || s.Waiting != 1 {
		t.Errorf("status = %+v: a sync with a rejection and a waiting response is not a plain success", s)
	}
	rej, err := st.RejectedItems(ctx)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{}
	for _, r := range rej {
		codes[r.ID] = ReasonCode(r.Reason)
	}
	if codes[wrong.ID] != protocol.ReasonInvalidAnswers || len(codes) != 1 {
		t.Errorf("rejection codes = %v", codes)
	}
	// Rejected items are not retried, nor waiting ones while the hub's
	// surveys do not change: the next sync sends no batch.
	if err := u.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if s := u.Status(); s.LastRejected != 0 {
		t.Errorf("second sync: status %+v", s)
	}
	if got := len(hubRows(t, srv)); got != len(good) {
		t.Errorf("hub holds %d, want %d", got, len(good))
	}

	// The survey pulled from the hub is stored for the kiosk.
	if _, err := st.SurveyDef(ctx, "mot-cua-nhanh", 1); err != nil {
		t.Errorf("published survey not pulled: %v", err)
	}
	if tag, _, _ := st.Setting(ctx, KeySurveysETag); tag == "" {
		t.Error("no ETag kept")
	}

	if err := srv.Store.RevokeDevice(ctx, id.DeviceID, time.Now()); err != nil {
		t.Fatal(err)
	}
	fill(t, st, 1, "")
	if err := u.Sync(ctx); KindOf(err) != KindRevoked {
		t.Errorf("sync after revoke = %v, want revoked", err)
	}
	if s := stats(t, st); s.Pending != 2 {
		t.Errorf("after revoke %+v: the response stays pending", s)
	}
}

// TestUnknownSurveyWaitsForPublish: a response to a survey version the
// real hub does not know stays pending ("not yet"); it is not sent again
// at every sync, but after the admin asks for a sync and after a survey
// pull that brings a new list; once the version is published it is
// accepted. A bundle written meanwhile carries it.
func TestUnknownSurveyWaitsForPublish(t *testing.T) {
	ctx := context.Background()
	srv := startHub(t)
	st := openStore(t)
	if _, err := Enroll(ctx, st, nil, srv.URL, srv.NewCode(t, "Quầy 4", "")); err != nil {
		t.Fatal(err)
	}
	fill(t, st, 2, "")
	early := newResponse(t, 10, "")
	early.SurveyVersion = 2 // the kiosk runs a version the hub has not got yet
	if err := st.SaveResponse(ctx, early); err != nil {
		t.Fatal(err)
	}
	rec := &outcomeRecorder{next: http.DefaultTransport, seen: map[protocol.Outcome]int{}}
	u := New(st, Options{HTTP: &http.Client{Transport: rec, Timeout: 30 * time.Second}})
	refused := func() int {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		return rec.seen[protocol.Rejected]
	}

	if err := u.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if s := stats(t, st); s != (SyncStats{Pending: 1, Synced: 2, Waiting: 1}) {
		t.Fatalf("after the first sync: %+v", s)
	}
	if s := u.Status(); s.Waiting != 1 || s.LastRejected != 0 || s.LastError != nil {
		t.Errorf("status %+v", s)
	}
	if rows, _ := st.RejectedItems(ctx); len(rows) != 0 {
		t.Errorf("a not-yet answer listed as rejected: %+v", rows)
	}
	sent := refused()
	if sent == 0 {
		t.Fatal("the hub never answered unknown_survey")
	}

	// Nothing changed at the hub: the waiting response is not sent again.
	if err := u.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if refused() != sent {
		t.Errorf("waiting response sent again with nothing new at the hub (%d → %d refusals)", sent, refused())
	}
	// The admin presses "Đồng bộ ngay": it is tried again.
	u.SyncNow()
	if err := u.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if refused() != sent+1 {
		t.Errorf("after SyncNow: %d refusals, want %d", refused(), sent+1)
	}

	// Meanwhile a bundle carries it.
	var buf bytes.Buffer
	if n, err := WriteBundle(ctx, st, &buf, time.Now()); err != nil || n != 1 {
		t.Errorf("bundle holds %d (%v), want the waiting response", n, err)
	}

	// Published at the hub: the next sync's pull brings a new list, and the
	// response goes.
	raw, err := os.ReadFile("../../assets/surveys/mot-cua-nhanh.json")
	if err != nil {
		t.Fatal(err)
	}
	srv.Publish(t, bytes.Replace(raw, []byte(`"version": 1`), []byte(`"version": 2`), 1))
	if err := u.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if s := stats(t, st); s != (SyncStats{Synced: 3}) {
		t.Errorf("after publishing: %+v", s)
	}
	if got := hubRows(t, srv)[early.ID]; got == nil || got.SurveyVersion != 2 {
		t.Errorf("hub holds %+v", got)
	}
}
