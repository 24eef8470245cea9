package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"html"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"github.com/hailong-kiosk/hailong/app/export"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// slipFigureFixture is the dashboard with slip figures over: at Phường Ba
// Đình, 30 slips printed, 20 files, 8 desk slip ratings (6 satisfied), 6
// phone ones (3 satisfied), 4 without a slip and 1 with a used slip; at
// Xã Ba Vì 3 desk slip ratings and Xã Sóc Sơn 4, none satisfied, so that
// both small points are hidden and Ba Đình stays shown.
func slipFigureFixture(t *testing.T) *fixture {
	t.Helper()
	var h *hub.Hub
	f := newFixtureWith(t, func(c *Config) {
		h = c.Slips.(*hub.Hub)
		c.Phone = h
		c.SlipPrints = c.Data.(SlipPrintCounts)
	})
	ctx := context.Background()
	def, err := survey.Parse([]byte(testSurvey))
	if err != nil {
		t.Fatal(err)
	}
	issue := func(point string, n int) []hub.Slip {
		slips, err := h.IssueSlips(ctx, point, n)
		if err != nil {
			t.Fatal(err)
		}
		return slips
	}
	badinh, bavi, socson := issue("Phường Ba Đình", 30), issue("Xã Ba Vì", 3), issue("Xã Sóc Sơn", 4)
	var items []hub.Incoming
	add := func(rs []*survey.Response, slips []hub.Slip) {
		for i, r := range rs {
			in, err := hub.NewIncoming(def, r, []byte("sig"))
			if err != nil {
				t.Fatal(err)
			}
			if slips != nil {
				in.Slip = slips[i].Code.Compact()
			}
			items = append(items, in)
		}
	}
	add(at(1, "Phường Ba Đình", "dev-1", "", 8, 6, day), badinh[:8])
	add(at(2, "Phường Ba Đình", "dev-1", "", 4, 4, day), nil)
	add(at(3, "Phường Ba Đình", "dev-1", "", 1, 1, day), badinh[:1]) // used already: flagged
	add(at(4, "Xã Ba Vì", "dev-2", "", 3, 0, day), bavi)
	add(at(5, "Xã Sóc Sơn", "dev-2", "", 4, 0, day), socson)
	if _, err := f.store.Ingest(ctx, items, day); err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		id, _ := uuid.NewV7()
		code := survey.CodeSatisfied
		if i >= 3 {
			code = survey.CodeNotSatisfied
		}
		r := &survey.Response{ID: id.String(), SurveyID: "nhanh", SurveyVersion: 1, Answers: survey.Answers{"q1": {code}, "q2": {survey.CodeVerySatisfied}},
			StartedAt: day.Add(time.Hour), FinishedAt: day.Add(time.Hour + time.Minute), Lang: "vi", Status: survey.StatusComplete}
		if _, err := h.SubmitWebAnswer(ctx, hub.WebAnswer{Code: badinh[10+i].Code, Response: r}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.store.PutFileCounts(ctx, []hub.FileCount{{Day: "2026-11-23", ServicePoint: "Phường Ba Đình", Files: 20},
		{Day: "2026-11-23", ServicePoint: "Xã Ba Vì", Files: 10}}, day); err != nil {
		t.Fatal(err)
	}
	return f
}

var tagRe = regexp.MustCompile(`<[^>]+>`)

// slipRowOf is the cells of the slip table's row for name, " | " apart.
func slipRowOf(t *testing.T, body, name string) string {
	t.Helper()
	i := strings.Index(body, `id="slip-table"`)
	if i < 0 {
		t.Fatalf("no slip table:\n%s", body)
	}
	body = body[i:]
	start := strings.Index(body, `<td class="name">`+name+`</td>`)
	if start < 0 {
		t.Fatalf("slip table has no row %q", name)
	}
	row := body[start:]
	row = row[:strings.Index(row, "</tr>")]
	var cells []string
	for _, c := range strings.Split(row, "</td>") {
		if c = html.UnescapeString(strings.TrimSpace(tagRe.ReplaceAllString(c, ""))); c != "" {
			cells = append(cells, c)
		}
	}
	return strings.ReplaceAll(strings.Join(cells[1:], " | "), "\u00a0", " ")
}

// TestDashboardSlipFigures reads the slip figures on the dashboard and in
// the XLSX Summary: counts as they are, coverage of slip ratings only,
// the satisfied shares, the 766-equivalent and the gap; the small points
// hidden, their channels with them.
func TestDashboardSlipFigures(t *testing.T) {
	f := slipFigureFixture(t)
	c := f.client(t)
	f.login(t, c, "mật khẩu tốt")
	_, body := get(t, c, f.srv.URL+"/dashboard")
	for name, want := range map[string]string{
		// files, printed, desk, home, without, flagged, coverage, satisfied, 766, desk, home, gap
		"Phường Ba Đình": "20 | 30 | 8 | 6 | 4 | 1 | 70,0 % | 64,3 % | 75,0 % | 75,0 % | 50,0 % | +25,0",
		"Xã Ba Vì":       "10 | 3 | 3 | 0 | 0 | 0 | 30,0 % | < 5 | < 5 | < 5 | chưa có dữ liệu | chưa có dữ liệu",
		"Xã Sóc Sơn":     "chưa ghi | 4 | 4 | 0 | 0 | 0 | — | < 5 | chưa có dữ liệu | < 5 | chưa có dữ liệu | chưa có dữ liệu",
		"Tổng":           "30 | 37 | 15 | 6 | 4 | 1 | 70,0 % | 42,9 % | 60,0 % | 40,0 % | 50,0 % | −10,0",
	} {
		if got := slipRowOf(t, body, name); got != want {
			t.Errorf("%s: %s\n want %s", name, got, want)
		}
	}
	if strings.Contains(body, `id="coverage-table"`) {
		t.Error("the coverage table is shown beside the slip figures")
	}
	// One point chosen: its row, no total.
	_, body = get(t, c, f.srv.URL+"/dashboard?service_point="+"Ph%C6%B0%E1%BB%9Dng+Ba+%C4%90%C3%ACnh")
	if got := slipRowOf(t, body, "Phường Ba Đình"); !strings.HasPrefix(got, "20 | 30 | 8 | 6 | 4 | 1 | 70,0 %") {
		t.Errorf("one point: %s", got)
	}

	resp, err := c.Get(f.srv.URL + "/api/v1/export?format=xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	for _, sheet := range x.GetSheetList() {
		rs, err := x.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, rs...)
	}
	got := map[string]string{}
	in := false
	for _, r := range rows {
		if len(r) > 0 && r[0] == "Phiếu đánh giá một lần: độ phủ và mức hài lòng" {
			in = true
		}
		if in && len(r) > 1 {
			got[r[0]] = strings.Join(r[1:], " | ")
		}
	}
	if !in {
		t.Fatal("XLSX has no slip table")
	}
	for name, want := range map[string]string{
		"Phường Ba Đình": "20 | 30 | 8 | 6 | 4 | 1 | 70.00 | 64.29 | 75.00 | 75.00 | 50.00 | 25.00",
		"Xã Ba Vì":       "10 | 3 | 3 | 0 | 0 | 0 | 30.00 | < 5 | < 5 | < 5 | chưa có dữ liệu | chưa có dữ liệu",
	} {
		if g := got[name]; g != want {
			t.Errorf("XLSX %s: %q\n want %q", name, g, want)
		}
	}

}

