package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hailong-kiosk/hailong/app/survey"
)

const goodSurvey = `{
  "id": "thu",
  "version": 2,
  "title": {"vi": "Thử"},
  "questions": [
    {"code": "chung", "type": "rating3", "text": {"vi": "Ông/Bà có hài lòng không?"}}
  ]
}`

// badSurvey has two problems: a duplicate option code and an unknown field.
const badSurvey = `{
  "id": "thu",
  "version": 1,
  "title": {"vi": "Thử"},
  "questions": [
    {"code": "ly_do", "type": "single", "text": {"vi": "Vì sao?"},
     "options": [
       {"code": "hl", "label": {"vi": "Một"}},
       {"code": "hl", "label": {"vi": "Hai"}}
     ],
     "optinal": true}
  ]
}`

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSurveyValidate(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.json", goodSurvey)
	bad := writeFile(t, dir, "bad.json", badSurvey)
	nfd := writeFile(t, dir, "nfd.json", strings.Replace(goodSurvey, "Thử", "Thu\u031b\u0309", 1))
	missing := filepath.Join(dir, "missing.json")
	v3 := writeFile(t, dir, "v3.json", strings.Replace(goodSurvey, `"version": 2`, `"version": 3`, 1))
	v3rating5 := writeFile(t, dir, "v3-rating5.json", strings.NewReplacer(`"version": 2`, `"version": 3`, "rating3", "rating5").Replace(goodSurvey))
	twin := writeFile(t, dir, "twin.json", strings.Replace(goodSurvey, "Thử", "Thử lại", 1))

	dupVi := "  questions[0].options[1] (dòng 9): Mã “hl” bị trùng với lựa chọn questions[0].options[0].\n"
	dupEn := "  questions[0].options[1] (line 9): duplicate code \"hl\"\n"
	unkVi := "  questions[0].optinal (dòng 11): Trường “optinal” không có trong định dạng khảo sát (gõ nhầm?); các trường ở đây: code, type, text, options, index, optional, show_if, labels, title, image, qr.\n"
	unkEn := "  questions[0].optinal (line 11): Unknown field \"optinal\" (a typo?); the fields here are: code, type, text, options, index, optional, show_if, labels, title, image, qr.\n"
	tests := []struct {
		name string
		args []string
		code int
		out  string // exact standard output
		err  string // substring of standard error
	}{
		{"good file", []string{"validate", good}, 0,
			good + ": OK, khảo sát “thu” phiên bản 2, 1 câu hỏi / OK, survey \"thu\" version 2, 1 question\n", ""},
		{"NFD file is fine", []string{"validate", "--lang", "en", nfd}, 0,
			nfd + ": OK, survey \"thu\" version 2, 1 question\n", ""},
		{"bad file, both languages", []string{"validate", bad}, 1,
			bad + ": 2 lỗi / 2 problems\n" +
				strings.TrimSuffix(dupVi, "\n") + "\n      " + strings.TrimPrefix(dupEn, "  ") +
				strings.TrimSuffix(unkVi, "\n") + "\n      " + strings.TrimPrefix(unkEn, "  "), ""},
		{"bad file, Vietnamese", []string{"validate", "--lang", "vi", bad}, 1,
			bad + ": 2 lỗi\n" + dupVi + unkVi, ""},
		{"bad file, English", []string{"validate", "--lang=en", bad}, 1,
			bad + ": 2 problems\n" + dupEn + unkEn, ""},
		{"good and bad: every file reported, exit 1", []string{"validate", "--lang", "en", good, bad}, 1,
			good + ": OK, survey \"thu\" version 2, 1 question\n" + bad + ": 2 problems\n" + dupEn + unkEn, ""},
		{"missing file", []string{"validate", "--lang", "en", missing, good}, 1,
			missing + ": cannot read the file\n  open " + missing + ": no such file or directory\n" +
				good + ": OK, survey \"thu\" version 2, 1 question\n", ""},
		{"two versions of one survey", []string{"validate", "--lang", "en", v3, good}, 0,
			v3 + ": OK, survey \"thu\" version 3, 1 question\n" + good + ": OK, survey \"thu\" version 2, 1 question\n", ""},
		{"type changed between versions", []string{"validate", "--lang", "en", good, v3rating5}, 1,
			good + ": OK, survey \"thu\" version 2, 1 question\n" +
				v3rating5 + ": OK, survey \"thu\" version 3, 1 question\n" +
				v3rating5 + ": 1 problem as a new version of " + good + "\n" +
				"  questions[0].type: Question \"chung\" was rating3 in version 2 and is now rating5: give a question a new code when its type changes, so old data keeps its meaning.\n", ""},
		{"two files with one version", []string{"validate", "--lang", "vi", good, twin}, 1,
			good + ": OK, khảo sát “thu” phiên bản 2, 1 câu hỏi\n" +
				twin + ": OK, khảo sát “thu” phiên bản 2, 1 câu hỏi\n" +
				twin + ": 1 lỗi khi làm phiên bản mới của " + good + "\n" +
				"  version: Phiên bản 2 không mới hơn phiên bản đã có (2): hãy tăng version lên 3.\n", ""},
		{"no file", []string{"validate"}, 2, "", "Name at least one FILE"},
		{"bad --lang", []string{"validate", "--lang", "fr", good}, 2, "", "--lang must be vi, en or both"},
		{"unknown flag", []string{"validate", "--strict", good}, 2, "", "There is no flag --strict"},
		{"no subcommand", nil, 2, "", "Cách dùng: hailong survey validate"},
		{"unknown subcommand", []string{"check", good}, 2, "", `Unknown command "check"`},
		{"help", []string{"help"}, 0, usageText("cli.usage.survey"), ""},
		{"built-in help", []string{"builtin", "--help"}, 0, usageText("cli.usage.survey"), ""},
		{"built-in list", []string{"builtin"}, 0, "", ""},
		{"built-in unknown", []string{"builtin", "nope"}, 1, "", `No built-in survey "nope"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Survey(context.Background(), tc.args, &stdout, &stderr)
			if code != tc.code {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, &stdout, &stderr)
			}
			if tc.out != "" && stdout.String() != tc.out {
				t.Errorf("stdout\n got:\n%s\nwant:\n%s", &stdout, tc.out)
			}
			if !strings.Contains(stderr.String(), tc.err) {
				t.Errorf("stderr %q does not contain %q", &stderr, tc.err)
			}
		})
	}
}

// TestSurveyBuiltin checks that the list names every built-in survey and
// that a printed definition validates, so an admin can start from it.
func TestSurveyBuiltin(t *testing.T) {
	all, err := survey.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var list, stderr bytes.Buffer
	if code := Survey(context.Background(), []string{"builtin"}, &list, &stderr); code != 0 {
		t.Fatalf("builtin: exit %d: %s", code, &stderr)
	}
	for _, s := range all {
		line := fmt.Sprintf("%-16s v%-3d %2d câu/questions  %s\n", s.ID, s.Version, s.QuestionCount(), s.Title.In("vi"))
		if !strings.Contains(list.String(), line) {
			t.Errorf("list lacks %q:\n%s", line, &list)
		}
		var def bytes.Buffer
		if code := Survey(context.Background(), []string{"builtin", s.ID}, &def, &stderr); code != 0 {
			t.Fatalf("builtin %s: exit %d: %s", s.ID, code, &stderr)
		}
		p := writeFile(t, t.TempDir(), s.ID+".json", def.String())
		var out bytes.Buffer
		if code := Survey(context.Background(), []string{"validate", p}, &out, &stderr); code != 0 {
			t.Errorf("printed %s does not validate: %s", s.ID, &out)
		}
	}
}

// TestRun checks the dispatch that main.go relies on: subcommands are
// handled, anything else starts the kiosk.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.json", goodSurvey)
	tests := []struct {
		args    []string
		handled bool
		code    int
	}{
		{nil, false, 0},
		{[]string{}, false, 0},
		{[]string{"--kiosk"}, false, 0},
		{[]string{"-db", "x.db"}, false, 0},
		{[]string{"survey", "validate", good}, true, 0},
		{[]string{"survey", "validate", filepath.Join(dir, "none.json")}, true, 1},
		{[]string{"survey"}, true, 2},
		{[]string{"export"}, true, 2},
		{[]string{"help"}, true, 0},
	}
	for _, tc := range tests {
		var stdout, stderr bytes.Buffer
		handled, code := Run(context.Background(), tc.args, &stdout, &stderr)
		if handled != tc.handled || code != tc.code {
			t.Errorf("Run(%q) = %v, %d; want %v, %d\nstderr: %s", tc.args, handled, code, tc.handled, tc.code, &stderr)
		}
	}
}
