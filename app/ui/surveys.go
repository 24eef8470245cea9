package ui

import (
	"context"
	"fmt"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// SurveyDefs is the part of app/store holding survey definitions pulled
// from the hub.
type SurveyDefs interface {
	// SurveyDefs returns the raw JSON of the latest stored version of each survey.
	SurveyDefs(ctx context.Context) ([][]byte, error)
}

// Surveys returns a Deps.Survey function: the survey with the given id, in
// its highest version among the built-in ones and those stored (pulled
// from the hub). Stored definitions are read at every call, so a newly
// pulled version is used from the next welcome screen. A stored definition
// that fails to parse is skipped (logged by the caller's error), never
// fatal while a built-in one exists.
func Surveys(builtin []*survey.Survey, stored SurveyDefs) func(ctx context.Context, id string) (*survey.Survey, error) {
	return func(ctx context.Context, id string) (*survey.Survey, error) {
		var best *survey.Survey
		for _, s := range builtin {
			if s.ID == id && (best == nil || s.Version > best.Version) {
				best = s
			}
		}
		var bad error
		if stored != nil {
			raws, err := stored.SurveyDefs(ctx)
			if err != nil {
				bad = fmt.Errorf("read stored surveys: %w", err)
			}
			for _, raw := range raws {
				s, err := survey.Parse(raw)
				if err != nil {
					bad = fmt.Errorf("stored survey: %w", err)
					continue
				}
				if s.ID == id && (best == nil || s.Version > best.Version) {
					best = s
				}
			}
		}
		if best == nil {
			if bad != nil {
				return nil, fmt.Errorf("survey %q: %w", id, bad)
			}
			return nil, fmt.Errorf("survey %q: no such survey", id)
		}
		return best, nil
	}
}
