package client

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// kioskStore is a real kiosk store seen as an Outbox, the way
// app/launch/syncstore adapts it (which these tests cannot import: it
// imports this package); its tests hold the adapter to the same mapping.
type kioskStore struct{ *store.Store }

func (s kioskStore) PendingAfter(ctx context.Context, after int64, limit int) ([]Outgoing, error) {
	rows, err := s.Store.PendingAfter(ctx, after, limit)
	out := make([]Outgoing, len(rows))
	for i, o := range rows {
		out[i] = Outgoing(o)
	}
	return out, err
}

func (s kioskStore) SyncStats(ctx context.Context) (SyncStats, error) {
	st, err := s.Store.SyncStats(ctx)
	return SyncStats(st), err
}

func (s kioskStore) MarkWaiting(ctx context.Context, items []Waiting) error {
	ws := make([]store.Waiting, len(items))
	for i, w := range items {
		ws[i] = store.Waiting(w)
	}
	return s.Store.MarkWaiting(ctx, ws)
}

func (s kioskStore) MarkRejected(ctx context.Context, id, reason string) error {
	return conflictAs(s.Store.MarkRejected(ctx, id, reason), ErrAlreadySynced)
}

func (s kioskStore) SaveSurvey(ctx context.Context, raw []byte) error {
	return conflictAs(s.Store.SaveSurvey(ctx, raw), ErrSurveyConflict)
}

func conflictAs(err, target error) error {
	if errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("%w: %w", target, err)
	}
	return err
}

// openStore opens a fresh kiosk store file under t.TempDir().
func openStore(t testing.TB) kioskStore {
	t.Helper()
	return openStoreAt(t, filepath.Join(t.TempDir(), "kiosk.db"))
}

// openStoreAt opens the kiosk store at path, closed when the test ends.
func openStoreAt(t testing.TB, path string) kioskStore {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return kioskStore{st}
}

// base is the start time of generated responses.
var base = time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC)

// newResponse returns a complete, valid response to the built-in quick
// rating survey, the i-th of a series.
func newResponse(t testing.TB, i int, device string) *survey.Response {
	t.Helper()
	r, err := makeResponse(i, device)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// makeResponse is newResponse for code without a testing.TB.
func makeResponse(i int, device string) (*survey.Response, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return nil, err
	}
	start := base.Add(time.Duration(i) * time.Second)
	codes := []string{survey.CodeVerySatisfied, survey.CodeSatisfied, survey.CodeNotSatisfied}
	a := survey.Answers{
		"thai_do":   {codes[i%3]},
		"thoi_gian": {codes[(i/3)%3]},
		"chung":     {survey.CodeSatisfied},
	}
	return &survey.Response{
		ID: id.String(), SurveyID: "mot-cua-nhanh", SurveyVersion: 1, Answers: a,
		StartedAt: start, FinishedAt: start.Add(40 * time.Second),
		ServicePoint: "Bộ phận Một cửa phường Hoàn Kiếm", DeviceID: device, Lang: "vi",
		Status: survey.StatusComplete,
	}, nil
}

// fill saves n new responses in st and returns their ids in order.
func fill(t testing.TB, st kioskStore, n int, device string) []string {
	t.Helper()
	ctx := context.Background()
	ids := make([]string, n)
	for i := range n {
		r := newResponse(t, i, device)
		if err := st.SaveResponse(ctx, r); err != nil {
			t.Fatalf("save response %d: %v", i, err)
		}
		ids[i] = r.ID
	}
	return ids
}

// enrollDirect stores an identity without a hub, for tests of the kiosk side
// alone; it returns the public key.
func enrollDirect(t testing.TB, st kioskStore, hubURL, device string) ed25519.PublicKey {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id := Identity{HubURL: hubURL, DeviceID: device, Name: "test kiosk", Token: "tok-" + device, Key: priv}
	if err := id.save(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	return pub
}

// stats returns st's sync counters.
func stats(t testing.TB, st kioskStore) SyncStats {
	t.Helper()
	s, err := st.SyncStats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fakeClock lets a test see every wait the uploader asks for and decide
// when it ends.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits chan time.Duration
	fire  chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: base, waits: make(chan time.Duration, 100), fire: make(chan time.Time)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	c.now = c.now.Add(time.Millisecond)
	c.mu.Unlock()
	c.waits <- d
	return c.fire
}

// nextWait returns the next wait the uploader asked for.
func (c *fakeClock) nextWait(t *testing.T) time.Duration {
	t.Helper()
	select {
	case d := <-c.waits:
		return d
	case <-time.After(20 * time.Second):
		t.Fatal("uploader asked for no wait within 20 s")
		return 0
	}
}

// advance ends the uploader's current wait.
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	now := c.now
	c.mu.Unlock()
	c.fire <- now
}

// fillResponses returns n new responses from device dev-1, each changed by
// change, without storing them.
func fillResponses(t testing.TB, n int, change func(i int, r *survey.Response)) []*survey.Response {
	t.Helper()
	rs := make([]*survey.Response, n)
	for i := range n {
		rs[i] = newResponse(t, i, "dev-1")
		change(i, rs[i])
	}
	return rs
}
