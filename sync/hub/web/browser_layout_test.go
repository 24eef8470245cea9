package web

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// longSurvey has question texts long enough to need several lines on a
// phone, and a title of its own, so bars come in two named groups.
const longSurvey = `{"id":"sipas-dai","version":1,"title":{"vi":"Khảo sát mức độ hài lòng về thủ tục hành chính"},
 "questions":[{"code":"a","type":"rating5","text":{"vi":"Nơi đón tiếp có đủ chỗ ngồi, biển chỉ dẫn rõ ràng, trang thiết bị phục vụ người dân đầy đủ, dễ sử dụng không?"},"index":"sipas:tiep-can"},
              {"code":"b","type":"rating5","text":{"vi":"Công chức tiếp nhận hồ sơ có lịch sự, lắng nghe, giải thích đầy đủ và hướng dẫn đúng quy định không?"},"index":"sipas:cong-chuc"}]}`

// layoutProblems is run in the page: it lists what does not fit, each as a
// short description, or nothing.
const layoutProblems = `
const out = [];
const vw = document.documentElement.clientWidth;
if (document.documentElement.scrollWidth > vw) out.push("page scrolls sideways: " + document.documentElement.scrollWidth + " > " + vw);
for (const e of document.querySelectorAll("body *")) {
  const r = e.getBoundingClientRect();
  if (r.width > 0 && r.right > vw + 0.5 && !e.closest("svg, datalist, option")) out.push("past the right edge: " + e.tagName + "." + e.className + " " + Math.round(r.right));
}
for (const e of document.querySelectorAll("li.bar .label, td, th, h1, h2, h3, .note, label")) {
  if (e.scrollWidth > e.clientWidth + 1) out.push("cut: " + e.tagName + " " + e.textContent.slice(0, 40));
}
for (const e of document.querySelectorAll("#trend text")) {
  if (getComputedStyle(e).display === "none") continue;
  const h = e.getBoundingClientRect().height;
  if (h < 11) out.push("chart text " + Math.round(h) + " px: " + e.textContent);
}
const labels = [...document.querySelectorAll("#trend text.xl")].filter(e => getComputedStyle(e).display !== "none").map(e => e.getBoundingClientRect());
for (let i = 1; i < labels.length; i++) if (labels[i].left < labels[i-1].right) out.push("axis labels overlap at " + i);
for (const e of document.querySelectorAll("li.bar .label, td, .card")) {
  const fs = parseFloat(getComputedStyle(e).fontSize);
  if (fs < 14) out.push("text " + fs + " px: " + e.textContent.slice(0, 30));
}
return out;`

