package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

func TestSyncAppliesPerItemOutcomes(t *testing.T) {
	ctx := context.Background()
	h := newScriptedHub(t)
	st := openStore(t)
	h.pub = enrollDirect(t, st, h.srv.URL, "dev-1")
	// Saved before enrollment with no device id: stamped with dev-1 when sent.
	ids := fill(t, st, 6, "")
	outcome := map[string]protocol.Result{
		ids[0]: {Outcome: protocol.Accepted},
		ids[1]: {Outcome: protocol.Duplicate},
		ids[2]: {Outcome: protocol.Conflict, Reason: protocol.ReasonConflict, Message: "different content"},
		ids[3]: {Outcome: protocol.Rejected, Reason: protocol.ReasonUnknownSurvey, Message: "survey x version 9 is not published"},
		ids[5]: {Outcome: protocol.Accepted},
	}
	h.answer = func(it protocol.Item) (protocol.Result, bool) {
		if it.Response.DeviceID != "dev-1" {
			t.Errorf("item %s sent with device %q, want dev-1", it.Response.ID, it.Response.DeviceID)
		}
		r, ok := outcome[it.Response.ID]
		r.ID = it.Response.ID
		return r, ok // ids[4] gets no answer
	}
	u := New(st, Options{})
	err := u.Sync(ctx)
	if KindOf(err) != KindProtocol {
		t.Fatalf("Sync = %v, want a protocol error for the item the hub never answers", err)
	}
	// unknown_survey is "not yet": ids[3] stays pending, waiting.
	if got, want := stats(t, st), (SyncStats{Pending: 2, Synced: 3, Rejected: 1, Waiting: 1}); got != want {
		t.Errorf("stats = %+v, want %+v", got, want)
	}
	pending, err := st.PendingAfter(ctx, 0, 10)
	if err != nil || len(pending) != 2 || pending[0].Response.ID != ids[3] || pending[1].Response.ID != ids[4] {
		t.Fatalf("pending = %v (%v), want %s and %s", pending, err, ids[3], ids[4])
	}
	if got := pending[0].Waiting; got != "unknown_survey: survey x version 9 is not published" || ReasonCode(got) != protocol.ReasonUnknownSurvey {
		t.Errorf("waiting reason = %q (code %q)", got, ReasonCode(got))
	}
	if pending[1].Waiting != "" {
		t.Errorf("unanswered item marked waiting: %q", pending[1].Waiting)
	}
	rej, err := st.RejectedItems(ctx)
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for _, r := range rej {
		reasons[r.ID] = r.Reason
	}
	if got := reasons[ids[2]]; got != "conflict: different content" {
		t.Errorf("conflict reason = %q", got)
	}
	if got := h.batchSizes(); !slices.Equal(got, []int{6, 1}) {
		t.Errorf("batches = %v, want [6 1]: rejected items must not be resent", got)
	}
	s := u.Status()
	if s.LastError == nil || s.LastError.Kind != KindProtocol || s.Pending != 2 || s.Waiting != 1 || s.Synced != 3 || s.Rejected != 1 || s.LastRejected != 1 {
		t.Errorf("status = %+v", s)
	}
	if key := s.ErrorKey(); key != "sync.error.protocol" {
		t.Errorf("message key = %q", key)
	}
}

func TestSyncSplitsIntoBatches(t *testing.T) {
	h := newScriptedHub(t)
	st := openStore(t)
	h.pub = enrollDirect(t, st, h.srv.URL, "dev-1")
	fill(t, st, 20, "dev-1")
	var answered []int
	u := New(st, Options{BatchItems: 7, AfterBatch: func(n int) { answered = append(answered, n) }})
	if err := u.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Two batches are at the hub at once, so they may arrive in either
	// order; their marks are applied in outbox order (AfterBatch).
	if got := h.batchSizes(); !slices.Equal(slices.Sorted(slices.Values(got)), []int{6, 7, 7}) {
		t.Errorf("batches = %v, want 7, 7 and 6 items", got)
	}
	if !slices.Equal(answered, []int{7, 7, 6}) {
		t.Errorf("AfterBatch saw %v", answered)
	}
	if got := stats(t, st); got.Pending != 0 || got.Synced != 20 {
		t.Errorf("stats = %+v", got)
	}
	s := u.Status()
	if s.LastError != nil || s.LastSuccess.IsZero() || s.Pending != 0 || s.Synced != 20 || !s.Enrolled {
		t.Errorf("status = %+v", s)
	}
}

