package web

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/slip"
)

// slipPrints returns the audit entries of print runs.
func slipPrints(t *testing.T, f *fixture) []hub.AuditEntry {
	t.Helper()
	var out []hub.AuditEntry
	for e, err := range f.store.AuditLog(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if e.Action == hub.AuditSlipsPrint {
			out = append(out, e)
		}
	}
	return out
}

// TestPrintSlips prints a run from the dashboard over HTTP: the button is
// on the dashboard, bad forms are refused in Vietnamese with nothing
// stored, a good one downloads a PDF whose codes are stored for the point,
// and the run is in the audit log under the admin's name.
func TestPrintSlips(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	if resp, _ := get(t, c, f.srv.URL+"/slips"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("slips page without login: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	f.login(t, c, "mật khẩu tốt")
	if _, body := get(t, c, f.srv.URL+"/dashboard"); !strings.Contains(body, `id="slips-link" href="/slips"`) {
		t.Fatal("the dashboard has no slips button for an admin")
	}
	resp, page := get(t, c, f.srv.URL+"/slips")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `<option value="Phường Ba Đình">`) || !strings.Contains(page, "In phiếu đánh giá") {
		t.Fatalf("slips page: %d\n%s", resp.StatusCode, page)
	}
	csrf := csrfOf(t, page)
	printRun := func(csrf, point, count string) (*http.Response, string) {
		return post(t, c, f.srv.URL+"/slips/print", url.Values{"csrf": {csrf}, "service_point": {point}, "count": {count}})
	}
	if resp, _ := printRun("sai", "Phường Ba Đình", "3"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("bad CSRF: %d", resp.StatusCode)
	}
	for _, bad := range []struct{ point, count, msg string }{
		{"  ", "3", "Hãy nhập điểm phục vụ sẽ phát phiếu."},
		{"Phường\x07Ba Đình", "3", "Tên điểm phục vụ không hợp lệ"},
		{"Phường Ba Đình", "ba", "Số phiếu “ba” phải là một số nguyên từ 1 đến 2000."},
		{"Phường Ba Đình", "0", "phải là một số nguyên từ 1 đến 2000"},
		{"Phường Ba Đình", "2001", "phải là một số nguyên từ 1 đến 2000"},
	} {
		resp, body := printRun(csrf, bad.point, bad.count)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, bad.msg) || !strings.Contains(body, `value="`+bad.count+`"`) {
			t.Errorf("%+v: %d, want 400 saying %q with the count kept\n%s", bad, resp.StatusCode, bad.msg, body)
		}
	}
	if got := slipPrints(t, f); len(got) != 0 {
		t.Fatalf("refused forms printed: %v", got)
	}

	resp, pdf := printRun(csrf, "Phường Ba Đình", "3")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), `attachment; filename="phieu-danh-gia-`) || !strings.HasPrefix(pdf, "%PDF-") {
		t.Fatalf("print: %d %v", resp.StatusCode, resp.Header)
	}
	prints := slipPrints(t, f)
	if len(prints) != 1 || prints[0].Actor != "admin" || !strings.Contains(prints[0].Details, "count=3") {
		t.Fatalf("audit entries %+v, want one print run of 3 by admin", prints)
	}
	needPdftotext(t)
	path := filepath.Join(t.TempDir(), "slips.pdf")
	if err := os.WriteFile(path, []byte(pdf), 0o644); err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	codes := regexp.MustCompile(`\b[0-9A-Z]{5}-[0-9A-Z]{5}\b`).FindAllString(string(text), -1)
	if len(codes) != 3 {
		t.Fatalf("PDF shows %d codes, want 3:\n%s", len(codes), text)
	}
	for _, s := range codes {
		code, err := slip.ParseCode(s)
		if err != nil {
			t.Fatal(err)
		}
		sl, err := f.store.Slip(context.Background(), code)
		if err != nil || sl.ServicePoint != "Phường Ba Đình" || !strings.Contains(prints[0].Details, url.QueryEscape(sl.BatchID)) {
			t.Errorf("printed %s: stored %+v, %v", s, sl, err)
		}
	}
}

