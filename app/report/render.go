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
// MinCell responses.
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
	}
	r.Days = b.sorted(b.days, false)
	r.Weeks = b.sorted(b.weeks, false)
	r.Months = b.sorted(b.months, false)
	r.ServicePoints = b.sorted(b.points, true)
	return r
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
			f = Figure{Suppressed: true}
		} else {
			f.Value = elemSum[e] / float64(elemCount[e])
			sum += f.Value
			parts++
		}
		g.Elements[e] = f
	}
	g.Index = Figure{N: a.rated}
	if parts == 0 || a.rated < MinCell {
		g.Index = Figure{Suppressed: true}
	} else {
		g.Index.Value = sum / float64(parts)
	}
	return g
}

// share is one question's figure.
func share(c counter) Figure {
	if c.n < MinCell {
		return Figure{Suppressed: true}
	}
	return Figure{N: c.n, Value: 100 * float64(c.sat) / float64(c.n)}
}
