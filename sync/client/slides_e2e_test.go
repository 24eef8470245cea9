package client

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// countingTransport counts the answers of each status to slide pulls.
type countingTransport struct{ ok, notModified atomic.Int32 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil && r.URL.Path == protocol.PathSlides {
		switch resp.StatusCode {
		case http.StatusOK:
			c.ok.Add(1)
		case http.StatusNotModified:
			c.notModified.Add(1)
		}
	}
	return resp, err
}

// TestSlidesPulled: a kiosk syncing with a real hub that published no
// slide set keeps none (it shows the built-in one); after a publication
// the next sync stores it, a sync with nothing new gets 304, and a second
// publication replaces the first. A set that fails validation is refused
// at the hub and never reaches the kiosk.
func TestSlidesPulled(t *testing.T) {
	ctx := context.Background()
	srv := startHub(t)
	st := openStore(t)
	if _, err := Enroll(ctx, st, nil, srv.URL, srv.NewCode(t, "Quầy 1", "")); err != nil {
		t.Fatal(err)
	}
	tr := &countingTransport{}
	u := New(st, Options{HTTP: &http.Client{Transport: tr}})
	sync := func() {
		t.Helper()
		if err := u.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	loaded := func() *survey.Slides {
		t.Helper()
		s, err := LoadSlides(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	sync()
	if s := loaded(); s != nil {
		t.Fatalf("slides %+v before any publication, want none", s)
	}
	if _, err := srv.Hub.PublishSlides(ctx, []byte(`{"slides":[{"title":{"vi":"x"}}]}`), "an"); !errors.As(err, new(survey.Problems)) {
		t.Fatalf("publishing a slide without text: %v, want its problems", err)
	}
	first := `{"slides":[{"title":{"vi":"Dịch vụ công"},"text":{"vi":"Ba bước"}}],"channels":[{"name":{"vi":"Đường dây nóng"},"phone":"1022"}]}`
	if _, err := srv.Hub.PublishSlides(ctx, []byte(first), "an"); err != nil {
		t.Fatal(err)
	}
	sync()
	s := loaded()
	if s == nil || len(s.Slides) != 1 || s.Slides[0].Title["vi"] != "Dịch vụ công" || s.Channels[0].Phone != "1022" {
		t.Fatalf("slides after the first publication: %+v", s)
	}
	sync()
	if tr.notModified.Load() != 1 {
		t.Errorf("%d answers 304 to a sync with nothing new, want 1", tr.notModified.Load())
	}
	if _, err := srv.Hub.PublishSlides(ctx, []byte(`{"slides":[]}`), "an"); err != nil {
		t.Fatal(err)
	}
	sync()
	if s := loaded(); s == nil || len(s.Slides) != 0 {
		t.Fatalf("slides after the second publication: %+v, want the empty set", s)
	}
	if v, _, _ := st.Setting(ctx, KeySlidesVersion); v != "2" {
		t.Errorf("version %q, want 2", v)
	}
	if n := tr.ok.Load(); n != 3 {
		t.Errorf("%d full answers, want 3 (none, first, second)", n)
	}
}
