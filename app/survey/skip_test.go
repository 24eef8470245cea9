package survey_test

import (
	"slices"
	"testing"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// TestVisible covers skip logic: a question with show_if is asked only when
// the earlier question's answer includes one of the listed codes.
func TestVisible(t *testing.T) {
	why := survey.Question{Code: "ly_do", Type: survey.Multi,
		ShowIf: &survey.Condition{Question: "chung", AnyOf: []string{"khl", "rkhl"}}}
	afterMulti := survey.Question{Code: "chi_tiet", Type: survey.YesNo,
		ShowIf: &survey.Condition{Question: "ly_do", AnyOf: []string{"cho-lau"}}}
	always := survey.Question{Code: "chung", Type: survey.Rating5}
	tests := []struct {
		name    string
		q       survey.Question
		answers survey.Answers
		want    bool
	}{
		{"no condition, no answers", always, nil, true},
		{"no condition", always, survey.Answers{"x": {"hl"}}, true},
		{"not satisfied", why, survey.Answers{"chung": {"khl"}}, true},
		{"very dissatisfied", why, survey.Answers{"chung": {"rkhl"}}, true},
		{"satisfied", why, survey.Answers{"chung": {"hl"}}, false},
		{"neutral", why, survey.Answers{"chung": {"bt"}}, false},
		{"earlier not answered yet", why, survey.Answers{}, false},
		{"earlier skipped (empty)", why, survey.Answers{"chung": {}}, false},
		{"nil answers", why, nil, false},
		{"other question has the code", why, survey.Answers{"thai_do": {"khl"}}, false},
		{"multi answer contains the code", afterMulti, survey.Answers{"ly_do": {"thai-do", "cho-lau"}}, true},
		{"multi answer lacks the code", afterMulti, survey.Answers{"ly_do": {"thai-do", "khac"}}, false},
		{"codes are compared exactly", why, survey.Answers{"chung": {"KHL"}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.q.Visible(tc.answers); got != tc.want {
				t.Errorf("Visible(%v) = %v, want %v", tc.answers, got, tc.want)
			}
		})
	}
}

// TestVisibleBuiltinPaths walks the built-in e-government survey and checks
// which questions each yes/no answer shows.
func TestVisibleBuiltinPaths(t *testing.T) {
	all, err := survey.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var dvc *survey.Survey
	for _, s := range all {
		if s.ID == "dich-vu-cong" {
			dvc = s
		}
	}
	if dvc == nil {
		t.Fatal("no dich-vu-cong survey")
	}
	shown := func(a survey.Answers) []string {
		var codes []string
		for _, q := range dvc.Questions {
			if q.Visible(a) {
				codes = append(codes, q.Code)
			}
		}
		return codes
	}
	for _, tc := range []struct {
		used string
		want []string
	}{
		{"yes", []string{"da_dung", "danh_gia", "can_ho_tro", "quet_qr"}},
		{"no", []string{"da_dung", "ly_do_chua_dung", "can_ho_tro", "quet_qr"}},
	} {
		if got := shown(survey.Answers{"da_dung": {tc.used}}); !slices.Equal(got, tc.want) {
			t.Errorf("da_dung=%s shows %v, want %v", tc.used, got, tc.want)
		}
	}
}

// TestAnswerCoding checks the codes each question type stores and which
// rating codes count as satisfied for the indices.
func TestAnswerCoding(t *testing.T) {
	codes := func(q survey.Question) []string {
		var out []string
		for _, o := range q.OptionsOf() {
			out = append(out, o.Code)
		}
		return out
	}
	own := []survey.Option{{Code: "a", Label: survey.Text{"vi": "A"}}, {Code: "b", Label: survey.Text{"vi": "B"}}}
	tests := []struct {
		typ     survey.QuestionType
		options []survey.Option
		want    []string
	}{
		{survey.Rating3, nil, []string{"rhl", "hl", "khl"}},
		{survey.Rating5, nil, []string{"rhl", "hl", "bt", "khl", "rkhl"}},
		{survey.YesNo, nil, []string{"yes", "no"}},
		{survey.Single, own, []string{"a", "b"}},
		{survey.Multi, own, []string{"a", "b"}},
		{survey.Comment, nil, nil},
		// Options listed on a rating question are never used: Validate
		// rejects them, and the standard scale wins regardless.
		{survey.Rating3, own, []string{"rhl", "hl", "khl"}},
	}
	for _, tc := range tests {
		q := survey.Question{Code: "q", Type: tc.typ, Options: tc.options}
		if got := codes(q); !slices.Equal(got, tc.want) {
			t.Errorf("%s: OptionsOf codes = %v, want %v", tc.typ, got, tc.want)
		}
	}
	for _, o := range survey.StandardOptions(survey.Rating5) {
		if o.Label["vi"] == "" || o.Label["en"] == "" {
			t.Errorf("rating5 option %s lacks a label", o.Code)
		}
	}

	satisfied := map[string]bool{"rhl": true, "hl": true, "bt": false, "khl": false, "rkhl": false,
		"yes": false, "no": false, "": false, "HL": false}
	for code, want := range satisfied {
		if got := survey.Satisfied(code); got != want {
			t.Errorf("Satisfied(%q) = %v, want %v", code, got, want)
		}
	}
	if !survey.Rating3.IsRating() || !survey.Rating5.IsRating() || survey.YesNo.IsRating() || survey.Single.IsRating() {
		t.Error("IsRating is wrong")
	}
}
