package launch

import (
	"context"
	"log/slog"
	"time"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
)

// retentionEvery is how often the kiosk deletes what it has synced and
// keeps no longer (besides once at start).
const retentionEvery = 24 * time.Hour

// expired counts what one retention run deleted.
type expired struct {
	Responses, Feedback, Help int64
}

// deleteExpired deletes the synced responses, feedback cases and help
// requests older than the kiosk's retention setting at now
// (docs/retention.md), reading the setting each time so that the admin
// panel's change applies at the next run.
func deleteExpired(ctx context.Context, st *store.Store, now time.Time) (expired, error) {
	var e expired
	c, err := settings.Load(ctx, st)
	if err != nil {
		return e, err
	}
	cut := c.SyncedCut(now)
	if cut.IsZero() {
		return e, nil
	}
	if e.Responses, err = st.DeleteSynced(ctx, cut); err != nil {
		return e, err
	}
	if e.Feedback, err = st.DeleteSyncedFeedback(ctx, cut); err != nil {
		return e, err
	}
	e.Help, err = st.DeleteSyncedHelp(ctx, cut)
	return e, err
}

// runRetention runs deleteExpired now and every retentionEvery until ctx
// ends, then closes done.
func runRetention(ctx context.Context, st *store.Store, log *slog.Logger, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(retentionEvery)
	defer t.Stop()
	for {
		e, err := deleteExpired(ctx, st, time.Now())
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("delete expired synced records", "err", err)
		case e != expired{}:
			log.Info("deleted expired synced records", "responses", e.Responses, "feedback", e.Feedback, "help", e.Help)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