func TestSyncHalvesBatchOn413(t *testing.T) {
	h := newScriptedHub(t)
	st := openStore(t)
	enrollDirect(t, st, h.srv.URL, "dev-1")
	fill(t, st, 10, "dev-1")
	h.statuses = []int{413}
	u := New(st, Options{BatchItems: 10})
	if err := u.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := h.batchSizes(); !slices.Equal(got, []int{5, 5}) {
		t.Errorf("batches after a 413 = %v, want [5 5]", got)
	}
}

func TestEncodeBatchByteLimit(t *testing.T) {
	st := openStore(t)
	enrollDirect(t, st, "http://127.0.0.1:1", "dev-1")
	id, _, err := LoadIdentity(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	comment := strings.Repeat("Thủ tục quá rườm rà ", 190) // ~4000 characters, ~5 KB of UTF-8
	batch := fillResponses(t, 1200, func(i int, r *survey.Response) {
		r.Answers["y_kien"] = []string{comment}
		for k := range 3 {
			r.Answers[string(rune('a'+k))+"_note"] = []string{comment}
		}
	})
	mark, err := protocol.SignMark(id.Key, id.DeviceID, 1, 1200, time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	eb, err := encodeBatch(id, outgoing(batch), mark) // the mark takes room too
	if err != nil {
		t.Fatal(err)
	}
	body, ids, tooBig := eb.body, eb.ids, eb.tooBig
	if len(body) > protocol.MaxBatchBytes {
		t.Fatalf("batch is %d bytes, over %d", len(body), protocol.MaxBatchBytes)
	}
	if len(ids) == 0 || len(ids) >= len(batch) || len(tooBig) != 0 {
		t.Fatalf("encodeBatch took %d of %d (too big %d): want a strict, non-empty prefix", len(ids), len(batch), len(tooBig))
	}
	b, err := protocol.ParseBatch(body)
	if err != nil {
		t.Fatalf("hub would refuse the batch: %v", err)
	}
	if b.Mark == nil || b.Mark.Seq != 1200 {
		t.Fatalf("batch mark %+v, want 1200", b.Mark)
	}
	for i, it := range b.Items {
		if it.Response.ID != batch[i].ID {
			t.Fatalf("item %d is %s, want %s (order kept)", i, it.Response.ID, batch[i].ID)
		}
	}

	huge := fillResponses(t, 2, func(i int, r *survey.Response) {
		if i == 0 {
			for k := range 1000 {
				r.Answers[fmt.Sprintf("q%d", k)] = []string{comment}
			}
		}
	})
	eb, err = encodeBatch(id, outgoing(huge), nil)
	if err != nil {
		t.Fatal(err)
	}
	ids, tooBig = eb.ids, eb.tooBig
	if len(tooBig) != 1 || tooBig[0].ID != huge[0].ID || len(ids) != 1 || ids[0] != huge[1].ID {
		t.Errorf("huge response: ids %v, tooBig %d; want the huge one set aside and the other sent", ids, len(tooBig))
	}
}

func TestSyncErrorKinds(t *testing.T) {
	tests := []struct {
		status int
		want   Kind
	}{
		{401, KindUnauthorized},
		{403, KindRevoked},
		{500, KindServer},
		{503, KindServer},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			h := newScriptedHub(t)
			st := openStore(t)
			enrollDirect(t, st, h.srv.URL, "dev-1")
			fill(t, st, 3, "dev-1")
			h.statuses = []int{tt.status}
			u := New(st, Options{})
			err := u.Sync(context.Background())
			if KindOf(err) != tt.want {
				t.Errorf("Sync = %v, want kind %s", err, tt.want)
			}
			if got := stats(t, st); got.Pending != 3 {
				t.Errorf("stats = %+v: nothing may leave the outbox on a failed request", got)
			}
			if s := u.Status(); s.LastError == nil || s.LastError.Kind != tt.want {
				t.Errorf("status error = %v", s.LastError)
			}
		})
	}
}

