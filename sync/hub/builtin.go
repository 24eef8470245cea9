package hub

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// PublishBuiltinSurveys publishes the kiosk's built-in surveys
// (survey.BuiltinDefinitions, the same embedded bytes the kiosk runs), so
// that a new hub accepts the answers of a new kiosk before anyone has
// published anything. It is idempotent. A version the operator already
// published with other bytes stays as it is (logged): the hub keeps what
// was published first. One log line names the versions it published, none
// when there were none.
func (h *Hub) PublishBuiltinSurveys(ctx context.Context) error {
	defs, err := survey.BuiltinDefinitions()
	if err != nil {
		return fmt.Errorf("publish built-in surveys: %w", err)
	}
	var published []string
	for _, d := range defs {
		have, err := h.store.Survey(ctx, d.Survey.ID, d.Survey.Version)
		switch {
		case err == nil && bytes.Equal(have.Definition, d.Raw):
			continue // published at an earlier start
		case err != nil && !errors.Is(err, ErrNotFound):
			return fmt.Errorf("publish built-in survey %s: %w", d.Name, err)
		}
		_, err = h.publishSurvey(ctx, d.Raw)
		if errors.Is(err, ErrConflict) {
			h.log.Warn("built-in survey differs from the version published at this hub; the published one stays",
				"survey", d.Survey.ID, "version", d.Survey.Version)
			continue
		}
		if err != nil {
			return fmt.Errorf("publish built-in survey %s: %w", d.Name, err)
		}
		published = append(published, fmt.Sprintf("%s v%d", d.Survey.ID, d.Survey.Version))
	}
	if len(published) > 0 {
		h.log.Info("built-in surveys published", "count", len(published), "surveys", strings.Join(published, ", "))
	}
	return nil
}
