package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/feedback"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// boardPoints reads the board's cards: name → "share|ratings|files|coverage|feedback".
func boardPoints(t *testing.T, page string) map[string]string {
	t.Helper()
	field := func(block, re string) string {
		m := regexp.MustCompile(re).FindStringSubmatch(block)
		if m == nil {
			return "?"
		}
		return strings.TrimSpace(m[1])
	}
	out := map[string]string{}
	for _, block := range strings.Split(page, `<li class="point`)[1:] {
		name := field(block, `<h2>(?:<a [^>]*>)?([^<]+)`)
		out[name] = strings.Join([]string{
			field(block, `<span class="n">([^<]+)</span>`),
			field(block, `<dd class="ratings">([^<]+)</dd>`),
			field(block, `<dd class="files">([^<]+)</dd>`),
			field(block, `<dd class="coverage">([^<]+)</dd>`),
			field(block, `<dd class="feedback">([^<]+)</dd>`),
		}, "|")
	}
	return out
}

// boardFixture holds three service points in the board's period, one of
// them under 5 ratings, and responses older than the period.
func boardFixture(t *testing.T) *fixture {
	t.Helper()
	var rs []*survey.Response
	rs = append(rs, at(1, "Phường Ba Đình", "dev-1", "", 20, 16, day)...)
	rs = append(rs, at(2, "Phường Hoàn Kiếm", "dev-1", "", 4, 4, day)...)
	rs = append(rs, at(3, "Xã Ba Vì", "dev-2", "", 12, 6, day)...)
	rs = append(rs, at(4, "Phường Ba Đình", "dev-1", "", 30, 0, day.AddDate(0, 0, -BoardDays-1))...) // before the period
	f := newFixture(t, rs...)
	if err := f.store.PutFileCounts(t.Context(), []hub.FileCount{{Day: "2026-11-23", ServicePoint: "Phường Ba Đình", Files: 40}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestBoardPublic: the board needs no login, reads the last BoardDays
// days, shows per point the satisfied share beside its ratings, files
// and coverage, hides shares under 5 ratings and the one that subtraction
// would give away, shows "—" for feedback, and reloads itself.
func TestBoardPublic(t *testing.T) {
	f := boardFixture(t)
	c := &http.Client{}
	resp, page := get(t, c, f.srv.URL+PathBoard)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("board: %d %s", resp.StatusCode, page)
	}
	if len(resp.Cookies()) != 0 {
		t.Errorf("the public board set cookies %v", resp.Cookies())
	}
	got := boardPoints(t, page)
	want := map[string]string{
		"Tất cả điểm phục vụ": "72,2 %|36|40|90,0 %|0",
		"Phường Ba Đình":      "80,0 %|20|40|50,0 %|0",
		"Phường Hoàn Kiếm":    "&lt; 5|4|chưa ghi|—|0",
		"Xã Ba Vì":            "ẩn|12|chưa ghi|—|0",
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: %q, want %q", name, got[name], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("cards %v, want %d", got, len(want))
	}
	for _, s := range []string{`http-equiv="refresh"`, "27/10/2026 – 25/11/2026", `href="/board?point=Ph%C6%B0%E1%BB%9Dng&#43;Ba&#43;%C4%90%C3%ACnh"`} {
		if !strings.Contains(page, s) {
			t.Errorf("board lacks %s", s)
		}
	}

	resp, page = get(t, c, f.srv.URL+PathBoard+"?point="+url.QueryEscape("Phường Ba Đình"))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("one point: %d", resp.StatusCode)
	}
	if got := boardPoints(t, page); len(got) != 1 || got["Phường Ba Đình"] != "80,0 %|20|40|50,0 %|0" {
		t.Errorf("one point's board: %v", got)
	}
	resp, page = get(t, c, f.srv.URL+PathBoard+"?point="+url.QueryEscape("Phường Hoàn Kiếm"))
	if got := boardPoints(t, page); resp.StatusCode != http.StatusOK || got["Phường Hoàn Kiếm"] != "&lt; 5|4|chưa ghi|—|0" {
		t.Errorf("a point under 5 on its own: %d %v", resp.StatusCode, got)
	}
	resp, page = get(t, c, f.srv.URL+PathBoard+"?point="+url.QueryEscape("Xã Không Có"))
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="nodata"`) {
		t.Errorf("unknown point: %d, no data message missing", resp.StatusCode)
	}
	resp, _ = post(t, c, f.srv.URL+PathBoard, url.Values{})
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST board: %d", resp.StatusCode)
	}
}

// TestBoardFeedback: the board counts the feedback cases received in its
// period per point and in all, misconduct reports among them; of those
// answered, the on-time count, with the share and the median working
// time only from 5 answered cases; and "—" on a hub without the inbox.
func TestBoardFeedback(t *testing.T) {
	f := boardFixture(t)
	ctx := context.Background()
	var cases []hub.FeedbackCase
	add := func(n int, point string, cat feedback.Category, received time.Time) {
		code, err := feedback.NewCode(bytes.NewReader([]byte{byte(n), 9, 8, 7, 6}))
		if err != nil {
			t.Fatal(err)
		}
		c := hub.FeedbackCase{ID: fmt.Sprintf("01938a7e-0000-7000-8000-%012d", n), Code: code.Compact(), Category: string(cat), Text: "Chờ lâu",
			Source: "welcome", Lang: "vi", ServicePoint: point, DeviceID: "dev-1", CreatedAt: received,
			Content: []byte("x"), Signature: make([]byte, 64)}
		if cat.Sealed() {
			c.Text, c.Sealed = "", []byte("sealed box")
		}
		if _, err := f.store.IngestFeedback(ctx, []hub.FeedbackCase{c}, received); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, c)
	}
	// Received Monday 16:00 Hanoi; answered Wednesday 16:00: 16 working hours.
	monday := f.now.Add(-48 * time.Hour)
	for i := range 5 {
		add(i+1, "Phường Ba Đình", feedback.CategoryWaiting, monday)
	}
	add(6, "Phường Ba Đình", feedback.CategoryMisconduct, monday)
	add(7, "Xã Ba Vì", feedback.CategoryWaiting, monday)
	add(8, "Xã Ba Vì", feedback.CategoryWaiting, monday)
	add(9, "Xã Ba Vì", feedback.CategoryWaiting, f.now.AddDate(0, 0, -BoardDays-2)) // before the period
	answered := hub.FeedbackAnswered
	reply := "Đã bố trí thêm quầy."
	for _, c := range append(cases[:5:5], cases[6]) {
		if _, err := f.store.UpdateFeedback(ctx, c.ID, hub.FeedbackUpdate{State: &answered, Reply: &reply, At: f.now}); err != nil {
			t.Fatal(err)
		}
	}
	_, page := get(t, &http.Client{}, f.srv.URL+PathBoard)
	field := func(block, class string) string {
		m := regexp.MustCompile(`<dd class="` + class + `">([^<]+)</dd>`).FindStringSubmatch(block)
		if m == nil {
			return "?"
		}
		return m[1]
	}
	got := map[string]string{}
	for _, block := range strings.Split(page, `<li class="point`)[1:] {
		name := regexp.MustCompile(`<h2>(?:<a [^>]*>)?([^<]+)`).FindStringSubmatch(block)[1]
		got[name] = field(block, "feedback") + "|" + field(block, "feedback-ontime") + "|" + field(block, "feedback-median")
	}
	want := map[string]string{
		"Tất cả điểm phục vụ": "8|6 / 6 (100 %)|16 giờ làm việc",
		"Phường Ba Đình":      "6|5 / 5 (100 %)|16 giờ làm việc",
		"Phường Hoàn Kiếm":    "0|—|—",
		"Xã Ba Vì":            "2|1 / 1|—",
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: %q, want %q", name, got[name], w)
		}
	}
	if strings.Contains(page, "Chờ lâu") || strings.Contains(page, reply) {
		t.Error("the board shows a case's text or reply")
	}

	g := newFixtureWith(t, func(c *Config) { c.Feedback = nil })
	_, page = get(t, &http.Client{}, g.srv.URL+PathBoard)
	if !strings.Contains(page, `<dd class="feedback">—</dd>`) && !strings.Contains(page, `id="nodata"`) {
		t.Errorf("a hub without the inbox: feedback figures not \"—\":\n%s", page)
	}
}
