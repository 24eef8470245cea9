package operator_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/ui/operator"
)

// fixture builds an event's responses: for the quick rating, five complete
// ones whose "thai_do" answers give 4 of 5 satisfied (80 %), "chung" 3 of 5
// (60 %) and "thoi_gian" answered only four times (suppressed); one
// abandoned and one flagged that the index leaves out; four PAPI pulse
// responses (every figure suppressed); one response to a survey the kiosk
// no longer knows.
type fixture struct {
	t     *testing.T
	defs  []*survey.Survey
	start time.Time
	n     int
	rows  []*survey.Response
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	defs, err := survey.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, defs: defs, start: time.Date(2026, 11, 25, 1, 5, 0, 0, time.UTC)} // 08:05 in Hanoi
}

func (f *fixture) version(id string) int {
	for _, s := range f.defs {
		if s.ID == id {
			return s.Version
		}
	}
	return 1
}

// add appends one response to the event and returns it for adjustment.
func (f *fixture) add(id string, answers survey.Answers) *survey.Response {
	f.n++
	at := f.start.Add(time.Duration(f.n) * 3 * time.Minute)
	r := &survey.Response{
		ID: fmt.Sprintf("01930000-0000-7000-8000-%012d", f.n), SurveyID: id, SurveyVersion: f.version(id),
		Answers: answers, StartedAt: at, FinishedAt: at.Add(70 * time.Second), ServicePoint: "Đội lưu động",
		DeviceID: "laptop-1", Lang: "vi", Status: survey.StatusComplete, EventTag: event,
	}
	f.rows = append(f.rows, r)
	return r
}

func (f *fixture) build() *fixture {
	thaiDo := []string{"hl", "hl", "rhl", "khl", "hl"}
	chung := []string{"hl", "khl", "khl", "hl", "rhl"}
	for i := range 5 {
		a := survey.Answers{"thai_do": {thaiDo[i]}, "chung": {chung[i]}}
		if i > 0 {
			a["thoi_gian"] = []string{"hl"}
		}
		r := f.add("mot-cua-nhanh", a)
		r.Assisted = i < 2
	}
	f.add("mot-cua-nhanh", survey.Answers{"thai_do": {"khl"}}).Status = survey.StatusAbandoned
	flagged := f.add("mot-cua-nhanh", survey.Answers{"thai_do": {"khl"}, "chung": {"khl"}})
	flagged.Misuse, flagged.MisuseReason = true, "quá nhanh"
	for range 4 {
		f.add("papi-nhanh", survey.Answers{"tham_gia": {"rhl"}, "thu_tuc": {"hl"}})
	}
	f.add("khao-sat-cu", survey.Answers{"x": {"hl"}})
	return f
}

func (f *fixture) seq() iter.Seq2[*survey.Response, error] {
	return func(yield func(*survey.Response, error) bool) {
		for _, r := range f.rows {
			if !yield(r, nil) {
				return
			}
		}
	}
}

