package store

import (
	"context"
	"errors"
	"iter"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// Filter selects responses. Zero fields select everything.
type Filter struct {
	// From and To bound StartedAt, half-open: From <= StartedAt < To.
	// They are compared in UTC; a zero time leaves that side unbounded.
	From, To time.Time
	// SurveyID selects one survey; SurveyVersion (with SurveyID) one version.
	SurveyID      string
	SurveyVersion int
	// ServicePoint selects one desk or outreach place. Text fields are
	// compared after NFC normalisation.
	ServicePoint string
	// Status selects complete or abandoned responses.
	Status survey.Status
	// EventTag selects one outreach event.
	EventTag string
}

// where returns the WHERE clause (or "") and its arguments.
func (f Filter) where() (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, arg any) {
		conds = append(conds, cond)
		args = append(args, arg)
	}
	if !f.From.IsZero() {
		add("started_at >= ?", formatTime(clampTime(f.From)))
	}
	if !f.To.IsZero() {
		add("started_at < ?", formatTime(clampTime(f.To)))
	}
	if f.SurveyID != "" {
		add("survey_id = ?", norm.NFC.String(f.SurveyID))
	}
	if f.SurveyVersion != 0 {
		add("survey_version = ?", f.SurveyVersion)
	}
	if f.ServicePoint != "" {
		add("service_point = ?", norm.NFC.String(f.ServicePoint))
	}
	if f.Status != "" {
		add("status = ?", string(f.Status))
	}
	if f.EventTag != "" {
		add("event_tag = ?", norm.NFC.String(f.EventTag))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// clampTime keeps t within the range the stored layout can hold.
func clampTime(t time.Time) time.Time {
	t = t.UTC()
	if t.Before(minTime) {
		return minTime
	}
	if t.After(maxTime) {
		return maxTime
	}
	return t
}

// Responses streams the responses that match f, ordered by StartedAt then
// ID, one row at a time from a consistent snapshot: it never holds the whole
// set in memory, and saves made meanwhile neither block nor appear. Stop
// early by breaking out of the loop. An error is yielded once, last. Each
// response is new and the caller's to keep.
func (s *Store) Responses(ctx context.Context, f Filter) iter.Seq2[*survey.Response, error] {
	return s.responses(ctx, f, false)
}

// BorrowResponses is Responses for a loop that is done with each response
// before it asks for the next, such as the export writers: the response
// is lent, not given. The *survey.Response, its Answers map and the map's
// slices are the same from row to row, overwritten by the next one; keep
// nothing of them but their strings (and copies). It saves the reading of
// a large set a response value per row.
func (s *Store) BorrowResponses(ctx context.Context, f Filter) iter.Seq2[*survey.Response, error] {
	return s.responses(ctx, f, true)
}

func (s *Store) responses(ctx context.Context, f Filter, lend bool) iter.Seq2[*survey.Response, error] {
	return func(yield func(*survey.Response, error) bool) {
		where, args := f.where()
		rr := rowReader{lend: lend}
		stop := errors.New("stop")
		err := s.eachRawRow(ctx, "SELECT "+responseColumns+" FROM responses"+where+" ORDER BY started_at, id", args, rr.dest(), func() error {
			r, err := rr.take()
			if err != nil {
				return err
			}
			if !yield(r, nil) {
				return stop
			}
			return nil
		})
		if err != nil && !errors.Is(err, stop) {
			yield(nil, wrap("list responses", err))
		}
	}
}

// Counts are the admin panel's response counters.
type Counts struct {
	// Since counts responses started at or after the time asked for
	// (usually the start of today).
	Since int
	// Total counts every stored response.
	Total int
	// Abandoned counts every response with status abandoned.
	Abandoned int
	// Flagged counts every response flagged as possible misuse.
	Flagged int
}

// Counts returns the counters, Since counting responses started at or after
// since (in UTC). The counts come from one snapshot.
func (s *Store) Counts(ctx context.Context, since time.Time) (Counts, error) {
	var c Counts
	err := s.r.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM responses WHERE started_at >= ?),
		(SELECT count(*) FROM responses),
		(SELECT count(*) FROM responses WHERE status = 'abandoned'),
		(SELECT count(*) FROM responses WHERE misuse = 1)`,
		formatTime(clampTime(since))).Scan(&c.Since, &c.Total, &c.Abandoned, &c.Flagged)
	if err != nil {
		return Counts{}, wrap("count responses", err)
	}
	return c, nil
}
