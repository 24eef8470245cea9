package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/feedback"
	"github.com/hailong-kiosk/hailong/sync/hub"
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

// TestAnsweredCasesOnSlides: a case of the kiosk's service point whose
// reply an admin made public reaches the kiosk's idle slides at the next
// sync, after the published set (or the built-in one when none was
// published), with a QR code of its public page; a reply kept private,
// another point's case and a case not yet answered do not.
func TestAnsweredCasesOnSlides(t *testing.T) {
	ctx := context.Background()
	srv := startHub(t)
	st := openStore(t)
	if _, err := Enroll(ctx, st, nil, srv.URL, srv.NewCode(t, "Quầy 1", "Phường Ba Đình")); err != nil {
		t.Fatal(err)
	}
	u := New(st, Options{})
	sync := func() *survey.Slides {
		t.Helper()
		if err := u.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		s, err := LoadSlides(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	now := time.Now().UTC()
	add := func(n int, point string, public bool, reply string) string {
		code, err := feedback.NewCode(bytes.NewReader([]byte{byte(n), 1, 2, 3, 4}))
		if err != nil {
			t.Fatal(err)
		}
		c := hub.FeedbackCase{ID: fmt.Sprintf("01938a7e-0000-7000-8000-%012d", n), Code: code.Compact(), Category: string(feedback.CategoryWaiting),
			Text: "Chờ lâu", Source: "welcome", Lang: "vi", ServicePoint: point, DeviceID: "dev-x", CreatedAt: now,
			Content: []byte("x"), Signature: make([]byte, 64)}
		if _, err := srv.Store.IngestFeedback(ctx, []hub.FeedbackCase{c}, now); err != nil {
			t.Fatal(err)
		}
		if reply != "" {
			state := hub.FeedbackAnswered
			if _, err := srv.Store.UpdateFeedback(ctx, c.ID, hub.FeedbackUpdate{State: &state, Reply: &reply, Public: &public, At: now}); err != nil {
				t.Fatal(err)
			}
		}
		return code.Compact()
	}
	add(1, "Phường Ba Đình", false, "Trả lời riêng")
	add(2, "Xã Ba Vì", true, "Điểm khác")
	add(3, "Phường Ba Đình", true, "")
	if s := sync(); s != nil {
		t.Fatalf("slides %+v without a public answer, want none (the built-in set)", s)
	}
	code := add(4, "Phường Ba Đình", true, "Đã bố trí thêm một quầy tiếp nhận từ thứ Hai.")
	s := sync()
	builtin, err := survey.BuiltinSlides()
	if err != nil {
		t.Fatal(err)
	}
	if s == nil || len(s.Slides) != len(builtin.Slides)+1 {
		t.Fatalf("slides %+v, want the built-in ones and the answered case", s)
	}
	last := s.Slides[len(s.Slides)-1]
	if last.Text["vi"] != "Đã bố trí thêm một quầy tiếp nhận từ thứ Hai." || !strings.Contains(last.Title["vi"], "đã được trả lời") ||
		last.QR == nil || last.QR.URL != srv.URL+feedback.PathPrefix+code {
		t.Fatalf("answered case's slide %+v", last)
	}
	if _, err := srv.Hub.PublishSlides(ctx, []byte(`{"slides":[{"title":{"vi":"Dịch vụ công"},"text":{"vi":"Ba bước"}}]}`), "an"); err != nil {
		t.Fatal(err)
	}
	if s := sync(); len(s.Slides) != 2 || s.Slides[0].Title["vi"] != "Dịch vụ công" || s.Slides[1].Text["vi"] != last.Text["vi"] {
		t.Fatalf("published set with the answered case: %+v", s)
	}
}
