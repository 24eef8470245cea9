package web

import (
	"testing"

	"github.com/hailong-kiosk/hailong/app/report"
)

func TestBarChartGeometry(t *testing.T) {
	c := newBarChart([]figureBar{
		{"a", report.Figure{N: 10, Value: 100}},
		{"b", report.Figure{N: 10, Value: 50}},
		{"c", report.Figure{N: 3, Suppressed: true}},
	})
	tests := []struct {
		i, width   int
		value      string
		suppressed bool
	}{{0, barMax, "100,0 %", false}, {1, barMax / 2, "50,0 %", false}, {2, 0, "< 5", true}}
	for _, tt := range tests {
		b := c.Bars[tt.i]
		if b.Width != tt.width || b.Value != tt.value || b.Suppressed != tt.suppressed {
			t.Errorf("bar %d = %+v, want width %d value %q suppressed %v", tt.i, b, tt.width, tt.value, tt.suppressed)
		}
	}
	if c.Height != 3*barRow+10 {
		t.Errorf("height %d", c.Height)
	}
}

func TestLineChartBreaksAtSuppressedDays(t *testing.T) {
	c := newLineChart([]figureBar{
		{"01/11", report.Figure{N: 9, Value: 100}},
		{"02/11", report.Figure{N: 9, Value: 0}},
		{"03/11", report.Figure{N: 2, Suppressed: true}},
		{"04/11", report.Figure{N: 9, Value: 50}},
	})
	if len(c.Segments) != 2 {
		t.Fatalf("segments %q, want 2 (broken at the suppressed day)", c.Segments)
	}
	if p := c.Points[0]; p.Y != c.Top {
		t.Errorf("100 %% at y=%d, want the top %d", p.Y, c.Top)
	}
	if p := c.Points[1]; p.Y != c.Base {
		t.Errorf("0 %% at y=%d, want the base %d", p.Y, c.Base)
	}
	if c.Points[3].X != c.Right {
		t.Errorf("last point x=%d, want the right edge %d", c.Points[3].X, c.Right)
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
