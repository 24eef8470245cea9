package hub_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
)

// receiver is a webhook receiver on 127.0.0.1 that checks every
// delivery's signature with the clock now, answers the statuses in fail
// first (then 204), and hands each delivery to got.
type receiver struct {
	srv    *httptest.Server
	secret string
	now    func() time.Time

	mu   sync.Mutex
	fail []int
	got  []delivery
	bad  []error
}

type delivery struct {
	header http.Header
	body   []byte
	env    struct {
		ID   string          `json:"id"`
		Kind hub.EventKind   `json:"kind"`
		Data json.RawMessage `json:"data"`
	}
}

func newReceiver(t *testing.T, now func() time.Time, fail ...int) *receiver {
	t.Helper()
	rc := &receiver{now: now, fail: fail}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if err := hub.VerifyWebhook(rc.secret, r.Header, body, rc.now(), 5*time.Minute); err != nil {
			rc.bad = append(rc.bad, err)
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		d := delivery{header: r.Header.Clone(), body: body}
		if err := json.Unmarshal(body, &d.env); err != nil {
			rc.bad = append(rc.bad, err)
		}
		if len(rc.fail) > 0 {
			status := rc.fail[0]
			rc.fail = rc.fail[1:]
			d.header.Set("X-Test-Answered", http.StatusText(status))
			rc.got = append(rc.got, d)
			w.WriteHeader(status)
			return
		}
		rc.got = append(rc.got, d)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) deliveries() []delivery {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]delivery(nil), rc.got...)
}

func (rc *receiver) errors() []error {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]error(nil), rc.bad...)
}

// clock is a settable clock for hubs, deliverers and receivers.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func openStore(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func addHook(t *testing.T, st hub.Store, url string, kinds ...hub.EventKind) *hub.Webhook {
	t.Helper()
	w, err := hub.NewWebhook(url, kinds, "test", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AddWebhook(context.Background(), *w); err != nil {
		t.Fatal(err)
	}
	return w
}

func TestBackoffDelay(t *testing.T) {
	b := hub.Backoff{First: 30 * time.Second, Max: 10 * time.Minute, Jitter: 0.2, Attempts: 10}
	for _, tc := range []struct {
		attempt int
		u       float64
		want    time.Duration
	}{
		{1, 0.5, 30 * time.Second},
		{2, 0.5, time.Minute},
		{3, 0.5, 2 * time.Minute},
		{5, 0.5, 8 * time.Minute},
		{6, 0.5, 10 * time.Minute}, // capped
		{40, 0.5, 10 * time.Minute},
		{1, 0, 24 * time.Second}, // -20 %
		{1, 0.999999, 36 * time.Second},
	} {
		if got := b.Delay(tc.attempt, tc.u).Round(time.Second); got != tc.want {
			t.Errorf("Delay(%d, %g) = %s, want %s", tc.attempt, tc.u, got, tc.want)
		}
	}
}

func TestDissatisfiedShareJudge(t *testing.T) {
	r := &hub.DissatisfiedShare{Window: 20, Threshold: 0.3, MinAnswers: 5}
	for _, tc := range []struct {
		name                  string
		answers, dissatisfied int
		min                   int
		active                bool
		share                 float64
	}{
		{"no answers", 0, 0, 5, false, 0},
		{"four, all dissatisfied: too few to tell", 4, 4, 5, false, 0},
		{"five, two dissatisfied", 5, 2, 5, true, 0.4},
		{"at the threshold is not past it", 20, 6, 5, false, 0.3},
		{"just past", 20, 7, 5, true, 0.35},
		{"a minimum below 5 still suppresses", 4, 4, 2, false, 0},
		{"a higher minimum", 9, 9, 10, false, 0},
		{"the higher minimum met", 10, 4, 10, true, 0.4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r.MinAnswers = tc.min
			active, f := r.Judge(hub.AnswerWindow{Answers: tc.answers, Dissatisfied: tc.dissatisfied})
			if active != tc.active || f.Share != tc.share || f.Answers != tc.answers || f.Window != 20 || f.Threshold != 0.3 {
				t.Errorf("Judge = %v, %+v; want %v, share %g", active, f, tc.active, tc.share)
			}
			if f.Answers < hub.MinCell && f.Dissatisfied != 0 {
				t.Errorf("a suppressed window shows %d dissatisfied", f.Dissatisfied)
			}
		})
	}
	for _, tc := range []struct {
		window    int
		threshold float64
		min       int
		ok        bool
	}{{20, 0.3, 5, true}, {4, 0.3, 0, false}, {20, 0, 5, false}, {20, 1, 5, false}, {10, 0.5, 11, false}} {
		if err := hub.CheckDissatisfiedShare(tc.window, tc.threshold, tc.min); (err == nil) != tc.ok {
			t.Errorf("CheckDissatisfiedShare(%d, %g, %d) = %v", tc.window, tc.threshold, tc.min, err)
		}
	}
}

