package hub_test

import (
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

func TestParsePeriod(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want hub.Period
		ok   bool
	}{
		{"0", hub.Period{}, true}, {"90d", hub.Period{Days: 90}, true}, {"24m", hub.Period{Months: 24}, true},
		{" 5y ", hub.Period{Years: 5}, true}, {"5", hub.Period{}, false}, {"-3m", hub.Period{}, false},
		{"0d", hub.Period{}, false}, {"3w", hub.Period{}, false}, {"y", hub.Period{}, false}, {"1.5y", hub.Period{}, false},
	} {
		got, err := hub.ParsePeriod(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
		if tt.ok {
			if again, _ := hub.ParsePeriod(got.String()); again != got {
				t.Errorf("%v.String() = %q does not parse back", got, got.String())
			}
		}
	}
}

// TestPeriodCut: cuts are day starts in Asia/Ho_Chi_Minh, in calendar
// months (31 March minus one month is 3 March, as time.AddDate has it).
func TestPeriodCut(t *testing.T) {
	loc := survey.Location()
	now := time.Date(2026, 11, 24, 18, 30, 0, 0, time.UTC) // 25 Nov 01:30 in Hà Nội
	for _, tt := range []struct {
		p    hub.Period
		want time.Time
	}{
		{hub.Period{}, time.Time{}},
		{hub.Period{Days: 1}, time.Date(2026, 11, 24, 0, 0, 0, 0, loc)},
		{hub.Period{Months: 24}, time.Date(2024, 11, 25, 0, 0, 0, 0, loc)},
		{hub.Period{Years: 5}, time.Date(2021, 11, 25, 0, 0, 0, 0, loc)},
	} {
		if got := tt.p.Cut(now); !got.Equal(tt.want) {
			t.Errorf("%v.Cut = %v, want %v", tt.p, got, tt.want)
		}
	}
}

func TestRetentionCheck(t *testing.T) {
	for _, tt := range []struct {
		r  hub.Retention
		ok bool
	}{
		{hub.Retention{}, true},
		{hub.Retention{Responses: hub.Period{Years: 2}}, true},
		{hub.Retention{Responses: hub.Period{Years: 2}, Audit: hub.Period{Years: 2}}, true},
		{hub.Retention{Responses: hub.Period{Years: 2}, Audit: hub.Period{Months: 23}}, false},
		{hub.Retention{Conflicts: hub.Period{Days: 90}, Audit: hub.Period{Days: 60}}, false},
		{hub.Retention{Audit: hub.Period{Days: 60}}, true},
		{hub.Retention{Feedback: hub.Period{Years: 3}, Audit: hub.Period{Years: 2}}, false},
		{hub.Retention{Feedback: hub.Period{Years: 3}, Audit: hub.Period{Months: 36}}, true},
	} {
		if err := tt.r.Check(); (err == nil) != tt.ok {
			t.Errorf("%+v.Check() = %v, want ok %v", tt.r, err, tt.ok)
		}
	}
}

// TestRetentionRequestFeedback: the feedback period gives the request its
// own cut, counted in the purge's details only when set.
func TestRetentionRequestFeedback(t *testing.T) {
	now := time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)
	r := hub.Retention{Feedback: hub.Period{Months: 36}}
	if !r.Enabled() {
		t.Fatal("a feedback period alone does not enable purging")
	}
	req := r.Request(now, hub.NewAuditEntry(now, "cli:root", hub.AuditPurge, "local", nil))
	if want := (hub.Period{Months: 36}).Cut(now); !req.FeedbackBefore.Equal(want) || !req.ResponsesBefore.IsZero() || !req.ConflictsBefore.IsZero() {
		t.Fatalf("Request = %+v, want feedback before %v only", req, want)
	}
	d := hub.PurgeDetails(req, hub.PurgeResult{Feedback: 3}, false)
	if d.Get("feedback") != "3" || d.Get("feedback_before") == "" || d.Has("responses") || d.Has("conflicts") {
		t.Errorf("PurgeDetails = %v", d)
	}
}
