package report

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// testSurvey has two questions in element tiep-can, one in cong-chuc, one
// untagged 3-level rating, a yes/no and a comment (which never count).
func testSurvey(version int) *survey.Survey {
	return &survey.Survey{
		ID: "sipas", Version: version, Title: survey.Text{"vi": "Khảo sát SIPAS"},
		Questions: []survey.Question{
			{Code: "q1", Type: survey.Rating5, Text: survey.Text{"vi": "Biển chỉ dẫn"}, Index: "sipas:tiep-can"},
			{Code: "q2", Type: survey.Rating5, Text: survey.Text{"vi": "Ghế ngồi"}, Index: "sipas:tiep-can"},
			{Code: "q3", Type: survey.Rating5, Text: survey.Text{"vi": "Công chức"}, Index: "sipas:cong-chuc"},
			{Code: "q4", Type: survey.Rating3, Text: survey.Text{"vi": "Nói chung"}},
			{Code: "yn", Type: survey.YesNo, Text: survey.Text{"vi": "Lần đầu?"}},
			{Code: "c", Type: survey.Comment, Text: survey.Text{"vi": "Góp ý"}, Optional: true},
		},
	}
}

var base = time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC) // 09:00 in Hà Nội

// resp builds a complete response; answers alternate code lists per question.
func resp(i int, answers map[string]string) *survey.Response {
	a := survey.Answers{}
	for k, v := range answers {
		if v != "" {
			a[k] = []string{v}
		}
	}
	return &survey.Response{
		ID: fmt.Sprintf("r%03d", i), SurveyID: "sipas", SurveyVersion: 1, Answers: a,
		StartedAt: base.Add(time.Duration(i) * time.Minute), FinishedAt: base.Add(time.Duration(i)*time.Minute + 30*time.Second),
		ServicePoint: "Phường Ba Đình", DeviceID: "k1", Lang: "vi", Status: survey.StatusComplete,
	}
}

// column makes n responses whose answers to each question are taken in turn
// from the given columns ("" = not answered).
func column(cols map[string][]string, n int) []*survey.Response {
	out := make([]*survey.Response, n)
	for i := range n {
		m := map[string]string{}
		for q, vals := range cols {
			if i < len(vals) {
				m[q] = vals[i]
			}
		}
		out[i] = resp(i, m)
	}
	return out
}

func seq(rs []*survey.Response) iter.Seq2[*survey.Response, error] {
	return func(yield func(*survey.Response, error) bool) {
		for _, r := range rs {
			if !yield(r, nil) {
				return
			}
		}
	}
}

func fig(n int, v float64) Figure { return Figure{N: n, Value: v} }

func sup(n int) Figure { return Figure{N: n, Suppressed: true} }

func near(a, b Figure) bool {
	return a.N == b.N && a.Suppressed == b.Suppressed && a.Secondary == b.Secondary && math.Abs(a.Value-b.Value) < 1e-9
}

