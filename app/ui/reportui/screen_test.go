package reportui

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"iter"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"github.com/hailong-kiosk/hailong/app/export"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// now is the tests' clock: 25 Nov 2026, 15:00 in Hà Nội.
var now = time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)

// fixture is a real store holding, for the built-in quick survey: 6
// complete responses today (5 satisfied on the first question, 1 not), 3
// yesterday, 1 abandoned and 1 flagged today.
type fixture struct {
	st      *store.Store
	builtin []*survey.Survey
	dir     string
	first   string // the first rating question's code
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	builtin, err := survey.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var s *survey.Survey
	for _, b := range builtin {
		if b.ID == "mot-cua-nhanh" {
			s = b
		}
	}
	f := &fixture{builtin: builtin, dir: t.TempDir()}
	for _, q := range s.Questions {
		if q.Type.IsRating() {
			f.first = q.Code
			break
		}
	}
	f.st, err = store.Open(context.Background(), filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.st.Close() })
	add := func(at time.Time, code string, mod func(*survey.Response)) {
		id, _ := uuid.NewV7()
		r := &survey.Response{ID: id.String(), SurveyID: s.ID, SurveyVersion: s.Version,
			Answers:   survey.Answers{f.first: {code}},
			StartedAt: at, FinishedAt: at.Add(20 * time.Second), ServicePoint: "Phường Ba Đình",
			DeviceID: "kiosk-01", Lang: "vi", Status: survey.StatusComplete}
		if mod != nil {
			mod(r)
		}
		if err := f.st.SaveResponse(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 6 {
		code := survey.CodeSatisfied
		if i == 5 {
			code = survey.CodeNotSatisfied
		}
		add(now.Add(-time.Duration(i+1)*time.Minute), code, nil)
	}
	for i := range 3 {
		add(now.Add(-24*time.Hour-time.Duration(i)*time.Minute), survey.CodeVerySatisfied, nil)
	}
	add(now.Add(-30*time.Minute), survey.CodeNotSatisfied, func(r *survey.Response) { r.Status = survey.StatusAbandoned })
	add(now.Add(-40*time.Minute), survey.CodeNotSatisfied, func(r *survey.Response) { r.Misuse = true })
	return f
}

func (f *fixture) deps(lang string) Deps {
	return Deps{
		Store: f.st, Builtin: f.builtin, Lang: lang,
		ServicePoint: func() string { return "Phường Ba Đình" },
		DeviceName:   func() string { return "Ki-ốt quầy 1" },
		Now:          func() time.Time { return now },
		ChooseFolder: func(_ fyne.Window, done func(string)) { done(f.dir) },
		Go:           func(fn func()) { fn() },
		Log:          slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

func TestTabs(t *testing.T) {
	test.NewTempApp(t)
	f := newFixture(t)
	for lang, want := range map[string][2]string{"vi": {"Xuất dữ liệu", "Thống kê"}, "en": {"Export data", "Statistics"}} {
		tabs, err := Tabs(context.Background(), f.deps(lang))
		if err != nil {
			t.Fatal(err)
		}
		if len(tabs) != 2 || tabs[0].Title != want[0] || tabs[1].Title != want[1] {
			t.Errorf("%s tabs = %+v", lang, tabs)
		}
		w := test.NewWindow(nil)
		for _, tab := range tabs {
			if tab.Content(w) == nil {
				t.Errorf("%s: no content", tab.Title)
			}
		}
		w.Close()
	}
}

func TestExportTab(t *testing.T) {
	test.NewTempApp(t)
	f := newFixture(t)
	w := test.NewWindow(nil)
	defer w.Close()
	e := NewExport(context.Background(), f.deps("vi"), w)
	w.SetContent(e.Content())

	// the default is this month, as dd/mm/yyyy
	if e.From.Text != "01/11/2026" || e.To.Text != "25/11/2026" {
		t.Errorf("default days = %q–%q", e.From.Text, e.To.Text)
	}
	test.Tap(e.Presets[presetToday])
	if e.From.Text != "25/11/2026" || e.To.Text != "25/11/2026" {
		t.Errorf("today = %q–%q", e.From.Text, e.To.Text)
	}
	e.Format.SetSelected("CSV (.csv)")
	test.Tap(e.Run)
	want := filepath.Join(f.dir, "hailong-phuong-ba-dinh-2026-11-25-2026-11-25.csv")
	if got := e.Message.Text; got != "Đã xuất 8 phiếu vào tệp "+want || e.Message.Importance != widget.SuccessImportance {
		t.Errorf("message = %q (%v)", got, e.Message.Importance)
	}
	if e.Progress.Visible() || e.Run.Disabled() {
		t.Error("progress still shown or button still disabled")
	}
	data, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte(export.BOM)))).ReadAll()
	if err != nil || len(recs) != 9 || recs[1][3] != "Phường Ba Đình" {
		t.Errorf("csv: %d records, %v", len(recs), err)
	}
	for _, r := range recs[1:] {
		if r[5] != "Ki-ốt quầy 1" {
			t.Errorf("csv: device_name %q (header %q)", r[5], recs[0][5])
		}
	}

	// a second export does not overwrite the first; complete only; XLSX with labels
	test.Tap(e.CompleteOnly)
	test.Tap(e.Labels)
	e.Format.SetSelected("Excel (.xlsx)")
	test.Tap(e.Run)
	want2 := filepath.Join(f.dir, "hailong-phuong-ba-dinh-2026-11-25-2026-11-25.xlsx")
	if !strings.Contains(e.Message.Text, "Đã xuất 7 phiếu") {
		t.Errorf("message = %q", e.Message.Text)
	}
	x, err := excelize.OpenFile(want2)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows(export.SheetName(export.SheetResponses, "vi"))
	x.Close()
	if len(rows) != 8 || !strings.HasSuffix(rows[0][17], export.LabelSuffix+"]") { // 16 fixed columns, the first question, its label
		t.Errorf("xlsx rows = %d, header %q", len(rows), rows[0])
	}
	e.Format.SetSelected("CSV (.csv)")
	test.Tap(e.Run)
	if _, err := os.Stat(filepath.Join(f.dir, "hailong-phuong-ba-dinh-2026-11-25-2026-11-25-2.csv")); err != nil {
		t.Errorf("second csv: %v", err)
	}
}

