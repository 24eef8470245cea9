package survey

import (
	"reflect"
	"testing"
	"time"
)

func TestMisuse(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	resp := func(survey string, start, end int, a Answers) *Response {
		return &Response{SurveyID: survey, SurveyVersion: 1, StartedAt: at(start), FinishedAt: at(end), Answers: a}
	}
	good := Answers{"q1": {"rhl"}}
	bad := Answers{"q1": {"khl"}}
	rules := MisuseRules{MinGap: 5 * time.Second, BurstCount: DefaultBurstCount, BurstWindow: DefaultBurstWindow}
	tests := []struct {
		name    string
		r       *Response
		earlier []*Response
		rules   MisuseRules
		want    []string
	}{
		{"first ever", resp("s", 0, 20, good), nil, rules, nil},
		{"normal gap", resp("s", 30, 50, good), []*Response{resp("s", 0, 20, good)}, rules, nil},
		{"exactly the gap is fine", resp("s", 25, 50, good), []*Response{resp("s", 0, 20, good)}, rules, nil},
		{"just under the gap", resp("s", 24, 50, bad), []*Response{resp("s", 0, 20, good)}, rules, []string{MisuseQuickStart}},
		{"gap is to the newest", resp("s", 24, 50, bad), []*Response{resp("s", 0, 20, good), resp("s", -100, -90, good)}, rules, []string{MisuseQuickStart}},
		{"gap check off", resp("s", 21, 50, bad), []*Response{resp("s", 0, 20, good)}, MisuseRules{BurstCount: 3, BurstWindow: time.Minute}, nil},
		{"two identical is not a burst", resp("s", 30, 40, good), []*Response{resp("s", 0, 20, good)}, rules, nil},
		{"three identical in a minute", resp("s", 40, 50, good),
			[]*Response{resp("s", 0, 10, good), resp("s", 20, 30, good)}, rules, []string{MisuseIdenticalBurst}},
		{"three identical, oldest outside the window", resp("s", 60, 71, good),
			[]*Response{resp("s", 0, 10, good), resp("s", 20, 30, good)}, rules, nil},
		{"three identical, oldest exactly at the window", resp("s", 60, 70, good),
			[]*Response{resp("s", 0, 10, good), resp("s", 20, 30, good)}, rules, []string{MisuseIdenticalBurst}},
		{"different answers", resp("s", 40, 50, good),
			[]*Response{resp("s", 0, 10, bad), resp("s", 20, 30, good)}, rules, nil},
		{"other survey does not count", resp("s", 40, 50, good),
			[]*Response{resp("other", 0, 10, good), resp("s", 20, 30, good)}, rules, nil},
		{"empty answers never burst", resp("s", 40, 50, Answers{}),
			[]*Response{resp("s", 0, 10, Answers{}), resp("s", 20, 30, Answers{})}, rules, nil},
		{"both", resp("s", 31, 50, good),
			[]*Response{resp("s", 0, 10, good), resp("s", 20, 30, good)}, rules, []string{MisuseQuickStart, MisuseIdenticalBurst}},
		{"clock went back: no gap flag", resp("s", -50, -40, bad), []*Response{resp("s", 0, 20, good)}, rules, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Misuse(tt.r, tt.earlier, tt.rules); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Misuse = %v, want %v", got, tt.want)
			}
			FlagMisuse(tt.r, tt.earlier, tt.rules)
			if tt.r.Misuse != (len(tt.want) > 0) {
				t.Fatalf("Misuse flag = %v, reason %q", tt.r.Misuse, tt.r.MisuseReason)
			}
		})
	}
	r := resp("s", 31, 50, good)
	FlagMisuse(r, []*Response{resp("s", 0, 10, good), resp("s", 20, 30, good)}, rules)
	if r.MisuseReason != "quick_start,identical_burst" {
		t.Fatalf("reason = %q", r.MisuseReason)
	}
}

func TestRecentResponses(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	old := &Response{ID: "old", FinishedAt: t0}
	mid := &Response{ID: "mid", FinishedAt: t0.Add(50 * time.Second)}
	newest := &Response{ID: "new", FinishedAt: t0.Add(100 * time.Second)}
	ids := func(rs []*Response) (out []string) {
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	tests := []struct {
		name string
		now  time.Time
		want []string
	}{
		{"all within", t0.Add(60 * time.Second), []string{"old", "mid", "new"}},
		{"old dropped", t0.Add(110 * time.Second), []string{"mid", "new"}},
		{"newest always kept", t0.Add(time.Hour), []string{"new"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ids(RecentResponses([]*Response{old, mid, newest}, tt.now, time.Minute))
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
	if got := RecentResponses(nil, t0, time.Minute); got != nil {
		t.Fatalf("nil in: %v", got)
	}
}
