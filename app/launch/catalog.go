package launch

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// catalog is the surveys the kiosk can run: the built-in ones and those
// pulled from the hub, newest version of each id. It rereads the store at
// every welcome screen, so a version pulled in the background is used from
// the next citizen on.
type catalog struct {
	store *store.Store
	log   *slog.Logger

	mu      sync.Mutex
	builtin []*survey.Survey
}

func (c *catalog) load(ctx context.Context) error {
	b, err := survey.Builtin()
	if err != nil {
		return fmt.Errorf("load built-in surveys: %w", err)
	}
	c.mu.Lock()
	c.builtin = b
	c.mu.Unlock()
	return nil
}

// builtinSurveys returns the built-in definitions, every version (the
// reports and exports read answers to older ones).
func (c *catalog) builtinSurveys() []*survey.Survey {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.builtin
}

// all returns the newest version of every survey, sorted by id.
func (c *catalog) all(ctx context.Context) []*survey.Survey {
	c.mu.Lock()
	newest := map[string]*survey.Survey{}
	for _, s := range survey.Newest(c.builtin) {
		newest[s.ID] = s
	}
	c.mu.Unlock()
	defs, err := c.store.SurveyDefs(ctx)
	if err != nil {
		c.log.Error("read pulled surveys", "err", err)
	}
	for _, raw := range defs {
		s, err := survey.Parse(raw)
		if err != nil {
			c.log.Error("stored survey no longer parses", "err", err)
			continue
		}
		if cur := newest[s.ID]; cur == nil || s.Version > cur.Version {
			newest[s.ID] = s
		}
	}
	out := make([]*survey.Survey, 0, len(newest))
	for _, s := range newest {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *survey.Survey) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return out
}

// byID returns the newest version of the survey id.
func (c *catalog) byID(ctx context.Context, id string) (*survey.Survey, error) {
	for _, s := range c.all(ctx) {
		if s.ID == id {
			return s, nil
		}
	}
	return nil, fmt.Errorf("survey %q: %w", id, store.ErrNotFound)
}