func TestSummarize(t *testing.T) {
	f := newFixture(t).build()
	sum, err := operator.Summarize(context.Background(), event, f.defs, f.seq())
	if err != nil {
		t.Fatal(err)
	}
	if want := (operator.Counts{Total: 12, Complete: 11, Abandoned: 1, Flagged: 1, Assisted: 2}); sum.Totals != want {
		t.Fatalf("totals %+v, want %+v", sum.Totals, want)
	}
	if !sum.First.Equal(f.rows[0].StartedAt) || !sum.Last.Equal(f.rows[len(f.rows)-1].FinishedAt) {
		t.Fatalf("period %v – %v", sum.First, sum.Last)
	}
	var ids []string
	for _, s := range sum.Surveys {
		ids = append(ids, s.ID)
	}
	if got := strings.Join(ids, ","); got != "mot-cua-nhanh,papi-nhanh,khao-sat-cu" {
		t.Fatalf("surveys in order %s", got)
	}

	mc := sum.Surveys[0]
	if want := (operator.Counts{Total: 7, Complete: 6, Abandoned: 1, Flagged: 1, Assisted: 2}); mc.Counts != want || mc.Counted != 5 {
		t.Fatalf("quick rating counts %+v counted %d", mc.Counts, mc.Counted)
	}
	if mc.Title.In("vi") != "Đánh giá nhanh Bộ phận Một cửa" {
		t.Fatalf("title %q", mc.Title.In("vi"))
	}
	// cong-chuc element = thai_do 80 %; ket-qua suppressed (thoi_gian has 4
	// answers); chung 60 %: index (80 + 60) / 2 over 5 responses.
	if got := mc.Index.Format("vi"); got != "70,0 %" || mc.Index.N != 5 {
		t.Fatalf("quick rating index %s over %d", got, mc.Index.N)
	}
	figures := map[string][2]string{} // code → value, count
	for _, q := range mc.Questions {
		figures[q.Code] = [2]string{q.Figure.Format("vi"), q.Figure.Count()}
	}
	for code, want := range map[string][2]string{
		"thai_do":   {"80,0 %", "5"},
		"chung":     {"60,0 %", "5"},
		"thoi_gian": {report.SuppressedText, "4"}, // 4 answers: the k ≥ 5 edge; a count is a count
	} {
		if figures[code] != want {
			t.Errorf("%s: %v, want %v", code, figures[code], want)
		}
	}

	papi := sum.Surveys[1]
	if papi.Counts.Total != 4 || !papi.Index.Suppressed || len(papi.Questions) != 8 {
		t.Fatalf("PAPI: %+v, index %+v, %d questions", papi.Counts, papi.Index, len(papi.Questions))
	}
	for _, q := range papi.Questions {
		want := "< 5"
		if q.Figure.N == 0 {
			want = "chưa có dữ liệu" // nobody answered it: no data, not "< 5"
		}
		if !q.Figure.Suppressed || q.Figure.Format("vi") != want {
			t.Errorf("PAPI %s shown as %s with 4 responses", q.Code, q.Figure.Format("vi"))
		}
	}

	old := sum.Surveys[2]
	if old.Counts.Total != 1 || len(old.Title) != 0 || len(old.Questions) != 0 || !old.Index.Suppressed {
		t.Fatalf("unknown survey summarised as %+v", old)
	}
}

// TestSummarizeFifthResponse: the fifth answer to a question lifts its
// suppression, the fourth does not.
func TestSummarizeFifthResponse(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{{4, "< 5"}, {5, "100,0 %"}, {6, "100,0 %"}} {
		t.Run(fmt.Sprint(tc.n), func(t *testing.T) {
			f := newFixture(t)
			for range tc.n {
				f.add("mot-cua-nhanh", survey.Answers{"chung": {"rhl"}})
			}
			sum, err := operator.Summarize(context.Background(), event, f.defs, f.seq())
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range sum.Surveys[0].Questions {
				if q.Code == "chung" && q.Figure.Format("vi") != tc.want {
					t.Fatalf("%d answers shown as %s, want %s", tc.n, q.Figure.Format("vi"), tc.want)
				}
			}
			if got := sum.Surveys[0].Index.Format("vi"); got != tc.want {
				t.Fatalf("index %s with %d responses, want %s", got, tc.n, tc.want)
			}
		})
	}
}

func TestSummarizeReadError(t *testing.T) {
	f := newFixture(t).build()
	broken := errors.New("disk I/O error")
	rows := func(yield func(*survey.Response, error) bool) {
		if yield(f.rows[0], nil) {
			yield(nil, broken)
		}
	}
	if _, err := operator.Summarize(context.Background(), event, f.defs, rows); !errors.Is(err, broken) {
		t.Fatalf("error %v, want it wrapping the read error", err)
	}
}