func TestOverallIndex(t *testing.T) {
	tests := []struct {
		name      string
		rs        []*survey.Response
		opt       Options
		questions []Figure // q1 q2 q3 q4
		elements  []Figure // tiep-can cong-chuc
		index     Figure
		totals    Totals
	}{
		{
			// q1: 2 of 5 satisfied = 40 %; q2: 5/5 = 100 %; tiếp cận = (40+100)/2 = 70;
			// q3 has 4 answers: suppressed, so công chức has nothing to show;
			// q4: 2/5 = 40 %; overall = (70 + 40)/2 = 55 over 5 responses.
			name: "five responses, one question at four",
			rs: column(map[string][]string{
				"q1": {"rhl", "hl", "bt", "khl", "rkhl"},
				"q2": {"hl", "hl", "hl", "hl", "rhl"},
				"q3": {"hl", "hl", "hl", "hl", ""},
				"q4": {"rhl", "hl", "khl", "khl", "khl"},
				"yn": {"yes", "yes", "yes", "yes", "yes"},
			}, 5),
			questions: []Figure{fig(5, 40), fig(5, 100), sup(4), fig(5, 40)},
			elements:  []Figure{fig(5, 70), sup(4)},
			index:     fig(5, 55),
			totals:    Totals{Responses: 5, Complete: 5, Counted: 5},
		},
		{
			// the same minus one response: everything rests on 4 → all suppressed.
			name: "four responses: everything suppressed",
			rs: column(map[string][]string{
				"q1": {"rhl", "hl", "bt", "khl"},
				"q2": {"hl", "hl", "hl", "hl"},
				"q4": {"rhl", "hl", "khl", "khl"},
			}, 4),
			questions: []Figure{sup(4), sup(4), sup(0), sup(4)},
			elements:  []Figure{sup(4), sup(0)},
			index:     sup(4),
			totals:    Totals{Responses: 4, Complete: 4, Counted: 4},
		},
		{
			// q3 answered by 5 (3 satisfied = 60 %), q1 by 6 (1 satisfied),
			// q2 by 4 (suppressed, left out of tiếp cận even though the element
			// rests on 6 responses): tiếp cận = 1/6 = 16.67; công chức = 60;
			// overall = (16.67+60)/2 = 38.33 over the 6 responses that rated.
			name: "element averages only reportable questions",
			rs: column(map[string][]string{
				"q1": {"hl", "khl", "khl", "khl", "khl", "bt"},
				"q2": {"rhl", "rhl", "rhl", "rhl"},
				"q3": {"", "rhl", "hl", "hl", "khl", "rkhl"},
			}, 6),
			questions: []Figure{fig(6, 100.0/6), sup(4), fig(5, 60), sup(0)},
			elements:  []Figure{fig(6, 100.0/6), fig(5, 60)},
			index:     fig(6, (100.0/6+60)/2),
			totals:    Totals{Responses: 6, Complete: 6, Counted: 6},
		},
		{
			// 5 responses, but an invalid code ("xyz") and an empty answer
			// leave q1 with 4 valid answers: suppressed.
			name: "invalid codes do not count",
			rs: column(map[string][]string{
				"q1": {"hl", "hl", "hl", "hl", "xyz"},
				"q4": {"hl", "hl", "khl", "khl", "khl"},
			}, 5),
			questions: []Figure{sup(4), sup(0), sup(0), fig(5, 40)},
			elements:  []Figure{sup(4), sup(0)},
			index:     fig(5, 40),
			totals:    Totals{Responses: 5, Complete: 5, Counted: 5},
		},
	}
	// abandoned, flagged and unknown-version responses are counted but left
	// out of the index: 5 good + 1 abandoned + 1 flagged + 1 unknown.
	mixed := column(map[string][]string{"q4": {"hl", "hl", "hl", "khl", "khl", "khl", "khl", "khl"}}, 8)
	mixed[5].Status = survey.StatusAbandoned
	mixed[6].Misuse = true
	mixed[7].SurveyVersion = 9
	tests = append(tests, struct {
		name      string
		rs        []*survey.Response
		opt       Options
		questions []Figure
		elements  []Figure
		index     Figure
		totals    Totals
	}{
		name: "abandoned, flagged, unknown excluded", rs: mixed,
		questions: []Figure{sup(0), sup(0), sup(0), fig(5, 60)}, elements: []Figure{sup(0), sup(0)}, index: fig(5, 60),
		totals: Totals{Responses: 8, Complete: 7, Abandoned: 1, Flagged: 1, Unknown: 1, Counted: 5},
	}, struct {
		name      string
		rs        []*survey.Response
		opt       Options
		questions []Figure
		elements  []Figure
		index     Figure
		totals    Totals
	}{
		// with both included: 7 answers, 3 satisfied.
		name: "abandoned and flagged included on request", rs: mixed, opt: Options{IncludeAbandoned: true, IncludeFlagged: true},
		questions: []Figure{sup(0), sup(0), sup(0), fig(7, 300.0/7)}, elements: []Figure{sup(0), sup(0)}, index: fig(7, 300.0/7),
		totals: Totals{Responses: 8, Complete: 7, Abandoned: 1, Flagged: 1, Unknown: 1, Counted: 7},
	})

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Compute(context.Background(), []*survey.Survey{testSurvey(1)}, seq(tt.rs), tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			by := rep.Totals.BySurvey
			rep.Totals.BySurvey = nil
			if !reflect.DeepEqual(rep.Totals, tt.totals) {
				t.Errorf("totals = %+v, want %+v", rep.Totals, tt.totals)
			}
			if by["sipas"] != tt.totals.Counted || len(by) != 1 {
				t.Errorf("by survey = %v, want sipas: %d", by, tt.totals.Counted)
			}
			if len(rep.Questions) != 4 || rep.Questions[2].Code != "q3" || rep.Questions[2].Element != "cong-chuc" {
				t.Fatalf("questions = %+v", rep.Questions)
			}
			if fmt.Sprint(rep.Elements) != "[tiep-can cong-chuc]" {
				t.Fatalf("elements = %v", rep.Elements)
			}
			for i, want := range tt.questions {
				if got := rep.Overall.Questions[i]; !near(got, want) {
					t.Errorf("question %s = %+v, want %+v", rep.Questions[i].Code, got, want)
				}
			}
			for i, want := range tt.elements {
				if got := rep.Overall.Elements[i]; !near(got, want) {
					t.Errorf("element %s = %+v, want %+v", rep.Elements[i], got, want)
				}
			}
			if !near(rep.Overall.Index, tt.index) {
				t.Errorf("index = %+v, want %+v", rep.Overall.Index, tt.index)
			}
		})
	}
}

