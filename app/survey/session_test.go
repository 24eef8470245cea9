package survey

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"
)

// testSurvey has every question type and a "why" follow-up shown only
// after a "not satisfied", itself with a follow-up.
func testSurvey() *Survey {
	return &Survey{
		ID: "t", Version: 2, Title: Text{"vi": "Thử"},
		Questions: []Question{
			{Code: "q1", Type: Rating3, Text: Text{"vi": "Hài lòng không?"}},
			{Code: "why", Type: Multi, Text: Text{"vi": "Vì sao?"}, ShowIf: &Condition{Question: "q1", AnyOf: []string{CodeNotSatisfied}},
				Options: []Option{{Code: "slow", Label: Text{"vi": "Chậm"}}, {Code: "rude", Label: Text{"vi": "Thái độ"}}, {Code: "other", Label: Text{"vi": "Khác"}}}},
			{Code: "whyother", Type: Comment, Text: Text{"vi": "Khác là gì?"}, ShowIf: &Condition{Question: "why", AnyOf: []string{"other"}}},
			{Code: "first", Type: YesNo, Text: Text{"vi": "Lần đầu?"}, Optional: true},
			{Code: "age", Type: Single, Text: Text{"vi": "Tuổi"}, Options: []Option{{Code: "a1", Label: Text{"vi": "<30"}}, {Code: "a2", Label: Text{"vi": "≥30"}}}},
			{Code: "note", Type: Comment, Text: Text{"vi": "Góp ý"}},
		},
	}
}

type fakeNow struct{ t time.Time }

func (f *fakeNow) now() time.Time { return f.t }

