package hub_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/help"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
)

func TestHelpWaitJudge(t *testing.T) {
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	req := func(id string, waited time.Duration) hub.HelpRequest {
		return hub.HelpRequest{ID: id, ServicePoint: "Phường " + id, CreatedAt: now.Add(-waited)}
	}
	raised := func(id string, waited int) hub.Alert {
		return hub.Alert{Rule: hub.RuleHelpWait, Subject: id, ServicePoint: "Phường " + id, Active: true,
			Figures: hub.AlertFigures{WaitedMinutes: waited, LimitMinutes: 15}}
	}
	r := &hub.HelpWait{Limit: 15 * time.Minute}
	for _, tc := range []struct {
		name   string
		open   []hub.HelpRequest
		stored []hub.Alert
		want   []string // "subject active waited/limit", in order
	}{
		{"nothing open", nil, nil, nil},
		{"waiting less: no row", []hub.HelpRequest{req("a", 3*time.Minute)}, nil, nil},
		{"exactly the limit is not more", []hub.HelpRequest{req("a", 15*time.Minute)}, nil, nil},
		{"past the limit raises", []hub.HelpRequest{req("a", 15*time.Minute+time.Second)}, nil, []string{"a true 15/15"}},
		{"still waiting stays raised", []hub.HelpRequest{req("a", 40*time.Minute)}, []hub.Alert{raised("a", 39)}, []string{"a true 40/15"}},
		{"resolved clears with its last wait", nil, []hub.Alert{raised("a", 22)}, []string{"a false 22/15"}},
		{"a cleared alert is left alone", nil, []hub.Alert{{Rule: hub.RuleHelpWait, Subject: "a", Figures: hub.AlertFigures{WaitedMinutes: 22}}}, nil},
		{"other rules are not touched", nil, []hub.Alert{{Rule: hub.RuleDissatisfiedShare, Subject: "Phường a", Active: true}}, nil},
		{"clock behind the kiosk: no wait", []hub.HelpRequest{req("a", -5*time.Minute)}, nil, nil},
		{"several", []hub.HelpRequest{req("a", 20*time.Minute), req("b", time.Minute), req("c", 16*time.Minute)},
			[]hub.Alert{raised("c", 15), raised("d", 30)}, []string{"a true 20/15", "c true 16/15", "d false 30/15"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, a := range r.Judge(now, tc.open, tc.stored) {
				if a.Rule != hub.RuleHelpWait || a.ServicePoint != "Phường "+a.Subject || !a.At.Equal(now) {
					t.Errorf("finding %+v", a)
				}
				got = append(got, fmt.Sprintf("%s %v %d/%d", a.Subject, a.Active, a.Figures.WaitedMinutes, a.Figures.LimitMinutes))
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("Judge = %q, want %q", got, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		limit time.Duration
		ok    bool
	}{{15 * time.Minute, true}, {time.Minute, true}, {30 * time.Second, false}, {-time.Minute, false}} {
		if err := hub.CheckHelpWait(tc.limit); (err == nil) != tc.ok {
			t.Errorf("CheckHelpWait(%s) = %v", tc.limit, err)
		}
	}
}

// TestHelpWaitAlerts: through a real store, a request waiting past the
// limit raises one alert event at the sweep, none while it keeps waiting,
// and one clearing when its outcome arrives; a request answered in time
// leaves no alert.
func TestHelpWaitAlerts(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	addHook(t, st, "https://alerts.example/", hub.EventAlert)
	t0 := time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)
	now := t0
	h := hub.New(hub.Config{Store: st, Now: func() time.Time { return now },
		AlertRules: []hub.AlertRule{&hub.HelpWait{Source: st, Limit: 15 * time.Minute}}})
	mk := func(n int) hub.HelpRequest {
		return hub.HelpRequest{ID: fmt.Sprintf("01938a7e-0000-7000-8000-%012d", n), Source: help.SourceWelcome, Lang: "vi",
			ServicePoint: "Phường Ba Đình", DeviceID: "dev-a", CreatedAt: t0, Content: []byte(fmt.Sprint("open ", n)), Signature: []byte("sig")}
	}
	slow, quick := mk(1), mk(2)
	if _, err := st.IngestHelp(ctx, []hub.HelpRequest{slow, quick}, t0); err != nil {
		t.Fatal(err)
	}
	sweep := func(at time.Duration) []string {
		t.Helper()
		now = t0.Add(at)
		crossed, err := h.CheckAlerts(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range crossed {
			out = append(out, fmt.Sprintf("%s %v", a.Subject, a.Active))
		}
		return out
	}
	if c := sweep(5 * time.Minute); len(c) != 0 {
		t.Fatalf("crossings after 5 min: %v", c)
	}
	quickDone := quick
	quickDone.Outcome, quickDone.ResolvedAt, quickDone.Content = help.Helped, t0.Add(10*time.Minute), []byte("done 2")
	if _, err := st.IngestHelp(ctx, []hub.HelpRequest{quickDone}, t0.Add(11*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if c := sweep(16 * time.Minute); strings.Join(c, "|") != slow.ID+" true" {
		t.Fatalf("crossings after 16 min = %q, want the slow request raised", c)
	}
	if c := sweep(20 * time.Minute); len(c) != 0 {
		t.Fatalf("crossings while it keeps waiting: %v", c)
	}
	slowDone := slow
	slowDone.Outcome, slowDone.Reason, slowDone.ResolvedAt, slowDone.Content = help.NotPossible, help.ReasonLeft, t0.Add(21*time.Minute), []byte("done 1")
	if _, err := st.IngestHelp(ctx, []hub.HelpRequest{slowDone}, t0.Add(22*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if c := sweep(23 * time.Minute); strings.Join(c, "|") != slow.ID+" false" {
		t.Fatalf("crossings after the outcome = %q, want the slow request cleared", c)
	}
	as, err := st.Alerts(ctx)
	if err != nil || len(as) != 1 || as[0].Subject != slow.ID || as[0].Active || as[0].Figures.WaitedMinutes != 20 {
		t.Fatalf("stored alerts = %+v, %v; want the slow request's alone, cleared, having waited 20 min", as, err)
	}
	cs, err := st.ClaimDeliveries(ctx, t0.Add(time.Hour), time.Minute, 10)
	if err != nil || len(cs) != 2 {
		t.Fatalf("claimed %d deliveries, %v; want raised and cleared", len(cs), err)
	}
	var states []string
	for _, c := range cs {
		var body struct{ Data hub.AlertData }
		if err := json.Unmarshal(c.Body, &body); err != nil {
			t.Fatal(err)
		}
		d := body.Data
		if d.Rule != hub.RuleHelpWait || d.Subject != slow.ID || d.ServicePoint != "Phường Ba Đình" || d.Figures.LimitMinutes != 15 {
			t.Errorf("alert event %s", c.Body)
		}
		states = append(states, d.State)
	}
	if strings.Join(states, ",") != "raised,cleared" {
		t.Errorf("alert events %v, want raised then cleared", states)
	}
}
