package survey_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/hailong-kiosk/hailong/app/survey"
	"golang.org/x/text/unicode/norm"
)

// minimal is a valid definition laid out one field per line, so that the
// tests can name the line of each problem.
const minimal = `{
  "id": "thu",
  "version": 1,
  "title": {"vi": "Thử", "en": "Try"},
  "questions": [
    {
      "code": "chung",
      "type": "rating3",
      "text": {"vi": "Ông/Bà có hài lòng không?"}
    }
  ]
}`

func TestParseMinimal(t *testing.T) {
	s, err := survey.Parse([]byte(minimal))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if s.ID != "thu" || s.Version != 1 || s.Title.In("en") != "Try" || len(s.Questions) != 1 ||
		s.Questions[0].Type != survey.Rating3 || s.Questions[0].Text.In("en") != "Ông/Bà có hài lòng không?" {
		t.Errorf("Parse gave %+v", s)
	}
}

// TestParseProblems checks the problems found while reading the JSON, one
// row per kind, each with its path and line.
func TestParseProblems(t *testing.T) {
	tests := []struct {
		name  string
		input string
		path  string
		line  int
		rule  string
		en    string
	}{
		{"empty", "", "", 0, "empty", "The file is empty: there is no survey in it."},
		{"only spaces", " \n\t ", "", 0, "empty", ""},
		{"too large", `{"id":"` + strings.Repeat("a", survey.MaxDefinitionSize) + `"}`, "", 0, "too_large", ""},
		{"not UTF-8", strings.Replace(minimal, "Thử", "Th\xfd", 1), "", 4, "not_utf8",
			"The file is not UTF-8 text: open it and save it again as UTF-8 (Unicode)."},
		{"syntax: missing comma", strings.Replace(minimal, `"version": 1,`, `"version": 1`, 1), "", 4, "syntax", ""},
		{"syntax: trailing comma", strings.Replace(minimal, `"version": 1,`, `"version": 1,,`, 1), "", 3, "syntax", ""},
		{"unexpected end", minimal[:40], "", 4, "unexpected_end",
			"The file ends too early: a closing } or ] or a double quote is missing."},
		{"trailing data", minimal + "\n{}", "", 13, "trailing",
			"There is more after the survey's closing }: a file holds exactly one survey."},
		{"not an object", "[1, 2]", "", 1, "wrong_type", "Expected an object {...}, found a list [...]."},
		{"unknown field", strings.Replace(minimal, `"type": "rating3",`, `"type": "rating3", "typ": "single",`, 1), "questions[0].typ", 8, "unknown_field",
			`Unknown field "typ" (a typo?); the fields here are: code, type, text, options, index, optional, show_if, labels, title, image, qr.`},
		{"field name case", strings.Replace(minimal, `"id"`, `"ID"`, 1), "ID", 2, "unknown_field", ""},
		{"duplicate field", strings.Replace(minimal, `"version": 1,`, `"version": 1, "version": 2,`, 1), "version", 3, "duplicate_field",
			`Field "version" appears twice; keep one.`},
		{"version as string", strings.Replace(minimal, `"version": 1`, `"version": "1"`, 1), "version", 3, "wrong_type",
			"Expected a whole number, found a string in double quotes."},
		{"version as fraction", strings.Replace(minimal, `"version": 1`, `"version": 1.5`, 1), "version", 3, "wrong_type",
			"Expected a whole number, found a number."},
		{"version too big", strings.Replace(minimal, `"version": 1`, `"version": 123456789012345678901234567890`, 1), "version", 3, "not_integer", ""},
		{"optional as string", strings.Replace(minimal, `"type": "rating3",`, `"type": "rating3", "optional": "yes",`, 1), "questions[0].optional", 8, "wrong_type",
			"Expected true or false, found a string in double quotes."},
		{"text as string", strings.Replace(minimal, `{"vi": "Thử", "en": "Try"}`, `"Thử"`, 1), "title", 4, "wrong_type",
			"Expected an object {...}, found a string in double quotes."},
		{"text value as number", strings.Replace(minimal, `"en": "Try"`, `"en": 5`, 1), "title.en", 4, "wrong_type", ""},
		{"questions as object", strings.Replace(minimal, `"questions": [`, `"questions": {"a": [`, 1) + "}", "questions", 5, "wrong_type", ""},
		{"validation problem carries its line", strings.Replace(minimal, `"rating3"`, `"rating4"`, 1), "questions[0].type", 8, "type_unknown", ""},
		{"missing field points at its parent", strings.Replace(minimal, `"code": "chung",`, ``, 1), "questions[0].code", 6, "code_missing", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := survey.Parse([]byte(tc.input))
			if s != nil {
				t.Errorf("Parse returned a survey along with error %v", err)
			}
			ps := problemsOf(t, err)
			if len(ps) != 1 {
				t.Fatalf("got %d problems, want 1:\n%s", len(ps), strings.Join(ps.Describe("en"), "\n"))
			}
			p := ps[0]
			if p.Path != tc.path || p.Line != tc.line || p.Rule != tc.rule {
				t.Errorf("got %s line %d [%s], want %s line %d [%s]", p.Path, p.Line, p.Rule, tc.path, tc.line, tc.rule)
			}
			if tc.en != "" && p.Text("en") != tc.en {
				t.Errorf("English message\n got %s\nwant %s", p.Text("en"), tc.en)
			}
			if p.Text("vi") == "" || p.Text("vi") == p.Text("en") {
				t.Errorf("no Vietnamese message: %q", p.Text("vi"))
			}
		})
	}
}

