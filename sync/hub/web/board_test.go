package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
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
		"Tất cả điểm phục vụ": "72,2 %|36|40|90,0 %|—",
		"Phường Ba Đình":      "80,0 %|20|40|50,0 %|—",
		"Phường Hoàn Kiếm":    "&lt; 5|4|chưa ghi|—|—",
		"Xã Ba Vì":            "ẩn|12|chưa ghi|—|—",
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
	if got := boardPoints(t, page); len(got) != 1 || got["Phường Ba Đình"] != "80,0 %|20|40|50,0 %|—" {
		t.Errorf("one point's board: %v", got)
	}
	resp, page = get(t, c, f.srv.URL+PathBoard+"?point="+url.QueryEscape("Phường Hoàn Kiếm"))
	if got := boardPoints(t, page); resp.StatusCode != http.StatusOK || got["Phường Hoàn Kiếm"] != "&lt; 5|4|chưa ghi|—|—" {
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
