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
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/hailong-kiosk/hailong/app/pin"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/ui"
	"github.com/hailong-kiosk/hailong/app/ui/admin"
	"github.com/hailong-kiosk/hailong/app/ui/helpui"
	"github.com/hailong-kiosk/hailong/app/ui/internal/shot"
	"github.com/hailong-kiosk/hailong/sync/help"
)

// TestHelpTabScreenshots captures the admin panel's Hỗ trợ tab, on which
// the panel opens while help requests wait, and its outcome form, into
// docs/screenshots/admin-help-*.png.
func TestHelpTabScreenshots(t *testing.T) {
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
	surveys, err := survey.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"vi", "en"} {
		st, err := store.Open(ctx, filepath.Join(t.TempDir(), "kiosk.db"))
		if err != nil {
			t.Fatal(err)
		}
		if err := pin.New(st).Setup(ctx, "4826"); err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		for i, age := range []time.Duration{12 * time.Minute, 3 * time.Minute} {
			r := &store.HelpRequest{ID: uuid.Must(uuid.NewV7()).String(), Source: help.SurveySource("dich-vu-cong", 2), Lang: "vi",
				ServicePoint: "Phường Hoàn Kiếm", DeviceID: "kiosk", CreatedAt: now.Add(-age).Add(time.Duration(i) * time.Millisecond)}
			if err := st.RaiseHelp(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		var l *helpui.List
		do(func() { l, err = helpui.New(helpui.Deps{Store: st, Lang: lang, Go: func(f func()) { f() }}) })
		if err != nil {
			t.Fatal(err)
		}
		deps := admin.Deps{
			Store: st, Lang: lang, Surveys: func() []*survey.Survey { return surveys }, Quit: func() {},
			Tabs: []admin.Tab{{Title: l.Title(), Open: true, Content: func(fyne.Window) fyne.CanvasObject {
				return container.NewVScroll(container.NewPadded(l.Content()))
			}}},
			Go: func(f func()) { f() },
		}
		var p *admin.Panel
		do(func() { p, err = admin.Show(ctx, w, deps, func() {}) })
		if err != nil {
			t.Fatal(err)
		}
		ok := map[string]string{"vi": "Xong", "en": "OK"}[lang]
		for _, d := range "4826" + "!" {
			text := string(d)
			if d == '!' {
				text = ok
			}
			do(func() {
				b, _ := shot.Find(w.Content(), func(o fyne.CanvasObject) bool {
					x, isB := o.(*widget.Button)
					return isB && x.Text == text
				}).(*widget.Button)
				if b == nil {
					t.Fatalf("no key %q", text)
				}
				b.OnTapped()
			})
		}
		if len(l.Rows) != 2 {
			t.Fatalf("%d rows on the help tab", len(l.Rows))
		}
		snap("help", lang)
		do(func() {
			l.Rows[0].Record.OnTapped()
			l.Form.Outcome.SetSelected(l.Form.Outcome.Options[1])
			l.Form.Reason.SetSelected(l.Form.Reason.Options[1])
		})
		time.Sleep(300 * time.Millisecond) // the form's last frame reaches the X screen
		do(func() {})
		snap("help-outcome", lang)
		do(func() { p.Close() })
		st.Close()
	}
	// Hidden, not closed: closing the app's last window ends its run
	// loop, and the package's other screenshot test still needs it.
	do(func() { w.Hide() })
}