func TestDissatisfied(t *testing.T) {
	s, err := survey.Parse(quickJSON)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		q1                  string
		dissatisfied, rated bool
	}{{"hl", false, true}, {"rhl", false, true}, {"khl", true, true}, {"", false, false}, {"rkhl", false, false}} {
		r := &survey.Response{Answers: survey.Answers{"gop_y": {"Số điện thoại 0912345678"}}}
		if tc.q1 != "" {
			r.Answers["q1"] = []string{tc.q1}
		}
		d, rated := hub.Dissatisfied(s, r)
		if d != tc.dissatisfied || rated != tc.rated {
			t.Errorf("Dissatisfied(q1=%q) = %v, %v; want %v, %v", tc.q1, d, rated, tc.dissatisfied, tc.rated)
		}
		if _, ok := hub.CodedAnswers(s, r)["gop_y"]; ok {
			t.Error("CodedAnswers keeps the comment")
		}
	}
}

func TestVerifyWebhook(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"id":"evt-1"}`)
	h := http.Header{}
	h.Set(hub.HeaderTimestamp, "1800000000")
	h.Set(hub.HeaderSignature, hub.SignWebhook("whsec_x", now.Unix(), body))
	if err := hub.VerifyWebhook("whsec_x", h, body, now.Add(time.Minute), 5*time.Minute); err != nil {
		t.Fatalf("a good delivery: %v", err)
	}
	for name, check := range map[string]func() error{
		"other secret":  func() error { return hub.VerifyWebhook("whsec_y", h, body, now, 5*time.Minute) },
		"changed body":  func() error { return hub.VerifyWebhook("whsec_x", h, []byte(`{"id":"evt-2"}`), now, 5*time.Minute) },
		"replayed late": func() error { return hub.VerifyWebhook("whsec_x", h, body, now.Add(6*time.Minute), 5*time.Minute) },
		"no timestamp": func() error {
			h2 := h.Clone()
			h2.Del(hub.HeaderTimestamp)
			return hub.VerifyWebhook("whsec_x", h2, body, now, 5*time.Minute)
		},
		"timestamp moved": func() error {
			h2 := h.Clone()
			h2.Set(hub.HeaderTimestamp, "1800000060")
			return hub.VerifyWebhook("whsec_x", h2, body, now, 5*time.Minute)
		},
	} {
		if err := check(); !errors.Is(err, hub.ErrBadSignature) {
			t.Errorf("%s: %v, want ErrBadSignature", name, err)
		}
	}
}

// TestDeliveryRetriesThenRecovers: a receiver that fails three times is
// retried at 30 s, 1 min and 2 min (jitter pinned to its middle), then
// gets the event; each attempt is signed and carries the same event id;
// the delivery log shows each step.
func TestDeliveryRetriesThenRecovers(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)}
	st := openStore(t, filepath.Join(t.TempDir(), "hub.db"))
	rc := newReceiver(t, clk.Now, http.StatusServiceUnavailable, http.StatusInternalServerError, http.StatusBadGateway)
	w := addHook(t, st, rc.srv.URL+"/hook", hub.EventAlert)
	rc.secret = w.Secret
	ev, err := hub.NewEvent(hub.EventAlert, clk.Now(), map[string]string{"state": "raised"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Enqueue(ctx, ev); err != nil {
		t.Fatal(err)
	}
	d := hub.NewDeliverer(hub.DelivererConfig{Store: st, Now: clk.Now, Rand: func() float64 { return 0.5 },
		Backoff: hub.Backoff{First: 30 * time.Second, Max: time.Hour, Jitter: 0.2, Attempts: 5}})
	round := func(wantClaimed int) {
		t.Helper()
		n, err := d.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != wantClaimed {
			t.Fatalf("at %s: claimed %d, want %d", clk.Now().Format(time.TimeOnly), n, wantClaimed)
		}
	}
	log := func() hub.Delivery {
		t.Helper()
		ds, err := st.Deliveries(ctx, 10)
		if err != nil || len(ds) != 1 {
			t.Fatalf("Deliveries = %+v, %v", ds, err)
		}
		return ds[0]
	}
	start := clk.Now()
	round(1)
	if l := log(); l.State != hub.DeliveryPending || l.Attempts != 1 || l.LastStatus != 503 || !strings.Contains(l.LastError, "503") ||
		!l.NextAt.Equal(start.Add(30*time.Second)) {
		t.Fatalf("after attempt 1: %+v", l)
	}
	for _, step := range []struct {
		wait   time.Duration
		status int
	}{{30 * time.Second, 500}, {time.Minute, 502}, {2 * time.Minute, 0}} {
		clk.Add(step.wait - time.Second)
		round(0) // not yet due
		clk.Add(time.Second)
		round(1)
		l := log()
		if step.status != 0 && (l.State != hub.DeliveryPending || l.LastStatus != step.status || !l.NextAt.Equal(clk.Now().Add(2*step.wait))) {
			t.Fatalf("after waiting %s: %+v", step.wait, l)
		}
	}
	l := log()
	if l.State != hub.DeliveryDelivered || l.Attempts != 4 || l.LastStatus != 204 || l.LastError != "" {
		t.Fatalf("after recovery: %+v", l)
	}
	clk.Add(24 * time.Hour)
	round(0) // delivered: never again
	got := rc.deliveries()
	if len(got) != 4 {
		t.Fatalf("receiver got %d requests, want 4", len(got))
	}
	for i, g := range got {
		if g.env.ID != ev.ID || g.header.Get(hub.HeaderEventID) != ev.ID || g.header.Get(hub.HeaderEvent) != "alert" || string(g.body) != string(ev.Body) {
			t.Errorf("attempt %d: %v %s", i+1, g.header, g.body)
		}
	}
	if errs := rc.errors(); len(errs) != 0 {
		t.Errorf("receiver refused: %v", errs)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(d)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	counted := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetValue())
			}
			counted[mf.GetName()+" "+strings.Join(labels, ",")] = m.GetCounter().GetValue()
		}
	}
	if counted["hailong_hub_webhook_attempts_total alert,retry"] != 3 || counted["hailong_hub_webhook_attempts_total alert,delivered"] != 1 {
		t.Errorf("attempts counted %v, want 3 retries and 1 delivered", counted)
	}
}

// TestDeliveryGivesUp: after Attempts failures the delivery is failed and
// never sent again.
func TestDeliveryGivesUp(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)}
	st := openStore(t, filepath.Join(t.TempDir(), "hub.db"))
	rc := newReceiver(t, clk.Now, 500, 500, 500, 500)
	rc.secret = addHook(t, st, rc.srv.URL, hub.EventFeedback).Secret
	ev, _ := hub.NewEvent(hub.EventFeedback, clk.Now(), nil)
	if err := st.Enqueue(ctx, ev); err != nil {
		t.Fatal(err)
	}
	d := hub.NewDeliverer(hub.DelivererConfig{Store: st, Now: clk.Now, Backoff: hub.Backoff{First: time.Second, Max: time.Minute, Attempts: 3}})
	for range 10 {
		if _, err := d.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		clk.Add(time.Hour)
	}
	ds, _ := st.Deliveries(ctx, 10)
	if len(ds) != 1 || ds[0].State != hub.DeliveryFailed || ds[0].Attempts != 3 || ds[0].LastStatus != 500 {
		t.Fatalf("Deliveries = %+v", ds)
	}
	if n := len(rc.deliveries()); n != 3 {
		t.Errorf("receiver got %d requests, want 3", n)
	}
}

// TestDeliveryOnceAcrossDeliverers: three deliverers (as three hub
// processes would run) share one store; every event reaches the receiver
// once.
func TestDeliveryOnceAcrossDeliverers(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)}
	st := openStore(t, filepath.Join(t.TempDir(), "hub.db"))
	rc := newReceiver(t, clk.Now)
	rc.secret = addHook(t, st, rc.srv.URL, hub.EventAlert).Secret
	const events = 40
	for i := range events {
		ev, _ := hub.NewEvent(hub.EventAlert, clk.Now(), i)
		if err := st.Enqueue(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for range 3 {
		d := hub.NewDeliverer(hub.DelivererConfig{Store: st, Now: clk.Now, Batch: 3})
		wg.Go(func() {
			for {
				n, err := d.RunOnce(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				if n == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
	seen := map[string]int{}
	for _, g := range rc.deliveries() {
		seen[g.env.ID]++
	}
	if len(seen) != events {
		t.Errorf("receiver got %d events, want %d", len(seen), events)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("event %s received %d times", id, n)
		}
	}
}

// TestWebhooksFromUploads: uploads over HTTP give one responses event each
// (without the comment), and the dissatisfied share alert is raised once
// when a point's last answers cross the threshold, with at least 5
// answers, and cleared once when they fall back.
func TestWebhooksFromUploads(t *testing.T) {
	ctx := context.Background()
	s, dev := setup(t)
	clk := &clock{t: time.Now().Add(time.Hour)} // the deliverer's: events the hub makes now are due
	rc := newReceiver(t, clk.Now)
	rc.secret = addHook(t, s.Store, rc.srv.URL, hub.EventResponses, hub.EventAlert).Secret
	send := func(n int, code string) {
		t.Helper()
		for range n {
			r := resp(t)
			r.Answers["q1"] = []string{code}
			if code != "khl" {
				delete(r.Answers, "why")
			}
			upload(t, s, dev, dev.Sign(t, r))
		}
	}
	alerts := func() []string {
		var out []string
		for _, g := range rc.deliveries() {
			if g.env.Kind == hub.EventAlert {
				var a hub.AlertData
				if err := json.Unmarshal(g.env.Data, &a); err != nil {
					t.Fatal(err)
				}
				out = append(out, a.State+" "+a.ServicePoint)
			}
		}
		return out
	}
	d := hub.NewDeliverer(hub.DelivererConfig{Store: s.Store, Now: clk.Now})
	deliver := func() {
		t.Helper()
		for {
			n, err := d.RunOnce(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				return
			}
		}
	}
	send(4, "khl")
	deliver()
	if a := alerts(); len(a) != 0 {
		t.Fatalf("alerts on 4 answers: %v", a)
	}
	send(1, "khl")
	send(3, "khl")
	deliver()
	if a := alerts(); strings.Join(a, "|") != "raised Phường Hoàn Kiếm" {
		t.Fatalf("alerts after 8 dissatisfied = %q, want one raised", a)
	}
	// 8 dissatisfied of the last 20 still above 30 %; 6 of 20 is not.
	send(12, "hl")
	deliver()
	if a := alerts(); len(a) != 1 {
		t.Fatalf("alerts while above = %q", a)
	}
	send(2, "hl")
	deliver()
	if a := alerts(); strings.Join(a, "|") != "raised Phường Hoàn Kiếm|cleared Phường Hoàn Kiếm" {
		t.Fatalf("alerts = %q, want raised then cleared", a)
	}
	var responses int
	for _, g := range rc.deliveries() {
		if g.env.Kind != hub.EventResponses {
			continue
		}
		responses++
		var data hub.ResponsesData
		if err := json.Unmarshal(g.env.Data, &data); err != nil {
			t.Fatal(err)
		}
		if data.Count != 1 || data.Responses[0].ServicePoint != "Phường Hoàn Kiếm" || data.Responses[0].Answers["q1"] == nil {
			t.Errorf("responses event = %s", g.body)
		}
		if strings.Contains(string(g.body), "Cần thêm ghế chờ") || strings.Contains(string(g.body), "gop_y") {
			t.Errorf("responses event carries the comment: %s", g.body)
		}
	}
	if responses != 22 {
		t.Errorf("%d responses events for 22 uploads", responses)
	}
	as, err := s.Store.Alerts(ctx)
	if err != nil || len(as) != 1 || as[0].Active || as[0].Figures.Answers != 20 || as[0].Figures.Dissatisfied != 6 {
		t.Errorf("stored alerts = %+v, %v", as, err)
	}

	if errs := rc.errors(); len(errs) != 0 {
		t.Errorf("receiver refused: %v", errs)
	}
}

// TestSweepCatchesUp: an alert whose check did not run after its upload
// (the hub stopped) is raised by the next sweep, CheckAlerts(nil), and the
// events enqueued before the store was closed are delivered after it is
// opened again.
func TestSweepCatchesUp(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hub.db")
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Now().Add(time.Hour)}
	rc := newReceiver(t, clk.Now)
	rc.secret = addHook(t, st, rc.srv.URL, hub.EventResponses, hub.EventAlert).Secret
	def, err := survey.Parse(quickJSON)
	if err != nil {
		t.Fatal(err)
	}
	var items []hub.Incoming
	for range 6 {
		r := resp(t)
		r.DeviceID = "dev-x"
		in, err := hub.NewIncoming(def, r, []byte("sig"))
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, in)
	}
	if _, err := st.Ingest(ctx, items, time.Now()); err != nil { // straight to the store: no check ran
		t.Fatal(err)
	}
	h := hub.New(hub.Config{Store: st})
	crossed, err := h.CheckAlerts(ctx, nil)
	if err != nil || len(crossed) != 1 || !crossed[0].Active || crossed[0].Figures.Dissatisfied != 6 {
		t.Fatalf("sweep = %+v, %v", crossed, err)
	}
	if crossed, _ := h.CheckAlerts(ctx, nil); len(crossed) != 0 {
		t.Errorf("a second sweep crossed again: %+v", crossed)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st = openStore(t, path)
	if _, err := hub.NewDeliverer(hub.DelivererConfig{Store: st, Now: clk.Now}).RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, g := range rc.deliveries() {
		kinds = append(kinds, string(g.env.Kind))
	}
	if strings.Join(kinds, ",") != "responses,alert" && strings.Join(kinds, ",") != "alert,responses" {
		t.Errorf("after reopening, the receiver got %q, want one responses and one alert event", kinds)
	}
	if errs := rc.errors(); len(errs) != 0 {
		t.Errorf("receiver refused: %v", errs)
	}
}
