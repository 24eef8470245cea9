package shots_test

import (
	"context"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/ui"
	"github.com/hailong-kiosk/hailong/app/ui/internal/shot"
	"github.com/hailong-kiosk/hailong/app/ui/reportui"
)

// now is the screenshots' clock: 25 Nov 2026, 15:00 in Hà Nội.
var now = time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)

// saveResponses fills st with two weeks of answers to the built-in SIPAS
// survey: about 25 a day, one quiet day with 3 (suppressed on the chart),
// a few abandoned and flagged.
func saveResponses(t *testing.T, st *store.Store, s *survey.Survey) int {
	t.Helper()
	codes := []string{"rhl", "hl", "hl", "rhl", "bt", "hl", "khl", "rhl", "hl", "rkhl"}
	n := 0
	seed := uint32(7)
	rnd := func(k int) int { seed = seed*1664525 + 1013904223; return int(seed>>16) % k }
	for day := 13; day >= 0; day-- {
		count := 20 + rnd(12)
		if day == 5 {
			count = 3
		}
		for i := range count {
			at := now.Add(-time.Duration(day)*24*time.Hour - time.Duration(i)*7*time.Minute)
			a := survey.Answers{}
			for _, q := range s.Questions {
				switch {
				case q.Type.IsRating():
					c := codes[rnd(len(codes))]
					if day < 4 && c == "khl" { // the last days got better
						c = "hl"
					}
					a[q.Code] = []string{c}
				case q.Type == survey.Comment && rnd(8) == 0:
					a[q.Code] = []string{"Cán bộ hướng dẫn tận tình."}
				}
			}
			id, _ := uuid.NewV7()
			r := &survey.Response{ID: id.String(), SurveyID: s.ID, SurveyVersion: s.Version, Answers: a,
				StartedAt: at, FinishedAt: at.Add(90 * time.Second), ServicePoint: "Phường Ba Đình",
				DeviceID: "kiosk-01", Lang: "vi", Status: survey.StatusComplete}
			if rnd(15) == 0 {
				r.Status = survey.StatusAbandoned
			} else if rnd(30) == 0 {
				r.Misuse, r.MisuseReason = true, "quick-repeat"
			}
			if err := st.SaveResponse(context.Background(), r); err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	return n
}

// TestScreenshots captures the export and statistics tabs in Vietnamese and
// English, at the kiosk's window size and with the kiosk's theme.
func TestScreenshots(t *testing.T) {
	if shotApp == nil {
		t.Skip("set HAILONG_SCREENSHOTS=1 and run under xvfb-run")
	}
	out := shot.Dir(t)
	ctx := context.Background()
	builtin, err := survey.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var sipas *survey.Survey
	for _, s := range builtin {
		if s.ID == "sipas" {
			sipas = s
		}
	}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	saveResponses(t, st, sipas)
	usb := filepath.Join(os.TempDir(), "hailong-usb")
	os.RemoveAll(usb)
	if err := os.MkdirAll(usb, 0o755); err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(usb)

	var w fyne.Window
	fyne.DoAndWait(func() {
		shotApp.Settings().SetTheme(ui.Theme())
		w = shotApp.NewWindow("Hài Lòng")
		w.SetContent(widget.NewLabel("…"))
		w.Resize(fyne.NewSize(1280, 800))
		w.Show()
	})
	var prev image.Image
	snap := func(name, lang string) {
		t.Helper()
		img := shot.WaitPainted(t, prev, 15*time.Second, 1)
		prev = img
		if img == nil {
			t.Fatalf("%s: nothing painted", name)
		}
		shot.Save(t, out, "report-"+name+"-"+lang+".png", img)
	}
	// waitText waits until read (run on the UI goroutine) contains want.
	waitText := func(read func() string, want string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		var got string
		for time.Now().Before(deadline) {
			fyne.DoAndWait(func() { got = read() })
			if strings.Contains(got, want) {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("waited for %q, have %q", want, got)
	}

	for _, lang := range []string{"vi", "en"} {
		folder := usb
		d := reportui.Deps{
			Store: st, Builtin: builtin, Lang: lang,
			ServicePoint: func() string { return "Phường Ba Đình" },
			Now:          func() time.Time { return now },
			ChooseFolder: func(_ fyne.Window, done func(string)) { done(folder) },
		}
		tabs, err := reportui.Tabs(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		var e *reportui.Export
		var s *reportui.Stats
		var at *container.AppTabs
		fyne.DoAndWait(func() {
			e = reportui.NewExport(ctx, d, w)
			s = reportui.NewStats(ctx, d)
			at = container.NewAppTabs(
				container.NewTabItem(tabs[0].Title, e.Content()),
				container.NewTabItem(tabs[1].Title, s.Content()))
			w.SetContent(at)
		})

		// The form as it opens.
		snap("export-form", lang)
		// Export: a successful export to the "stick".
		fyne.DoAndWait(func() { e.Run.OnTapped() })
		waitText(func() string { return e.Message.Text }, ".xlsx")
		snap("export", lang)

		// Export: the stick was pulled out before writing.
		folder = filepath.Join(usb, "rut-ra")
		fyne.DoAndWait(func() { e.Run.OnTapped() })
		waitText(func() string { return e.Message.Text }, map[string]string{"vi": "Không tìm thấy thư mục", "en": "is not there"}[lang])
		snap("export-error", lang)

		// Statistics over the last 30 days.
		fyne.DoAndWait(func() { at.SelectIndex(1) })
		waitText(func() string { return s.Index.Text }, "%")
		snap("stats", lang)
		// ...scrolled down to the trend line.
		fyne.DoAndWait(func() {
			if sc, ok := s.Content().(*container.Scroll); ok {
				sc.ScrollToBottom()
			}
		})
		snap("stats-trend", lang)
	}
}
