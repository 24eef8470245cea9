package hub_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/survey/surveytest"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/hubtest"
	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// TestPublishBuiltinSurveys: a new hub knows the kiosk's built-in surveys,
// byte for byte, and publishing them again changes nothing.
func TestPublishBuiltinSurveys(t *testing.T) {
	ctx := context.Background()
	s := hubtest.Start(t)
	for range 2 {
		if err := s.Hub.PublishBuiltinSurveys(ctx); err != nil {
			t.Fatal(err)
		}
	}
	defs, err := survey.BuiltinDefinitions()
	if err != nil {
		t.Fatal(err)
	}
	pubs, err := s.Store.Surveys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(pubs) != len(defs) || len(defs) < 4 {
		t.Fatalf("%d surveys published for %d built-in ones", len(pubs), len(defs))
	}
	for _, d := range defs {
		ps, err := s.Store.Survey(ctx, d.Survey.ID, d.Survey.Version)
		if err != nil || string(ps.Definition) != string(d.Raw) {
			t.Errorf("%s v%d: %v, or published bytes differ from the kiosk's", d.Survey.ID, d.Survey.Version, err)
		}
	}
	// Both SIPAS-style versions: kiosks pull the newest, answers to the
	// old one stay accepted (TestSessionResponsesAccepted walks both).
	for _, v := range []int{1, 2} {
		if _, err := s.Store.Survey(ctx, "sipas", v); err != nil {
			t.Errorf("sipas v%d not published: %v", v, err)
		}
	}
	latest, err := s.Store.LatestSurveys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range latest {
		if p.ID == "sipas" && p.Version != 2 {
			t.Errorf("kiosks pull sipas v%d, want 2", p.Version)
		}
	}
}

// TestPublishBuiltinKeepsOperatorsVersion: an operator who published a
// different definition under a built-in id and version keeps it.
func TestPublishBuiltinKeepsOperatorsVersion(t *testing.T) {
	ctx := context.Background()
	s := hubtest.Start(t)
	own := []byte(`{"id": "mot-cua-nhanh", "version": 1, "title": {"vi": "Của phường"},
		"questions": [{"code": "q1", "type": "rating3", "text": {"vi": "Hài lòng?"}}]}`)
	s.Publish(t, own)
	if err := s.Hub.PublishBuiltinSurveys(ctx); err != nil {
		t.Fatalf("PublishBuiltinSurveys over an operator's version: %v", err)
	}
	ps, err := s.Store.Survey(ctx, "mot-cua-nhanh", 1)
	if err != nil || string(ps.Definition) != string(own) {
		t.Errorf("operator's definition replaced: %v %s", err, ps.Definition)
	}
	if _, err := s.Store.Survey(ctx, "sipas", 1); err != nil {
		t.Errorf("the other built-ins were not published: %v", err)
	}
}

// TestSessionResponsesAccepted is the hub's side of survey's
// TestSessionResponsesPass: every response a Session ends with over the
// built-in surveys, saved in a real kiosk store and read back from its
// outbox, is accepted by a new hub over HTTP.
func TestSessionResponsesAccepted(t *testing.T) {
	ctx := context.Background()
	s := hubtest.Start(t)
	if err := s.Hub.PublishBuiltinSurveys(ctx); err != nil {
		t.Fatal(err)
	}
	d := s.Enroll(t, "Kiosk 1", "Phường Hoàn Kiếm")
	kiosk, err := store.Open(ctx, filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer kiosk.Close()
	all, err := survey.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	walks := 1500
	if testing.Short() {
		walks = 200
	}
	rng := rand.New(rand.NewPCG(7, 2026))
	start := time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)
	saved := 0
	for i := range walks {
		r, err := surveytest.Walk(rng, all[i%len(all)], start)
		if err != nil {
			t.Fatal(err)
		}
		if r == nil {
			continue
		}
		r.DeviceID = "" // saved before enrollment: the uploader stamps it
		if err := kiosk.SaveResponse(ctx, r); err != nil {
			t.Fatalf("the kiosk store refuses a Session's response: %v\n%+v", err, r)
		}
		saved++
	}
	sent := 0
	for after := int64(0); ; {
		page, err := kiosk.PendingAfter(ctx, after, protocol.MaxBatchItems)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		items := make([]protocol.Item, len(page))
		for i, o := range page {
			items[i] = d.Sign(t, o.Response)
		}
		for i, res := range upload(t, s, d, items...) {
			if res.Outcome != protocol.Accepted {
				t.Errorf("hub answered %s (%s: %s) for\n%+v", res.Outcome, res.Reason, res.Message, items[i].Response)
			}
		}
		sent += len(page)
		after = page[len(page)-1].Seq
	}
	if sent != saved || saved < walks/2 {
		t.Errorf("sent %d of %d saved responses (%d walks)", sent, saved, walks)
	}
	if n := countRows(t, s); n != saved {
		t.Errorf("hub holds %d responses, want %d", n, saved)
	}
}

// TestPublishBuiltinSurveysLogsOnce: a fresh hub says in one line which
// built-in surveys it published, and a later start says nothing.
func TestPublishBuiltinSurveysLogsOnce(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var logs bytes.Buffer
	h := hub.New(hub.Config{Store: st, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	defs, err := survey.BuiltinDefinitions()
	if err != nil {
		t.Fatal(err)
	}
	for start := range 2 {
		logs.Reset()
		if err := h.PublishBuiltinSurveys(ctx); err != nil {
			t.Fatal(err)
		}
		lines := strings.Count(logs.String(), "\n")
		switch {
		case start == 0 && (lines != 1 || !strings.Contains(logs.String(), fmt.Sprintf("count=%d", len(defs)))):
			t.Errorf("fresh hub logged %d lines, want one naming %d surveys:\n%s", lines, len(defs), logs.String())
		case start == 1 && lines != 0:
			t.Errorf("second start logged:\n%s", logs.String())
		}
	}
}