// TestViewerCannotPrintSlips: a viewer sees no button and is refused the
// page and the action; nothing is stored.
func TestViewerCannotPrintSlips(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.store.PutAdminAs(ctx, "xem", adminHash(t, "mật khẩu người xem"), hub.RoleViewer, time.Now()); err != nil {
		t.Fatal(err)
	}
	c := f.client(t)
	_, page := get(t, c, f.srv.URL+"/login")
	post(t, c, f.srv.URL+"/login", url.Values{"csrf": {csrfOf(t, page)}, "name": {"xem"}, "password": {"mật khẩu người xem"}})
	_, body := get(t, c, f.srv.URL+"/dashboard")
	if strings.Contains(body, "slips-link") {
		t.Error("a viewer sees the slips button")
	}
	if resp, _ := get(t, c, f.srv.URL+"/slips"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("viewer slips page: %d", resp.StatusCode)
	}
	resp, _ := post(t, c, f.srv.URL+"/slips/print", url.Values{"csrf": {csrfOf(t, body)}, "service_point": {"Phường Ba Đình"}, "count": {"3"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("viewer print: %d", resp.StatusCode)
	}
	if got := slipPrints(t, f); len(got) != 0 {
		t.Fatalf("a viewer printed: %v", got)
	}
	if resp, _ := get(t, c, f.srv.URL+"/slips/print"); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /slips/print: %d, want 405", resp.StatusCode)
	}
}

// TestBrowserSlipsPageAtPhoneAndDesktopWidth opens the slips page at 390
// and 1280 px: nothing scrolls sideways or is cut.
func TestBrowserSlipsPageAtPhoneAndDesktopWidth(t *testing.T) {
	f := newFixture(t)
	wd := startBrowser(t, t.TempDir())
	wd.viewport(1280, 900, false)
	wd.open(f.srv.URL + "/login")
	wd.typeInto("#name", "admin")
	wd.typeInto("#password", "mật khẩu tốt")
	wd.click("#login")
	wd.find("#overall")
	for _, size := range []struct {
		name          string
		width, height int
		mobile        bool
	}{{"390", 390, 844, true}, {"1280", 1280, 800, false}} {
		t.Run(size.name, func(t *testing.T) {
			wd.t = t
			wd.viewport(size.width, size.height, size.mobile)
			wd.open(f.srv.URL + "/slips")
			wd.find("#slips-form")
			var problems []string
			wd.script(layoutProblems, &problems)
			for _, p := range problems {
				t.Error(p)
			}
			shot := filepath.Join(t.TempDir(), "hub-slips-"+size.name+".png")
			if os.Getenv("HAILONG_SCREENSHOTS") != "" {
				shot = filepath.Join("..", "..", "..", "docs", "screenshots", "hub-slips-"+size.name+".png")
			}
			wd.screenshot(shot)
		})
	}
}

// needPdftotext skips the test without pdftotext, or fails it under `make
// test` (HAILONG_REQUIRE_POPPLER set), which installs it.
func needPdftotext(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("HAILONG_REQUIRE_POPPLER") != "" {
			t.Fatal("pdftotext not installed (apt-get install poppler-utils)")
		}
		t.Skip("pdftotext not installed (poppler-utils); `make test` installs it")
	}
}