func TestSuppressionEdgeEverywhere(t *testing.T) {
	// Day 1 has 5 responses, day 2 has 4; point A has 5, point B 4.
	var rs []*survey.Response
	for i := range 9 {
		r := resp(i, map[string]string{"q4": "hl"})
		if i >= 5 {
			r.StartedAt = r.StartedAt.Add(24 * time.Hour)
			r.ServicePoint = "Xã B"
		} else {
			r.ServicePoint = "Xã A"
		}
		rs = append(rs, r)
	}
	rep, err := Compute(context.Background(), []*survey.Survey{testSurvey(1)}, seq(rs), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Days) != 2 || rep.Days[0].Key != "2026-11-25" || rep.Days[1].Key != "2026-11-26" {
		t.Fatalf("days = %+v", rep.Days)
	}
	// Day 2 rests on 4: suppressed, its count still shown. Day 1 alone
	// would give day 2 away (total − day 1), so it is hidden too.
	if got := rep.Days[1].Index; !near(got, sup(4)) || got.Format("vi") != "< 5" || got.Count() != "4" {
		t.Errorf("day 2 = %+v, want suppressed on 4", got)
	}
	if got := rep.Days[0].Index; !near(got, Figure{N: 5, Suppressed: true, Secondary: true}) || got.Format("vi") != "ẩn" || got.Format("en") != "hidden" {
		t.Errorf("day 1 = %+v, want a secondary suppression", got)
	}
	if got := rep.Days[1].Questions[3]; !got.Suppressed {
		t.Errorf("day 2 q4 = %+v, want suppressed", got)
	}
	if rep.Days[0].Responses != 5 || rep.Days[1].Responses != 4 {
		t.Errorf("day counts %d, %d: want 5, 4 (a count is a count)", rep.Days[0].Responses, rep.Days[1].Responses)
	}
	if len(rep.ServicePoints) != 2 || rep.ServicePoints[0].Key != "Xã A" || !rep.ServicePoints[1].Index.Suppressed || !rep.ServicePoints[0].Index.Secondary {
		t.Errorf("service points = %+v", rep.ServicePoints)
	}
	if len(rep.Weeks) != 1 || rep.Weeks[0].Key != "2026-W48" || !near(rep.Weeks[0].Index, fig(9, 100)) {
		t.Errorf("weeks = %+v", rep.Weeks)
	}
}

func TestPeriodsInHoChiMinhTime(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		utc                string
		day, week, month   string
		dayStart, weekFrom string
	}{
		{"2026-11-24T16:59:59Z", "2026-11-24", "2026-W48", "2026-11", "2026-11-24T00:00:00+07:00", "2026-11-23T00:00:00+07:00"},
		{"2026-11-24T17:00:00Z", "2026-11-25", "2026-W48", "2026-11", "2026-11-25T00:00:00+07:00", "2026-11-23T00:00:00+07:00"},
		{"2026-11-29T17:00:00Z", "2026-11-30", "2026-W49", "2026-11", "2026-11-30T00:00:00+07:00", "2026-11-30T00:00:00+07:00"},
		{"2026-12-31T16:59:59Z", "2026-12-31", "2026-W53", "2026-12", "2026-12-31T00:00:00+07:00", "2026-12-28T00:00:00+07:00"},
		{"2026-12-31T17:00:00Z", "2027-01-01", "2026-W53", "2027-01", "2027-01-01T00:00:00+07:00", "2026-12-28T00:00:00+07:00"},
	}
	for _, tt := range tests {
		t.Run(tt.utc, func(t *testing.T) {
			r := resp(0, map[string]string{"q4": "hl"})
			r.StartedAt = at(tt.utc)
			b := NewBuilder([]*survey.Survey{testSurvey(1)}, Options{})
			b.Add(r)
			rep := b.Report()
			if len(rep.Days) != 1 || len(rep.Weeks) != 1 || len(rep.Months) != 1 {
				t.Fatalf("groups: %d days %d weeks %d months", len(rep.Days), len(rep.Weeks), len(rep.Months))
			}
			if rep.Days[0].Key != tt.day || rep.Weeks[0].Key != tt.week || rep.Months[0].Key != tt.month {
				t.Errorf("keys = %s %s %s, want %s %s %s", rep.Days[0].Key, rep.Weeks[0].Key, rep.Months[0].Key, tt.day, tt.week, tt.month)
			}
			if got := rep.Days[0].Start.Format(time.RFC3339); got != tt.dayStart {
				t.Errorf("day start = %s, want %s", got, tt.dayStart)
			}
			if got := rep.Weeks[0].Start.Format(time.RFC3339); got != tt.weekFrom {
				t.Errorf("week start = %s, want %s", got, tt.weekFrom)
			}
		})
	}
}

