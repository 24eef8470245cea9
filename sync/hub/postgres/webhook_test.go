package postgres_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/postgres"
)

// TestDeliveriesOnceAcrossHubs: two stores on one database (as two hub
// processes have) each run three deliverers against a receiver on
// 127.0.0.1; the claims (FOR UPDATE SKIP LOCKED) give every event to one
// of them, so the receiver gets each once, signed.
func TestDeliveriesOnceAcrossHubs(t *testing.T) {
	ctx := context.Background()
	url := cluster.NewDatabase(t)
	var stores []*postgres.Store
	for range 2 {
		s, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var secret string
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := hub.VerifyWebhook(secret, r.Header, body, time.Now(), time.Minute); err != nil {
			t.Errorf("receiver: %v", err)
		}
		var env struct{ ID string }
		json.Unmarshal(body, &env)
		mu.Lock()
		seen[env.ID]++
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer rc.Close()
	w, err := hub.NewWebhook(rc.URL, []hub.EventKind{hub.EventAlert}, "test", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	secret = w.Secret
	if err := stores[0].AddWebhook(ctx, *w); err != nil {
		t.Fatal(err)
	}
	const events = 60
	for i := range events {
		ev, err := hub.NewEvent(hub.EventAlert, time.Now().Add(-time.Second), i)
		if err != nil {
			t.Fatal(err)
		}
		if err := stores[i%2].Enqueue(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for i := range 6 {
		d := hub.NewDeliverer(hub.DelivererConfig{Store: stores[i%2], Batch: 4})
		wg.Go(func() {
			for {
				n, err := d.RunOnce(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				if n == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
	if len(seen) != events {
		t.Errorf("receiver got %d events, want %d", len(seen), events)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("event %s received %d times", id, n)
		}
	}
	ds, err := stores[1].Deliveries(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.State != hub.DeliveryDelivered || d.Attempts != 1 {
			t.Errorf("delivery %+v", d)
		}
	}
}
