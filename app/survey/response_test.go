package survey_test

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/survey/surveytest"
)

func validResponse() *survey.Response {
	start := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	return &survey.Response{
		ID: "01937a4c-5e2b-7c3d-8e4f-a1b2c3d4e5f6", SurveyID: "chk", SurveyVersion: 1,
		Answers:   survey.Answers{"q1": {"hl"}, "why": {"Nhanh"}},
		StartedAt: start, FinishedAt: start.Add(30 * time.Second),
		ServicePoint: "Phường Hoàn Kiếm", Lang: "vi", Status: survey.StatusComplete,
	}
}

func TestCheckResponse(t *testing.T) {
	tests := map[string]struct {
		mod  func(r *survey.Response)
		path string // Problem.Path, "" for valid
	}{
		"valid":               {func(r *survey.Response) {}, ""},
		"no device yet":       {func(r *survey.Response) { r.DeviceID = "" }, ""},
		"200 chars place":     {func(r *survey.Response) { r.ServicePoint = strings.Repeat("ư", 200) }, ""},
		"4000 chars comment":  {func(r *survey.Response) { r.Answers["why"] = []string{strings.Repeat("ệ", 4000)} }, ""},
		"nil answers":         {func(r *survey.Response) { r.Answers = nil }, ""},
		"bad id":              {func(r *survey.Response) { r.ID = "42" }, "id"},
		"upper-case id":       {func(r *survey.Response) { r.ID = strings.ToUpper(r.ID) }, "id"},
		"no survey":           {func(r *survey.Response) { r.SurveyID = "" }, "survey_id"},
		"version 0":           {func(r *survey.Response) { r.SurveyVersion = 0 }, "survey_version"},
		"no lang":             {func(r *survey.Response) { r.Lang = "" }, "lang"},
		"bad status":          {func(r *survey.Response) { r.Status = "done" }, "status"},
		"no start":            {func(r *survey.Response) { r.StartedAt = time.Time{} }, "started_at"},
		"year 10000":          {func(r *survey.Response) { r.FinishedAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, "started_at"},
		"backwards":           {func(r *survey.Response) { r.FinishedAt = r.StartedAt.Add(-time.Nanosecond) }, "finished_at"},
		"280 chars place":     {func(r *survey.Response) { r.ServicePoint = strings.Repeat("Phường ", 40) }, "service_point"},
		"long event":          {func(r *survey.Response) { r.EventTag = strings.Repeat("a", 201) }, "event_tag"},
		"long device":         {func(r *survey.Response) { r.DeviceID = strings.Repeat("a", 201) }, "device_id"},
		"long misuse reason":  {func(r *survey.Response) { r.MisuseReason = strings.Repeat("a", 4001) }, "misuse_reason"},
		"bad utf-8 place":     {func(r *survey.Response) { r.ServicePoint = "M\xf4t" }, "service_point"},
		"4001 chars comment":  {func(r *survey.Response) { r.Answers["why"] = []string{strings.Repeat("ệ", 4001)} }, "answers[why]"},
		"empty code":          {func(r *survey.Response) { r.Answers[""] = []string{"x"} }, "answers"},
		"bad utf-8 code":      {func(r *survey.Response) { r.Answers["\xc3"] = []string{"x"} }, "answers"},
		"long code":           {func(r *survey.Response) { r.Answers[strings.Repeat("q", 201)] = []string{"x"} }, "answers[" + strings.Repeat("q", 201) + "]"},
		"101 values":          {func(r *survey.Response) { r.Answers["q1"] = make([]string, 101) }, "answers[q1]"},
		"201 answered":        {func(r *survey.Response) { r.Answers = manyAnswers(201) }, "answers"},
		"200 answered":        {func(r *survey.Response) { r.Answers = manyAnswers(200) }, ""},
		"abandoned is a kind": {func(r *survey.Response) { r.Status = survey.StatusAbandoned }, ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			r := validResponse()
			tt.mod(r)
			err := survey.CheckResponse(r)
			if tt.path == "" {
				if err != nil {
					t.Fatalf("CheckResponse = %v, want nil", err)
				}
				return
			}
			var p survey.Problem
			if !errors.As(err, &p) || p.Path != tt.path || p.Text("vi") == "" || p.Text("en") == "" {
				t.Fatalf("CheckResponse = %#v, want a Problem at %q in vi and en", err, tt.path)
			}
		})
	}
	if err := survey.CheckResponse(nil); err == nil {
		t.Error("CheckResponse(nil) = nil")
	}
}

