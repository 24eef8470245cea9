package report

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// point makes n responses at a service point answering only q4 (a 3-level
// rating in no SIPAS element, so a group's index is its q4 share), sat of
// them satisfied.
func point(name string, n, sat int, first int) []*survey.Response {
	var out []*survey.Response
	for i := range n {
		code := survey.CodeNotSatisfied
		if i < sat {
			code = survey.CodeSatisfied
		}
		r := resp(first+i, map[string]string{"q4": code})
		r.ServicePoint = name
		out = append(out, r)
	}
	return out
}

type cell struct {
	name   string
	n, sat int
}

func computePoints(t *testing.T, cells []cell) *Report {
	t.Helper()
	var rs []*survey.Response
	for _, c := range cells {
		rs = append(rs, point(c.name, c.n, c.sat, len(rs))...)
	}
	rep, err := Compute(context.Background(), []*survey.Survey{testSurvey(1)}, seq(rs), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// recovered plays the reader who subtracts: from the published overall q4
// figure and the published service-point figures, which satisfied counts
// could each hidden point have? It returns, per hidden point, how many
// values remain possible.
func recovered(t *testing.T, rep *Report) map[string]int {
	t.Helper()
	sat := func(f Figure) int { return int(math.Round(f.Value * float64(f.N) / 100)) }
	total := rep.Overall.Questions[3]
	if total.Suppressed {
		t.Fatal("overall figure suppressed: nothing to subtract from")
	}
	left, hiddenN := sat(total), 0
	for _, g := range rep.ServicePoints {
		if f := g.Questions[3]; f.Suppressed {
			hiddenN += f.N
		} else {
			left -= sat(f)
		}
	}
	out := map[string]int{}
	for _, g := range rep.ServicePoints {
		f := g.Questions[3]
		if !f.Suppressed {
			continue
		}
		// f.N is published; the others hidden hold hiddenN − f.N answers.
		lo, hi := max(0, left-(hiddenN-f.N)), min(f.N, left)
		out[g.Key] = hi - lo + 1
	}
	return out
}

func TestCountsAreCountsAndSubtractionRevealsNothing(t *testing.T) {
	tests := []struct {
		name   string
		cells  []cell
		hidden []string // the points whose figures must be hidden
	}{{
		// The table: 391 − 69 − 78 − 87 − 66 − 85 = 6. Six responses
		// are enough: the count and the figure are shown, nothing hidden.
		name:  "six is a count",
		cells: []cell{{"A", 69, 50}, {"B", 78, 60}, {"C", 87, 70}, {"D", 66, 40}, {"E", 85, 80}, {"F", 6, 2}},
	}, {
		// F rests on 4: suppressed; without a second hidden point the total
		// minus the others would give F's 2 satisfied answers away. D, the
		// smallest other, is hidden too.
		name:   "one small point",
		cells:  []cell{{"A", 69, 50}, {"B", 78, 60}, {"C", 87, 70}, {"D", 66, 40}, {"E", 85, 80}, {"F", 4, 2}},
		hidden: []string{"D", "F"},
	}, {
		// Two small points resting on 1 + 2 = 3 together: their sum would be
		// a figure on 3 responses, so the smallest other point joins them.
		name:   "two small points",
		cells:  []cell{{"A", 20, 11}, {"B", 1, 1}, {"C", 2, 1}, {"D", 10, 6}, {"E", 30, 12}},
		hidden: []string{"B", "C", "D"},
	}, {
		name:   "two small points resting on five",
		cells:  []cell{{"A", 20, 11}, {"B", 3, 1}, {"C", 2, 1}, {"D", 10, 6}},
		hidden: []string{"B", "C"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := computePoints(t, tt.cells)
			var hidden []string
			for i, g := range rep.ServicePoints {
				if c := tt.cells[i]; g.Key != c.name || g.Responses != c.n || g.Index.N != c.n || g.Index.Count() != fmt.Sprint(c.n) {
					t.Errorf("point %s: count %d (%s), want %d", g.Key, g.Responses, g.Index.Count(), c.n)
				}
				if g.Index.Suppressed {
					hidden = append(hidden, g.Key)
					if g.Index.Suppressed != g.Questions[3].Suppressed {
						t.Errorf("point %s: index and q4 disagree: %+v %+v", g.Key, g.Index, g.Questions[3])
					}
				}
			}
			if fmt.Sprint(hidden) != fmt.Sprint(tt.hidden) {
				t.Fatalf("hidden %v, want %v", hidden, tt.hidden)
			}
			for name, ways := range recovered(t, rep) {
				if ways < 2 {
					t.Errorf("point %s: its satisfied count is recovered by subtraction", name)
				}
			}
		})
	}
}

// TestDaysProtectedWithinWeeks: a day hidden in one week is paired with a
// day of the same week, or the week's figure minus its other days would
// give it away.
func TestDaysProtectedWithinWeeks(t *testing.T) {
	mon := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC) // Monday, week 48
	days := []struct {
		at     time.Time
		n, sat int
	}{{mon, 3, 1}, {mon.AddDate(0, 0, 1), 10, 4}, {mon.AddDate(0, 0, 2), 12, 9}, {mon.AddDate(0, 0, 7), 6, 3}, {mon.AddDate(0, 0, 8), 20, 12}}
	var rs []*survey.Response
	for _, d := range days {
		for _, r := range point("X", d.n, d.sat, len(rs)) {
			r.StartedAt = d.at.Add(r.StartedAt.Sub(base))
			rs = append(rs, r)
		}
	}
	rep, err := Compute(context.Background(), []*survey.Survey{testSurvey(1)}, seq(rs), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range rep.Days {
		if g.Index.Suppressed {
			got = append(got, fmt.Sprintf("%s:%v", g.Key, g.Index.Secondary))
		}
	}
	if want := "[2026-11-23:false 2026-11-24:true]"; fmt.Sprint(got) != want {
		t.Errorf("hidden days %v, want %s", got, want)
	}
	for _, w := range rep.Weeks {
		if w.Index.Suppressed {
			t.Errorf("week %s hidden: %+v", w.Key, w.Index)
		}
	}
}

// TestProtectInvariant: on random tables, in every published table and
// every figure column, the hidden figures are none, or at least two resting
// on MinCell responses together, or all of them.
func TestProtectInvariant(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	codes := []string{"rhl", "hl", "bt", "khl", "rkhl", ""}
	for round := range 200 {
		var rs []*survey.Response
		points := 1 + rng.IntN(6)
		for p := range points {
			for range rng.IntN(12) {
				m := map[string]string{}
				for _, q := range []string{"q1", "q2", "q3"} {
					m[q] = codes[rng.IntN(len(codes))]
				}
				m["q4"] = []string{"hl", "khl", ""}[rng.IntN(3)]
				r := resp(len(rs), m)
				r.ServicePoint = fmt.Sprintf("P%d", p)
				r.StartedAt = base.AddDate(0, 0, rng.IntN(40))
				rs = append(rs, r)
			}
		}
		rep, err := Compute(context.Background(), []*survey.Survey{testSurvey(1)}, seq(rs), Options{})
		if err != nil {
			t.Fatal(err)
		}
		tables := map[string][]Group{"points": rep.ServicePoints, "days": rep.Days, "weeks": rep.Weeks, "months": rep.Months}
		for name, rows := range tables {
			parts := [][]Group{rows}
			if name == "days" {
				byWeek, byMonth := map[string][]Group{}, map[string][]Group{}
				for _, g := range rows {
					y, w := g.Start.ISOWeek()
					byWeek[fmt.Sprint(y, w)] = append(byWeek[fmt.Sprint(y, w)], g)
					byMonth[g.Start.Format("2006-01")] = append(byMonth[g.Start.Format("2006-01")], g)
				}
				for _, p := range byWeek {
					parts = append(parts, p)
				}
				for _, p := range byMonth {
					parts = append(parts, p)
				}
			}
			for _, part := range parts {
				for c := 0; c < 1+len(rep.Elements)+len(rep.Questions); c++ {
					hidden, hiddenN, shown := 0, 0, 0
					for _, g := range part {
						f := g.Index
						if c > 0 && c <= len(rep.Elements) {
							f = g.Elements[c-1]
						} else if c > len(rep.Elements) {
							f = g.Questions[c-1-len(rep.Elements)]
						}
						switch {
						case f.NoData():
						case f.Suppressed:
							hidden++
							hiddenN += f.N
						default:
							shown++
							if f.N < MinCell {
								t.Fatalf("round %d %s: figure on %d shown", round, name, f.N)
							}
						}
					}
					if hidden > 0 && shown > 0 && (hidden < 2 || hiddenN < MinCell) {
						t.Fatalf("round %d %s column %d: %d hidden on %d with %d shown", round, name, c, hidden, hiddenN, shown)
					}
				}
			}
		}
	}
}