func TestSessionSkipLogic(t *testing.T) {
	type step struct {
		op       string // answer, toggle, next, back
		codes    []string
		wantQ    string // current question after the step
		wantProg string
		wantErr  bool
		wantDone bool
	}
	tests := []struct {
		name  string
		steps []step
		want  Answers
	}{
		{"satisfied skips why", []step{
			{op: "answer", codes: []string{"hl"}, wantQ: "q1", wantProg: "1/4"},
			{op: "next", wantQ: "first", wantProg: "2/4"},
			{op: "next", wantQ: "age", wantProg: "3/4"}, // optional
			{op: "next", wantQ: "age", wantErr: true, wantProg: "3/4"},
			{op: "answer", codes: []string{"a2"}, wantQ: "age", wantProg: "3/4"},
			{op: "next", wantQ: "note", wantProg: "4/4"},
			{op: "answer", codes: []string{"  Tốt  "}, wantQ: "note", wantProg: "4/4"},
			{op: "next", wantQ: "note", wantDone: true, wantProg: "4/4"},
		}, Answers{"q1": {"hl"}, "age": {"a2"}, "note": {"Tốt"}}},
		{"not satisfied asks why and its follow-up", []step{
			{op: "answer", codes: []string{"khl"}, wantQ: "q1", wantProg: "1/4"},
			{op: "next", wantQ: "why", wantProg: "1/4+"},
			{op: "next", wantQ: "why", wantErr: true, wantProg: "1/4+"},
			{op: "toggle", codes: []string{"other"}, wantQ: "why", wantProg: "1/4+"},
			{op: "toggle", codes: []string{"slow"}, wantQ: "why", wantProg: "1/4+"},
			{op: "next", wantQ: "whyother", wantProg: "1/4+"},
			{op: "answer", codes: []string{"xe\u0301p hàng"}, wantQ: "whyother", wantProg: "1/4+"}, // NFD in, NFC out
			{op: "next", wantQ: "first", wantProg: "2/4"},
			{op: "answer", codes: []string{"yes"}, wantQ: "first", wantProg: "2/4"},
		}, Answers{"q1": {"khl"}, "why": {"slow", "other"}, "whyother": {"xép hàng"}, "first": {"yes"}}},
		{"changing the answer drops hidden follow-ups", []step{
			{op: "answer", codes: []string{"khl"}, wantQ: "q1", wantProg: "1/4"},
			{op: "next", wantQ: "why", wantProg: "1/4+"},
			{op: "toggle", codes: []string{"other"}, wantQ: "why", wantProg: "1/4+"},
			{op: "next", wantQ: "whyother", wantProg: "1/4+"},
			{op: "answer", codes: []string{"lâu"}, wantQ: "whyother", wantProg: "1/4+"},
			{op: "back", wantQ: "why", wantProg: "1/4+"},
			{op: "back", wantQ: "q1", wantProg: "1/4"},
			{op: "back", wantQ: "q1", wantProg: "1/4"}, // no earlier question
			{op: "answer", codes: []string{"rhl"}, wantQ: "q1", wantProg: "1/4"},
			{op: "next", wantQ: "first", wantProg: "2/4"},
		}, Answers{"q1": {"rhl"}}},
		{"bad codes are refused", []step{
			{op: "answer", codes: []string{"nope"}, wantQ: "q1", wantErr: true, wantProg: "1/4"},
			{op: "answer", codes: []string{"hl", "khl"}, wantQ: "q1", wantErr: true, wantProg: "1/4"},
			{op: "toggle", codes: []string{"hl"}, wantQ: "q1", wantErr: true, wantProg: "1/4"},
			{op: "answer", codes: []string{"khl"}, wantQ: "q1", wantProg: "1/4"},
			{op: "next", wantQ: "why", wantProg: "1/4+"},
			{op: "toggle", codes: []string{"rhl"}, wantQ: "why", wantErr: true, wantProg: "1/4+"},
			{op: "answer", codes: []string{"slow", "rude", "slow"}, wantQ: "why", wantProg: "1/4+"},
			{op: "toggle", codes: []string{"slow"}, wantQ: "why", wantProg: "1/4+"},
		}, Answers{"q1": {"khl"}, "why": {"rude"}}},
		{"empty comment clears the answer", []step{
			{op: "answer", codes: []string{"hl"}, wantQ: "q1", wantProg: "1/4"},
			{op: "next", wantQ: "first", wantProg: "2/4"},
			{op: "next", wantQ: "age", wantProg: "3/4"},
			{op: "answer", codes: []string{"a1"}, wantQ: "age", wantProg: "3/4"},
			{op: "next", wantQ: "note", wantProg: "4/4"},
			{op: "answer", codes: []string{"x"}, wantQ: "note", wantProg: "4/4"},
			{op: "answer", codes: []string{"   "}, wantQ: "note", wantProg: "4/4"},
		}, Answers{"q1": {"hl"}, "age": {"a1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ss, err := NewSession(testSurvey(), nil)
			if err != nil {
				t.Fatal(err)
			}
			for i, st := range tt.steps {
				var err error
				done := false
				switch st.op {
				case "answer":
					err = ss.Answer(st.codes...)
				case "toggle":
					err = ss.Toggle(st.codes[0])
				case "next":
					done, err = ss.Next()
				case "back":
					ss.Back()
				}
				if (err != nil) != st.wantErr {
					t.Fatalf("step %d %s %v: err = %v, want error %v", i, st.op, st.codes, err, st.wantErr)
				}
				if done != st.wantDone {
					t.Fatalf("step %d: done = %v", i, done)
				}
				if got := ss.Current().Code; got != st.wantQ {
					t.Fatalf("step %d: current = %s, want %s", i, got, st.wantQ)
				}
				n, total, follow := ss.Progress()
				got := fmt.Sprintf("%d/%d", n, total)
				if follow {
					got += "+"
				}
				if got != st.wantProg {
					t.Fatalf("step %d: progress = %s, want %s (the total never moves; + marks a follow-up)", i, got, st.wantProg)
				}
			}
			if got := ss.Answers(); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("answers = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSessionFinish(t *testing.T) {
	clk := &fakeNow{t: time.Date(2026, 11, 25, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600))}
	ss, err := NewSession(testSurvey(), clk.now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ss.Finish(); !errors.Is(err, ErrUnanswered) {
		t.Fatalf("finish with nothing answered: %v", err)
	}
	must(t, ss.Answer("hl"))
	next(t, ss)
	next(t, ss)
	must(t, ss.Answer("a1"))
	if ss.IsLast() {
		t.Fatal("age is not the last question")
	}
	next(t, ss)
	if !ss.IsLast() {
		t.Fatal("note is the last question")
	}
	clk.t = clk.t.Add(42 * time.Second)
	r, err := ss.Finish()
	if err != nil {
		t.Fatal(err)
	}
	id, err := uuid.Parse(r.ID)
	if err != nil || id.Version() != 7 {
		t.Fatalf("id %q is not a UUIDv7 (%v)", r.ID, err)
	}
	if r.StartedAt.Location() != time.UTC || r.FinishedAt.Location() != time.UTC {
		t.Fatal("times are not UTC")
	}
	if r.Duration() != 42*time.Second || r.Status != StatusComplete || r.SurveyID != "t" || r.SurveyVersion != 2 {
		t.Fatalf("response = %+v", r)
	}
	if !reflect.DeepEqual(r.Answers, Answers{"q1": {"hl"}, "age": {"a1"}}) {
		t.Fatalf("answers = %v", r.Answers)
	}
	// The response is a copy: later changes to the session do not leak in.
	must(t, ss.Answer("changed"))
	if _, ok := r.Answers["note"]; ok {
		t.Fatal("response shares answers with the session")
	}
}

func TestSessionAbandon(t *testing.T) {
	tests := []struct {
		name    string
		policy  string
		answer  bool
		wantNil bool
	}{
		{"default keeps", "", true, false},
		{"keep keeps", AbandonKeep, true, false},
		{"discard drops", AbandonDiscard, true, true},
		{"nothing answered", AbandonKeep, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testSurvey()
			s.Abandoned = tt.policy
			ss, err := NewSession(s, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.answer {
				must(t, ss.Answer("khl"))
			}
			r := ss.Abandon()
			if (r == nil) != tt.wantNil {
				t.Fatalf("Abandon() = %+v, want nil %v", r, tt.wantNil)
			}
			if r != nil && (r.Status != StatusAbandoned || r.Answers["q1"][0] != "khl" || r.ID != ss.ID()) {
				t.Fatalf("abandoned response = %+v", r)
			}
		})
	}
}

func TestNewSessionErrors(t *testing.T) {
	if _, err := NewSession(&Survey{ID: "x"}, nil); err == nil {
		t.Fatal("no questions: want error")
	}
	s := &Survey{ID: "x", Questions: []Question{{Code: "a", Type: YesNo, ShowIf: &Condition{Question: "b", AnyOf: []string{"yes"}}}}}
	if _, err := NewSession(s, nil); err == nil {
		t.Fatal("no visible question: want error")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func next(t *testing.T, ss *Session) {
	t.Helper()
	if done, err := ss.Next(); err != nil || done {
		t.Fatalf("next: done=%v err=%v", done, err)
	}
}

// TestCanBack: back is offered on every question but the first visible
// one, follow-ups included (whose progress number is their main
// question's).
func TestCanBack(t *testing.T) {
	ss, err := NewSession(testSurvey(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if ss.CanBack() {
		t.Fatal("back offered on the first question")
	}
	must(t, ss.Answer("khl"))
	next(t, ss)
	n, _, follow := ss.Progress()
	if ss.Current().Code != "why" || !follow || n != 1 || !ss.CanBack() {
		t.Fatalf("on %s: progress %d follow-up %v, back %v", ss.Current().Code, n, follow, ss.CanBack())
	}
	ss.Back()
	if ss.CanBack() {
		t.Fatal("back offered after going back to the first question")
	}
}
