package launch

import (
	"context"
	"log/slog"
	"time"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
)

// retentionEvery is how often the kiosk deletes its expired synced
// responses and feedback cases (besides once at start).
const retentionEvery = 24 * time.Hour

// deleteExpired deletes the synced responses and the synced feedback
// cases older than the kiosk's retention setting at now
// (docs/retention.md), reading the setting each time so that the admin
// panel's change applies at the next run. It returns how many of each
// went.
func deleteExpired(ctx context.Context, st *store.Store, now time.Time) (responses, cases int64, err error) {
	c, err := settings.Load(ctx, st)
	if err != nil {
		return 0, 0, err
	}
	cut := c.SyncedCut(now)
	if cut.IsZero() {
		return 0, 0, nil
	}
	if responses, err = st.DeleteSynced(ctx, cut); err != nil {
		return 0, 0, err
	}
	cases, err = st.DeleteSyncedFeedback(ctx, cut)
	return responses, cases, err
}

// runRetention runs deleteExpired now and every retentionEvery until ctx
// ends, then closes done.
func runRetention(ctx context.Context, st *store.Store, log *slog.Logger, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(retentionEvery)
	defer t.Stop()
	for {
		n, cases, err := deleteExpired(ctx, st, time.Now())
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("delete expired synced responses and feedback cases", "err", err)
		case n > 0 || cases > 0:
			log.Info("deleted expired synced responses and feedback cases", "responses", n, "feedback", cases)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
