package web

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestBrowserDevicesAtPhoneAndDesktopWidth opens the devices page, an
// enrollment's code page, the surveys page and the audit log at 390 px and 1280 px: nothing scrolls sideways
// or is cut, and the QR code fits the screen.
func TestBrowserDevicesAtPhoneAndDesktopWidth(t *testing.T) {
	f := newFixture(t)
	f.now = time.Now()
	wd := startBrowser(t, t.TempDir())
	wd.viewport(390, 844, true)
	wd.open(f.srv.URL + "/login")
	wd.typeInto("#name", "admin")
	wd.typeInto("#password", "mật khẩu tốt")
	wd.click("#login")
	wd.find("#overall")
	for _, size := range []struct {
		name          string
		width, height int
		mobile        bool
	}{{"390", 390, 1600, true}, {"1280", 1280, 1000, false}} {
		t.Run(size.name, func(t *testing.T) {
			wd.t = t
			wd.viewport(size.width, size.height, size.mobile)
			wd.open(f.srv.URL + "/devices")
			wd.find("#devices")
			var problems []string
			wd.script(layoutProblems, &problems)
			for _, p := range problems {
				t.Errorf("devices page: %s", p)
			}
			shot := func(name string) {
				path := filepath.Join(t.TempDir(), name)
				if os.Getenv("HAILONG_SCREENSHOTS") != "" {
					path = filepath.Join("..", "..", "..", "docs", "screenshots", name)
				}
				wd.screenshot(path)
			}
			shot("hub-devices-" + size.name + ".png")
			wd.typeInto("#dev_name", "Kiosk sảnh tầng 1 — Trung tâm Phục vụ hành chính công")
			wd.typeInto("#dev_point", "Trung tâm Phục vụ hành chính công — Chi nhánh số 1 (Hoàn Kiếm)")
			wd.click("#enroll_submit")
			wd.find("#qr")
			wd.script(layoutProblems, &problems)
			for _, p := range problems {
				t.Errorf("code page: %s", p)
			}
			var qrWidth float64
			wd.script(`return document.querySelector("#qr").getBoundingClientRect().width`, &qrWidth)
			if qrWidth < 200 {
				t.Errorf("QR code %.0f px wide, want at least 200 to scan", qrWidth)
			}
			shot("hub-enrolled-" + size.name + ".png")
			wd.open(f.srv.URL + "/surveys")
			wd.find("#surveys")
			wd.script(layoutProblems, &problems)
			for _, p := range problems {
				t.Errorf("surveys page: %s", p)
			}
			shot("hub-surveys-" + size.name + ".png")
			wd.open(f.srv.URL + "/surveys/preview?id=nhanh&version=1")
			wd.find("section.screen")
			wd.script(layoutProblems, &problems)
			for _, p := range problems {
				t.Errorf("survey preview: %s", p)
			}
			shot("hub-survey-preview-" + size.name + ".png")
			wd.open(f.srv.URL + "/audit")
			wd.find("#audit")
			wd.script(layoutProblems, &problems)
			for _, p := range problems {
				t.Errorf("audit page: %s", p)
			}
			// At 390 px each entry is a block of labelled lines, not a
			// table of columns a few letters wide.
			var stacked bool
			wd.script(`return getComputedStyle(document.querySelector("#audit thead")).display === "none"`, &stacked)
			if stacked != (size.width == 390) {
				t.Errorf("audit entries stacked: %v at %d px", stacked, size.width)
			}
			shot("hub-audit-" + size.name + ".png")
		})
	}
}
