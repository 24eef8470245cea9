package export

import (
	"context"
	"fmt"
	"sort"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// DefSource gives the survey definitions pulled from the hub; the kiosk's
// *store.Store is one.
type DefSource interface {
	// SurveyDefs returns the newest stored version of each survey, raw JSON.
	SurveyDefs(ctx context.Context) ([][]byte, error)
	// SurveyDef returns one stored version, raw JSON.
	SurveyDef(ctx context.Context, id string, version int) ([]byte, error)
}

// Definitions gathers every survey version an export may meet: the built-in
// ones and, when src is not nil, every stored version (older versions are
// looked up one by one; one that is not stored is skipped). A stored version
// replaces a built-in one with the same id and version. The result is
// grouped by survey, in the order surveys first appear (built-ins first),
// newest version first, so that columns follow the newest question order.
// When only is not empty, surveys with other ids are left out.
func Definitions(ctx context.Context, builtin []*survey.Survey, src DefSource, only string) ([]*survey.Survey, error) {
	type key struct {
		id      string
		version int
	}
	byKey := map[key]*survey.Survey{}
	var order []string
	seen := map[string]bool{}
	add := func(s *survey.Survey) {
		if only != "" && s.ID != only {
			return
		}
		byKey[key{s.ID, s.Version}] = s
		if !seen[s.ID] {
			seen[s.ID] = true
			order = append(order, s.ID)
		}
	}
	for _, s := range builtin {
		if s != nil {
			add(s)
		}
	}
	if src != nil {
		raws, err := src.SurveyDefs(ctx)
		if err != nil {
			return nil, fmt.Errorf("load survey definitions: %w", err)
		}
		for _, raw := range raws {
			s, err := survey.Parse(raw)
			if err != nil {
				return nil, fmt.Errorf("stored survey definition: %w", err)
			}
			add(s)
			for v := 1; v < s.Version; v++ {
				if _, ok := byKey[key{s.ID, v}]; ok {
					continue
				}
				old, err := src.SurveyDef(ctx, s.ID, v)
				if err != nil {
					if ctx.Err() != nil {
						return nil, fmt.Errorf("load survey definitions: %w", ctx.Err())
					}
					continue
				}
				if o, err := survey.Parse(old); err == nil {
					add(o)
				}
			}
		}
	}
	rank := map[string]int{}
	for i, id := range order {
		rank[id] = i
	}
	out := make([]*survey.Survey, 0, len(byKey))
	for _, s := range byKey {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.ID != b.ID {
			return rank[a.ID] < rank[b.ID]
		}
		return a.Version > b.Version
	})
	return out, nil
}