func TestSyncNotEnrolled(t *testing.T) {
	st := openStore(t)
	fill(t, st, 2, "")
	u := New(st, Options{})
	err := u.Sync(context.Background())
	if !errors.Is(err, errNotEnrolled) {
		t.Fatalf("Sync = %v, want not enrolled", err)
	}
	s := u.Status()
	if s.Enrolled || s.Pending != 2 || s.LastError != nil {
		t.Errorf("status = %+v", s)
	}
}

func TestRunBacksOffThenRecovers(t *testing.T) {
	h := newScriptedHub(t)
	st := openStore(t)
	enrollDirect(t, st, h.srv.URL, "dev-1")
	fill(t, st, 4, "dev-1")
	h.statuses = []int{500, 502, 500, 500}
	clock := newFakeClock()
	statuses := make(chan Status, 100)
	u := New(st, Options{
		Clock:    clock,
		Backoff:  Backoff{Base: time.Second, Max: 3 * time.Second, Rand: func() float64 { return 0 }},
		Interval: time.Minute,
	})
	cancelSub := u.Subscribe(func(s Status) {
		if !s.Syncing && s.LastAttempt != (time.Time{}) {
			select {
			case statuses <- s:
			default:
			}
		}
	})
	defer cancelSub()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- u.Run(ctx) }()

	for i, want := range []time.Duration{500 * time.Millisecond, time.Second, 1500 * time.Millisecond, 1500 * time.Millisecond} {
		if got := clock.nextWait(t); got != want {
			t.Errorf("wait after failure %d = %v, want %v", i+1, got, want)
		}
		if s := u.Status(); s.Failures != i+1 || s.LastError == nil || s.LastError.Kind != KindServer || s.Pending != 4 {
			t.Errorf("status after failure %d = %+v", i+1, s)
		}
		clock.advance(time.Hour)
	}
	if got := clock.nextWait(t); got != time.Minute {
		t.Errorf("wait after success = %v, want the 1 minute interval", got)
	}
	s := u.Status()
	if s.Failures != 0 || s.LastError != nil || s.Pending != 0 || s.Synced != 4 || s.LastSuccess.IsZero() {
		t.Errorf("status after recovery = %+v", s)
	}
	var sawError bool
	for len(statuses) > 0 {
		if st := <-statuses; st.LastError != nil && st.ErrorKey() != "" {
			sawError = true
		}
	}
	if !sawError {
		t.Error("subscriber never saw the failures")
	}

	// Last success survives a restart: a new uploader reads it from the store.
	u2 := New(st, Options{})
	if err := u2.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := u2.Status().LastSuccess; !got.Equal(s.LastSuccess) {
		t.Errorf("last success after restart = %v, want %v", got, s.LastSuccess)
	}

	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v after cancel, want nil", err)
	}
}

