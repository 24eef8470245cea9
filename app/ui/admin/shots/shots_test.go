package shots_test

import (
	"context"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/hailong-kiosk/hailong/app/pin"
	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/ui"
	"github.com/hailong-kiosk/hailong/app/ui/admin"
	"github.com/hailong-kiosk/hailong/app/ui/internal/shot"
)

// TestScreenshots captures the admin panel's screens in Vietnamese and
// English, at the kiosk's window size and with the kiosk's theme.
func TestScreenshots(t *testing.T) {
	if shotApp == nil {
		t.Skip("set HAILONG_SCREENSHOTS=1 and run under xvfb-run")
	}
	out := shot.Dir(t)
	ctx := context.Background()
	size, suffix := fyne.NewSize(1280, 800), ""
	if sz := os.Getenv(sizeEnv); sz != "" {
		if _, err := fmt.Sscanf(sz, "%fx%f", &size.Width, &size.Height); err != nil {
			t.Fatalf("%s=%q: %v", sizeEnv, sz, err)
		}
		suffix = "-" + sz
	}
	surveys, err := survey.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var w fyne.Window
	fyne.DoAndWait(func() {
		shotApp.Settings().SetTheme(ui.Theme())
		w = shotApp.NewWindow("Hài Lòng")
		w.SetContent(widget.NewLabel("kiosk"))
		w.Resize(size)
		w.Show()
	})
	do := func(f func()) { fyne.DoAndWait(f); fyne.DoAndWait(func() {}) }
	var prev image.Image
	snap := func(name, lang string) {
		t.Helper()
		img := shot.WaitPainted(t, prev, 20*time.Second, 1)
		prev = img
		if img == nil {
			t.Fatalf("%s: nothing painted", name)
		}
		shot.Save(t, out, "admin-"+name+"-"+lang+suffix+".png", img)
	}
	button := func(text string) *widget.Button {
		t.Helper()
		var b *widget.Button
		do(func() {
			match := func(o fyne.CanvasObject) bool {
				x, ok := o.(*widget.Button)
				return ok && x.Text == text
			}
			o := shot.Find(w.Canvas().Overlays().Top(), match) // a pop-up first
			if o == nil {
				o = shot.Find(w.Content(), match)
			}
			b, _ = o.(*widget.Button)
		})
		if b == nil {
			t.Fatalf("no button %q on screen", text)
		}
		return b
	}
	tap := func(text string) {
		t.Helper()
		b := button(text)
		do(func() { b.OnTapped() })
	}
	keypad := func(digits, ok string) {
		t.Helper()
		for _, d := range digits {
			tap(string(d))
		}
		tap(ok)
	}
	selectTab := func(i int) {
		t.Helper()
		do(func() {
			o := shot.Find(w.Content(), func(o fyne.CanvasObject) bool { _, ok := o.(*container.AppTabs); return ok })
			if o == nil {
				t.Fatal("no tabs on screen")
			}
			o.(*container.AppTabs).SelectIndex(i)
		})
	}

	for _, lang := range []string{"vi", "en"} {
		st, err := store.Open(ctx, filepath.Join(t.TempDir(), "kiosk.db"))
		if err != nil {
			t.Fatal(err)
		}
		saveResponses(t, st)
		deps := admin.Deps{
			Store:   st,
			Lang:    lang,
			Surveys: func() []*survey.Survey { return surveys },
			Quit:    func() {},
			Tabs: []admin.Tab{{Title: map[string]string{"vi": "Đồng bộ", "en": "Sync"}[lang],
				Content: func(fyne.Window) fyne.CanvasObject { return widget.NewLabel("…") }}},
			// PIN checks and saves on the UI goroutine, their results
			// queued there: do's second call waits for them.
			Go: func(f func()) { f() },
		}
		okText := map[string]string{"vi": "Xong", "en": "OK"}[lang]
		show := func() *admin.Panel {
			var p *admin.Panel
			do(func() { p, err = admin.Show(ctx, w, deps, func() {}) })
			if err != nil {
				t.Fatal(err)
			}
			return p
		}

		// First run: set the PIN.
		p := show()
		do(func() {})
		tap("4")
		tap("8")
		snap("pin-setup", lang)
		tap("2")
		tap("6")
		tap(okText)
		keypad("4826", okText)

		// Wrong PIN, then the lock.
		do(func() { p.Close() })
		p = show()
		keypad("1111", okText)
		keypad("1111", okText)
		snap("pin-wrong", lang)
		v := pin.New(st)
		for range 3 {
			_ = v.Verify(ctx, "0000")
		}
		do(func() { p.Close() })
		p = show()
		snap("pin-locked", lang)
		do(func() { p.Close() })
		if err := v.Reset(ctx); err != nil { // lift the lock for the rest
			t.Fatal(err)
		}
		if err := v.Setup(ctx, "4826"); err != nil {
			t.Fatal(err)
		}

		// The panel's tabs.
		p = show()
		keypad("4826", okText)
		snap("general", lang)
		// The on-screen keyboard for the first text field (the agency).
		do(func() {
			o := shot.Find(w.Content(), func(o fyne.CanvasObject) bool {
				x, ok := o.(*widget.Button)
				return ok && x.Text == "" && x.Icon != nil && x.Icon.Name() == theme.DocumentCreateIcon().Name()
			})
			if o == nil {
				t.Fatal("no keyboard button")
			}
			o.(*widget.Button).OnTapped()
		})
		snap("keyboard", lang)
		tap(map[string]string{"vi": "Huỷ", "en": "Cancel"}[lang])
		// Invalid values straight into the store, as a damaged or hand-edited
		// database would hold them, then Save shows every problem.
		if err := st.SetSettings(ctx, map[string]string{settings.KeyServicePoint: "", settings.KeyIdleTimeout: "5"}); err != nil {
			t.Fatal(err)
		}
		do(func() { p.Close() })
		p = show()
		keypad("4826", okText)
		tap(map[string]string{"vi": "Lưu", "en": "Save"}[lang])
		snap("general-errors", lang)
		selectTab(1)
		tap(map[string]string{"vi": "Thêm liên kết", "en": "Add link"}[lang])
		snap("links", lang)
		selectTab(2)
		tap("4")
		tap("8")
		snap("pin-change", lang)
		selectTab(3)
		snap("counts", lang)
		tap(map[string]string{"vi": "Thoát ứng dụng", "en": "Quit application"}[lang])
		snap("quit", lang)
		do(func() { p.Close() })
		st.Close()
	}
	do(func() { w.Close() })
}

// saveResponses stores a few responses of today so the counts tab has
// numbers.
func saveResponses(t *testing.T, st *store.Store) {
	t.Helper()
	now := time.Now().UTC()
	for i, status := range []survey.Status{survey.StatusComplete, survey.StatusComplete, survey.StatusAbandoned, survey.StatusComplete} {
		id, err := uuid.NewV7()
		if err != nil {
			t.Fatal(err)
		}
		started := now.Add(-time.Duration(i+1) * time.Minute)
		if err := st.SaveResponse(context.Background(), &survey.Response{
			ID: id.String(), SurveyID: "mot-cua-nhanh", SurveyVersion: 1,
			Answers:   survey.Answers{"q1": {"hl"}},
			StartedAt: started, FinishedAt: started.Add(30 * time.Second),
			ServicePoint: "Bộ phận Một cửa", DeviceID: "shots", Lang: "vi",
			Status: status, Misuse: i == 3,
		}); err != nil {
			t.Fatal(err)
		}
	}
}
