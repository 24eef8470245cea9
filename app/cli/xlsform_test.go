package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// TestSurveyImportExport: a survey file exported to XLSForm and imported
// again gives the same survey; a workbook with a note row is refused with
// its row, Vietnamese first; a built-in id exports too.
func TestSurveyImportExport(t *testing.T) {
	dir := t.TempDir()
	src := writeFile(t, dir, "thu.json", goodSurvey)
	form := filepath.Join(dir, "thu.xlsx")
	var out, errb bytes.Buffer
	if code := Survey(context.Background(), []string{"export", "--out", form, src}, &out, &errb); code != 0 {
		t.Fatalf("export: exit %d\n%s", code, errb.String())
	}
	out.Reset()
	back := filepath.Join(dir, "back.json")
	if code := Survey(context.Background(), []string{"import", "--out", back, form}, &out, &errb); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out.String(), errb.String())
	}
	if want := form + ": OK, khảo sát “thu” phiên bản 2, 1 câu hỏi → " + back + " / OK, survey \"thu\" version 2, 1 question → " + back + "\n"; out.String() != want {
		t.Errorf("import says %q, want %q", out.String(), want)
	}
	a, _ := os.ReadFile(src)
	b, _ := os.ReadFile(back)
	sa, err := survey.Parse(a)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := survey.Parse(b)
	if err != nil {
		t.Fatalf("imported definition: %v\n%s", err, b)
	}
	if sa.ID != sb.ID || sa.Version != sb.Version || len(sb.Questions) != 1 || sb.Questions[0].Type != survey.Rating3 {
		t.Errorf("round trip gave %+v, want %+v", sb, sa)
	}

	// A note row: refused at its row, in both languages, Vietnamese first.
	f, err := excelize.OpenFile(form)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetRow("survey", "A3", &[]any{"note", "chao", "Xin chào"}); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(form); err != nil {
		t.Fatal(err)
	}
	f.Close()
	out.Reset()
	if code := Survey(context.Background(), []string{"import", form}, &out, &errb); code != 1 {
		t.Fatalf("import of a note: exit %d\n%s", code, out.String())
	}
	got := out.String()
	vi, en := strings.Index(got, "trang survey, dòng 3: Kiểu note"), strings.Index(got, "sheet survey, row 3: Type note")
	if vi < 0 || en < vi {
		t.Errorf("import of a note printed:\n%s", got)
	}

	out.Reset()
	if code := Survey(context.Background(), []string{"export", "--out", filepath.Join(dir, "b.xlsx"), "mot-cua-nhanh"}, &out, &errb); code != 0 {
		t.Errorf("export of a built-in id: exit %d\n%s", code, errb.String())
	}
	if code := Survey(context.Background(), []string{"import"}, &out, &errb); code != 2 {
		t.Errorf("import without a file: exit %d", code)
	}
}