func manyAnswers(n int) survey.Answers {
	a := survey.Answers{}
	for i := range n {
		a[strings.Repeat("q", 1+i%50)+string(rune('a'+i/50))] = []string{"x"}
	}
	return a
}

// checkSurvey has one of each kind of rule CheckAnswers applies.
const checkSurvey = `{
  "id": "chk", "version": 1, "title": {"vi": "Kiểm tra"},
  "questions": [
    {"code": "q1", "type": "rating3", "text": {"vi": "Hài lòng?"}},
    {"code": "why", "type": "multi", "text": {"vi": "Vì sao?"}, "optional": true,
     "options": [{"code": "a", "label": {"vi": "A"}}, {"code": "b", "label": {"vi": "B"}}]},
    {"code": "fix", "type": "single", "text": {"vi": "Sửa gì?"},
     "show_if": {"question": "q1", "any_of": ["khl"]},
     "options": [{"code": "x", "label": {"vi": "X"}}, {"code": "y", "label": {"vi": "Y"}}]},
    {"code": "note", "type": "text", "text": {"vi": "Ý kiến"}, "optional": true}
  ]
}`

func TestCheckAnswers(t *testing.T) {
	s, err := survey.Parse([]byte(checkSurvey))
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		answers survey.Answers
		status  survey.Status
		path    string // "" for valid
	}{
		"minimal":            {survey.Answers{"q1": {"hl"}}, survey.StatusComplete, ""},
		"all shown":          {survey.Answers{"q1": {"khl"}, "why": {"b", "a"}, "fix": {"y"}, "note": {"Chậm"}}, survey.StatusComplete, ""},
		"abandoned early":    {survey.Answers{}, survey.StatusAbandoned, ""},
		"abandoned partial":  {survey.Answers{"q1": {"khl"}}, survey.StatusAbandoned, ""},
		"required missing":   {survey.Answers{"why": {"a"}}, survey.StatusComplete, "answers[q1]"},
		"shown but missing":  {survey.Answers{"q1": {"khl"}}, survey.StatusComplete, "answers[fix]"},
		"hidden answered":    {survey.Answers{"q1": {"hl"}, "fix": {"x"}}, survey.StatusComplete, "answers[fix]"},
		"unknown question":   {survey.Answers{"q1": {"hl"}, "q9": {"hl"}}, survey.StatusComplete, "answers[q9]"},
		"two ratings":        {survey.Answers{"q1": {"hl", "rhl"}}, survey.StatusComplete, "answers[q1]"},
		"not an option":      {survey.Answers{"q1": {"rkhl"}}, survey.StatusComplete, "answers[q1]"},
		"multi repeated":     {survey.Answers{"q1": {"hl"}, "why": {"a", "b", "a"}}, survey.StatusComplete, "answers[why]"},
		"multi unknown":      {survey.Answers{"q1": {"hl"}, "why": {"c"}}, survey.StatusComplete, "answers[why]"},
		"comment two texts":  {survey.Answers{"q1": {"hl"}, "note": {"a", "b"}}, survey.StatusComplete, "answers[note]"},
		"empty optional set": {survey.Answers{"q1": {"hl"}, "why": {}}, survey.StatusComplete, ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			r := validResponse()
			r.Answers, r.Status = tt.answers, tt.status
			err := survey.Check(s, r)
			if tt.path == "" {
				if err != nil {
					t.Fatalf("Check = %v, want nil", err)
				}
				return
			}
			var p survey.Problem
			if !errors.As(err, &p) || p.Path != tt.path {
				t.Fatalf("Check = %v, want a Problem at %q", err, tt.path)
			}
		})
	}
	other := validResponse()
	other.SurveyVersion = 2
	if err := survey.CheckAnswers(s, other); err == nil {
		t.Error("CheckAnswers took a response to another version")
	}
}

