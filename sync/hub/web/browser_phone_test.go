package web

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// phoneSurvey asks for slips, so the phone page shows it rather than the
// fixture's quick survey: a long rating question, a multiple choice shown
// only after a poor rating, and a comment, in both languages.
const phoneSurvey = `{"id":"tai-nha","version":1,"slip":"optional",
 "title":{"vi":"Đánh giá việc giải quyết thủ tục hành chính","en":"Rating of the administrative procedure"},
 "purpose":{"vi":"Ý kiến giúp phường phục vụ tốt hơn.","en":"Your opinion helps the ward serve better."},
 "questions":[
  {"code":"cb","type":"rating5","index":"sipas:cong-chuc","text":{"vi":"Công chức tiếp nhận hồ sơ có lịch sự, lắng nghe, giải thích đầy đủ và hướng dẫn đúng quy định không?","en":"Was the officer polite, did they listen, explain fully and guide you by the rules?"}},
  {"code":"vi_sao","type":"multi","optional":true,"show_if":{"question":"cb","any_of":["bt","khl","rkhl"]},"text":{"vi":"Vì sao ông/bà chưa hài lòng?","en":"Why were you not satisfied?"},
   "options":[{"code":"cho","label":{"vi":"Phải chờ lâu","en":"Long wait"}},{"code":"thai_do","label":{"vi":"Thái độ chưa tốt","en":"Attitude"}},{"code":"phi","label":{"vi":"Bị đòi thêm tiền","en":"Asked for extra money"}}]},
  {"code":"gop_y","type":"text","optional":true,"text":{"vi":"Ông/bà có góp ý gì thêm không?","en":"Any other comment?"}}]}`