// TestDashboardSlipCounts: the slip figures' line counts the period's
// ratings with a first-used slip, without one, and flagged (a code the
// hub never printed, a slip used before), for the chosen service point.
func TestDashboardSlipCounts(t *testing.T) {
	f := newFixtureWith(t, func(c *Config) { c.SlipPrints = c.Data.(SlipPrintCounts) })
	ctx := context.Background()
	printed, err := hub.NewSlipBatch("Phường Ba Đình", 2, day, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.IssueSlips(ctx, printed); err != nil {
		t.Fatal(err)
	}
	def, err := survey.Parse([]byte(testSurvey))
	if err != nil {
		t.Fatal(err)
	}
	never, _ := slip.New(strings.NewReader("zzzzzz"))
	a, b := printed[0].Code.Compact(), printed[1].Code.Compact()
	slips := []string{a, a, b, never.Compact(), "", "", ""} // first, reused, first, unknown, three without
	rs := append(at(1, "Phường Ba Đình", "dev-1", "", len(slips), 4, day), at(2, "Xã Ba Vì", "dev-2", "", 2, 1, day)...)
	var items []hub.Incoming
	for i, r := range rs {
		in, err := hub.NewIncoming(def, r, []byte("sig"))
		if err != nil {
			t.Fatal(err)
		}
		if i < len(slips) {
			in.Slip = slips[i]
		}
		items = append(items, in)
	}
	if _, err := f.store.Ingest(ctx, items, day); err != nil {
		t.Fatal(err)
	}
	c := f.client(t)
	f.login(t, c, "mật khẩu tốt")
	for _, tt := range []struct{ query, want string }{
		{"from=2026-11-23&to=2026-11-23", "<strong>2</strong> lượt đánh giá có phiếu hợp lệ · <strong>5</strong> lượt không có phiếu · <strong>2</strong> lượt bị gắn cờ (1 mã không do máy chủ in, 1 phiếu đã dùng trước đó, 0 phiếu in cho điểm phục vụ khác)"},
		{"from=2026-11-23&to=2026-11-23&service_point=" + url.QueryEscape("Xã Ba Vì"), "<strong>0</strong> lượt đánh giá có phiếu hợp lệ · <strong>2</strong> lượt không có phiếu · <strong>0</strong> lượt bị gắn cờ"},
	} {
		resp, body := get(t, c, f.srv.URL+"/dashboard?"+tt.query)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, tt.want) {
			i := strings.Index(body, `id="slip-counts"`)
			t.Errorf("dashboard?%s: %d, want %q; line: %.400s", tt.query, resp.StatusCode, tt.want, body[max(i, 0):])
		}
	}
}

var slipLineRe = regexp.MustCompile(`<strong>(\d+)</strong> lượt đánh giá có phiếu hợp lệ · <strong>(\d+)</strong> lượt không có phiếu · ` +
	`<strong>(\d+)</strong> lượt bị gắn cờ \((\d+) mã không do máy chủ in, (\d+) phiếu đã dùng trước đó, (\d+) phiếu in cho điểm phục vụ khác`)

