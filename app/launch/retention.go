package launch

import (
	"context"
	"log/slog"
	"time"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
)

// retentionEvery is how often the kiosk deletes its expired synced
// responses (besides once at start).
const retentionEvery = 24 * time.Hour

// deleteExpired deletes the synced responses older than the kiosk's
// retention setting at now (docs/retention.md), reading the setting each
// time so that the admin panel's change applies at the next run.
func deleteExpired(ctx context.Context, st *store.Store, now time.Time) (int64, error) {
	c, err := settings.Load(ctx, st)
	if err != nil {
		return 0, err
	}
	cut := c.SyncedCut(now)
	if cut.IsZero() {
		return 0, nil
	}
	return st.DeleteSynced(ctx, cut)
}

// runRetention runs deleteExpired now and every retentionEvery until ctx
// ends, then closes done.
func runRetention(ctx context.Context, st *store.Store, log *slog.Logger, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(retentionEvery)
	defer t.Stop()
	for {
		n, err := deleteExpired(ctx, st, time.Now())
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("delete expired synced responses", "err", err)
		case n > 0:
			log.Info("deleted expired synced responses", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
