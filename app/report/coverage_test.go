package report

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

func TestCoverage(t *testing.T) {
	type want struct {
		files, ratings int
		coverage       string // "%.1f" or "-" without
		satisfied      string // Figure.Format("en")
		eq766          string
	}
	tests := []struct {
		name  string
		cells []cell
		files map[string]int
		want  map[string]want // by point, "" for the total
	}{
		{
			name:  "figures",
			cells: []cell{{"Phường A", 20, 15}, {"Phường B", 10, 9}},
			files: map[string]int{"Phường A": 40, "Phường B": 10},
			want: map[string]want{
				"Phường A": {40, 20, "50.0", "75.0 %", "87.5 %"}, // (40 − 5) ÷ 40
				"Phường B": {10, 10, "100.0", "90.0 %", "90.0 %"},
				"":         {50, 30, "60.0", "80.0 %", "88.0 %"}, // (50 − 6) ÷ 50
			},
		},
		{
			name:  "small point hidden, and its neighbour so that the total does not give it away",
			cells: []cell{{"Phường A", 20, 15}, {"Phường B", 3, 3}},
			files: map[string]int{"Phường A": 40, "Phường B": 10},
			want: map[string]want{
				"Phường A": {40, 20, "50.0", "hidden", "hidden"},
				"Phường B": {10, 3, "30.0", "< 5", "< 5"},
				"":         {50, 23, "46.0", "78.3 %", "90.0 %"},
			},
		},
		{
			name:  "files without ratings, ratings without files, more ratings than files",
			cells: []cell{{"Phường A", 6, 6}, {"Phường B", 8, 4}},
			files: map[string]int{"Phường A": 5, "Xã C": 30},
			want: map[string]want{
				"Phường A": {5, 6, "120.0", "100.0 %", "no data"},
				"Phường B": {0, 8, "-", "50.0 %", "no data"},
				"Xã C":     {30, 0, "0.0", "no data", "100.0 %"},
				"":         {35, 14, "40.0", "71.4 %", "88.6 %"}, // (35 − 4) ÷ 35
			},
		},
		{
			name:  "a total under 5 hides its 766-equivalent too",
			cells: []cell{{"Phường A", 3, 2}},
			files: map[string]int{"Phường A": 10},
			want: map[string]want{
				"Phường A": {10, 3, "30.0", "< 5", "< 5"},
				"":         {10, 3, "30.0", "< 5", "< 5"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cov := computePoints(t, tt.cells).Coverage(tt.files)
			rows := append([]CoverageRow{cov.Total}, cov.Points...)
			if len(rows) != len(tt.want) {
				t.Fatalf("%d rows, want %d: %+v", len(rows), len(tt.want), rows)
			}
			for _, r := range rows {
				w, ok := tt.want[r.ServicePoint]
				if !ok {
					t.Errorf("unexpected row %q", r.ServicePoint)
					continue
				}
				c := "-"
				if r.HasCoverage {
					c = fmtFloat(r.Coverage)
				}
				got := want{r.Files, r.Ratings, c, r.Satisfied.Format("en"), r.Equivalent766.Format("en")}
				if got != w {
					t.Errorf("%q: got %+v, want %+v", r.ServicePoint, got, w)
				}
			}
		})
	}
}

func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// TestCoverageNotRecoverable plays the reader who subtracts on random
// coverage tables: from the total's satisfied share and every published
// satisfied share or 766-equivalent (which, with files and ratings
// published, gives the satisfied count), no hidden point's satisfied count
// may be known.
func TestCoverageNotRecoverable(t *testing.T) {
	for seed := range 200 {
		rnd := rand.New(rand.NewPCG(uint64(seed), 3))
		var cells []cell
		files := map[string]int{}
		for i := range 2 + rnd.IntN(5) {
			n := rnd.IntN(12)
			name := string(rune('A' + i))
			cells = append(cells, cell{name, n, rnd.IntN(n + 1)})
			files[name] = n + rnd.IntN(20)
		}
		rep := computePoints(t, cells)
		cov := rep.Coverage(files)
		if cov.Total.Satisfied.Suppressed {
			continue
		}
		sat := func(r CoverageRow) (int, bool) {
			if !r.Satisfied.Suppressed {
				return int(math.Round(r.Satisfied.Value * float64(r.Ratings) / 100)), true
			}
			if f := r.Equivalent766; !f.Suppressed && !f.NoData() {
				return r.Ratings - r.Files + int(math.Round(f.Value*float64(r.Files)/100)), true
			}
			return 0, false
		}
		left, _ := sat(cov.Total)
		hiddenN := 0
		for _, r := range cov.Points {
			if s, ok := sat(r); ok {
				left -= s
			} else {
				hiddenN += r.Ratings
			}
		}
		if left == 0 || left == hiddenN {
			continue // unanimous hidden answers: known whatever is hidden (docs/reports.md)
		}
		for _, r := range cov.Points {
			if _, ok := sat(r); ok || r.Ratings == 0 {
				continue
			}
			lo, hi := max(0, left-(hiddenN-r.Ratings)), min(r.Ratings, left)
			if hi == lo {
				t.Fatalf("seed %d: point %s's %d satisfied of %d follow from %+v", seed, r.ServicePoint, lo, r.Ratings, cov)
			}
		}
	}
}
