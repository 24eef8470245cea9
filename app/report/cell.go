package report

import (
	"context"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// Cell is what responses sharing a survey version, a day, a service point,
// a status and a misuse flag add to a report: counters only, so cells of
// disjoint responses add up (Add), and a store can keep them as a rollup
// updated when it stores a response, and answer a dashboard from a few
// rows per day and service point instead of every response. CellOf makes
// one response's cell; Builder.AddCell counts a cell exactly as Add counts
// the responses behind it.
type Cell struct {
	SurveyID      string
	SurveyVersion int
	// Day is the first instant of the responses' day in Asia/Ho_Chi_Minh
	// (survey.Location).
	Day          time.Time
	ServicePoint string
	Status       survey.Status
	Misuse       bool
	// Part says which groups the cell counts in (PartAll unless set).
	Part Part

	// Responses is the number of responses; Rated those with at least one
	// rating answer that counts; Satisfied those of Rated whose every rating
	// answer that counts is satisfied (the coverage figures' satisfied
	// ratings).
	Responses, Rated, Satisfied int
	// Questions counts the answers that count, by rating question code.
	Questions map[string]Counter
	// Elements counts, by SIPAS element, the responses answering at least
	// one of its questions.
	Elements map[string]int
	// Slips counts, by slip channel (the hub's: desk, home, flagged), the
	// rated responses given with a rating slip (N) and the satisfied ones
	// among them (Sat); Rated minus their sum were given without one. The
	// hub's store fills it; the report's figures do not read it (SlipTable
	// does). CellOf leaves it nil: a response alone does not know what the
	// hub found of its slip.
	Slips map[string]Counter
	// SlipFlags counts, by why the hub flagged the slip (its statuses:
	// unknown, reused, elsewhere), the rated responses of the flagged
	// channel of Slips: a split of that channel's N, filled and left nil
	// as Slips is.
	SlipFlags map[string]int
}

// Part is which groups of a report a cell counts in. A cell of the
// responses of one day and one service point counts in every group
// (PartAll). A store may instead give the same responses twice, as cells
// summed over service points (PartDays: the totals, the overall figures
// and the day, week and month groups; ServicePoint is ignored) and as
// cells summed over days (PartPoints: the service point groups only; Day
// is ignored): far fewer cells when there are many days and points.
type Part int

// The parts of Cell.Part.
const (
	PartAll Part = iota
	PartDays
	PartPoints
)

// Counter is the answers to one rating question: N that count, Sat of
// them satisfied.
type Counter struct{ N, Sat int }

// DayOf is the first instant of t's day in Asia/Ho_Chi_Minh.
func DayOf(t time.Time) time.Time {
	y, m, d := t.In(survey.Location()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, survey.Location())
}

// CellOf is r's cell, r being a response to s (the survey version it names).
// Its Elements follow s's own index tags, while a Builder puts a question
// in the element of the first version of its survey it was given: the two
// agree as long as the versions of a survey keep each question's tag (a
// question moved to another element takes a new code).
func CellOf(s *survey.Survey, r *survey.Response) Cell {
	c := Cell{SurveyID: r.SurveyID, SurveyVersion: r.SurveyVersion, Day: DayOf(r.StartedAt),
		ServicePoint: r.ServicePoint, Status: r.Status, Misuse: r.Misuse, Responses: 1}
	allSat := true
	if c.Status == "" {
		c.Status = survey.StatusComplete // as Add counts it
	}
	for i := range s.Questions {
		q := &s.Questions[i]
		if !q.Type.IsRating() {
			continue
		}
		a := r.Answers[q.Code]
		if len(a) == 0 {
			continue
		}
		sat, ok := ratingOf(a[0], q.Type == survey.Rating5)
		if !ok {
			continue
		}
		if c.Questions == nil {
			c.Questions = map[string]Counter{}
		}
		qc := c.Questions[q.Code]
		qc.N++
		qc.Sat += sat
		c.Questions[q.Code] = qc
		c.Rated = 1
		allSat = allSat && sat == 1
		if el, ok := strings.CutPrefix(q.Index, sipasPrefix); ok {
			if c.Elements == nil {
				c.Elements = map[string]int{}
			}
			c.Elements[el] = 1
		}
	}
	if c.Rated == 1 && allSat {
		c.Satisfied = 1
	}
	return c
}

// Add adds o's counters to c; o must share c's survey version, day,
// service point, status and misuse flag.
func (c *Cell) Add(o Cell) {
	c.Responses += o.Responses
	c.Rated += o.Rated
	c.Satisfied += o.Satisfied
	for code, qc := range o.Questions {
		if c.Questions == nil {
			c.Questions = map[string]Counter{}
		}
		have := c.Questions[code]
		c.Questions[code] = Counter{have.N + qc.N, have.Sat + qc.Sat}
	}
	for el, n := range o.Elements {
		if c.Elements == nil {
			c.Elements = map[string]int{}
		}
		c.Elements[el] += n
	}
	for ch, sc := range o.Slips {
		if c.Slips == nil {
			c.Slips = map[string]Counter{}
		}
		have := c.Slips[ch]
		c.Slips[ch] = Counter{have.N + sc.N, have.Sat + sc.Sat}
	}
	for why, n := range o.SlipFlags {
		if c.SlipFlags == nil {
			c.SlipFlags = map[string]int{}
		}
		c.SlipFlags[why] += n
	}
}

// AddCell counts the responses behind c as Add counts each of them, in
// the groups c.Part says.
func (b *Builder) AddCell(c Cell) {
	if c.Responses == 0 {
		return
	}
	d := b.defs[defKey{c.SurveyID, c.SurveyVersion}]
	if c.Part != PartPoints {
		t := &b.totals
		t.Responses += c.Responses
		if c.Status == survey.StatusAbandoned {
			t.Abandoned += c.Responses
		} else {
			t.Complete += c.Responses
		}
		if c.Misuse {
			t.Flagged += c.Responses
		}
		if d == nil {
			t.Unknown += c.Responses
		}
	}
	if d == nil || (c.Status == survey.StatusAbandoned && !b.opt.IncludeAbandoned) || (c.Misuse && !b.opt.IncludeFlagged) {
		return
	}
	var groups []*acc
	switch c.Part {
	case PartPoints:
		groups = []*acc{b.period(b.points, c.ServicePoint, time.Time{})}
	default:
		t := &b.totals
		t.Counted += c.Responses
		if t.BySurvey == nil {
			t.BySurvey = make(map[string]int)
		}
		t.BySurvey[c.SurveyID] += c.Responses
		if c.Part == PartAll {
			b.groupsAt(c.Day, c.ServicePoint)
			groups = []*acc{b.overall, b.cDay, b.cWeek, b.cMonth, b.cPoint}
		} else {
			b.periodsAt(c.Day)
			groups = []*acc{b.overall, b.cDay, b.cWeek, b.cMonth}
		}
	}
	for _, q := range d.ratings {
		qc, ok := c.Questions[q.code]
		if !ok {
			continue
		}
		for _, g := range groups {
			g.q[q.q].n += qc.N
			g.q[q.q].sat += qc.Sat
		}
	}
	for el, n := range c.Elements {
		for e, name := range b.elements {
			if name == el {
				for _, g := range groups {
					g.elemN[e] += n
				}
			}
		}
	}
	for _, g := range groups {
		g.responses += c.Responses
		g.rated += c.Rated
		g.satisfied += c.Satisfied
	}
}

// FromCells is Compute over cells instead of responses: the same report,
// from a store's rollup.
func FromCells(ctx context.Context, defs []*survey.Survey, cells iter.Seq2[Cell, error], opt Options) (*Report, error) {
	b := NewBuilder(defs, opt)
	for c, err := range cells {
		if err != nil {
			return nil, fmt.Errorf("read figures: %w", err)
		}
		b.AddCell(c)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("compute report: %w", err)
	}
	return b.Report(), nil
}
