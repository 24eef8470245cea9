package report

import (
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// SlipCounts are one service point's counts over a period for the slip
// figures (docs/reports.md, "Rating slips"): what the agency recorded and
// printed, and the counted ratings (complete responses not flagged as
// misuse, with at least one rating answer) by how they were given.
type SlipCounts struct {
	// FilesKnown is set when files returned were recorded for the point in
	// the period; Files is their sum.
	FilesKnown bool
	Files      int
	// Printed is the number of slips printed for the point in the period.
	Printed int
	// Desk and Home are the slip ratings given at a kiosk and on a phone
	// (N ratings, Sat of them satisfied); NoSlip the ratings without a
	// slip; Flagged the ratings whose slip was flagged (unknown, reused,
	// or printed for another point), which count nowhere else.
	Desk, Home, NoSlip, Flagged Counter
	// Unknown, Reused and Elsewhere split Flagged.N by why the slip was
	// flagged: a code the hub never printed, a slip used before, a slip
	// printed for another service point. They add up to Flagged.N except
	// for flagged ratings a hub counted before it kept the reasons and
	// purged before it could add them (docs/reports.md).
	Unknown, Reused, Elsewhere int
}

// Add adds o's counts to c.
func (c *SlipCounts) Add(o SlipCounts) {
	c.FilesKnown = c.FilesKnown || o.FilesKnown
	c.Files += o.Files
	c.Printed += o.Printed
	c.Unknown += o.Unknown
	c.Reused += o.Reused
	c.Elsewhere += o.Elsewhere
	for _, p := range [][2]*Counter{{&c.Desk, &o.Desk}, {&c.Home, &o.Home}, {&c.NoSlip, &o.NoSlip}, {&c.Flagged, &o.Flagged}} {
		p[0].N += p[1].N
		p[0].Sat += p[1].Sat
	}
}

// SlipRow is one service point's (or the total's) slip figures.
type SlipRow struct {
	// ServicePoint names the row; "" for the total.
	ServicePoint string
	SlipCounts
	// SlipRatings is Desk.N + Home.N: the ratings tied to a visit.
	SlipRatings int
	// Coverage is SlipRatings ÷ Files in percent, when HasCoverage (files
	// recorded and more than none).
	Coverage    float64
	HasCoverage bool
	// Satisfied is the share of slip ratings whose every rating answer is
	// satisfied; DeskSatisfied and HomeSatisfied the same share of each
	// channel. Suppressed under MinCell and protected against subtraction,
	// within the row (Satisfied is the two channels together) and across
	// the rows against the total.
	Satisfied, DeskSatisfied, HomeSatisfied Figure
	// Equivalent766 is (Files − slip ratings not satisfied) ÷ Files: every
	// file without a slip rating counts as satisfied, as Decision
	// 766/QĐ-TTg counts. N is Files. Hidden whenever Satisfied is; no data
	// without files or when slip ratings exceed files.
	Equivalent766 Figure
	// Gap is DeskSatisfied − HomeSatisfied in percentage points (negative
	// when citizens are more satisfied at home), shown only when both are:
	// a large positive gap is a sign of pressure at the desk. N is the
	// smaller of the two bases.
	Gap Figure
}

// SlipTable is the slip figures of a period: one row per service point
// with any count, in Vietnamese alphabetical order, and the total.
type SlipTable struct {
	Points []SlipRow
	Total  SlipRow
}

// NewSlipTable computes the slip figures of the service points' counts.
func NewSlipTable(points map[string]SlipCounts) SlipTable {
	var names []string
	for k, c := range points {
		if c != (SlipCounts{}) {
			names = append(names, k)
		}
	}
	coll := collate.New(language.Vietnamese)
	sort.Slice(names, func(i, j int) bool { return coll.CompareString(names[i], names[j]) < 0 })
	out := SlipTable{Points: make([]SlipRow, len(names))}
	var total SlipCounts
	for i, p := range names {
		out.Points[i] = slipRow(p, points[p])
		total.Add(points[p])
	}
	out.Total = slipRow("", total)

	// Three figure columns add up across rows to the total (protect), and
	// within a row Satisfied is Desk and Home together, so that of the
	// three none may be the only one hidden: a hidden channel hides the
	// other and Satisfied hides both. Both rules are repeated until
	// neither hides anything more.
	rows := make([]Group, len(out.Points))
	all := make([]int, len(rows))
	for i, r := range out.Points {
		rows[i] = Group{Index: r.Satisfied, Elements: []Figure{r.DeskSatisfied, r.HomeSatisfied}}
		all[i] = i
	}
	totalRow := Group{Index: out.Total.Satisfied, Elements: []Figure{out.Total.DeskSatisfied, out.Total.HomeSatisfied}}
	withinRow(&totalRow)
	for changed := true; changed; {
		before := hiddenCount(rows)
		protect(rows, [][]int{all})
		for i := range rows {
			withinRow(&rows[i])
		}
		changed = hiddenCount(rows) != before
	}
	for i := range rows {
		out.Points[i].Satisfied, out.Points[i].DeskSatisfied, out.Points[i].HomeSatisfied = rows[i].Index, rows[i].Elements[0], rows[i].Elements[1]
		out.Points[i].follow()
	}
	out.Total.Satisfied, out.Total.DeskSatisfied, out.Total.HomeSatisfied = totalRow.Index, totalRow.Elements[0], totalRow.Elements[1]
	out.Total.follow()
	return out
}

// withinRow hides, of a row's Satisfied, Desk and Home figures, whatever
// the others would give back: with counts published, Satisfied's satisfied
// count is the sum of the channels'.
func withinRow(g *Group) {
	sat, desk, home := &g.Index, &g.Elements[0], &g.Elements[1]
	hidden := func(f *Figure) bool { return f.Suppressed && !f.NoData() }
	hide := func(f *Figure) {
		if !f.Suppressed && !f.NoData() {
			*f = Figure{N: f.N, Suppressed: true, Secondary: true}
		}
	}
	if hidden(desk) || hidden(home) || hidden(sat) {
		hide(desk)
		hide(home)
	}
	if (desk.NoData() || home.NoData()) && hidden(sat) { // one channel alone is Satisfied
		hide(desk)
		hide(home)
	}
	if (desk.NoData() && hidden(home)) || (home.NoData() && hidden(desk)) {
		hide(sat)
	}
}

func hiddenCount(rows []Group) int {
	n := 0
	for _, g := range rows {
		for _, f := range append([]Figure{g.Index}, g.Elements...) {
			if f.Suppressed {
				n++
			}
		}
	}
	return n
}

// follow sets the figures that derive from the shares: the 766-equivalent
// hides with Satisfied, the gap shows only when both channels do.
func (r *SlipRow) follow() {
	if f := r.Satisfied; f.Suppressed && !f.NoData() && !r.Equivalent766.NoData() {
		r.Equivalent766 = Figure{N: r.Equivalent766.N, Suppressed: true, Secondary: f.Secondary}
	}
	d, h := r.DeskSatisfied, r.HomeSatisfied
	switch {
	case d.NoData() || h.NoData():
		r.Gap = Figure{}
	case d.Suppressed || h.Suppressed:
		r.Gap = Figure{N: min(d.N, h.N), Suppressed: true, Secondary: d.Secondary || h.Secondary}
	default:
		r.Gap = Figure{N: min(d.N, h.N), Value: d.Value - h.Value}
	}
}

func slipRow(point string, c SlipCounts) SlipRow {
	row := SlipRow{ServicePoint: point, SlipCounts: c, SlipRatings: c.Desk.N + c.Home.N}
	slip := counter{n: c.Desk.N + c.Home.N, sat: c.Desk.Sat + c.Home.Sat}
	if c.FilesKnown && c.Files > 0 {
		row.Coverage = 100 * float64(slip.n) / float64(c.Files)
		row.HasCoverage = true
	}
	row.Satisfied = share(slip)
	row.DeskSatisfied = share(counter{n: c.Desk.N, sat: c.Desk.Sat})
	row.HomeSatisfied = share(counter{n: c.Home.N, sat: c.Home.Sat})
	if c.FilesKnown && c.Files > 0 && slip.n <= c.Files {
		row.Equivalent766 = Figure{N: c.Files, Value: 100 * float64(c.Files-(slip.n-slip.sat)) / float64(c.Files)}
	}
	return row
}

// FormatGap renders a Gap figure in percentage points with its sign
// ("+12,3" in Vietnamese, "+12.3" in English; the unit goes in the
// heading), or the words Format gives a figure with no value.
func FormatGap(f Figure, lang string) string {
	if f.NoData() || f.Suppressed {
		return f.Format(lang)
	}
	s := strconv.FormatFloat(f.Value, 'f', 1, 64)
	if f.Value >= 0.05 {
		s = "+" + s
	} else if s == "-0.0" {
		s = "0.0"
	}
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return strings.Replace(s, "-", "−", 1)
}