func TestExportTabInputErrors(t *testing.T) {
	test.NewTempApp(t)
	f := newFixture(t)
	w := test.NewWindow(nil)
	defer w.Close()
	asked := 0
	d := f.deps("vi")
	d.ChooseFolder = func(_ fyne.Window, done func(string)) { asked++; done(f.dir) }
	e := NewExport(context.Background(), d, w)
	tests := []struct{ from, to, want string }{
		{"31/02/2026", "", `Ngày "31/02/2026" không hợp lệ. Hãy nhập theo dạng ngày/tháng/năm, ví dụ 25/11/2026.`},
		{"", "hôm qua", `Ngày "hôm qua" không hợp lệ. Hãy nhập theo dạng ngày/tháng/năm, ví dụ 25/11/2026.`},
		{"25/11/2026", "01/11/2026", `"Từ ngày" đang sau "Đến ngày". Hãy sửa lại khoảng ngày.`},
	}
	for _, tt := range tests {
		e.From.SetText("")
		e.To.SetText("")
		test.Type(e.From, tt.from)
		test.Type(e.To, tt.to)
		test.Tap(e.Run)
		if e.Message.Text != tt.want || e.Message.Importance != widget.DangerImportance {
			t.Errorf("%q–%q: message %q", tt.from, tt.to, e.Message.Text)
		}
	}
	if asked != 0 {
		t.Errorf("folder asked %d times for a bad form", asked)
	}
	if es, _ := os.ReadDir(f.dir); len(es) != 0 {
		t.Errorf("files written: %v", es)
	}
}

// failing wraps a store and fails its response stream after n responses.
type failing struct {
	Store
	n int
}

func (s failing) Responses(ctx context.Context, f store.Filter) iter.Seq2[*survey.Response, error] {
	return s.fail(s.Store.Responses(ctx, f))
}

func (s failing) BorrowResponses(ctx context.Context, f store.Filter) iter.Seq2[*survey.Response, error] {
	return s.fail(s.Store.BorrowResponses(ctx, f))
}

// fail yields rows' first n rows, then an error.
func (s failing) fail(rows iter.Seq2[*survey.Response, error]) iter.Seq2[*survey.Response, error] {
	return func(yield func(*survey.Response, error) bool) {
		i := 0
		for r, err := range rows {
			if i == s.n {
				yield(nil, errors.New("disk I/O error"))
				return
			}
			i++
			if !yield(r, err) {
				return
			}
		}
	}
}

func TestExportTabErrors(t *testing.T) {
	test.NewTempApp(t)
	f := newFixture(t)
	w := test.NewWindow(nil)
	defer w.Close()

	// the folder is gone (stick pulled out before writing)
	d := f.deps("vi")
	d.ChooseFolder = func(_ fyne.Window, done func(string)) { done(filepath.Join(f.dir, "gone")) }
	e := NewExport(context.Background(), d, w)
	test.Tap(e.Run)
	if want := "Không tìm thấy thư mục đã chọn (USB có thể đã bị rút ra). Hãy cắm lại USB và chọn lại thư mục."; e.Message.Text != want {
		t.Errorf("message = %q", e.Message.Text)
	}

	// the store fails midway: nothing is left in the folder
	d = f.deps("en")
	d.Store = failing{Store: f.st, n: 3}
	e = NewExport(context.Background(), d, w)
	test.Tap(e.Run)
	if !strings.HasPrefix(e.Message.Text, "The survey data on this kiosk could not be read.") || e.Message.Importance != widget.DangerImportance {
		t.Errorf("message = %q", e.Message.Text)
	}
	if es, _ := os.ReadDir(f.dir); len(es) != 0 {
		t.Errorf("half-written file left: %v", es)
	}
	if !e.Run.Disabled() && e.Progress.Visible() {
		t.Error("progress still shown")
	}
}

