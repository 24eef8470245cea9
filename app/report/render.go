package report

import (
	"sort"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Report renders the figures counted so far. It may be called more than once.
//
// Suppression is applied before averaging: a question figure with fewer than
// MinCell answers is suppressed and left out of its element and of the
// overall index, so that no suppressed share can be recovered by subtracting
// published figures. An element is the mean of its reportable questions; the
// overall index is the mean of the reportable SIPAS elements and of the
// reportable rating questions that belong to no SIPAS element. An average is
// suppressed when nothing reportable feeds it or when it rests on fewer than
// MinCell responses. Counts (Figure.N, Group.Responses) are never hidden.
//
// Each table (days, weeks, months, service points) then gets secondary
// suppression (see protect): the groups of a table add up to the overall
// figures, so one hidden figure could be recovered by subtraction; more
// groups are hidden until it cannot.
func (b *Builder) Report() *Report {
	totals := b.totals
	totals.BySurvey = make(map[string]int, len(b.totals.BySurvey))
	for k, v := range b.totals.BySurvey {
		totals.BySurvey[k] = v
	}
	r := &Report{
		Totals:    totals,
		Questions: append([]Question(nil), b.questions...),
		Elements:  append([]string(nil), b.elements...),
		Overall:   b.group(b.overall),
		ratings:   make(map[string]counter, len(b.points)),
	}
	r.ratings[""] = counter{n: b.overall.rated, sat: b.overall.satisfied}
	for k, a := range b.points {
		r.ratings[k] = counter{n: a.rated, sat: a.satisfied}
	}
	r.Days = b.sorted(b.days, false)
	r.Weeks = b.sorted(b.weeks, false)
	r.Months = b.sorted(b.months, false)
	r.ServicePoints = b.sorted(b.points, true)
	all := func(gs []Group) []int {
		p := make([]int, len(gs))
		for i := range p {
			p[i] = i
		}
		return p
	}
	// Days add up to their week and to their month as well as to the
	// total, and weeks and months are published too. The finer parts go
	// first: hiding within a week often protects the total as well, where
	// hiding the smallest day of the whole table would not protect the week.
	var dayParts [][]int
	byWeek, byMonth := map[string][]int{}, map[string][]int{}
	var weekKeys, monthKeys []string
	for i, g := range r.Days {
		wy, wn := g.Start.ISOWeek()
		wk, mk := isoWeekKey(wy, wn), g.Start.Format("2006-01")
		if byWeek[wk] == nil {
			weekKeys = append(weekKeys, wk)
		}
		if byMonth[mk] == nil {
			monthKeys = append(monthKeys, mk)
		}
		byWeek[wk] = append(byWeek[wk], i)
		byMonth[mk] = append(byMonth[mk], i)
	}
	for _, k := range weekKeys {
		dayParts = append(dayParts, byWeek[k])
	}
	for _, k := range monthKeys {
		dayParts = append(dayParts, byMonth[k])
	}
	dayParts = append(dayParts, all(r.Days))
	protect(r.Days, dayParts)
	protect(r.Weeks, [][]int{all(r.Weeks)})
	protect(r.Months, [][]int{all(r.Months)})
	protect(r.ServicePoints, [][]int{all(r.ServicePoints)})
	return r
}

// protect applies secondary suppression to a table. Each part lists groups
// of rows whose responses add up to a published margin (the overall figures,
// a week, a month). The invariant, for every part and every figure column
// (the index, each element, each question): the hidden figures resting on at
// least one response are none, or at least two that together rest on at
// least MinCell responses, or every figure of the column in that part. While
// it does not hold, the visible row with the smallest base in that column is
// hidden whole (all its figures: a row's index and elements are averages of
// its questions, so hiding one figure alone could be undone from the
// others). Hiding only adds, so the loop ends.
func protect(rows []Group, parts [][]int) {
	if len(rows) == 0 {
		return
	}
	cols := 1 + len(rows[0].Elements) + len(rows[0].Questions)
	col := func(g *Group, c int) *Figure {
		switch {
		case c == 0:
			return &g.Index
		case c <= len(g.Elements):
			return &g.Elements[c-1]
		}
		return &g.Questions[c-1-len(g.Elements)]
	}
	for changed := true; changed; {
		changed = false
		for _, part := range parts {
			for c := 0; c < cols; c++ {
				for {
					hidden, hiddenN, best := 0, 0, -1
					for _, i := range part {
						f := col(&rows[i], c)
						switch {
						case f.NoData():
						case f.Suppressed:
							hidden++
							hiddenN += f.N
						case best < 0 || f.N < col(&rows[best], c).N:
							best = i
						}
					}
					if hidden == 0 || (hidden >= 2 && hiddenN >= MinCell) || best < 0 {
						break
					}
					hideRow(&rows[best])
					changed = true
				}
			}
		}
	}
}

// hideRow hides every figure of g still shown, as secondary suppression.
func hideRow(g *Group) {
	hide := func(f *Figure) {
		if !f.Suppressed {
			*f = Figure{N: f.N, Suppressed: true, Secondary: true}
		}
	}
	hide(&g.Index)
	for i := range g.Elements {
		hide(&g.Elements[i])
	}
	for i := range g.Questions {
		hide(&g.Questions[i])
	}
}

func (b *Builder) sorted(m map[string]*acc, byName bool) []Group {
	out := make([]Group, 0, len(m))
	for _, a := range m {
		out = append(out, b.group(a))
	}
	if byName {
		c := collate.New(language.Vietnamese)
		sort.Slice(out, func(i, j int) bool { return c.CompareString(out[i].Key, out[j].Key) < 0 })
	} else {
		sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	}
	return out
}

// group computes the figures of one accumulator.
func (b *Builder) group(a *acc) Group {
	g := Group{
		Key:       a.key,
		Start:     a.start,
		Responses: a.responses,
		Questions: make([]Figure, len(b.questions)),
		Elements:  make([]Figure, len(b.elements)),
	}
	elemSum := make([]float64, len(b.elements))
	elemCount := make([]int, len(b.elements))
	var sum float64
	var parts int
	for i, c := range a.q {
		f := share(c)
		g.Questions[i] = f
		if f.Suppressed {
			continue
		}
		if e := b.qElem[i]; e >= 0 {
			elemSum[e] += f.Value
			elemCount[e]++
		} else {
			sum += f.Value
			parts++
		}
	}
	for e := range b.elements {
		f := Figure{N: a.elemN[e]}
		if elemCount[e] == 0 || f.N < MinCell {
			f.Suppressed = true
		} else {
			f.Value = elemSum[e] / float64(elemCount[e])
			sum += f.Value
			parts++
		}
		g.Elements[e] = f
	}
	g.Index = Figure{N: a.rated}
	if parts == 0 || a.rated < MinCell {
		g.Index.Suppressed = true
	} else {
		g.Index.Value = sum / float64(parts)
	}
	return g
}

// share is one question's figure.
func share(c counter) Figure {
	if c.n < MinCell {
		return Figure{N: c.n, Suppressed: true}
	}
	return Figure{N: c.n, Value: 100 * float64(c.sat) / float64(c.n)}
}