// TestSessionResponsesPass is the property that ties the Session to the
// check: whatever a citizen does, what the Session ends with (finished or
// abandoned), stamped as the kiosk stamps it, passes survey.Check. The hub
// side of the same property is sync/hub's TestSessionResponsesAccepted.
func TestSessionResponsesPass(t *testing.T) {
	all, err := survey.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	walks := 3000
	if testing.Short() {
		walks = 300
	}
	rng := rand.New(rand.NewPCG(10, 2026))
	start := time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)
	kinds := map[survey.Status]int{}
	for i := range walks {
		s := all[i%len(all)]
		r, err := surveytest.Walk(rng, s, start)
		if err != nil {
			t.Fatalf("walk %d over %s: %v", i, s.ID, err)
		}
		if r == nil {
			continue
		}
		kinds[r.Status]++
		if err := survey.Check(s, r); err != nil {
			t.Fatalf("walk %d over %s ended with a response the check refuses: %v\n%+v", i, s.ID, err, r)
		}
	}
	// The walks must reach both ends, or the property says little.
	if kinds[survey.StatusComplete] < walks/10 || kinds[survey.StatusAbandoned] < walks/10 {
		t.Errorf("walks ended %v: too few of one kind", kinds)
	}
}

// TestSessionRefusesLongComment: a comment over the limit is refused and
// the earlier answer stays, so a Session never holds what the hub refuses.
func TestSessionRefusesLongComment(t *testing.T) {
	s, err := survey.Parse([]byte(checkSurvey))
	if err != nil {
		t.Fatal(err)
	}
	ss, err := survey.NewSession(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"hl", ""} {
		if code != "" {
			ss.Answer(code)
		}
		if _, err := ss.Next(); err != nil {
			t.Fatal(err)
		}
	}
	if ss.Current().Code != "note" {
		t.Fatalf("on %s, want note", ss.Current().Code)
	}
	if err := ss.Answer(strings.Repeat("ệ", survey.MaxLongText)); err != nil {
		t.Fatalf("comment at the limit: %v", err)
	}
	if err := ss.Answer(strings.Repeat("ệ", survey.MaxLongText) + "a"); !errors.Is(err, survey.ErrTooLong) {
		t.Fatalf("comment over the limit: %v, want ErrTooLong", err)
	}
	if got := ss.Selected("note"); len(got) != 1 || len([]rune(got[0])) != survey.MaxLongText {
		t.Errorf("after the refusal the comment holds %d runes, want the earlier %d", len([]rune(got[0])), survey.MaxLongText)
	}
}

// FuzzResponseID checks CheckResponse's id rule against the uuid package:
// an id passes exactly when uuid.Parse reads it and writes it back the same.
func FuzzResponseID(f *testing.F) {
	for _, s := range []string{"01937a4c-5e2b-7c3d-8e4f-a1b2c3d4e5f6", "01937A4C-5E2B-7C3D-8E4F-A1B2C3D4E5F6",
		"{01937a4c-5e2b-7c3d-8e4f-a1b2c3d4e5f6}", "urn:uuid:01937a4c-5e2b-7c3d-8e4f-a1b2c3d4e5f6",
		"01937a4c5e2b7c3d8e4fa1b2c3d4e5f6", "01937a4c-5e2b-7c3d-8e4f-a1b2c3d4e5fg", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		u, err := uuid.Parse(id)
		want := err == nil && u.String() == id
		r := validResponse()
		r.ID = id
		var p survey.Problem
		got := !errors.As(survey.CheckResponse(r), &p) || p.Path != "id"
		if got != want {
			t.Errorf("id %q: accepted %v, uuid says %v", id, got, want)
		}
	})
}
