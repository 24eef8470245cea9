package report

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func TestNewSlipTable(t *testing.T) {
	tab := NewSlipTable(map[string]SlipCounts{
		"Phường Ba Đình": {FilesKnown: true, Files: 20, Printed: 30, Desk: Counter{8, 6}, Home: Counter{6, 3}, NoSlip: Counter{4, 4}, Flagged: Counter{1, 1}},
		"Xã Ba Vì":       {FilesKnown: true, Files: 10, Printed: 3, Desk: Counter{3, 0}},
		"Xã Sóc Sơn":     {Printed: 4, Desk: Counter{4, 0}},
		"Xã Trống":       {},
	})
	if len(tab.Points) != 3 || tab.Points[0].ServicePoint != "Phường Ba Đình" || tab.Points[2].ServicePoint != "Xã Sóc Sơn" {
		t.Fatalf("rows %+v", tab.Points)
	}
	bd := tab.Points[0]
	for _, c := range []struct {
		name string
		got  string
		want string
	}{
		{"coverage", fmt.Sprintf("%.1f %v", bd.Coverage, bd.HasCoverage), "70.0 true"},
		{"satisfied", bd.Satisfied.Format("en"), "64.3 %"},
		{"766", bd.Equivalent766.Format("en"), "75.0 %"},
		{"desk", bd.DeskSatisfied.Format("en"), "75.0 %"},
		{"home", bd.HomeSatisfied.Format("en"), "50.0 %"},
		{"gap", FormatGap(bd.Gap, "vi"), "+25,0"},
		{"small desk", tab.Points[1].DeskSatisfied.Format("en"), SuppressedText},
		{"small 766", tab.Points[1].Equivalent766.Format("en"), SuppressedText},
		{"no home", FormatGap(tab.Points[1].Gap, "en"), "no data"},
		{"total gap", FormatGap(tab.Total.Gap, "en"), "−10.0"},
		{"total 766", tab.Total.Equivalent766.Format("en"), "60.0 %"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	// Slip ratings above files: no 766-equivalent, coverage shown as it is.
	over := NewSlipTable(map[string]SlipCounts{"A": {FilesKnown: true, Files: 5, Desk: Counter{9, 9}}}).Points[0]
	if !over.Equivalent766.NoData() || over.Coverage != 180 {
		t.Errorf("over files: %+v", over)
	}
}

// TestSlipTableHidesWhatSubtractionGives checks the rules on 300 random
// tables: no shown share rests on fewer than MinCell ratings; in a row,
// the satisfied share and the two channels' never leave one hidden that
// the other two give back; in each column the hidden cells are none, or
// at least two resting on MinCell ratings or more, or all; the
// 766-equivalent hides with the satisfied share and the gap shows only
// with both channels.
func TestSlipTableHidesWhatSubtractionGives(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 15))
	cnt := func() Counter {
		if rng.IntN(4) == 0 {
			return Counter{}
		}
		n := rng.IntN(14)
		return Counter{N: n, Sat: rng.IntN(n + 1)}
	}
	hidden := func(f Figure) bool { return f.Suppressed && !f.NoData() }
	for k := range 300 {
		points := map[string]SlipCounts{}
		for p := range 1 + rng.IntN(6) {
			points[fmt.Sprint("P", p)] = SlipCounts{FilesKnown: true, Files: rng.IntN(40), Desk: cnt(), Home: cnt()}
		}
		tab := NewSlipTable(points)
		cols := [3]func(SlipRow) Figure{
			func(r SlipRow) Figure { return r.Satisfied },
			func(r SlipRow) Figure { return r.DeskSatisfied },
			func(r SlipRow) Figure { return r.HomeSatisfied },
		}
		for _, r := range append(tab.Points, tab.Total) {
			for _, f := range []Figure{r.Satisfied, r.DeskSatisfied, r.HomeSatisfied} {
				if !f.Suppressed && f.N < MinCell && !f.NoData() {
					t.Fatalf("table %d: %+v shows a share on %d", k, r, f.N)
				}
			}
			s, d, h := r.Satisfied, r.DeskSatisfied, r.HomeSatisfied
			switch {
			case !d.NoData() && !h.NoData():
				if hidden(d) != hidden(h) || (hidden(s) && !hidden(d)) {
					t.Fatalf("table %d row %s: satisfied %v, desk %v, home %v", k, r.ServicePoint, s, d, h)
				}
			case !d.NoData() && hidden(d) != hidden(s), !h.NoData() && hidden(h) != hidden(s):
				t.Fatalf("table %d row %s: one channel, satisfied %v, desk %v, home %v", k, r.ServicePoint, s, d, h)
			}
			if !r.Equivalent766.NoData() && hidden(s) != r.Equivalent766.Suppressed {
				t.Fatalf("table %d row %s: 766 %v with satisfied %v", k, r.ServicePoint, r.Equivalent766, s)
			}
			if shown := !r.Gap.Suppressed && !r.Gap.NoData(); shown != (!d.Suppressed && !h.Suppressed) {
				t.Fatalf("table %d row %s: gap %v with desk %v, home %v", k, r.ServicePoint, r.Gap, d, h)
			}
		}
		for c, col := range cols {
			n, base, withData := 0, 0, 0
			for _, r := range tab.Points {
				f := col(r)
				if !f.NoData() {
					withData++
				}
				if hidden(f) {
					n++
					base += f.N
				}
			}
			if n > 0 && n < withData && (n < 2 || base < MinCell) {
				t.Fatalf("table %d column %d: %d hidden on %d ratings of %d: %+v", k, c, n, base, withData, tab.Points)
			}
		}
	}
}
