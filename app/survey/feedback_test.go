package survey_test

import (
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// withFeedback is valid() with a feedback screen before its comment.
func withFeedback() *survey.Survey {
	s := valid()
	fb := survey.Question{Code: "phan_anh", Type: survey.Feedback,
		Text: survey.Text{"vi": "Ông/Bà có muốn gửi phản ánh, kiến nghị không?", "en": "Would you like to send feedback?"}}
	s.Questions = append(s.Questions[:2], fb, s.Questions[2])
	return s
}

func TestFeedbackScreen(t *testing.T) {
	s := withFeedback()
	if err := survey.Validate(s); err != nil {
		t.Fatalf("a survey with a feedback screen: %v", err)
	}
	if n := s.QuestionCount(); n != 3 {
		t.Fatalf("QuestionCount %d, want 3: a feedback screen is not a question", n)
	}
	for _, tc := range []struct {
		name   string
		change func(q *survey.Question)
		code   string
	}{
		{"no text", func(q *survey.Question) { q.Text = nil }, "text_missing_vi"},
		{"options", func(q *survey.Question) { q.Options = []survey.Option{{Code: "a", Label: survey.Text{"vi": "A"}}} }, "options_not_allowed"},
		{"title", func(q *survey.Question) { q.Title = survey.Text{"vi": "x"} }, "info_only"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := withFeedback()
			tc.change(&s.Questions[2])
			found := false
			for _, p := range problemsOf(t, survey.Validate(s)) {
				found = found || p.Rule == tc.code
			}
			if !found {
				t.Fatalf("no %s problem: %v", tc.code, survey.Validate(s))
			}
		})
	}
	// A show_if cannot depend on it.
	s = withFeedback()
	s.Questions[3].ShowIf = &survey.Condition{Question: "phan_anh", AnyOf: []string{"yes"}}
	if survey.Validate(s) == nil {
		t.Fatal("a condition on a feedback screen was accepted")
	}

	s = withFeedback()
	ss, err := survey.NewSession(s, func() time.Time { return time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC) })
	if err != nil {
		t.Fatal(err)
	}
	if err := ss.Answer(survey.CodeSatisfied); err != nil {
		t.Fatal(err)
	}
	for ss.Current().Type != survey.Feedback {
		if _, err := ss.Next(); err != nil {
			t.Fatal(err)
		}
	}
	if err := ss.Answer("yes"); err == nil {
		t.Fatal("a feedback screen took an answer")
	}
	if !ss.CanNext() {
		t.Fatal("a feedback screen holds the citizen back")
	}
	r := &survey.Response{SurveyID: s.ID, SurveyVersion: s.Version, Status: survey.StatusComplete,
		Answers: survey.Answers{"chung": {survey.CodeSatisfied}, "phan_anh": {"yes"}}}
	if err := survey.CheckAnswers(s, r); err == nil {
		t.Fatal("CheckAnswers took an answer to a feedback screen")
	}
}
