package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/help"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// helpFixture holds three requests: one open for 20 minutes at Phường Ba
// Đình, one there helped online in 6 minutes, one at Phường Cửa Nam not
// possible (no VNeID account) in 10 minutes.
func helpFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	mk := func(n int, sp string, age time.Duration, o help.Outcome, r help.Reason, took time.Duration) hub.HelpRequest {
		q := hub.HelpRequest{ID: fmt.Sprintf("01938a7e-0000-7000-8000-%012d", 900+n), Source: help.SurveySource("dich-vu-cong", 2),
			Lang: "vi", ServicePoint: sp, DeviceID: "dev-1", CreatedAt: f.now.Add(-age), Outcome: o, Reason: r,
			Content: []byte(fmt.Sprint(n)), Signature: make([]byte, 64)}
		if o != help.Open {
			q.ResolvedAt = q.CreatedAt.Add(took)
		}
		return q
	}
	reqs := []hub.HelpRequest{
		mk(1, "Phường Ba Đình", 20*time.Minute, help.Open, "", 0),
		mk(2, "Phường Ba Đình", time.Hour, help.Helped, "", 6*time.Minute),
		mk(3, "Phường Cửa Nam", 2*time.Hour, help.NotPossible, help.ReasonNoAccount, 10*time.Minute),
	}
	if _, err := f.store.IngestHelp(context.Background(), reqs, f.now); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestHelpPage(t *testing.T) {
	f := helpFixture(t)
	c := f.client(t)
	if resp, _ := get(t, c, f.srv.URL+PathHelp); resp.StatusCode == http.StatusOK {
		t.Fatalf("the help page without login: %d at %s", resp.StatusCode, resp.Request.URL.Path)
	}
	f.login(t, c, "mật khẩu tốt")
	resp, page := get(t, c, f.srv.URL+PathHelp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("help page %d", resp.StatusCode)
	}
	for _, want := range []string{
		`<meta http-equiv="refresh" content="30">`,
		`id="help-requests"`, `<tr class="long"><td class="name">Phường Ba Đình</td>`, "20 phút", "Câu hỏi khảo sát",
		`id="help-figures"`, "Chưa có tài khoản định danh điện tử (VNeID): 1", "6 phút", "10 phút",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("help page lacks %q", want)
		}
	}
	if strings.Count(page, "<tr") != 1+1+1+2 { // two headers, one open row, two figure rows
		t.Errorf("help page has %d rows", strings.Count(page, "<tr"))
	}
	// The dashboard has the figures and the open count.
	_, dash := get(t, c, f.srv.URL+"/dashboard")
	if !strings.Contains(dash, `id="help-figures"`) || !strings.Contains(dash, `id="help-open-count"`) || !strings.Contains(dash, "<strong>1</strong>") {
		t.Error("the dashboard lacks the help figures")
	}
}