func TestQuestionsAcrossVersions(t *testing.T) {
	v2 := testSurvey(2)
	v2.Questions[3].Text = survey.Text{"vi": "Nhìn chung"}
	rs := column(map[string][]string{"q4": {"hl", "hl", "khl", "khl", "khl"}}, 5)
	rs[0].SurveyVersion, rs[1].SurveyVersion = 2, 2
	for _, defs := range [][]*survey.Survey{{testSurvey(1), v2}, {v2, testSurvey(1)}} {
		rep, err := Compute(context.Background(), defs, seq(rs), Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkVersions(t, rep)
	}
}

func checkVersions(t *testing.T, rep *Report) {
	t.Helper()
	if len(rep.Questions) != 4 {
		t.Fatalf("questions = %d, want 4 (same codes across versions)", len(rep.Questions))
	}
	if rep.Questions[3].Text["vi"] != "Nhìn chung" {
		t.Errorf("text = %q, want the newest wording", rep.Questions[3].Text["vi"])
	}
	if got := rep.Overall.Questions[3]; !near(got, fig(5, 40)) {
		t.Errorf("q4 = %+v", got)
	}
}

func TestComputeErrors(t *testing.T) {
	boom := errors.New("disk gone")
	bad := func(yield func(*survey.Response, error) bool) {
		if !yield(resp(0, nil), nil) {
			return
		}
		yield(nil, boom)
	}
	if _, err := Compute(context.Background(), nil, bad, Options{}); !errors.Is(err, boom) {
		t.Errorf("err = %v, want %v", err, boom)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Compute(ctx, nil, seq(nil), Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want canceled", err)
	}
}

func TestFigureFormat(t *testing.T) {
	tests := []struct {
		f          Figure
		vi, en, nn string
	}{
		{fig(120, 86.5), "86,5 %", "86.5 %", "120"},
		{fig(5, 100), "100,0 %", "100.0 %", "5"},
		{fig(5, 0), "0,0 %", "0.0 %", "5"},
		{fig(7, 200.0/3), "66,7 %", "66.7 %", "7"},
		{sup(4), "< 5", "< 5", "4"},
		{sup(0), "chưa có dữ liệu", "no data", "0"},
		{Figure{N: 66, Suppressed: true, Secondary: true}, "ẩn", "hidden", "66"},
	}
	for _, tt := range tests {
		if got := tt.f.Format("vi"); got != tt.vi {
			t.Errorf("Format(vi) = %q, want %q", got, tt.vi)
		}
		if got := tt.f.Format("en"); got != tt.en {
			t.Errorf("Format(en) = %q, want %q", got, tt.en)
		}
		if got := tt.f.Count(); got != tt.nn {
			t.Errorf("Count = %q, want %q", got, tt.nn)
		}
	}
}

func TestElementsInSIPASOrder(t *testing.T) {
	s := &survey.Survey{ID: "x", Version: 1, Questions: []survey.Question{
		{Code: "a", Type: survey.Rating5, Index: "sipas:phan-anh"},
		{Code: "b", Type: survey.Rating5, Index: "sipas:tiep-can"},
		{Code: "c", Type: survey.Rating5, Index: "sipas:ket-qua"},
	}}
	var rs []*survey.Response
	for i := range 5 {
		r := resp(i, map[string]string{"a": "hl", "b": "khl", "c": "hl"})
		r.SurveyID = "x"
		rs = append(rs, r)
	}
	rep, err := Compute(context.Background(), []*survey.Survey{s}, seq(rs), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(rep.Elements) != "[tiep-can ket-qua phan-anh]" {
		t.Errorf("elements = %v", rep.Elements)
	}
	// tiếp cận (question b) is 0 %, the others 100 %
	want := []Figure{fig(5, 0), fig(5, 100), fig(5, 100)}
	for i, w := range want {
		if !near(rep.Overall.Elements[i], w) {
			t.Errorf("element %s = %+v, want %+v", rep.Elements[i], rep.Overall.Elements[i], w)
		}
	}
}