// TestParseReportsEverything checks that shape and validation problems come
// together, sorted by line, without repeating a field already reported.
func TestParseReportsEverything(t *testing.T) {
	in := strings.NewReplacer(
		`"version": 1`, `"version": "một"`,
		`"title": {"vi": "Thử", "en": "Try"}`, `"titel": {"vi": "Thử"}`,
		`"type": "rating3"`, `"type": "rating3", "options": []`,
		`"text": {"vi": "Ông/Bà có hài lòng không?"}`, `"text": {"vn": "Ông/Bà có hài lòng không?"}`,
	).Replace(minimal)
	_, err := survey.Parse([]byte(in))
	got := strings.Join(problemsOf(t, err).Describe("en"), "\n")
	want := strings.Join([]string{
		"title.vi (line 1): The Vietnamese text (vi) is missing.",
		"version (line 3): Expected a whole number, found a string in double quotes.",
		`titel (line 4): Unknown field "titel" (a typo?); the fields here are: id, version, title, purpose, invitation, abandoned, slip, questions.`,
		"questions[0].text.vi (line 9): The Vietnamese text (vi) is missing.",
		`questions[0].text.vn (line 9): Language "vn" is not supported: use "vi" for Vietnamese and "en" for English.`,
	}, "\n")
	if got != want {
		t.Errorf("problems\n got:\n%s\nwant:\n%s", got, want)
	}
}

// TestParseNormalises checks that NFD input (as macOS and some input
// methods produce) and stray spaces come out as trimmed NFC, and that a
// byte order mark and nulls are accepted.
func TestParseNormalises(t *testing.T) {
	nfd := norm.NFD.String(`{
  "id": " thu ",
  "version": 1,
  "title": {"vi": "  Đánh giá sự hài lòng  ", "en": "Rating"},
  "purpose": null,
  "questions": [
    {"code": "ly_do", "type": "single", "text": {"vi": "Vì sao Ông/Bà chưa hài lòng?"},
     "options": [
       {"code": "cho-lau", "label": {"vi": "Phải chờ lâu"}},
       {"code": "khac", "label": {"vi": "Lý do khác"}}
     ]}
  ]
}`)
	if norm.NFC.IsNormalString(nfd) {
		t.Fatal("test input is already NFC")
	}
	s, err := survey.Parse(append([]byte("\xef\xbb\xbf"), nfd...))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	for _, tc := range []struct{ got, want string }{
		{s.ID, "thu"},
		{s.Title["vi"], "Đánh giá sự hài lòng"},
		{s.Questions[0].Text["vi"], "Vì sao Ông/Bà chưa hài lòng?"},
		{s.Questions[0].Options[0].Label["vi"], "Phải chờ lâu"},
		{s.Questions[0].Options[1].Label["vi"], "Lý do khác"},
	} {
		if tc.got != tc.want || !norm.NFC.IsNormalString(tc.got) {
			t.Errorf("got %q (% x), want NFC %q", tc.got, []byte(tc.got), tc.want)
		}
	}
	if s.Purpose != nil {
		t.Errorf("purpose null became %v", s.Purpose)
	}
	// The decomposed text has more bytes than the composed one.
	if !bytes.Contains([]byte(nfd), []byte("a\u0300")) {
		t.Error("test input has no decomposed à")
	}
}