func TestHelpJSON(t *testing.T) {
	f := helpFixture(t)
	c := f.client(t)
	f.login(t, c, "mật khẩu tốt")
	resp, body := get(t, c, f.srv.URL+PathHelpJSON)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("help json %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var got struct {
		Open []struct {
			ServicePoint  string `json:"service_point"`
			WaitedMinutes int    `json:"waited_minutes"`
		} `json:"open"`
		Figures []struct {
			ServicePoint string         `json:"service_point"`
			Requests     int            `json:"requests"`
			Helped       int            `json:"helped_online"`
			NotPossible  int            `json:"not_possible"`
			ByReason     map[string]int `json:"not_possible_by_reason"`
			Median       int64          `json:"median_outcome_seconds"`
		} `json:"figures"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Open) != 1 || got.Open[0].WaitedMinutes != 20 || got.Open[0].ServicePoint != "Phường Ba Đình" {
		t.Errorf("open %+v", got.Open)
	}
	if len(got.Figures) != 2 || got.Figures[0].Requests != 2 || got.Figures[0].Helped != 1 || got.Figures[0].Median != 360 ||
		got.Figures[1].NotPossible != 1 || got.Figures[1].ByReason["no_account"] != 1 {
		t.Errorf("figures %+v", got.Figures)
	}
}

func TestHelpPageEmpty(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	f.login(t, c, "mật khẩu tốt")
	_, page := get(t, c, f.srv.URL+PathHelp)
	if !strings.Contains(page, `id="no-help"`) || strings.Contains(page, `id="help-figures"`) {
		t.Error("an empty help page shows rows")
	}
}

// TestHelpInXLSX: the dashboard's XLSX download ends its Summary with the
// help figures per service point.
func TestHelpInXLSX(t *testing.T) {
	f := helpFixture(t)
	c := f.client(t)
	f.login(t, c, "mật khẩu tốt")
	resp, err := c.Get(f.srv.URL + "/api/v1/export?format=xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows("Tổng hợp")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	in := false
	for _, r := range rows {
		if len(r) > 0 && r[0] == "Hỗ trợ dịch vụ công trực tuyến" {
			in = true
		}
		if in && len(r) > 1 && strings.HasPrefix(r[0], "Phường") {
			got = append(got, strings.Join(r, "|"))
		}
	}
	want := []string{"Phường Ba Đình|2|1|1|0||6", "Phường Cửa Nam|1|0|0|1|Chưa có tài khoản định danh điện tử (VNeID): 1|10"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("help rows in the XLSX\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestHelpCSV: the help figures download as CSV from the /help page and
// the dashboard (login), one column per reason, headings in the page's
// language, recorded as an export. The median is "< 5" under 5 resolved
// requests, as every figure resting on fewer; counts are always given.
func TestHelpCSV(t *testing.T) {
	f := helpFixture(t)
	var more []hub.HelpRequest // five resolved at Phường Hàng Bạc: 2, 4, 6, 8, 10 minutes
	for i := range 5 {
		at := f.now.Add(-time.Duration(3+i) * time.Hour)
		q := hub.HelpRequest{ID: fmt.Sprintf("01938a7e-0000-7000-8000-%012d", 950+i), Source: help.SourceWelcome,
			Lang: "vi", ServicePoint: "Phường Hàng Bạc", DeviceID: "dev-2", CreatedAt: at, Outcome: help.Helped,
			ResolvedAt: at.Add(time.Duration(2*(i+1)) * time.Minute), Content: []byte(fmt.Sprint(950 + i)), Signature: make([]byte, 64)}
		if i == 4 {
			q.Outcome, q.Reason = help.NotPossible, help.ReasonPortalDown
		}
		more = append(more, q)
	}
	if _, err := f.store.IngestHelp(context.Background(), more, f.now); err != nil {
		t.Fatal(err)
	}
	c := f.client(t)
	if resp, _ := get(t, c, f.srv.URL+PathHelpCSV); resp.StatusCode == http.StatusOK {
		t.Fatal("the help figures download without login")
	}
	f.login(t, c, "mật khẩu tốt")
	for _, page := range []string{PathHelp, "/dashboard"} {
		if _, body := get(t, c, f.srv.URL+page); !strings.Contains(body, `<a class="button alt" id="help-csv" href="/help.csv">Tải số liệu (CSV)</a>`) {
			t.Errorf("%s has no link to the CSV", page)
		}
	}
	resp, body := get(t, c, f.srv.URL+PathHelpCSV)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		resp.Header.Get("Content-Disposition") != `attachment; filename="ho-tro-truc-tuyen-`+f.now.In(survey.Location()).Format("2006-01-02")+`.csv"` {
		t.Fatalf("csv %d %v", resp.StatusCode, resp.Header)
	}
	want := "\ufeffĐiểm phục vụ,Yêu cầu,Đang chờ,Đã nộp trực tuyến,Không thực hiện được," +
		"Không thực hiện được: Thủ tục chưa có dịch vụ trực tuyến,Không thực hiện được: Chưa có tài khoản định danh điện tử (VNeID)," +
		"Không thực hiện được: Thiếu giấy tờ hoặc bản điện tử,Không thực hiện được: Cổng dịch vụ công hoặc mạng bị lỗi," +
		"Không thực hiện được: Người dân muốn nộp trực tiếp,Không thực hiện được: Người dân đã rời đi trước khi cán bộ đến," +
		"Không thực hiện được: Lý do khác,\"Thời gian đến kết quả, trung vị (phút)\"\n" +
		"Phường Ba Đình,2,1,1,0,0,0,0,0,0,0,0,< 5\n" +
		"Phường Cửa Nam,1,0,0,1,0,1,0,0,0,0,0,< 5\n" +
		"Phường Hàng Bạc,5,0,4,1,0,0,0,1,0,0,0,6\n"
	if body != want {
		t.Errorf("csv:\n%s\nwant:\n%s", body, want)
	}
	if n := len(auditOf(t, f, hub.AuditExport)); n != 1 {
		t.Fatalf("%d exports in the audit log, want 1", n)
	}
	if d := auditOf(t, f, hub.AuditExport)[0].Details; d != "format=csv&report=help" {
		t.Errorf("audit details %q", d)
	}
	_, en := get(t, c, f.srv.URL+PathHelpCSV+"?lang=en")
	if !strings.HasPrefix(en, "\ufeffService point,Requests,Waiting,Filed online,Not possible,Not possible: The procedure") ||
		!strings.Contains(en, "\"Time to outcome, median (minutes)\"\n") {
		t.Errorf("csv in English:\n%s", en)
	}
}
