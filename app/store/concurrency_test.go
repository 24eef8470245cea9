package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// TestConcurrentUse saves from several goroutines through two stores on the
// same file (the kiosk and a command-line tool, say) while others drain the
// outbox and stream responses: no SQLITE_BUSY, nothing lost, nothing twice.
func TestConcurrentUse(t *testing.T) {
	ctx := context.Background()
	a, path := openTest(t)
	b, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	const writers, each = 4, 25
	saved := make(chan *survey.Response, writers*each)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for w := range writers {
		s := a
		if w%2 == 1 {
			s = b
		}
		wg.Go(func() {
			for i := range each {
				r := newResponse(t, w*each+i)
				if err := s.SaveResponse(ctx, r); err != nil {
					errs <- err
					return
				}
				saved <- r
			}
		})
	}
	done := make(chan struct{})
	var readers sync.WaitGroup
	readers.Go(func() { // the uploader
		for {
			select {
			case <-done:
				return
			default:
			}
			ps, err := b.Pending(ctx, 10)
			if err != nil {
				errs <- err
				return
			}
			var ids []string
			for _, p := range ps {
				ids = append(ids, p.ID)
			}
			if err := a.MarkSynced(ctx, ids); err != nil {
				errs <- err
				return
			}
		}
	})
	readers.Go(func() { // an export
		for {
			select {
			case <-done:
				return
			default:
			}
			for _, err := range a.Responses(ctx, store.Filter{}) {
				if err != nil {
					errs <- err
					return
				}
			}
		}
	})
	wg.Wait()
	close(done)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	close(saved)
	want := map[string]bool{}
	for r := range saved {
		want[r.ID] = true
	}
	n := 0
	for r, err := range b.Responses(ctx, store.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		if !want[r.ID] {
			t.Errorf("unexpected response %s", r.ID)
		}
		n++
	}
	if n != writers*each || len(want) != n {
		t.Errorf("stored %d responses, saved %d, want %d", n, len(want), writers*each)
	}
	st, err := a.SyncStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Pending+st.Synced != n || st.Rejected != 0 {
		t.Errorf("SyncStats = %+v for %d responses", st, n)
	}
}
