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