// TestExportSlipChannel: every export format says how each response's
// rating came (desk or home with a slip, without, flagged and why), as the
// slip figures count them: the CSV and JSONL codes, the XLSX words.
func TestExportSlipChannel(t *testing.T) {
	f := slipFigureFixture(t)
	c := f.client(t)
	f.login(t, c, "mật khẩu tốt")
	want := map[string]int{export.ChannelDesk: 15, export.ChannelHome: 6, export.ChannelNone: 4, export.ChannelFlaggedReused: 1}
	_, body := get(t, c, f.srv.URL+"/api/v1/export?format=csv")
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col, slip := slices.Index(recs[0], "slip_channel"), slices.Index(recs[0], "with_slip")
	got := map[string]int{}
	for _, r := range recs[1:] {
		got[r[col]]++
		// (The fixture's kiosk responses carry their slip beside the
		// content, which then says nothing of it: with_slip is 0 there.)
		if r[slip] == "1" && r[col] == export.ChannelNone {
			t.Errorf("with_slip %s and slip_channel %s", r[slip], r[col])
		}
	}
	if !maps.Equal(got, want) {
		t.Errorf("CSV slip channels %v, want %v", got, want)
	}
	_, body = get(t, c, f.srv.URL+"/api/v1/export?format=jsonl")
	got = map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(body), "\n") {
		var r struct {
			SlipChannel string `json:"slip_channel"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		got[r.SlipChannel]++
	}
	if !maps.Equal(got, want) {
		t.Errorf("JSONL slip channels %v, want %v", got, want)
	}
	resp, err := c.Get(f.srv.URL + "/api/v1/export?format=xlsx&lang=en")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	x, err := excelize.OpenReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows(export.SheetName(export.SheetResponses, "en"))
	if err != nil {
		t.Fatal(err)
	}
	got = map[string]int{}
	for _, r := range rows[1:] {
		got[r[col]]++
	}
	if w := (map[string]int{"With slip, at the desk": 15, "With slip, at home (phone)": 6, "Without slip": 4, "Flagged: a slip used before": 1}); !maps.Equal(got, w) {
		t.Errorf("XLSX slip channels %v, want %v", got, w)
	}
}