// TestParseManyProblems checks that a definition with thousands of problems
// is reported in bounded form, and that a large input is handled in one
// pass (a quadratic walk would make this test run for minutes).
func TestParseManyProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"id":"thu","version":1,"title":{"vi":"Thử"},"questions":[`)
	for i := range 9000 {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString(`{"code":"q","type":"yesno","text":{"vi":"Có?"},"show_if":{"question":"q","any_of":["yes"]},"x":1}`)
	}
	b.WriteString("]}")
	if b.Len() > survey.MaxDefinitionSize {
		t.Fatalf("input is %d bytes, over the limit", b.Len())
	}
	_, err := survey.Parse([]byte(b.String()))
	ps := problemsOf(t, err)
	if len(ps) != survey.MaxProblems+1 {
		t.Fatalf("got %d problems, want %d", len(ps), survey.MaxProblems+1)
	}
	if last := ps[len(ps)-1]; last.Rule != "too_many_problems" {
		t.Errorf("last problem is %+v, want too_many_problems", last)
	}
	if first := ps[0]; first.Path != "questions[0].x" || first.Rule != "unknown_field" || first.Line != 1 {
		t.Errorf("first problem is %s line %d [%s], want questions[0].x line 1 [unknown_field]", first.Path, first.Line, first.Rule)
	}
}

// TestDocExample keeps the example in docs/survey-format.md valid.
func TestDocExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/survey-format.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```json\n")
	if !ok {
		t.Fatal("no JSON example in docs/survey-format.md")
	}
	example, _, _ := strings.Cut(rest, "```")
	s, err := survey.Parse([]byte(example))
	if err != nil {
		t.Fatalf("the documented example does not parse:\n%v", err)
	}
	if s.ID != "mot-cua-nhanh" || len(s.Questions) != 3 || s.Questions[1].ShowIf == nil {
		t.Errorf("example parsed as %+v", s)
	}
}

// TestParseSlip reads each slip policy a survey may name, spaces trimmed,
// and points at the line of a wrong one.
func TestParseSlip(t *testing.T) {
	tests := []struct {
		value string
		want  survey.SlipPolicy
		uses  bool
	}{
		{"", "", false},
		{`"slip": "none",`, survey.SlipNone, false},
		{`"slip": " optional ",`, survey.SlipOptional, true},
		{`"slip": "required",`, survey.SlipRequired, true},
	}
	for _, tt := range tests {
		t.Run(string(tt.want), func(t *testing.T) {
			s, err := survey.Parse([]byte(strings.Replace(minimal, `"version": 1,`, `"version": 1, `+tt.value, 1)))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if s.Slip != tt.want || s.Slip.Uses() != tt.uses {
				t.Errorf("Slip = %q (uses %v), want %q (uses %v)", s.Slip, s.Slip.Uses(), tt.want, tt.uses)
			}
		})
	}
	_, err := survey.Parse([]byte(strings.Replace(minimal, `"version": 1,`, "\"version\": 1,\n  \"slip\": \"yes\",", 1)))
	var ps survey.Problems
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Rule != "slip" || ps[0].Line != 4 {
		t.Fatalf("Parse with slip yes: %v", err)
	}
}
