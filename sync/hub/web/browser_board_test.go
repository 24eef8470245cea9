package web

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// boardBrowserFixture is a store with six service points' ratings (one
// under 5) and the files returned at five of them; it returns the points.
func boardBrowserFixture(t *testing.T) (*fixture, []string) {
	t.Helper()
	points := []string{"Phường Ba Đình", "Phường Hoàn Kiếm", "Trung tâm Phục vụ hành chính công — Chi nhánh số 1 (Hoàn Kiếm)", "Xã Ba Vì", "Xã Sóc Sơn", "Phường Cầu Giấy"}
	var rs []*survey.Response
	var files []hub.FileCount
	for i, p := range points {
		n := []int{62, 3, 85, 41, 17, 58}[i]
		rs = append(rs, at(i+1, p, "dev-1", "", n, n*(5+i%4)/9, time.Date(2026, 11, 20+i%3, 2, 0, 0, 0, time.UTC))...)
		if i != 4 {
			files = append(files, hub.FileCount{Day: "2026-11-21", ServicePoint: p, Files: n*2 + 7*i})
		}
	}
	f := newFixture(t, rs...)
	if err := f.store.PutFileCounts(t.Context(), files, time.Now()); err != nil {
		t.Fatal(err)
	}
	return f, points
}

// TestBrowserBoardOnTVAndPhone opens the public board, without logging
// in, on a waiting-room screen (1920×1080) and a phone (390×844): nothing
// scrolls sideways or is cut, the shares are large (at least 40 px on the
// screen), every card shows its coverage beside its share, and the page
// reloads itself. With HAILONG_SCREENSHOTS set it saves
// docs/screenshots/hub-board-{1920,390}.png.
func TestBrowserBoardOnTVAndPhone(t *testing.T) {
	f, points := boardBrowserFixture(t)
	wd := startBrowser(t, t.TempDir())
	for _, size := range []struct {
		name          string
		width, height int
		mobile        bool
		shareAtLeast  float64
	}{{"1920", 1920, 1080, false, 40}, {"390", 390, 844, true, 24}} {
		t.Run(size.name, func(t *testing.T) {
			wd.t = t
			wd.viewport(size.width, size.height, size.mobile)
			wd.open(f.srv.URL + PathBoard)
			wd.find("#points .point")
			var problems []string
			wd.script(layoutProblems, &problems)
			for _, p := range problems {
				t.Error(p)
			}
			var cards []struct {
				Share    string  `json:"share"`
				Coverage string  `json:"coverage"`
				Size     float64 `json:"size"`
			}
			wd.script(`return [...document.querySelectorAll("#points .point")].map(e => ({
				share: e.querySelector(".share .n").textContent,
				coverage: e.querySelector(".coverage").textContent,
				size: parseFloat(getComputedStyle(e.querySelector(".share .n")).fontSize)}))`, &cards)
			if len(cards) != len(points)+1 {
				t.Fatalf("%d cards, want %d points and the total", len(cards), len(points))
			}
			for i, c := range cards {
				if c.Coverage == "" {
					t.Errorf("card %d has no coverage", i)
				}
				if c.Share != "< 5" && c.Share != "ẩn" && c.Size < size.shareAtLeast {
					t.Errorf("card %d: share %q drawn at %.0f px, want at least %.0f", i, c.Share, c.Size, size.shareAtLeast)
				}
			}
			if !size.mobile { // a waiting-room screen does not scroll
				var h float64
				wd.script(`return document.documentElement.scrollHeight`, &h)
				if h > float64(size.height) {
					t.Errorf("the board is %.0f px high on a %d px screen: the last points are off it", h, size.height)
				}
			}
			var refresh string
			wd.script(`return document.querySelector('meta[http-equiv="refresh"]').content`, &refresh)
			if refresh == "" {
				t.Error("the board does not reload itself")
			}
			name := "hub-board-" + size.name + ".png"
			shot := filepath.Join(t.TempDir(), name)
			if os.Getenv("HAILONG_SCREENSHOTS") != "" {
				shot = filepath.Join("..", "..", "..", "docs", "screenshots", name)
			}
			wd.screenshot(shot)
		})
	}
}
