package web

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/xlsform"
)

// TestSurveysPublishXLSForm: an XLSForm workbook uploaded on the surveys
// page is published as the survey it holds; one with a row outside the
// subset lists the row's problem in Vietnamese and publishes nothing.
func TestSurveysPublishXLSForm(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	f.login(t, c, "mật khẩu tốt")
	_, page := get(t, c, f.srv.URL+"/surveys")
	csrf := csrfOf(t, page)
	s, err := survey.Parse([]byte(goodSurvey))
	if err != nil {
		t.Fatal(err)
	}
	var form bytes.Buffer
	if err := xlsform.Export(s, &form); err != nil {
		t.Fatal(err)
	}

	// The same form with an integer question: refused at row 3.
	wb, err := excelize.OpenReader(bytes.NewReader(form.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := wb.SetSheetRow("survey", "A3", &[]any{"integer", "tuoi", "Tuổi"}); err != nil {
		t.Fatal(err)
	}
	var bad bytes.Buffer
	if _, err := wb.WriteTo(&bad); err != nil {
		t.Fatal(err)
	}
	wb.Close()
	resp, body := upload(t, c, f.srv.URL+"/surveys/publish", csrf, "quay.xlsx", bad.Bytes())
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "trang survey, dòng 3: Kiểu câu hỏi “integer” không được hỗ trợ") {
		t.Fatalf("bad form: %d\n%s", resp.StatusCode, body)
	}
	if _, err := f.store.Survey(context.Background(), "quay-1", 1); err == nil {
		t.Fatal("a refused form was published")
	}

	resp, body = upload(t, c, f.srv.URL+"/surveys/publish", csrf, "quay.xlsx", form.Bytes())
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "quay-1") {
		t.Fatalf("good form: %d\n%s", resp.StatusCode, body)
	}
	ps, err := f.store.Survey(context.Background(), "quay-1", 1)
	if err != nil {
		t.Fatalf("the form was not published: %v", err)
	}
	got, err := survey.Parse(ps.Definition)
	if err != nil || got.Questions[0].Type != survey.Rating5 || got.Title.In("vi") != "Đánh giá quầy số 1" {
		t.Errorf("published %+v, %v", got, err)
	}
}

// TestSurveysPublishXLSFormNote: the consultation template exported to
// XLSForm is uploaded and published with its note as an info screen; a
// note naming a picture file (which the upload cannot carry) is refused
// at its row, saying to import it with the command line.
func TestSurveysPublishXLSFormNote(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	f.login(t, c, "mật khẩu tốt")
	_, page := get(t, c, f.srv.URL+"/surveys")
	csrf := csrfOf(t, page)
	all, err := survey.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var tmpl *survey.Survey
	for _, s := range all {
		if s.ID == "lay-y-kien-du-thao" {
			c := *s
			c.ID = "du-thao-xls"
			tmpl = &c
		}
	}
	if tmpl == nil {
		t.Fatal("no built-in lay-y-kien-du-thao")
	}
	var form bytes.Buffer
	if err := xlsform.Export(tmpl, &form); err != nil {
		t.Fatal(err)
	}

	wb, err := excelize.OpenReader(bytes.NewReader(form.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	head, _ := wb.GetRows("survey")
	col := -1
	for i, h := range head[0] {
		if h == "image" {
			col = i
		}
	}
	cell, _ := excelize.CoordinatesToCellName(col+1, 2)
	if err := wb.SetCellValue("survey", cell, "so-do.png"); err != nil {
		t.Fatal(err)
	}
	var withFile bytes.Buffer
	if _, err := wb.WriteTo(&withFile); err != nil {
		t.Fatal(err)
	}
	wb.Close()
	resp, body := upload(t, c, f.srv.URL+"/surveys/publish", csrf, "du-thao.xlsx", withFile.Bytes())
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "trang survey, dòng 2: Ảnh “so-do.png” là tên tệp") {
		t.Fatalf("note with a picture file: %d\n%s", resp.StatusCode, body)
	}

	resp, body = upload(t, c, f.srv.URL+"/surveys/publish", csrf, "du-thao.xlsx", form.Bytes())
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("template form: %d\n%s", resp.StatusCode, body)
	}
	ps, err := f.store.Survey(context.Background(), "du-thao-xls", 1)
	if err != nil {
		t.Fatalf("the form was not published: %v", err)
	}
	got, err := survey.Parse(ps.Definition)
	if err != nil || got.Questions[0].Type != survey.Info || got.Questions[0].QR == nil || got.Questions[0].Title.In("vi") != tmpl.Questions[0].Title.In("vi") {
		t.Errorf("published %+v, %v", got, err)
	}
}