func TestSyncNowCutsTheWait(t *testing.T) {
	h := newScriptedHub(t)
	h.requests = make(chan string, 100)
	st := openStore(t)
	enrollDirect(t, st, h.srv.URL, "dev-1")
	clock := newFakeClock()
	u := New(st, Options{Clock: clock, Interval: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- u.Run(ctx) }()
	if got := clock.nextWait(t); got != time.Hour {
		t.Fatalf("first wait = %v", got)
	}
	<-h.requests // the first sync's survey pull (the outbox was empty)
	fill(t, st, 3, "dev-1")
	u.SyncNow()
	if got := clock.nextWait(t); got != time.Hour {
		t.Fatalf("wait after SyncNow = %v", got)
	}
	if got := stats(t, st); got.Synced != 3 {
		t.Errorf("after SyncNow: %+v, want 3 synced without the clock moving", got)
	}
	cancel()
	if err := <-done; err != nil {
		t.Error(err)
	}
	if err := u.Run(context.Background()); err == nil {
		t.Error("second Run succeeded")
	}
}

func TestSurveyPullWithETag(t *testing.T) {
	ctx := context.Background()
	h := newScriptedHub(t)
	st := openStore(t)
	enrollDirect(t, st, h.srv.URL, "dev-1")
	raw, err := os.ReadFile("../../assets/surveys/mot-cua-nhanh.json")
	if err != nil {
		t.Fatal(err)
	}
	v2 := strings.Replace(string(raw), `"version": 1`, `"version": 2`, 1)
	h.surveys = &protocol.SurveyList{Surveys: []protocol.PublishedSurvey{
		{ID: "mot-cua-nhanh", Version: 2, Definition: []byte(v2)},
		{ID: "hong", Version: 1, Definition: []byte(`{"id":"hong","version":1,"title":{"vi":""},"questions":[]}`)},
		{ID: "khac", Version: 3, Definition: []byte(v2)}, // listing does not match the definition
	}}
	h.etag = `"e1"`
	u := New(st, Options{})
	if err := u.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := st.SurveyDef(ctx, "mot-cua-nhanh", 2)
	if err != nil {
		t.Fatalf("stored survey: %v", err)
	}
	if s, err := survey.Parse(got); err != nil || s.Version != 2 || len(s.Questions) == 0 {
		t.Fatalf("stored survey does not parse as version 2: %v", err)
	}
	defs, err := st.SurveyDefs(ctx)
	if err != nil || len(defs) != 1 {
		t.Errorf("stored %d definitions (%v), want only the valid one", len(defs), err)
	}
	if err := u.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(h.ifNone, []string{"", `"e1"`}) {
		t.Errorf("If-None-Match sent = %q", h.ifNone)
	}
	if tag, _, _ := st.Setting(ctx, KeySurveysETag); tag != `"e1"` {
		t.Errorf("stored ETag = %q", tag)
	}
}

func TestRunPausesWhenTheHubRefusesTheDevice(t *testing.T) {
	h := newScriptedHub(t)
	h.requests = make(chan string, 100)
	st := openStore(t)
	enrollDirect(t, st, h.srv.URL, "dev-1")
	fill(t, st, 2, "dev-1")
	h.statuses = []int{403}
	clock := newFakeClock()
	u := New(st, Options{Clock: clock, Interval: time.Minute})
	paused := make(chan Status, 10)
	stop := u.Subscribe(func(s Status) {
		if !s.Syncing && s.LastError != nil && s.LastError.Kind == KindRevoked && s.NextAttempt.IsZero() && s.Failures == 1 {
			paused <- s
		}
	})
	defer stop()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- u.Run(ctx) }()
	<-h.requests
	select {
	case <-paused:
	case <-time.After(20 * time.Second):
		t.Fatalf("no paused status; status %+v", u.Status())
	}
	// The admin acts (the hub lifted the block): "Đồng bộ ngay" syncs. The
	// first wait the uploader asks for is the one after that sync: it set
	// no backoff timer after the 403.
	u.SyncNow()
	if got := clock.nextWait(t); got != time.Minute {
		t.Errorf("first wait = %v, want the 1 minute interval after the manual sync (no timer while paused)", got)
	}
	if s := stats(t, st); s.Synced != 2 {
		t.Errorf("after SyncNow: %+v", s)
	}
	cancel()
	if err := <-done; err != nil {
		t.Error(err)
	}
}

// outgoing wraps responses as unsigned outbox rows numbered 1, 2, 3...
func outgoing(rs []*survey.Response) []Outgoing {
	out := make([]Outgoing, len(rs))
	for i, r := range rs {
		out[i] = Outgoing{Seq: int64(i + 1), Response: r}
	}
	return out
}
