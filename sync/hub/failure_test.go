package hub_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/hubtest"
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

// lostCommitStore commits ClaimDevice and then reports an error, as a
// connection broken after COMMIT was sent would.
type lostCommitStore struct{ hub.Store }

func (l lostCommitStore) ClaimDevice(ctx context.Context, codeHash []byte, pub ed25519.PublicKey, tokenHash []byte, now time.Time) (*hub.Device, error) {
	if _, err := l.Store.ClaimDevice(ctx, codeHash, pub, tokenHash, now); err != nil {
		return nil, err
	}
	return nil, errors.New("read reply to COMMIT: connection reset by peer")
}

// TestEnrollLostCommit: the kiosk gets its token when the claim committed
// but the store lost the reply; a claim that failed with nothing committed
// is an error.
func TestEnrollLostCommit(t *testing.T) {
	s := hubtest.Start(t)
	code := s.NewCode(t, "Kiosk 1", "Phường Hoàn Kiếm")
	h := hub.New(hub.Config{Store: lostCommitStore{s.Store}})
	key := bytes.Repeat([]byte{1}, 32)
	er, err := h.Enroll(context.Background(), &protocol.EnrollRequest{Code: code, PublicKey: key})
	if err != nil {
		t.Fatalf("Enroll after a lost COMMIT reply: %v", err)
	}
	d, err := h.Authenticate(context.Background(), er.Token)
	if err != nil || d.ID != er.DeviceID || !bytes.Equal(d.PublicKey, key) {
		t.Fatalf("the token from a lost-reply enrollment: %+v, %v", d, err)
	}
	// A claim that did not commit (the code is spent now) stays refused.
	if _, err := h.Enroll(context.Background(), &protocol.EnrollRequest{Code: code, PublicKey: key}); err == nil {
		t.Error("a second enrollment with a spent code succeeded")
	}
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
