package export

import (
	"reflect"
	"slices"
	"testing"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// withInfoScreens is the fixture survey with an info screen before its
// questions and one between them.
func withInfoScreens() *survey.Survey {
	s := fixtureSurvey()
	intro := survey.Question{Code: "gioi_thieu", Type: survey.Info, Title: survey.Text{"vi": "Dự thảo"},
		Text: survey.Text{"vi": "Tóm tắt dự thảo."},
		QR:   &survey.QRCode{URL: "https://example.vn/du-thao", Caption: survey.Text{"vi": "Toàn văn"}}}
	mid := survey.Question{Code: "tiep_theo", Type: survey.Info, Text: survey.Text{"vi": "Còn vài câu."}}
	s.Questions = slices.Insert(s.Questions, 2, mid)
	s.Questions = slices.Insert(s.Questions, 0, intro)
	if err := survey.Validate(s); err != nil {
		panic(err)
	}
	return s
}

// TestInfoScreensHaveNoColumns: the CSV and XLSX responses, the codebook
// and the summary of a survey with info screens are those of the same
// survey without them: no empty column, no codebook row, no figure.
func TestInfoScreensHaveNoColumns(t *testing.T) {
	plain, info := fixtureOptions(true), fixtureOptions(true)
	info.Surveys = []*survey.Survey{withInfoScreens()}
	rs := fixtureResponses()
	if a, b := readCSV(t, writeCSV(t, rs, plain)), readCSV(t, writeCSV(t, rs, info)); !reflect.DeepEqual(a, b) {
		t.Errorf("CSV with info screens differs:\n%q\n%q", a[0], b[0])
	}
	for _, sheet := range []string{"Phiếu trả lời", "Bảng mã", "Tổng hợp"} {
		a := rows(t, openXLSX(t, writeXLSXBytes(t, rs, plain)), sheet)
		b := rows(t, openXLSX(t, writeXLSXBytes(t, rs, info)), sheet)
		if len(a) == 0 || !reflect.DeepEqual(a, b) {
			t.Errorf("sheet %s with info screens differs (%d and %d rows):\n%q\n%q", sheet, len(a), len(b), a, b)
		}
	}
	b := report.NewBuilder(info.Surveys, report.Options{})
	for _, r := range rs {
		b.Add(r)
	}
	rep := b.Report()
	if len(rep.Questions) == 0 {
		t.Fatal("report has no questions")
	}
	for _, q := range rep.Questions {
		if q.Code == "gioi_thieu" || q.Code == "tiep_theo" {
			t.Errorf("report has a figure for info screen %s", q.Code)
		}
	}
}
