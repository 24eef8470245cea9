package web

import (
	"fmt"
	"testing"

	"github.com/hailong-kiosk/hailong/app/report"
)

func TestBars(t *testing.T) {
	bars := newBars(textsIn(t, "vi"), []figureBar{
		{"a", report.Figure{N: 10, Value: 100}},
		{"b", report.Figure{N: 10, Value: 50}},
		{"c", report.Figure{N: 3, Suppressed: true}},
		{"d", report.Figure{N: 66, Suppressed: true, Secondary: true}},
		{"e", report.Figure{Suppressed: true}},
	})
	tests := []struct {
		pct               int
		value, count, why string
		suppressed        bool
	}{
		{100, "100,0 %", "10", "", false},
		{50, "50,0 %", "10", "", false},
		{0, "< 5", "3", "Dưới 5 câu trả lời: không công bố.", true},
		{0, "ẩn", "66", "Ẩn thêm để không suy ra được ô dưới 5 phiếu bằng phép trừ.", true},
		{0, "chưa có dữ liệu", "0", "Chưa có câu trả lời.", true},
	}
	for i, tt := range tests {
		b := bars[i]
		if b.Pct != tt.pct || b.Value != tt.value || b.Count != tt.count || b.Why != tt.why || b.Suppressed != tt.suppressed {
			t.Errorf("bar %d = %+v, want %+v", i, b, tt)
		}
	}
}

func TestLineChartDoesNotDrawHiddenPeriodsAsZero(t *testing.T) {
	c := newLineChart(textsIn(t, "vi"), []figureBar{
		{"01/11", report.Figure{N: 9, Value: 100}},
		{"02/11", report.Figure{N: 9, Value: 0}},
		{"03/11", report.Figure{N: 2, Suppressed: true}},
		{"04/11", report.Figure{N: 9, Value: 50}},
		{"05/11", report.Figure{N: 9, Suppressed: true, Secondary: true}},
	}, 7)
	if len(c.Segments) != 2 {
		t.Fatalf("segments %q, want 2 (broken at the suppressed day)", c.Segments)
	}
	if len(c.Points) != 3 || len(c.Bands) != 2 {
		t.Fatalf("%d points and %d bands, want 3 and 2: a hidden day is a band, not a point", len(c.Points), len(c.Bands))
	}
	if p := c.Points[0]; p.Y != c.Top {
		t.Errorf("100 %% at y=%d, want the top %d", p.Y, c.Top)
	}
	if p := c.Points[1]; p.Y != c.Base {
		t.Errorf("0 %% at y=%d, want the base %d", p.Y, c.Base)
	}
	if b := c.Bands[0]; b.Value != "< 5" || b.X+b.W/2 != c.Left+2*(c.Right-c.Left)/4 {
		t.Errorf("band %+v", b)
	}
	if b := c.Bands[1]; b.Value != "ẩn" || b.X+b.W/2 != c.Right {
		t.Errorf("band %+v, want centred on the right edge %d", b, c.Right)
	}
	if len(c.XLabels) != 5 || c.XLabels[0].Odd || !c.XLabels[1].Odd {
		t.Errorf("labels %+v", c.XLabels)
	}
	// 60 days: at most about 7 labels under the axis.
	var many []figureBar
	for i := range 60 {
		many = append(many, figureBar{fmt.Sprint(i), report.Figure{N: 9, Value: 50}})
	}
	if n := len(newLineChart(textsIn(t, "vi"), many, 7).XLabels); n > 8 || n < 6 {
		t.Errorf("%d labels for 60 days", n)
	}
}

func TestFilterForm(t *testing.T) {
	tests := []struct {
		form    filterForm
		wantErr bool
		check   func(t *testing.T, f filterForm)
	}{
		{filterForm{}, false, nil},
		{filterForm{From: "2026-11-01", To: "2026-11-30", Survey: "sipas@2", Status: "complete"}, false, func(t *testing.T, ff filterForm) {
			f, _ := ff.filter()
			if f.SurveyID != "sipas" || f.SurveyVersion != 2 || f.To.Sub(f.From).Hours() != 30*24 {
				t.Errorf("filter %+v", f)
			}
			if f.From.UTC().Hour() != 17 { // midnight in Hanoi is 17:00 UTC the day before
				t.Errorf("from %v is not midnight in Asia/Ho_Chi_Minh", f.From.UTC())
			}
		}},
		{filterForm{From: "hôm qua"}, true, nil},
		{filterForm{Survey: "sipas@x"}, true, nil},
		{filterForm{Status: "deleted"}, true, nil},
		{filterForm{From: "2026-11-02", To: "2026-11-01"}, true, nil},
		{filterForm{From: "2026-11-02", To: "2026-11-02"}, false, nil},
	}
	for _, tt := range tests {
		_, err := tt.form.filter()
		if (err != nil) != tt.wantErr {
			t.Errorf("%+v: err %v, want error %v", tt.form, err, tt.wantErr)
		}
		if tt.check != nil {
			tt.check(t, tt.form)
		}
	}
}

// textsIn is the package's texts in lang.
func textsIn(t *testing.T, lang string) *texts {
	t.Helper()
	all, err := loadTexts()
	if err != nil {
		t.Fatal(err)
	}
	return all[lang]
}