func TestErrorTexts(t *testing.T) {
	test.NewTempApp(t)
	e := NewExport(context.Background(), Deps{Lang: "vi"}, test.NewWindow(nil))
	tests := []struct {
		kind error
		want string
	}{
		{export.ErrDiskFull, "report.error.disk_full"},
		{export.ErrReadOnly, "report.error.read_only"},
		{export.ErrDeviceGone, "report.error.device_gone"},
		{export.ErrNoFolder, "report.error.no_folder"},
		{export.ErrPermission, "report.error.permission"},
		{export.ErrSource, "report.error.read"},
		{errors.New("?"), "report.error.other"},
	}
	for _, tt := range tests {
		err := &export.FileError{Op: "write", Path: "/media/usb/x.csv", Kind: tt.kind, Err: errors.New("cause")}
		if got, want := e.errorText(err), e.tr.T(tt.want); got != want || got == tt.want {
			t.Errorf("%v: %q, want %q", tt.kind, got, want)
		}
	}
}

func TestStatsTab(t *testing.T) {
	test.NewTempApp(t)
	f := newFixture(t)
	s := NewStats(context.Background(), f.deps("vi"))
	w := test.NewWindow(s.Content())
	defer w.Close()
	w.Resize(fyne.NewSize(900, 900))

	// last 30 days: 9 complete unflagged responses, 8 satisfied
	rep := s.Report
	if rep == nil {
		t.Fatalf("no report; status %q", s.Status.Text)
	}
	if rep.Totals.Responses != 11 || rep.Totals.Abandoned != 1 || rep.Totals.Flagged != 1 || rep.Totals.Counted != 9 {
		t.Errorf("totals = %+v", rep.Totals)
	}
	if want := "Chỉ số hài lòng chung: 88,9 % (trên 9 phiếu)"; s.Index.Text != want {
		t.Errorf("index = %q, want %q", s.Index.Text, want)
	}
	if want := "Tổng số phiếu: 11 · Hoàn thành: 10 · Bỏ dở: 1 · Bị gắn cờ nghi ngờ: 1"; s.Counts.Text != want {
		t.Errorf("counts = %q", s.Counts.Text)
	}
	if len(s.Bars) == 0 || s.Bars[0].Text.Text != "88,9 % · 9 phiếu" || s.Bars[0].Muted {
		t.Fatalf("first bar = %+v", s.Bars)
	}
	if got := s.Bars[0].Frac; got < 0.888 || got > 0.89 {
		t.Errorf("bar fill = %v", got)
	}
	// the quick survey's 3 rating questions, then its 2 SIPAS elements: the
	// first question feeds "công chức"; the rest have no answers: no data
	if len(s.Bars) != 5 {
		t.Fatalf("%d bars, want 5", len(s.Bars))
	}
	for i, b := range s.Bars {
		if i == 0 || i == 3 {
			if b.Muted || b.Text.Text != "88,9 % · 9 phiếu" {
				t.Errorf("bar %d = %q, want 88,9 %%", i, b.Text.Text)
			}
			continue
		}
		if !b.Muted || b.Text.Text != "chưa có dữ liệu" || b.Frac != 0 {
			t.Errorf("bar %d %q not shown as no data", i, b.Text.Text)
		}
	}
	// yesterday had 3 responses: its point is suppressed; today has 6, but
	// shown it would give yesterday away (total − today): hidden too
	if len(rep.Days) != 2 || !rep.Days[0].Index.Suppressed || !rep.Days[1].Index.Secondary {
		t.Errorf("days = %+v", rep.Days)
	}

	// "Tháng trước" has nothing
	s.Range.SetSelected("Tháng trước")
	if s.Report.Totals.Responses != 0 {
		t.Errorf("last month totals = %+v", s.Report.Totals)
	}
	if s.Index.Text != "Chỉ số hài lòng chung: chưa có dữ liệu" {
		t.Errorf("index = %q", s.Index.Text)
	}
	if len(s.Bars) != 0 {
		t.Errorf("%d bars for no data", len(s.Bars))
	}
}

func TestStatsTabError(t *testing.T) {
	test.NewTempApp(t)
	f := newFixture(t)
	d := f.deps("vi")
	d.Store = failing{Store: f.st, n: 2}
	s := NewStats(context.Background(), d)
	if s.Report != nil || s.Status.Importance != widget.DangerImportance || !strings.HasPrefix(s.Status.Text, "Không tính được số liệu") {
		t.Errorf("status = %q, report %v", s.Status.Text, s.Report)
	}
	if s.Refresh.Disabled() {
		t.Error("refresh left disabled")
	}
}
