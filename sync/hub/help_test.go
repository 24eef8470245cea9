package hub

import (
	"context"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/help"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

func TestHelpIngestRule(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	open := HelpRequest{ID: "a", Source: "welcome", Lang: "vi", ServicePoint: "P", DeviceID: "d", CreatedAt: t0}
	done := open
	done.Outcome, done.ResolvedAt = help.Helped, t0.Add(5*time.Minute)
	other := done
	other.Outcome, other.Reason = help.NotPossible, help.ReasonLeft
	moved := open
	moved.ServicePoint = "Q"
	later := done
	later.ResolvedAt = later.ResolvedAt.Add(time.Second)
	tests := []struct {
		name     string
		held, in *HelpRequest
		want     HelpIngestAction
		outcome  protocol.Outcome
	}{
		{"new open", nil, &open, HelpInsert, protocol.Accepted},
		{"new resolved", nil, &done, HelpInsert, protocol.Accepted},
		{"open again", &open, &open, HelpSame, protocol.Duplicate},
		{"resolved after sync", &open, &done, HelpResolve, protocol.Accepted},
		{"resolved again", &done, &done, HelpSame, protocol.Duplicate},
		{"late open copy", &done, &open, HelpSame, protocol.Duplicate},
		{"another outcome", &done, &other, HelpClash, protocol.Conflict},
		{"another time", &done, &later, HelpClash, protocol.Conflict},
		{"another request under the id", &open, &moved, HelpClash, protocol.Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := HelpIngest(tt.held, tt.in)
			if got != tt.want || got.Outcome() != tt.outcome {
				t.Fatalf("HelpIngest = %v (%v), want %v (%v)", got, got.Outcome(), tt.want, tt.outcome)
			}
		})
	}
}

func TestHelpFigures(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	req := func(sp string, o help.Outcome, r help.Reason, took time.Duration) HelpRequest {
		h := HelpRequest{ServicePoint: sp, CreatedAt: t0, Outcome: o, Reason: r}
		if o != help.Open {
			h.ResolvedAt = t0.Add(took)
		}
		return h
	}
	m := time.Minute
	figs := HelpFigures([]HelpRequest{
		req("Phường Cửa Nam", help.Helped, "", 4*m),
		req("Phường Cửa Nam", help.NotPossible, help.ReasonNoAccount, 10*m),
		req("Phường Cửa Nam", help.NotPossible, help.ReasonNoAccount, 2*m),
		req("Phường Cửa Nam", help.NotPossible, help.ReasonLeft, 20*m),
		req("Phường Cửa Nam", help.Open, "", 0),
		req("Phường Ba Đình", help.Open, "", 0),
	})
	if len(figs) != 2 || figs[0].ServicePoint != "Phường Ba Đình" {
		t.Fatalf("figures %+v", figs)
	}
	if f := figs[0]; f.Requests != 1 || f.Open != 1 || f.MedianOutcome != 0 || len(f.Reasons()) != 0 {
		t.Errorf("Ba Đình %+v", f)
	}
	f := figs[1]
	if f.Requests != 5 || f.Open != 1 || f.Helped != 1 || f.NotPossible != 3 || f.MedianOutcome != 7*m {
		t.Errorf("Cửa Nam %+v", f)
	}
	rs := f.Reasons()
	if len(rs) != 2 || rs[0] != (ReasonCount{help.ReasonNoAccount, 2}) || rs[1] != (ReasonCount{help.ReasonLeft, 1}) {
		t.Errorf("reasons %+v", rs)
	}
}

type helpRows []HelpRequest

func (h helpRows) HelpRequests(_ context.Context, f HelpFilter) ([]HelpRequest, error) {
	var out []HelpRequest
	for _, r := range h {
		if f.ServicePoint == "" || r.ServicePoint == f.ServicePoint {
			out = append(out, r)
		}
	}
	return out, nil
}

func TestHelpExportPeriod(t *testing.T) {
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	reqs := helpRows{
		{ServicePoint: "A", CreatedAt: day.Add(-time.Second)},
		{ServicePoint: "A", CreatedAt: day, Outcome: help.Helped, ResolvedAt: day.Add(3 * time.Minute)},
		{ServicePoint: "A", CreatedAt: day.Add(24*time.Hour - time.Second), Outcome: help.NotPossible, Reason: help.ReasonLeft, ResolvedAt: day.Add(24 * time.Hour)},
		{ServicePoint: "A", CreatedAt: day.Add(24 * time.Hour)},
		{ServicePoint: "B", CreatedAt: day.Add(time.Hour)},
	}
	rows, err := HelpExport(context.Background(), reqs, Filter{From: day, To: day.Add(24 * time.Hour), ServicePoint: "A"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Requests != 2 || rows[0].Helped != 1 || rows[0].ByReason["left"] != 1 || rows[0].MedianOutcome != 90*time.Second+500*time.Millisecond {
		t.Fatalf("rows %+v", rows)
	}
	if rows, _ := HelpExport(context.Background(), reqs, Filter{}); len(rows) != 2 || rows[0].Requests != 4 {
		t.Fatalf("unfiltered %+v", rows)
	}
}
