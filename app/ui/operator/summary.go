package operator

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// Summary is an outreach event's figures for the end of the day: how many
// responses each survey got and how they ended, and each survey's
// satisfaction index per question, computed by app/report (so figures
// resting on fewer than report.MinCell responses are suppressed).
type Summary struct {
	// Event is the event tag summarised.
	Event string
	// Totals are the counts over every survey.
	Totals Counts
	// First and Last are when the first response started and the last one
	// finished (UTC); zero when there are none.
	First, Last time.Time
	// Surveys are the surveys answered at the event, in the order of the
	// definitions given (built-in surveys first), then unknown ones by id.
	Surveys []SurveySummary
}

// Counts are operational counts for staff. They reveal no answer and, like
// report.Totals, are not suppressed.
type Counts struct {
	// Total is every response saved at the event.
	Total int
	// Complete and Abandoned split Total by status.
	Complete, Abandoned int
	// Flagged are the responses flagged as possible misuse.
	Flagged int
	// Assisted are the responses staff read aloud.
	Assisted int
}

// SurveySummary is one survey's part of the event.
type SurveySummary struct {
	// ID is the survey id; Title its title in the newest definition given
	// (empty when no definition of the survey is known).
	ID    string
	Title survey.Text
	// Counts are the survey's responses at the event.
	Counts Counts
	// Counted is how many responses the index rests on: complete and not
	// flagged (report.Options' defaults).
	Counted int
	// Index is the survey's overall satisfaction index.
	Index report.Figure
	// Questions are the survey's rating questions with their figures.
	Questions []QuestionSummary
}

// QuestionSummary is one rating question's figure.
type QuestionSummary struct {
	// Code and Text identify the question (newest version's wording).
	Code string
	Text survey.Text
	// Figure is the share of satisfied answers, suppressed below
	// report.MinCell answers.
	Figure report.Figure
}

// Summarize reads an event's responses from rows (the store's Responses
// with Filter{EventTag: event}) in one pass and computes its summary. defs
// are the survey definitions, every version the responses may refer to.
func Summarize(ctx context.Context, event string, defs []*survey.Survey, rows iter.Seq2[*survey.Response, error]) (*Summary, error) {
	bySurvey := map[string][]*survey.Survey{}
	var order []string
	for _, d := range defs {
		if d == nil {
			continue
		}
		if _, seen := bySurvey[d.ID]; !seen {
			order = append(order, d.ID)
		}
		bySurvey[d.ID] = append(bySurvey[d.ID], d)
	}
	type acc struct {
		counts  Counts
		builder *report.Builder
	}
	accs := map[string]*acc{}
	sum := &Summary{Event: event}
	n := 0
	for r, err := range rows {
		if err != nil {
			return nil, fmt.Errorf("read responses of event %q: %w", event, err)
		}
		if n++; n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("summarize event: %w", err)
			}
		}
		a := accs[r.SurveyID]
		if a == nil {
			a = &acc{builder: report.NewBuilder(bySurvey[r.SurveyID], report.Options{})}
			accs[r.SurveyID] = a
		}
		count(&a.counts, r)
		count(&sum.Totals, r)
		a.builder.Add(r)
		if sum.First.IsZero() || r.StartedAt.Before(sum.First) {
			sum.First = r.StartedAt
		}
		if r.FinishedAt.After(sum.Last) {
			sum.Last = r.FinishedAt
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("summarize event: %w", err)
	}
	var unknown []string
	for id := range accs {
		if _, ok := bySurvey[id]; !ok {
			unknown = append(unknown, id)
		}
	}
	slices.Sort(unknown)
	for _, id := range append(order, unknown...) {
		a := accs[id]
		if a == nil {
			continue
		}
		rep := a.builder.Report()
		s := SurveySummary{ID: id, Counts: a.counts, Counted: rep.Totals.Counted, Index: rep.Overall.Index}
		if versions := bySurvey[id]; len(versions) > 0 {
			newest := slices.MaxFunc(versions, func(x, y *survey.Survey) int { return x.Version - y.Version })
			s.Title = newest.Title
		}
		for i, q := range rep.Questions {
			s.Questions = append(s.Questions, QuestionSummary{Code: q.Code, Text: q.Text, Figure: rep.Overall.Questions[i]})
		}
		sum.Surveys = append(sum.Surveys, s)
	}
	return sum, nil
}

func count(c *Counts, r *survey.Response) {
	c.Total++
	if r.Status == survey.StatusAbandoned {
		c.Abandoned++
	} else {
		c.Complete++
	}
	if r.Misuse {
		c.Flagged++
	}
	if r.Assisted {
		c.Assisted++
	}
}