// TestSummaryScreen opens the summary from the panel over responses stored
// in a real store, some at another event, and reads the screen.
func TestSummaryScreen(t *testing.T) {
	r := newRig(t, "vi")
	test.Tap(r.p.ShowSummary)
	if s := r.p.Summary; s == nil || s.Event.Text != "Chưa đặt sự kiện" || len(s.Rows) != 0 {
		t.Fatal("the summary without an event does not say so")
	}
	test.Tap(r.p.Summary.Close)
	if r.p.Summary != nil {
		t.Fatal("close did not close")
	}

	f := newFixture(t).build()
	for _, resp := range f.rows {
		r.save(resp)
	}
	other := f.add("papi-nhanh", survey.Answers{"tham_gia": {"khl"}})
	other.EventTag = "Xã Ba Vì – chiều"
	r.save(other)
	r.setEvent(event)
	if got := r.p.Count.Text; got != "12" {
		t.Fatalf("count %q", got)
	}
	test.Tap(r.p.ShowSummary)
	s := r.p.Summary
	if s == nil || s.Summary == nil {
		t.Fatalf("summary not computed: %s", text(s.Status))
	}
	if s.Event.Text != event {
		t.Fatalf("event %q", s.Event.Text)
	}
	if want := "Từ 08:08 25/11/2026 đến 08:42 25/11/2026, tổng cộng 12 phiếu"; s.Period.Text != want {
		t.Fatalf("period %q, want %q", s.Period.Text, want)
	}
	rows := map[string][]string{}
	for _, row := range s.Rows {
		rows[row.ID] = []string{row.Title.Text, row.Total.Text, row.Complete.Text, row.Abandoned.Text,
			row.Flagged.Text, row.Assisted.Text, row.Index.Text}
	}
	for id, want := range map[string][]string{
		"mot-cua-nhanh": {"Đánh giá nhanh Bộ phận Một cửa", "7", "6", "1", "1", "2", "70,0 %"},
		"papi-nhanh":    {"Ý kiến nhanh về chính quyền địa phương", "4", "4", "0", "0", "0", "< 5"},
		"khao-sat-cu":   {"Khảo sát không rõ (khao-sat-cu)", "1", "1", "0", "0", "0", "chưa có dữ liệu"},
	} {
		if strings.Join(rows[id], "|") != strings.Join(want, "|") {
			t.Errorf("row %s: %v, want %v", id, rows[id], want)
		}
	}
	if len(s.Rows) != 3 {
		t.Fatalf("%d survey rows, want 3 (the other event's survey left out)", len(s.Rows))
	}
	qs := map[string][2]string{}
	for _, q := range s.Questions {
		qs[q.SurveyID+"/"+q.Code] = [2]string{q.Value.Text, q.Count.Text}
		if q.Text.Text == "" {
			t.Errorf("question %s/%s without its text", q.SurveyID, q.Code)
		}
	}
	for key, want := range map[string][2]string{
		"mot-cua-nhanh/thai_do":   {"80,0 %", "5"},
		"mot-cua-nhanh/thoi_gian": {"< 5", "4"},
		"mot-cua-nhanh/chung":     {"60,0 %", "5"},
		"papi-nhanh/tham_gia":     {"< 5", "4"},
		"papi-nhanh/thu_tuc":      {"< 5", "4"},
	} {
		if qs[key] != want {
			t.Errorf("question %s: %v, want %v", key, qs[key], want)
		}
	}
	if len(s.Questions) != 3+8 {
		t.Fatalf("%d question rows, want 11", len(s.Questions))
	}

	// A response collected while the summary is open shows after Recompute.
	r.answer(survey.CodeSatisfied)
	test.Tap(s.Refresh)
	if got := s.Rows[0].Total.Text; got != "8" {
		t.Fatalf("after one more response the quick rating shows %s", got)
	}
}

// TestSummaryScreenEnglish: the operator's language, not the citizen's.
func TestSummaryScreenEnglish(t *testing.T) {
	r := newRig(t, "en")
	f := newFixture(t)
	for range 5 {
		f.add("mot-cua-nhanh", survey.Answers{"chung": {"hl"}})
	}
	for _, resp := range f.rows {
		r.save(resp)
	}
	r.setEvent(event)
	if got := r.p.Count.Text; got != "5" {
		t.Fatalf("count %q", got)
	}
	test.Tap(r.p.ShowSummary)
	s := r.p.Summary
	if want := r.builtin[indexOf(r.builtin, "mot-cua-nhanh")].Title.In("en"); s.Rows[0].Title.Text != want || want == "" {
		t.Fatalf("English title %q", s.Rows[0].Title.Text)
	}
	if got := s.Rows[0].Index.Text; got != "100.0 %" {
		t.Fatalf("index %q in English", got)
	}
	if !strings.HasPrefix(s.Period.Text, "From 08:08 25/11/2026") {
		t.Fatalf("period %q", s.Period.Text)
	}
}
