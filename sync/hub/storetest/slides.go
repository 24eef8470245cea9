package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// testSlides: no set before the first publication; each publication is
// the next version and the newest is returned as published; concurrent
// publications get distinct versions.
func testSlides(t *testing.T, s hub.Store) {
	ctx := context.Background()
	if _, err := s.LatestSlides(ctx); !errors.Is(err, hub.ErrNotFound) {
		t.Fatalf("LatestSlides on a new store: %v, want ErrNotFound", err)
	}
	at := t0.Add(90 * time.Minute)
	for i, def := range []string{`{"slides":[]}`, `{"channels":[{"name":{"vi":"Đường dây nóng"},"phone":"1022"}]}`} {
		v, err := s.PublishSlides(ctx, hub.PublishedSlides{Definition: []byte(def), PublishedAt: at, PublishedBy: "an"})
		if err != nil || v != i+1 {
			t.Fatalf("publication %d: version %d, %v", i+1, v, err)
		}
		got, err := s.LatestSlides(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != i+1 || !bytes.Equal(got.Definition, []byte(def)) || !got.PublishedAt.Equal(at) || got.PublishedBy != "an" {
			t.Fatalf("latest after publication %d: %+v", i+1, got)
		}
	}
	var wg sync.WaitGroup
	versions := make([]int, 6)
	errs := make([]error, len(versions))
	for i := range versions {
		wg.Go(func() {
			versions[i], errs[i] = s.PublishSlides(ctx, hub.PublishedSlides{Definition: fmt.Appendf(nil, `{"slides":[],"n":%d}`, i), PublishedAt: at, PublishedBy: "an"})
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(versions)
	if want := []int{3, 4, 5, 6, 7, 8}; !slices.Equal(versions, want) {
		t.Fatalf("concurrent publications got versions %v, want %v", versions, want)
	}
	if got, err := s.LatestSlides(ctx); err != nil || got.Version != 8 {
		t.Fatalf("latest after concurrent publications: %+v, %v", got, err)
	}
}