// TestDashboardSlipLineAgreesWithTable: on random responses (points,
// days, abandoned, misuse, unrated, at a kiosk or on the phone, every
// kind of slip), the line's counts are the slip table's (its total, or
// the chosen point's row), the flagged ones split by reason add up; and
// after a purge of every response, line and table are unchanged.
func TestDashboardSlipLineAgreesWithTable(t *testing.T) {
	f := newFixtureWith(t, func(c *Config) { c.SlipPrints = c.Data.(SlipPrintCounts) })
	ctx := context.Background()
	def, err := survey.Parse([]byte(testSurvey))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(15, 20))
	points := []string{"Phường Ba Đình", "Xã Ba Vì", "Phường Tây Hồ"}
	fresh := map[string][]string{}
	var printed []string
	for _, p := range points {
		slips, err := hub.NewSlipBatch(p, 80, day, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.store.IssueSlips(ctx, slips); err != nil {
			t.Fatal(err)
		}
		for _, sl := range slips {
			fresh[p] = append(fresh[p], sl.Code.Compact())
			printed = append(printed, sl.Code.Compact())
		}
	}
	codes := []string{survey.CodeSatisfied, survey.CodeNotSatisfied, survey.CodeVerySatisfied}
	var items []hub.Incoming
	for i := range 400 {
		start := day.Add(time.Duration(rng.IntN(5*24*60)) * time.Minute)
		r := response(fmt.Sprintf("0190a5c0-0000-7000-8000-%012d", 900000+i), start, survey.Answers{})
		r.ServicePoint, r.DeviceID = points[rng.IntN(len(points))], []string{"dev-1", "dev-2"}[rng.IntN(2)]
		if rng.IntN(3) != 0 {
			r.Answers["q1"] = []string{codes[rng.IntN(2)]}
		}
		if rng.IntN(3) != 0 {
			r.Answers["q2"] = []string{codes[rng.IntN(3)]}
		}
		if rng.IntN(8) == 0 {
			r.Status = survey.StatusAbandoned
		}
		if rng.IntN(10) == 0 {
			r.Misuse = true
		}
		in, err := hub.NewIncoming(def, r, []byte("sig"))
		if err != nil {
			t.Fatal(err)
		}
		switch k := rng.IntN(10); {
		case k < 3: // no slip
		case k < 7: // a fresh slip of its point, at a kiosk or on the phone
			if fr := fresh[r.ServicePoint]; len(fr) > 0 {
				in.Slip, fresh[r.ServicePoint] = fr[0], fr[1:]
			}
			if rng.IntN(3) == 0 {
				r.DeviceID = hub.WebDeviceID
			}
		case k < 9: // any printed slip: used already, or another point's
			in.Slip = printed[rng.IntN(len(printed))]
		default:
			in.Slip = "ZZZZZZZZZZ"
		}
		items = append(items, in)
	}
	for b := 0; b < len(items); b += 100 {
		if _, err := f.store.Ingest(ctx, items[b:b+100], day); err != nil {
			t.Fatal(err)
		}
	}
	c := f.client(t)
	f.login(t, c, "mật khẩu tốt")
	views := []struct{ query, row string }{
		{"", "Tổng"},
		{"from=2026-11-24&to=2026-11-26", "Tổng"},
		{"service_point=" + url.QueryEscape("Xã Ba Vì"), "Xã Ba Vì"},
		{"device=dev-2&from=2026-11-23&to=2026-11-25", "Tổng"},
	}
	read := func() []string {
		var out []string
		for _, v := range views {
			resp, body := get(t, c, f.srv.URL+"/dashboard?"+v.query)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("dashboard?%s: %s", v.query, resp.Status)
			}
			m := slipLineRe.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("dashboard?%s: no slip line", v.query)
			}
			n := make([]int, len(m)-1)
			for i := range n {
				n[i], _ = strconv.Atoi(m[i+1])
			}
			// files | printed | desk | home | without | flagged | ...
			cells := strings.Split(slipRowOf(t, body, v.row), " | ")
			desk, _ := strconv.Atoi(cells[2])
			home, _ := strconv.Atoi(cells[3])
			without, _ := strconv.Atoi(cells[4])
			flagged, _ := strconv.Atoi(cells[5])
			if n[0] != desk+home || n[1] != without || n[2] != flagged || n[3]+n[4]+n[5] != flagged {
				t.Errorf("dashboard?%s: line %v, table row %v", v.query, n, cells[:6])
			}
			if n[3] == 0 || n[4] == 0 || n[0] == 0 {
				t.Errorf("dashboard?%s: line %v misses a case of the test data", v.query, n)
			}
			out = append(out, m[0]+" / "+strings.Join(cells, " | "))
		}
		return out
	}
	before := read()
	res, err := f.store.Purge(ctx, hub.PurgeRequest{ResponsesBefore: day.AddDate(0, 1, 0),
		Entry: hub.NewAuditEntry(day.AddDate(0, 1, 0), "cli:root", hub.AuditPurge, "local", nil)})
	if err != nil || res.Responses != int64(len(items)) {
		t.Fatalf("purge: %+v, %v; want %d responses purged", res, err, len(items))
	}
	if after := read(); !slices.Equal(after, before) {
		t.Errorf("after the purge:\n%s\nbefore:\n%s", strings.Join(after, "\n"), strings.Join(before, "\n"))
	}
}