// dashboardBrowserFixture is a store with 20 days of two surveys at three
// service points (one with a long name), one day under 5 responses, and
// files returned at two of the points, the clock now.
func dashboardBrowserFixture(t *testing.T) *fixture {
	t.Helper()
	var rs []*survey.Response
	for i := range 20 {
		d := time.Date(2026, 11, 3, 2, 0, 0, 0, time.UTC).AddDate(0, 0, i)
		n := 6 + i%4
		if i == 7 {
			n = 3 // a day under 5: a grey band, never a 0 % point
		}
		rs = append(rs, at(i, []string{"Phường Ba Đình", "Trung tâm Phục vụ hành chính công — Chi nhánh số 1 (Hoàn Kiếm)", "Xã Ba Vì"}[i%3], "dev-1", "", n, n/2+i%3, d)...)
		for j := range 6 {
			id := fmt.Sprintf("0190a5c0-0000-7000-9000-%06d%06d", i, j)
			code := []string{"rhl", "hl", "bt", "khl"}[(i+j)%4]
			rs = append(rs, &survey.Response{ID: id, SurveyID: "sipas-dai", SurveyVersion: 1, Answers: survey.Answers{"a": {code}, "b": {"hl"}},
				StartedAt: d.Add(time.Duration(j) * time.Hour), FinishedAt: d.Add(time.Duration(j)*time.Hour + time.Minute),
				ServicePoint: "Xã Ba Vì", DeviceID: "dev-2", Lang: "vi", Status: survey.StatusComplete})
		}
	}
	f := newFixture(t, rs...)
	if err := f.store.PublishSurvey(t.Context(), hub.PublishedSurvey{ID: "sipas-dai", Version: 1, Definition: []byte(longSurvey), PublishedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	var counts []hub.FileCount
	for i := range 20 {
		d := time.Date(2026, 11, 3, 2, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format("2006-01-02")
		counts = append(counts, hub.FileCount{Day: d, ServicePoint: "Trung tâm Phục vụ hành chính công — Chi nhánh số 1 (Hoàn Kiếm)", Files: 25 + i},
			hub.FileCount{Day: d, ServicePoint: "Xã Ba Vì", Files: 18})
	}
	if err := f.store.PutFileCounts(t.Context(), counts, time.Now()); err != nil {
		t.Fatal(err)
	}
	f.now = time.Now()
	return f
}

// TestBrowserDashboardAtPhoneAndDesktopWidth opens the dashboard at 390 px
// (a phone) and 1280 px: nothing scrolls sideways or is cut, question labels
// wrap, chart text stays readable, bars are grouped under survey titles.
func TestBrowserDashboardAtPhoneAndDesktopWidth(t *testing.T) {
	f := dashboardBrowserFixture(t)
	wd := startBrowser(t, t.TempDir())
	wd.viewport(390, 844, true)
	wd.open(f.srv.URL + "/login")
	var problems []string
	wd.script(layoutProblems, &problems)
	for _, p := range problems {
		t.Errorf("login page at 390 px: %s", p)
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
			var problems []string
			wd.script(layoutProblems, &problems)
			for _, p := range problems {
				t.Error(p)
			}
			var titles []string
			wd.script(`return [...document.querySelectorAll("#bars h3.survey")].map(e => e.textContent)`, &titles)
			if strings.Join(titles, "|") != "Đánh giá nhanh|Khảo sát mức độ hài lòng về thủ tục hành chính" {
				t.Errorf("bar groups %q, want one per survey, named", titles)
			}
			// A long question label wraps onto more lines instead of being cut.
			var lines float64
			wd.script(`const e = [...document.querySelectorAll("li.bar .label")].find(e => e.textContent.startsWith("Nơi đón tiếp"));
				return e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight);`, &lines)
			if size.width == 390 && lines < 2.5 {
				t.Errorf("long label on %.1f lines at 390 px, want it wrapped", lines)
			}
			var bands int
			wd.script(`return document.querySelectorAll("#trend rect.hidden-band").length`, &bands)
			if bands == 0 {
				t.Error("the hidden day is not shown as a band")
			}
			name := "hub-dashboard-" + size.name + ".png"
			shot := filepath.Join(t.TempDir(), name)
			if os.Getenv("HAILONG_SCREENSHOTS") != "" {
				shot = filepath.Join("..", "..", "..", "docs", "screenshots", name)
			}
			wd.screenshot(shot)
			var rows int
			wd.script(`return document.querySelectorAll("#coverage-table tr").length`, &rows)
			if rows != 5 { // the header, three points, the total
				t.Errorf("coverage table has %d rows, want 5", rows)
			}
			if os.Getenv("HAILONG_SCREENSHOTS") != "" {
				wd.viewport(size.width, 844, size.mobile)
				var ok bool
				wd.script(`document.querySelector("#coverage-table").scrollIntoView(); return true`, &ok)
				wd.screenshot(filepath.Join("..", "..", "..", "docs", "screenshots", "hub-coverage-"+size.name+".png"))
				wd.viewport(size.width, size.height, size.mobile)
			}
			wd.open(f.srv.URL + "/files")
			wd.find("#files-form")
			problems = nil
			wd.script(layoutProblems, &problems)
			for _, p := range problems {
				t.Errorf("files page: %s", p)
			}
			if os.Getenv("HAILONG_SCREENSHOTS") != "" {
				wd.screenshot(filepath.Join("..", "..", "..", "docs", "screenshots", "hub-files-"+size.name+".png"))
			}
			// The service-point search: typed without diacritics, in capitals.
			wd.open(f.srv.URL + "/dashboard")
			wd.typeInto("#service_point", "XA BA VI")
			wd.click("#apply")
			// The new page's box carries the chosen name in its value
			// attribute (typing changes only the property): look-ups wait
			// for it.
			wd.find(`#service_point[value="Xã Ba Vì"]`)
			if got := wd.text("#overall .note"); !strings.Contains(got, "phiếu") {
				t.Fatalf("after search: %q", got)
			}
			var value string
			wd.script(`return document.querySelector("#service_point").value`, &value)
			if value != "Xã Ba Vì" {
				t.Errorf("search resolved to %q, want Xã Ba Vì", value)
			}
		})
	}
}
