package hub_test

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// failingStore breaks IngestSeq after some items have been written inside
// the transaction, as a disk error would.
type failingStore struct {
	hub.Store
	after int
}

func (f *failingStore) IngestSeq(ctx context.Context, items iter.Seq2[hub.Incoming, error], at time.Time) ([]protocol.Outcome, error) {
	n := 0
	return f.Store.IngestSeq(ctx, func(yield func(hub.Incoming, error) bool) {
		for it, err := range items {
			if n == f.after {
				yield(hub.Incoming{}, errors.New("injected disk failure"))
				return
			}
			n++
			if !yield(it, err) {
				return
			}
		}
	}, at)
}

func TestStoreFailureIsAtomic(t *testing.T) {
	s, d := setup(t) // enrolls and publishes through the real store
	fs := &failingStore{Store: s.Store, after: 3}
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
