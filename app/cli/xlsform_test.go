package cli

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// TestSurveyImportExport: a survey file exported to XLSForm and imported
// again gives the same survey; a note row's picture is read from beside the
// workbook (refused with its row, Vietnamese first, when missing) and
// written beside it on export; a built-in id exports too.
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

	// A note row naming a picture: refused at its row while the file is
	// not beside the workbook, in both languages, Vietnamese first; read
	// into an info screen once it is; exported with the picture beside.
	f, err := excelize.OpenFile(form)
	if err != nil {
		t.Fatal(err)
	}
	head, _ := f.GetRows("survey")
	imageCol := -1
	for i, h := range head[0] {
		if h == "image" {
			imageCol = i
		}
	}
	row := make([]any, imageCol+1)
	row[0], row[1], row[2], row[imageCol] = "note", "chao", "Xin chào", "so-do.png"
	if err := f.SetSheetRow("survey", "A3", &row); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(form); err != nil {
		t.Fatal(err)
	}
	f.Close()
	out.Reset()
	if code := Survey(context.Background(), []string{"import", form}, &out, &errb); code != 1 {
		t.Fatalf("import of a note without its picture: exit %d\n%s", code, out.String())
	}
	got := out.String()
	vi, en := strings.Index(got, "trang survey, dòng 3: Không tìm thấy tệp ảnh “so-do.png”"), strings.Index(got, "sheet survey, row 3: Picture file \"so-do.png\"")
	if vi < 0 || en < vi {
		t.Errorf("import of a note without its picture printed:\n%s", got)
	}
	var pic bytes.Buffer
	if err := png.Encode(&pic, image.NewGray(image.Rect(0, 0, 64, 64))); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "so-do.png", pic.String())
	out.Reset()
	if code := Survey(context.Background(), []string{"import", "--out", back, form}, &out, &errb); code != 0 {
		t.Fatalf("import of a note: exit %d\n%s%s", code, out.String(), errb.String())
	}
	b, _ = os.ReadFile(back)
	sn, err := survey.Parse(b)
	if err != nil || sn.Questions[1].Type != survey.Info || sn.Questions[1].Image != survey.ImageDataURI(pic.Bytes()) {
		t.Fatalf("imported note: %v\n%s", err, b)
	}
	again := filepath.Join(t.TempDir(), "lai.xlsx")
	out.Reset()
	if code := Survey(context.Background(), []string{"export", "--out", again, back}, &out, &errb); code != 0 {
		t.Fatalf("export with a picture: exit %d\n%s", code, errb.String())
	}
	if got, err := os.ReadFile(filepath.Join(filepath.Dir(again), "chao.png")); err != nil || !bytes.Equal(got, pic.Bytes()) {
		t.Errorf("exported picture: %v", err)
	}

	out.Reset()
	if code := Survey(context.Background(), []string{"export", "--out", filepath.Join(dir, "b.xlsx"), "mot-cua-nhanh"}, &out, &errb); code != 0 {
		t.Errorf("export of a built-in id: exit %d\n%s", code, errb.String())
	}
	if code := Survey(context.Background(), []string{"import"}, &out, &errb); code != 2 {
		t.Errorf("import without a file: exit %d", code)
	}
}
