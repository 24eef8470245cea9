package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// shotPath is where a browser test saves a screenshot: docs/screenshots
// with HAILONG_SCREENSHOTS set, else a temporary folder.
func shotPath(t *testing.T, name string) string {
	t.Helper()
	if os.Getenv("HAILONG_SCREENSHOTS") != "" {
		return filepath.Join("..", "..", "..", "docs", "screenshots", name)
	}
	return filepath.Join(t.TempDir(), name)
}

// checkEnglish fails t when the open page is not <html lang="en"> or its
// text (as drawn, with its placeholders, titles and labels) holds
// Vietnamese beyond data.
func checkEnglish(t *testing.T, wd *webDriver, data []string) {
	t.Helper()
	var page struct {
		Lang string `json:"lang"`
		Text string `json:"text"`
	}
	wd.script(`return {lang: document.documentElement.lang, text: document.body.innerText + "\n" +
		[...document.querySelectorAll("[placeholder], [title], [alt], [aria-label], [data-label]")].map(e =>
			["placeholder", "title", "alt", "aria-label", "data-label"].map(a => e.getAttribute(a) || "").join(" ")).join("\n")}`, &page)
	if page.Lang != "en" {
		t.Errorf("<html lang=%q>, want en", page.Lang)
	}
	if v := vietnameseIn(page.Text, data); len(v) > 0 {
		t.Errorf("Vietnamese on the English page: %q", v)
	}
}

// TestBrowserDashboardInEnglish opens the dashboard in English at 390 px
// and 1280 px through the header's switch: it fits as the Vietnamese one
// does, holds no Vietnamese but the data, and the switch goes back. With
// HAILONG_SCREENSHOTS set it saves docs/screenshots/hub-dashboard-en-*.png.
func TestBrowserDashboardInEnglish(t *testing.T) {
	f := dashboardBrowserFixture(t)
	data := append(fixtureData(t), "Trung tâm Phục vụ hành chính công — Chi nhánh số 1 (Hoàn Kiếm)",
		"Khảo sát mức độ hài lòng về thủ tục hành chính",
		"Nơi đón tiếp có đủ chỗ ngồi, biển chỉ dẫn rõ ràng, trang thiết bị phục vụ người dân đầy đủ, dễ sử dụng không?",
		"Công chức tiếp nhận hồ sơ có lịch sự, lắng nghe, giải thích đầy đủ và hướng dẫn đúng quy định không?")
	wd := startBrowser(t, t.TempDir())
	wd.viewport(390, 844, true)
	wd.open(f.srv.URL + "/login")
	wd.click("#lang-switch")
	wd.find(`html[lang="en"] #login`)
	checkEnglish(t, wd, data)
	var problems []string
	wd.script(layoutProblems, &problems)
	for _, p := range problems {
		t.Errorf("English login page at 390 px: %s", p)
	}
	wd.typeInto("#name", "admin")
	wd.typeInto("#password", "mật khẩu tốt")
	wd.click("#login")
	wd.find("#overall")
	for _, size := range []struct {
		name          string
		width, height int
		mobile        bool
	}{{"390", 390, 3600, true}, {"1280", 1280, 2600, false}} {
		t.Run(size.name, func(t *testing.T) {
			wd.t = t
			wd.viewport(size.width, size.height, size.mobile)
			wd.open(f.srv.URL + "/dashboard")
			wd.find("#trend polyline")
			checkEnglish(t, wd, data)
			var problems []string
			wd.script(layoutProblems, &problems)
			for _, p := range problems {
				t.Error(p)
			}
			if got := wd.text("#overall"); !strings.Contains(got, "Satisfaction index") {
				t.Errorf("overall card %q", got)
			}
			wd.screenshot(shotPath(t, "hub-dashboard-en-"+size.name+".png"))
			// A header link keeps English.
			wd.click(`a.navlink[href="/devices"]`)
			wd.find("#devices")
			checkEnglish(t, wd, data)
			problems = nil
			wd.script(layoutProblems, &problems)
			for _, p := range problems {
				t.Errorf("devices page: %s", p)
			}
		})
	}
	// The switch goes back to Vietnamese, and stays there.
	wd.t = t
	wd.click("#lang-switch")
	wd.find(`html[lang="vi"] #devices`)
	wd.open(f.srv.URL + "/dashboard")
	if got := wd.text("#overall"); !strings.Contains(got, "Chỉ số hài lòng") {
		t.Errorf("back in Vietnamese, the overall card says %q", got)
	}
}

// TestBrowserBoardInEnglish opens the public board in English on a
// waiting-room screen and a phone: it fits (one screen high at 1920×1080),
// shows no Vietnamese but the points' names, and keeps the switch. With
// HAILONG_SCREENSHOTS set it saves docs/screenshots/hub-board-en-*.png.
func TestBrowserBoardInEnglish(t *testing.T) {
	f, points := boardBrowserFixture(t)
	data := append(fixtureData(t), points...)
	wd := startBrowser(t, t.TempDir())
	for _, size := range []struct {
		name          string
		width, height int
		mobile        bool
	}{{"1920", 1920, 1080, false}, {"390", 390, 844, true}} {
		t.Run(size.name, func(t *testing.T) {
			wd.t = t
			wd.viewport(size.width, size.height, size.mobile)
			wd.open(f.srv.URL + PathBoard + "?lang=en")
			wd.find("#points .point")
			checkEnglish(t, wd, data)
			var problems []string
			wd.script(layoutProblems, &problems)
			for _, p := range problems {
				t.Error(p)
			}
			if !size.mobile {
				var h float64
				wd.script(`return document.documentElement.scrollHeight`, &h)
				if h > float64(size.height) {
					t.Errorf("the English board is %.0f px high on a %d px screen", h, size.height)
				}
			}
			if got := wd.text("#lang-switch"); got != "VI" {
				t.Errorf("switch %q, want VI", got)
			}
			wd.screenshot(shotPath(t, "hub-board-en-"+size.name+".png"))
		})
	}
}