// TestBrowserPhonePage answers on the phone page in headless Chromium at
// 390×844 (a phone) and 1280×800: nothing scrolls sideways or is cut, the
// answers are large targets, the page works without any script (the
// browser runs none: the page has none), a skipped required answer is
// refused in Vietnamese, and the slip is refused once used.
func TestBrowserPhonePage(t *testing.T) {
	var h *hub.Hub
	f := newFixtureWith(t, func(c *Config) { h = c.Slips.(*hub.Hub); c.Phone = h })
	ctx := context.Background()
	if err := f.store.PublishSurvey(ctx, hub.PublishedSurvey{ID: "tai-nha", Version: 1, Definition: []byte(phoneSurvey), PublishedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	slips, err := h.IssueSlips(ctx, "Trung tâm Phục vụ hành chính công — Chi nhánh số 1 (Hoàn Kiếm)", 2)
	if err != nil {
		t.Fatal(err)
	}
	f.now = time.Now()
	wd := startBrowser(t, t.TempDir())
	shots := t.TempDir()
	if os.Getenv("HAILONG_SCREENSHOTS") != "" {
		shots = filepath.Join("..", "..", "..", "docs", "screenshots")
	}
	for i, size := range []struct {
		name          string
		width, height int
		mobile        bool
	}{{"390", 390, 844, true}, {"1280", 1280, 800, false}} {
		t.Run(size.name, func(t *testing.T) {
			wd.t = t
			wd.viewport(size.width, size.height, size.mobile)
			check := func(screen string) {
				t.Helper()
				var problems []string
				wd.script(layoutProblems, &problems)
				for _, p := range problems {
					t.Errorf("%s: %s", screen, p)
				}
				var scripts int
				wd.script(`return document.scripts.length`, &scripts)
				if scripts != 0 {
					t.Errorf("%s has %d scripts", screen, scripts)
				}
			}
			shot := func(name string) {
				t.Helper()
				wd.screenshot(filepath.Join(shots, "hub-phone-"+name+"-"+size.name+".png"))
			}
			u := f.srv.URL + "/s/" + slips[i].Code.Compact()
			wd.open(u)
			wd.find("#start")
			check("intro")
			shot("intro")
			wd.click("#start")
			wd.find("#step")
			check("question")
			// Every answer is a target at least 48 px high, the whole row.
			var small []string
			wd.script(`return [...document.querySelectorAll("label.option")].filter(e => e.getBoundingClientRect().height < 48).map(e => e.textContent)`, &small)
			if len(small) > 0 {
				t.Errorf("answers under 48 px: %q", small)
			}
			shot("question")
			wd.click("#next") // nothing chosen
			if got := wd.text("#error"); got != "Xin chọn một câu trả lời để tiếp tục." {
				t.Errorf("error %q", got)
			}
			check("refused")
			shot("required")
			wd.click(`label.option[for="o3"]`) // Không hài lòng: the follow-up shows
			wd.click("#next")
			wd.find(`input[type="checkbox"]`) // the next page, not the old one's #question
			if got := wd.text("#question"); got != "Vì sao ông/bà chưa hài lòng?" {
				t.Fatalf("after a poor rating: %q", got)
			}
			wd.click(`label.option[for="o0"]`)
			wd.click(`label.option[for="o2"]`)
			wd.click("#next")
			wd.find("textarea#v")
			wd.typeInto("textarea#v", "Gọi cho tôi: 0912 345 678")
			check("comment")
			shot("comment")
			wd.click("#next")
			wd.find("#receipt")
			check("thanks")
			shot("thanks")
			if got := wd.text("#result"); !strings.Contains(got, "Đánh giá của ông/bà đã được ghi nhận.") {
				t.Errorf("thank-you screen %q", got)
			}
			wd.open(u + "?lang=en")
			if got := wd.text("#error"); !strings.Contains(got, "This slip has been used already") {
				t.Errorf("used slip in English: %q", got)
			}
			check("used")
			shot("used-en")
		})
	}
	var n int
	for r, err := range f.store.Responses(ctx, hub.Filter{SurveyID: "tai-nha"}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if strings.Join(r.Answers["vi_sao"], ",") != "cho,phi" || r.Answers["cb"][0] != "khl" || strings.Contains(r.Answers["gop_y"][0], "345") {
			t.Errorf("stored answers %v", r.Answers)
		}
	}
	if n != 2 {
		t.Errorf("%d responses stored, want 2", n)
	}
}

// TestBrowserSlipFigures shows the dashboard's slip figures in headless
// Chromium at 390×844 and 1280×800: the wide table fits (one block per
// point on a phone), nothing is cut.
func TestBrowserSlipFigures(t *testing.T) {
	f := slipFigureFixture(t)
	f.now = time.Now()
	wd := startBrowser(t, t.TempDir())
	wd.open(f.srv.URL + "/login")
	wd.typeInto("#name", "admin")
	wd.typeInto("#password", "mật khẩu tốt")
	wd.click("#login")
	wd.find("#overall")
	shots := t.TempDir()
	if os.Getenv("HAILONG_SCREENSHOTS") != "" {
		shots = filepath.Join("..", "..", "..", "docs", "screenshots")
	}
	for _, size := range []struct {
		name          string
		width, height int
		mobile        bool
	}{{"390", 390, 844, true}, {"1280", 1280, 800, false}} {
		t.Run(size.name, func(t *testing.T) {
			wd.t = t
			wd.viewport(size.width, size.height, size.mobile)
			wd.open(f.srv.URL + "/dashboard?from=2026-11-01&to=2026-11-30")
			wd.find("#slip-table")
			var problems []string
			wd.script(layoutProblems, &problems)
			for _, p := range problems {
				t.Error(p)
			}
			var rows int
			wd.script(`document.querySelector("#slip-table").scrollIntoView(); return document.querySelectorAll("#slip-table tr").length`, &rows)
			if rows != 5 { // the header, three points, the total
				t.Errorf("slip table has %d rows, want 5", rows)
			}
			wd.screenshot(filepath.Join(shots, "hub-slip-figures-"+size.name+".png"))
		})
	}
}
