package hub_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// failingStore fails Ingest after the real store's transaction rolled
// back, as a disk error at commit would.
type failingStore struct {
	hub.Store
	ingests int
}

func (f *failingStore) Ingest(ctx context.Context, items []hub.Incoming, at time.Time) ([]protocol.Outcome, error) {
	f.ingests++
	cctx, cancel := context.WithCancel(ctx)
	cancel() // the real store sees its context end before the commit
	if _, err := f.Store.Ingest(cctx, items, at); err == nil {
		return nil, errors.New("the store committed with its context ended")
	}
	return nil, errors.New("injected disk failure")
}

func TestStoreFailureIsAtomic(t *testing.T) {
	s, d := setup(t) // enrolls and publishes through the real store
	fs := &failingStore{Store: s.Store}
	srv := httptest.NewServer(hub.New(hub.Config{Store: fs}))
	defer srv.Close()
	items := []protocol.Item{d.Sign(t, resp(t)), d.Sign(t, resp(t)), d.Sign(t, resp(t)), d.Sign(t, resp(t)), d.Sign(t, resp(t))}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+protocol.PathBatch, bytesReader(batchJSON(t, items...)))
	req.Header.Set("Authorization", "Bearer "+d.Token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, res)
	wantError(t, res.StatusCode, body, http.StatusInternalServerError, protocol.CodeInternal)
	if fs.ingests != 1 {
		t.Errorf("the hub called Ingest %d times, want 1", fs.ingests)
	}
	if n := countRows(t, s); n != 0 {
		t.Errorf("%d rows left by a batch whose commit failed, want 0", n)
	}
	// The retry after the fault clears is accepted whole.
	if got := upload(t, s, d, items...); got[0].Outcome != protocol.Accepted || got[4].Outcome != protocol.Accepted {
		t.Errorf("retry: %+v", got)
	}
}

func TestHealthzStoreDown(t *testing.T) {
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hub.New(hub.Config{Store: st}))
	defer srv.Close()
	st.Close()
	res, err := http.Get(srv.URL + protocol.PathHealth)
	if err != nil {
		t.Fatal(err)
	}
	wantError(t, res.StatusCode, readAll(t, res), http.StatusServiceUnavailable, protocol.CodeUnavailable)
}
